"""Wild cluster restricted bootstrap (analytics.methods.estimation.wild).

Cross-checked against wildboottest (PyPI, the py-econometrics port of boottest), against a
plain slow reference written here (one lstsq per draw), and against pyfixest's CRV1 t.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analytics.methods.estimation.wild import (
    TIE_RTOL,
    draw_weights,
    rademacher_enumeration,
    wild_cluster_bootstrap,
)

NAMES = ["const", "x1", "x2"]


def clustered_data(*, n_clusters: int, per_cluster: int = 40, beta_x1: float = 0.1, seed: int = 0):
    """y = 1 + beta_x1 x1 + 0.3 x2 + cluster shock + noise, with x1 correlated within clusters."""
    rng = np.random.default_rng(seed)
    n = n_clusters * per_cluster
    clusters = rng.integers(0, n_clusters, n)
    clusters[:n_clusters] = np.arange(n_clusters)  # every cluster present
    x1 = rng.normal(size=n) + rng.normal(size=n_clusters)[clusters]
    x2 = rng.normal(size=n)
    y = 1 + beta_x1 * x1 + 0.3 * x2 + rng.normal(size=n) + rng.normal(size=n_clusters)[clusters]
    X = np.column_stack([np.ones(n), x1, x2])
    return X, y, clusters


def crv1_t(X, y, clusters, j, null, k_dof):
    """CRV1 t of column j for H0: beta_j = null, written out plainly."""
    n, _ = X.shape
    groups = np.unique(clusters)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    resid = y - X @ beta
    bread = np.linalg.inv(X.T @ X)
    meat = sum(np.outer(X[clusters == g].T @ resid[clusters == g], X[clusters == g].T @ resid[clusters == g])
               for g in groups)
    G = len(groups)
    vcov = G / (G - 1) * (n - 1) / (n - k_dof) * bread @ meat @ bread
    return (beta[j] - null) / np.sqrt(vcov[j, j])


def slow_wcr_pvalue(X, y, clusters, j, null, draws):
    """The WCR bootstrap by its definition: restricted fit, then one full regression per draw."""
    k = X.shape[1]
    free = [c for c in range(k) if c != j]
    gamma = np.linalg.lstsq(X[:, free], y - null * X[:, j], rcond=None)[0]
    beta_r = np.zeros(k)
    beta_r[free], beta_r[j] = gamma, null
    resid_r = y - X @ beta_r
    t = crv1_t(X, y, clusters, j, null, k)
    t_star = np.array([crv1_t(X, X @ beta_r + draws[clusters, b] * resid_r, clusters, j, null, k)
                       for b in range(draws.shape[1])])
    return float(np.mean(np.abs(t_star) >= abs(t) * (1 - TIE_RTOL)))


def wildboottest_run(X, y, clusters, *, weights, reps, seed, j=1):
    wb_mod = pytest.importorskip("wildboottest.wildboottest")
    R = np.zeros(X.shape[1])
    R[j] = 1.0
    boot = wb_mod.WildboottestCL(X=X, Y=y, cluster=clusters, R=R, B=reps, seed=seed, parallel=False)
    boot.get_scores(bootstrap_type="11", impose_null=True)
    boot.get_weights(weights_type=weights)
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    t = float(np.ravel(boot.t_stat)[0])
    # wildboottest counts |t*| > |t| strictly, so the two exact ties (v = +1, v = -1) fall either
    # way with rounding; apply the contract's rule (>=, ties counted) to its draws.
    return t, float(np.mean(np.abs(boot.t_boot) >= abs(t) * (1 - TIE_RTOL))), boot.B


# --- cross-checks -----------------------------------------------------------------------------


def test_wild_enumeration_matches_wildboottest_exactly():
    X, y, clusters = clustered_data(n_clusters=8, seed=8)
    t_ref, p_ref, reps_ref = wildboottest_run(X, y, clusters, weights="rademacher", reps=9999, seed=1)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None)
    assert reps_ref == res.reps == 2**8
    np.testing.assert_allclose(res.tstat, t_ref, rtol=1e-10)
    np.testing.assert_allclose(res.pvalue, p_ref, rtol=0, atol=1e-12)


def test_wild_enumeration_matches_wildboottest_at_a_nonzero_null():
    # wildboottest tests beta = 0 only; beta_x1 = 0.25 is beta = 0 after y - 0.25 x1.
    X, y, clusters = clustered_data(n_clusters=8, seed=8, beta_x1=0.3)
    _, p_ref, _ = wildboottest_run(X, y - 0.25 * X[:, 1], clusters, weights="rademacher", reps=9999, seed=1)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", null=0.25, level=None)
    np.testing.assert_allclose(res.pvalue, p_ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize("weights", ["rademacher", "webb", "mammen"])
def test_wild_random_draws_agree_with_wildboottest(weights):
    X, y, clusters = clustered_data(n_clusters=30, seed=30)
    t_ref, p_ref, _ = wildboottest_run(X, y, clusters, weights=weights, reps=9999, seed=777)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", weights=weights,
                                 seed=12345, level=None)
    assert res.reps == 9999 and "9999 draws" in res.method
    np.testing.assert_allclose(res.tstat, t_ref, rtol=1e-10)
    assert abs(res.pvalue - p_ref) < 0.02  # independent draws: Monte Carlo error only


@pytest.mark.parametrize(("weights", "null"), [("rademacher", 0.0), ("webb", 0.3), ("mammen", -0.1)])
def test_wild_matches_slow_reference_on_the_same_draws(weights, null):
    X, y, clusters = clustered_data(n_clusters=12, per_cluster=15, seed=4, beta_x1=0.2)
    reps, seed = 199, 2024
    draws = draw_weights(weights=weights, n_clusters=12, reps=reps, rng=np.random.default_rng(seed))
    p_slow = slow_wcr_pvalue(X, y, clusters, 1, null, draws)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", null=null, reps=reps,
                                 weights=weights, seed=seed, level=None)
    np.testing.assert_allclose(res.pvalue, p_slow, rtol=0, atol=1e-12)
    np.testing.assert_allclose(res.tstat, crv1_t(X, y, clusters, 1, null, 3), rtol=1e-10)


def test_wild_tstat_equals_pyfixest_crv1():
    pf = pytest.importorskip("pyfixest")
    X, y, clusters = clustered_data(n_clusters=12, seed=5)
    data = pd.DataFrame({"y": y, "x1": X[:, 1], "x2": X[:, 2], "g": clusters})
    fit = pf.feols("y ~ x1 + x2", data, vcov={"CRV1": "g"})
    for name in ("x1", "x2"):
        res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient=name, reps=99,
                                     level=None, small_sample_k=3)
        np.testing.assert_allclose(res.tstat, fit.tstat()[name], rtol=1e-8)


def test_wild_tstat_equals_pyfixest_with_cluster_effects_absorbed():
    # The caller's case: effects nested in the clusters, partialled out (FWL), K passed in.
    pf = pytest.importorskip("pyfixest")
    X, y, clusters = clustered_data(n_clusters=12, seed=6)
    data = pd.DataFrame({"y": y, "x1": X[:, 1], "x2": X[:, 2], "g": clusters})
    fit = pf.feols("y ~ x1 + x2 | g", data, vcov={"CRV1": "g"})
    demeaned = data[["y", "x1", "x2"]] - data.groupby("g")[["y", "x1", "x2"]].transform("mean")
    # pyfixest counts the nested cluster effects as one parameter: K = 2 slopes + 1.
    res = wild_cluster_bootstrap(demeaned[["x1", "x2"]].to_numpy(), demeaned["y"].to_numpy(), clusters,
                                 names=["x1", "x2"], coefficient="x1", reps=99, level=None,
                                 small_sample_k=3)
    np.testing.assert_allclose(res.tstat, fit.tstat()["x1"], rtol=1e-8)


# --- behaviour --------------------------------------------------------------------------------


def test_wild_strong_effect_is_rejected_and_no_effect_is_not():
    X, y, clusters = clustered_data(n_clusters=20, seed=11, beta_x1=1.0)
    assert wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None).pvalue < 0.01
    X, y, clusters = clustered_data(n_clusters=20, seed=11, beta_x1=0.0)
    assert wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None).pvalue > 0.05


def test_wild_small_sample_k_changes_t_but_not_p():
    X, y, clusters = clustered_data(n_clusters=15, per_cluster=4, seed=2)
    base = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None)
    more = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None,
                                  small_sample_k=20)
    n = X.shape[0]
    np.testing.assert_allclose(more.tstat, base.tstat * np.sqrt((n - 20) / (n - 3)), rtol=1e-10)
    assert more.pvalue == base.pvalue


def test_wild_ci_covers_the_estimate_and_shrinks_with_n():
    # The cluster shocks dominate, so n grows through the number of clusters (x4: width ~ /2).
    widths = []
    for n_clusters in (12, 48):
        X, y, clusters = clustered_data(n_clusters=n_clusters, per_cluster=20, seed=3, beta_x1=0.5)
        estimate = np.linalg.lstsq(X, y, rcond=None)[0][1]
        res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999)
        assert res.ci_low < estimate < res.ci_high
        widths.append(res.ci_high - res.ci_low)
    assert widths[1] < 0.75 * widths[0]


def test_wild_ci_bounds_are_where_the_pvalue_crosses_one_minus_level():
    X, y, clusters = clustered_data(n_clusters=25, seed=9, beta_x1=0.5)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999, level=0.9)
    width = res.ci_high - res.ci_low

    def p_at(b0):
        return wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", null=b0,
                                      reps=999, level=None).pvalue

    for bound, outward in ((res.ci_low, -1), (res.ci_high, +1)):
        assert p_at(bound - outward * 1e-3 * width) >= 0.1  # just inside: not rejected at 10%
        assert p_at(bound + outward * 1e-3 * width) < 0.1  # just outside: rejected


def test_wild_ci_is_unbounded_when_too_few_sign_vectors():
    # G = 4: 16 sign vectors, the smallest possible p is 2/16 > 0.05, so nothing is ever rejected.
    X, y, clusters = clustered_data(n_clusters=4, seed=1, beta_x1=2.0)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1")
    assert res.reps == 16 and res.pvalue >= 2 / 16
    assert res.ci_low is None and res.ci_high is None
    assert "unbounded below and above" in res.method


def test_wild_enumeration_gives_multiples_of_one_over_two_to_the_g():
    X, y, clusters = clustered_data(n_clusters=10, seed=12)
    res = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None)
    assert res.reps == 2**10
    assert "full enumeration of all 1024 = 2^10 sign vectors" in res.method
    count = res.pvalue * 2**10
    assert abs(count - round(count)) < 1e-9
    # Fewer reps than 2^G, or other weights: random draws, as asked.
    fewer = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999, level=None)
    assert fewer.reps == 999 and "999 draws" in fewer.method


def test_rademacher_enumeration_is_every_sign_vector_once():
    signs = rademacher_enumeration(5)
    assert signs.shape == (5, 32)
    assert len({tuple(col) for col in signs.T}) == 32
    assert (signs[:, 0] == 1).all()


@pytest.mark.parametrize(("weights", "support"), [
    ("rademacher", 2), ("webb", 6), ("mammen", 2)])
def test_weights_have_mean_zero_and_unit_variance(weights, support):
    v = draw_weights(weights=weights, n_clusters=50, reps=4000, rng=np.random.default_rng(0))
    assert len(np.unique(v)) == support
    assert abs(v.mean()) < 0.01 and abs(v.var() - 1) < 0.01
    if weights == "mammen":
        assert abs((v**3).mean() - 1) < 0.03  # Mammen's third moment is 1


def test_wild_same_seed_same_result_other_seed_other_draws():
    X, y, clusters = clustered_data(n_clusters=30, seed=13)
    first = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999, seed=5)
    again = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999, seed=5)
    other = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", reps=999, seed=6)
    assert first == again
    assert (other.pvalue, other.ci_low) != (first.pvalue, first.ci_low)


def test_wild_cluster_labels_need_not_be_codes():
    X, y, clusters = clustered_data(n_clusters=12, seed=14)
    as_codes = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x2", level=None)
    as_labels = wild_cluster_bootstrap(X, y, 100 + 7 * clusters, names=NAMES, coefficient="x2", level=None)
    assert as_labels == as_codes


def test_wild_to_dict_is_json_ready():
    X, y, clusters = clustered_data(n_clusters=4, seed=1)
    d = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1").to_dict()
    assert json.loads(json.dumps(d, allow_nan=False)) == d
    assert d["ci_low"] is None and d["n_clusters"] == 4 and d["weights"] == "rademacher"
    no_ci = wild_cluster_bootstrap(X, y, clusters, names=NAMES, coefficient="x1", level=None).to_dict()
    assert no_ci["level"] is None and no_ci["ci_high"] is None


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "message"), [
    ({"clusters": "one"}, "at least 2 clusters"),
    ({"coefficient": "x9"}, "not one of the regressors"),
    ({"reps": 98}, "at least 99"),
    ({"weights": "normal"}, "Unknown weights"),
    ({"level": 1.5}, "strictly between 0 and 1"),
    ({"names": ["a", "b"]}, "names has 2 labels"),
    ({"small_sample_k": 10_000}, "small_sample_k"),
    ({"collinear": True}, "rank deficient"),
])
def test_wild_refuses_bad_input_with_a_sentence(change, message):
    X, y, clusters = clustered_data(n_clusters=6, seed=0)
    kwargs = {"names": NAMES, "coefficient": "x1"}
    if change.pop("clusters", None):
        clusters = np.zeros_like(clusters)
    if change.pop("collinear", None):
        X = np.column_stack([X, 2 * X[:, 1]])
        kwargs["names"] = [*NAMES, "x1_twice"]
    kwargs.update(change)
    with pytest.raises(ValueError, match=message):
        wild_cluster_bootstrap(X, y, clusters, **kwargs)
