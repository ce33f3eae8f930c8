"""Entropy, Dist, PCA, KMO and Bartlett against METHODS sections 1-2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.methods.indices import (
    bartlett,
    dist_index,
    entropy_index,
    entropy_weights,
    kmo,
    minmax,
    pca_index,
    row_scores,
)

from .conftest import reference


def _classic_entropy(x: np.ndarray) -> np.ndarray:
    """Independent textbook implementation (loops, no shared code)."""
    m, n = x.shape
    d = []
    for j in range(n):
        p = x[:, j] / x[:, j].sum()
        e = -sum(pi * np.log(pi) for pi in p if pi > 0) / np.log(m)
        d.append(1 - e)
    d = np.array(d)
    return d / d.sum()


def test_entropy_known_answer_from_methods():
    df = pd.DataFrame({"a": [1, 2, 4], "b": [10, 10, 30]})
    w = entropy_weights(df).weights
    assert w["a"] == pytest.approx(0.32802, abs=1e-5)
    assert w["b"] == pytest.approx(0.67198, abs=1e-5)
    assert w.sum() == pytest.approx(1.0, abs=1e-15)


def test_entropy_scores_are_weighted_standardised_values():
    df = pd.DataFrame({"a": [1, 2, 4], "b": [10, 10, 30]})
    r = entropy_weights(df)
    z = minmax(df)
    np.testing.assert_allclose(r.scores.to_numpy(), z.to_numpy() @ r.weights.to_numpy())


@pytest.mark.parametrize("name", ["xu2004_matrix.csv", "zavadskas_podvezko2016_matrix.csv",
                                  "ersoy2021_matrix.csv", "lee_chang2018_matrix.csv"])
def test_entropy_none_matches_textbook_on_published_matrices(name):
    df = pd.read_csv(reference(f"entropy/{name}")).set_index("alt")
    varying = df.loc[:, df.nunique() > 1]
    ours = entropy_weights(varying, normalise="none").weights.to_numpy()
    np.testing.assert_allclose(ours, _classic_entropy(varying.to_numpy(float)), rtol=1e-12)
    # min-max variant on the same matrix: textbook formula applied to standardised values.
    mm = entropy_weights(varying).weights.to_numpy()
    np.testing.assert_allclose(mm, _classic_entropy(minmax(varying).to_numpy()), rtol=1e-12)


def test_entropy_constant_column_is_an_error_naming_it():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "flat": [5.0, 5.0, 5.0]})
    with pytest.raises(ValueError, match="flat"):
        entropy_weights(df)


cols = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=6, max_size=6)


@settings(max_examples=40, deadline=None)
@given(a=cols, b=cols, scale=st.floats(0.01, 100), shift=st.floats(-100, 100))
def test_entropy_affine_rescaling_leaves_weights_unchanged(a, b, scale, shift):
    df = pd.DataFrame({"a": a, "b": b})
    if df.nunique().min() < 3 or (df.max() - df.min()).min() < 1e-3:
        return
    w0 = entropy_weights(df).weights
    w1 = entropy_weights(df.assign(a=df["a"] * scale + shift)).weights
    np.testing.assert_allclose(w0.to_numpy(), w1.to_numpy(), atol=1e-9)


def test_negative_indicator_equals_positive_of_minus_x():
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(30, 3)), columns=["a", "b", "c"])
    neg = entropy_weights(df, negative=["b"])
    pos = entropy_weights(df.assign(b=-df["b"]))
    np.testing.assert_allclose(neg.weights.to_numpy(), pos.weights.to_numpy(), rtol=1e-13)
    np.testing.assert_allclose(neg.scores.to_numpy(), pos.scores.to_numpy(), rtol=1e-13)


def test_more_dispersed_column_gets_more_weight():
    # Same range, but 'spiky' concentrates its mass in one row: lower entropy, more weight.
    df = pd.DataFrame({"even": np.linspace(0, 1, 20), "spiky": [0.0] * 19 + [1.0]})
    w = entropy_weights(df).weights
    assert w["spiky"] > w["even"]


def test_entropy_per_year_says_scores_not_comparable():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(rng.uniform(1, 2, size=(20, 2)), columns=["a", "b"])
    df["year"] = [2011] * 10 + [2012] * 10
    r = entropy_index(df, by="year")
    assert r.by_year and "not comparable" in r.note
    assert list(r.weights.index) == [2011, 2012]
    np.testing.assert_allclose(r.weights.loc[2012].to_numpy(),
                               entropy_weights(df[df.year == 2012][["a", "b"]]).weights)


def test_none_normalisation_refuses_negative_values():
    with pytest.raises(ValueError, match="non-negative"):
        entropy_weights(pd.DataFrame({"a": [1.0, -2.0, 3.0]}), normalise="none")


def _urban_rural(seed=3, n=25):
    rng = np.random.default_rng(seed)
    urban = pd.DataFrame(rng.uniform(1, 10, size=(n, 4)), columns=list("abcd"))
    rural = urban * rng.uniform(0.3, 1.0, size=(n, 1))
    return urban, rural


def test_dist_is_exactly_zero_when_rural_equals_urban():
    urban, _ = _urban_rural()
    res = dist_index(urban, urban.copy())
    assert (res.dist == 0.0).all()


def test_dist_shares_one_weight_vector_over_stacked_rows():
    urban, rural = _urban_rural()
    res = dist_index(urban, rural)
    stacked = entropy_weights(pd.concat([urban, rural], ignore_index=True))
    np.testing.assert_allclose(res.weights.to_numpy(), stacked.weights.to_numpy())
    ratio = stacked.scores.to_numpy()[len(urban):] / stacked.scores.to_numpy()[: len(urban)]
    np.testing.assert_allclose(res.dist.to_numpy(), (ratio - 1) ** 2, rtol=1e-12)


def test_dist_urban_score_zero_gives_nan_and_warns_never_inf():
    urban, rural = _urban_rural()
    low = np.minimum(urban.min(), rural.min())
    urban.iloc[0] = low  # the pooled minimum in every column: standardised 0, S_urban = 0
    rural.iloc[0] = low
    with pytest.warns(RuntimeWarning, match="urban score 0"):
        res = dist_index(urban, rural)
    assert np.isnan(res.dist.iloc[0]) and res.n_nan == 1
    assert np.isfinite(res.dist.iloc[1:]).all()


def test_pca_shares_match_an_independent_svd():
    rng = np.random.default_rng(4)
    base = rng.normal(size=(200, 1))
    df = pd.DataFrame(base + rng.normal(scale=[0.5, 0.8, 1.0, 1.5, 2.0], size=(200, 5)),
                      columns=list("abcde"))
    res = pca_index(df)
    z = minmax(df).to_numpy()
    zs = (z - z.mean(0)) / z.std(0, ddof=1)
    sv = np.linalg.svd(zs, compute_uv=False)
    eig = sv**2 / (len(z) - 1)
    np.testing.assert_allclose(res.eigen_table["eigenvalue"].to_numpy(), eig, rtol=1e-10)
    np.testing.assert_allclose(res.eigen_table["share"].to_numpy(), eig / eig.sum(), rtol=1e-10)
    assert res.eigen_table["eigenvalue"].sum() == pytest.approx(5.0)
    assert res.eigen_table["cumulative"].iloc[res.n_retained - 1] >= 0.85
    assert res.eigen_table["cumulative"].iloc[res.n_retained - 2] < 0.85
    assert (res.loadings.sum(axis=0) > 0).all()  # sign convention
    assert res.weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(res.index.to_numpy(), z @ res.weights.to_numpy())


def test_pca_is_invariant_to_the_sign_lapack_returns():
    rng = np.random.default_rng(5)
    df = pd.DataFrame(rng.normal(size=(50, 4)) + rng.normal(size=(50, 1)), columns=list("abcd"))
    w1 = pca_index(df).weights
    w2 = pca_index(df[list("dcba")]).weights  # a permutation changes LAPACK's signs
    np.testing.assert_allclose(w1.to_numpy(), w2[list("abcd")].to_numpy(), rtol=1e-10)


def test_pca_kaiser_retention_and_rescale():
    rng = np.random.default_rng(6)
    df = pd.DataFrame(rng.normal(size=(80, 4)) + rng.normal(size=(80, 1)), columns=list("abcd"))
    res = pca_index(df, retain="kaiser", rescale="max")
    assert res.n_retained == int((res.eigen_table["eigenvalue"] > 1).sum())
    assert res.index.max() == pytest.approx(1.0)


def _kmo_via_partial_correlations(x: np.ndarray) -> float:
    """Independent KMO: partial correlations from regression residuals."""
    p = x.shape[1]
    r = np.corrcoef(x, rowvar=False)
    part = np.zeros((p, p))
    for i in range(p):
        for j in range(i + 1, p):
            others = [k for k in range(p) if k not in (i, j)]
            o = np.column_stack([np.ones(len(x)), x[:, others]])
            ri = x[:, i] - o @ np.linalg.lstsq(o, x[:, i], rcond=None)[0]
            rj = x[:, j] - o @ np.linalg.lstsq(o, x[:, j], rcond=None)[0]
            part[i, j] = part[j, i] = np.corrcoef(ri, rj)[0, 1]
    off = ~np.eye(p, dtype=bool)
    return (r[off] ** 2).sum() / ((r[off] ** 2).sum() + (part[off] ** 2).sum())


def test_kmo_and_bartlett_on_field_saq_known_answers():
    saq = pd.read_csv(reference("saq.csv"))
    k = kmo(saq)
    b = bartlett(saq)
    # Field, Discovering Statistics: KMO = .930, Bartlett chi2(253) = 19334.492.
    assert k.overall == pytest.approx(0.930, abs=5e-4)
    assert b.df == 253
    assert b.chi2 == pytest.approx(19334.492, abs=0.01)
    assert b.pvalue < 1e-300 or b.pvalue == 0.0
    assert k.per_variable.min() > 0.7  # Field: all individual KMOs > .77


def test_kmo_matches_partial_correlation_definition():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(120, 5)) + rng.normal(size=(120, 1))
    ours = kmo(pd.DataFrame(x, columns=list("abcde"))).overall
    assert ours == pytest.approx(_kmo_via_partial_correlations(x), rel=1e-10)


def test_kmo_is_scale_free_so_minmax_data_is_fine():
    rng = np.random.default_rng(9)
    df = pd.DataFrame(rng.normal(size=(60, 4)) + rng.normal(size=(60, 1)), columns=list("abcd"))
    assert kmo(minmax(df)).overall == pytest.approx(kmo(df).overall, rel=1e-12)
    assert bartlett(minmax(df)).chi2 == pytest.approx(bartlett(df).chi2, rel=1e-10)


def test_identical_rows_score_bit_identically_wherever_they_sit():
    # A BLAS product can round a row differently by its position (blocking, SIMD tails);
    # the scores must not depend on where a row sits in the frame.
    rng = np.random.default_rng(7)
    row = rng.uniform(0.01, 1.0, size=7)
    z = np.vstack([rng.uniform(0, 1, size=(13, 7)), np.tile(row, (1003, 1))])
    w = rng.dirichlet(np.ones(7))
    s = row_scores(z, w)
    assert (s[13:] == s[13]).all()
    np.testing.assert_allclose(s, z @ w, rtol=1e-12)
