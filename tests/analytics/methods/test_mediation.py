"""Mediation, Sobel family and the cluster bootstrap (METHODS section 5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.methods.mediation import bootstrap_indirect, mediate, sobel_tests
from analytics.methods.panel import fit
from analytics.methods.pipeline import CONTROLS, build_variables
from analytics.methods.synthetic import synthetic_panel

from .conftest import reference

sm = pytest.importorskip("statsmodels.api")


def test_sobel_on_the_papers_table9_is_5_percent_not_1_percent():
    a, ta, b, tb = 0.199, 6.49, -0.116, -2.26
    res = sobel_tests(a, a / ta, b, b / tb)
    assert res["sobel"]["z"] == pytest.approx(-2.13, abs=0.005)
    assert res["sobel"]["p"] == pytest.approx(0.033, abs=0.0005)
    assert res["sobel"]["p"] > 0.01  # the paper's "significant at 1%" is wrong
    # Aroian adds, Goodman subtracts s_a^2 s_b^2.
    assert abs(res["aroian"]["z"]) < abs(res["sobel"]["z"]) < abs(res["goodman"]["z"])


def test_sobel_formula_by_hand():
    a, sa, b, sb = 0.5, 0.1, 0.3, 0.2
    z = a * b / np.sqrt(b**2 * sa**2 + a**2 * sb**2)
    assert sobel_tests(a, sa, b, sb)["sobel"]["z"] == pytest.approx(z, rel=1e-14)


@pytest.fixture(scope="module")
def med(small_synth):
    return mediate(small_synth.panel, x="Dig", m="Isu", y="Dist", controls=CONTROLS,
                   bootstrap=199, seed=3)


def test_identity_c_equals_c_prime_plus_ab(med):
    assert abs(med.c - (med.c_prime + med.a * med.b)) < 1e-12
    d = med.to_dict()
    for key in ("a", "b", "c", "c_prime", "indirect", "tests", "bootstrap"):
        assert key in d
    assert "draws" not in d["bootstrap"]


def test_recovery_within_4_se(med, small_synth):
    truth = small_synth.truth
    assert abs(med.a - truth["a"]) <= 4 * med.path_a.std_errors["Dig"]
    assert abs(med.b - truth["b"]) <= 4 * med.path_b.std_errors["Isu"]
    assert abs(med.c_prime - truth["c_prime"]) <= 4 * med.path_b.std_errors["Dig"]
    assert abs(med.c - truth["c"]) <= 4 * med.path_c.std_errors["Dig"]


def test_recovery_is_exact_with_noise_set_to_zero(small_cities):
    sp = synthetic_panel(cities=small_cities, seed=5, noise_scale=0, rollout=False)
    panel = build_variables(sp.raw).panel  # the whole pipeline from raw indicators
    res = mediate(panel, x="Dig", m="Isu", y="Dist", controls=CONTROLS)
    assert res.a == pytest.approx(0.20, abs=1e-8)
    assert res.b == pytest.approx(-0.12, abs=1e-8)
    assert res.c_prime == pytest.approx(-0.08, abs=1e-8)
    assert res.c == pytest.approx(-0.104, abs=1e-8)


def test_bootstrap_is_reproducible_and_covers_the_truth(med, small_synth):
    boot = med.bootstrap
    assert boot["reps"] == 199 and boot["successful"] == 199
    assert boot["ci_low"] < boot["ci_high"]
    truth = small_synth.truth["a"] * small_synth.truth["b"]
    assert boot["ci_low"] - 3 * boot["se"] < truth < boot["ci_high"] + 3 * boot["se"]
    again = bootstrap_indirect(small_synth.panel, x="Dig", m="Isu", y="Dist",
                               controls=CONTROLS, reps=199, seed=3)
    np.testing.assert_array_equal(again["draws"], boot["draws"])


def test_fast_bootstrap_equals_refitting_panelols(small_synth):
    kw = {"x": "Dig", "m": "Isu", "y": "Dist", "controls": ["Ur"], "reps": 8, "seed": 1}
    fast = bootstrap_indirect(small_synth.panel, method="fast", **kw)
    slow = bootstrap_indirect(small_synth.panel, method="refit", **kw)
    np.testing.assert_allclose(fast["draws"], slow["draws"], rtol=1e-8)
    assert fast["path"] != slow["path"]


def test_unbalanced_bootstrap_equals_refitting_each_draw_with_fit(small_synth):
    panel = small_synth.panel.drop(index=small_synth.panel.index[::5])
    kw = {"x": "Dig", "m": "Isu", "y": "Dist", "controls": ["Ur"], "reps": 5, "seed": 2}
    ours = bootstrap_indirect(panel, **kw)
    assert "no refit" in ours["path"]
    # Independently: the same entity draws, each sample fitted by panel.fit.
    rng = np.random.default_rng(2)
    groups = dict(list(panel.groupby("city", sort=True)))
    keys = list(groups)
    expected = []
    for _ in range(5):
        pick = rng.integers(0, len(keys), size=len(keys))
        sample = pd.concat([groups[keys[i]].assign(city=j) for j, i in enumerate(pick)],
                           ignore_index=True)
        fa = fit(sample, "Isu ~ Dig + Ur", cluster=None, se="unadjusted")
        fb = fit(sample, "Dist ~ Dig + Isu + Ur", cluster=None, se="unadjusted")
        expected.append(fa.params["Dig"] * fb.params["Isu"])
    np.testing.assert_allclose(ours["draws"], expected, rtol=1e-9)


def test_bootstrap_progress_is_reported(small_synth):
    seen = []
    bootstrap_indirect(small_synth.panel, x="Dig", m="Isu", y="Dist", reps=250, seed=1,
                       progress=lambda d, n: seen.append((d, n)))
    assert seen[-1] == (250, 250) and len(seen) >= 3


def test_bh1996_pooled_mediation_matches_statsmodels():
    """Real data: work hours -> leadership climate -> well-being (Bliese & Halverson 1996)."""
    bh = pd.read_csv(reference("bh1996.csv"))
    bh["t"] = bh.groupby("GRP").cumcount()
    res = mediate(bh, x="HRS", m="LEAD", y="WBEING", entity="GRP", time="t", effects="none",
                  cluster=None, se="unadjusted")
    pa = sm.OLS(bh["LEAD"], sm.add_constant(bh[["HRS"]])).fit()
    pb = sm.OLS(bh["WBEING"], sm.add_constant(bh[["HRS", "LEAD"]])).fit()
    assert res.a == pytest.approx(pa.params["HRS"], rel=1e-10)
    assert res.b == pytest.approx(pb.params["LEAD"], rel=1e-10)
    z = res.tests["sobel"]["z"]
    z_ref = pa.params["HRS"] * pb.params["LEAD"] / np.sqrt(
        pb.params["LEAD"] ** 2 * pa.bse["HRS"] ** 2 + pa.params["HRS"] ** 2 * pb.bse["LEAD"] ** 2)
    assert z == pytest.approx(z_ref, rel=1e-10)
    assert z < -10  # a strong, well-known indirect effect
    # Clustered by work group: statsmodels' cluster SE uses the same CRV1 correction.
    cl = mediate(bh, x="HRS", m="LEAD", y="WBEING", entity="GRP", time="t", effects="none",
                 cluster="entity", se="stata")
    pa_c = sm.OLS(bh["LEAD"], sm.add_constant(bh[["HRS"]])).fit(
        cov_type="cluster", cov_kwds={"groups": bh["GRP"]})
    assert cl.path_a.std_errors["HRS"] == pytest.approx(pa_c.bse["HRS"], rel=1e-8)
