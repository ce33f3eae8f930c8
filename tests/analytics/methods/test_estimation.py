"""The estimation engine against independent computations (issue 16).

- pyfixest (fixest's conventions) for absorbed effects, balanced and unbalanced, every SE type;
- linearmodels for cross-section 2SLS, Hansen J (IVGMM), Sargan and Driscoll-Kraay;
- published digits: Wooldridge, *Introductory Econometrics: A Modern Approach*, Example 15.1
  and 15.5 (MROZ, 2SLS of log wage on education instrumented by the parents' education, the
  textbook's Stata output) and Example 14.4 (WAGEPAN, fixed effects with year dummies); both
  datasets ship with linearmodels.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from linearmodels import IV2SLS, IVGMM, PanelOLS
from linearmodels.datasets import mroz, wage_panel
from linearmodels.iv.common import kleibergen_paap_f

from analytics.methods.estimation import estimate

pf = pytest.importorskip("pyfixest")


def _pf(formula, data, vcov):
    # A fresh copy each time: pyfixest 0.60 caches demeaned data per frame, and a CRV1 fit
    # after an iid fit of the same frame then counts the nested effects differently.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.feols(formula, data=data.copy(), vcov=vcov)


def _panel(g=60, t=8, seed=0, drop=0.15):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(g), t)
    yr = np.tile(np.arange(2000, 2000 + t), g)
    x1 = rng.normal(size=g * t) + rng.normal(size=g).repeat(t)
    x2 = rng.normal(size=g * t)
    z1, z2, v = rng.normal(size=(3, g * t))
    d = 0.8 * z1 + 0.5 * z2 + 0.3 * x1 + v
    y = (1 + 0.5 * x1 - 0.3 * x2 + 0.7 * d + rng.normal(size=g).repeat(t) + 0.5 * v
         + rng.normal(size=g * t))
    df = pd.DataFrame({"g": e, "yr": yr, "y": y, "x1": x1, "x2": x2, "d": d, "z1": z1,
                       "z2": z2, "prov": e % 7})
    return df.sample(frac=1 - drop, random_state=1).sort_index() if drop else df


UNBALANCED = _panel()
BALANCED = _panel(drop=0)
EFFECTS = [("g+yr", "entity time"), ("g", "entity"), ("yr", "time")]
# Clustered SEs: test_clustered_ses_match_pyfixest_meat_with_reghdfe_k.
SES = [("iid", "unadjusted", None), ("hetero", "robust", None)]


def _ours(data, eff, se, cluster, **kw):
    return estimate(data, y="y", exog=["x1", "x2"], entity="g", time="yr", effects=eff, se=se,
                    cluster=cluster, **kw)


@pytest.mark.parametrize("data", [BALANCED, UNBALANCED], ids=["balanced", "unbalanced"])
@pytest.mark.parametrize(("absorb", "eff"), EFFECTS)
@pytest.mark.parametrize(("vcov", "se", "cluster"), SES, ids=lambda v: str(v))
def test_ols_matches_pyfixest_for_every_effect_and_se(data, absorb, eff, vcov, se, cluster):
    ours = _ours(data, eff, se, cluster)
    ref = _pf(f"y ~ x1 + x2 | {absorb}", data, vcov)
    np.testing.assert_allclose([ours.params[k] for k in ("x1", "x2")], ref.coef().to_numpy(),
                               rtol=1e-8)
    np.testing.assert_allclose([ours.std_errors[k] for k in ("x1", "x2")],
                               ref.se().to_numpy(), rtol=1e-7)
    assert ours.nobs == ref._N


# Clustered cases with reghdfe's K written out: k regressors, plus the constant, plus the
# levels of the effects not nested in a cluster variable (one of them redundant).
CLUSTERED = [  # (absorb, effects, cluster, what K adds to the 2 slopes)
    ("g+yr", "entity time", ["g"], "with T"), ("g+yr", "entity time", ["prov"], "with T"),
    ("g", "entity", ["g"], "constant"), ("g", "entity", ["prov"], "constant"),
    ("yr", "time", ["prov"], "with T"), ("g+yr", "entity time", ["g", "yr"], "constant"),
    ("g", "entity", ["g", "yr"], "constant"), ("yr", "time", ["g", "yr"], "constant"),
]


@pytest.mark.parametrize("data", [BALANCED, UNBALANCED], ids=["balanced", "unbalanced"])
@pytest.mark.parametrize(("absorb", "eff", "cluster", "k_text"), CLUSTERED, ids=str)
def test_clustered_ses_match_pyfixest_meat_with_reghdfe_k(data, absorb, eff, cluster, k_text):
    # pyfixest 0.60's count of effects nested in the clusters depends on what ran before in
    # the process, so the clustered cases are checked against its meat with no K at all
    # (k_fixef="none": K = the 2 slopes) and reghdfe's K written out above.
    ours = _ours(data, eff, "cluster", cluster)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = pf.feols(f"y ~ x1 + x2 | {absorb}", data=data.copy(),
                       vcov={"CRV1": "+".join(cluster)}, ssc=pf.ssc(k_fixef="none"))
    extra = data["yr"].nunique() if k_text == "with T" else 1  # (T - 1) years + constant
    n, k_reghdfe = len(data), 2 + extra
    assert ours.n_params == k_reghdfe
    expected = ref.se().to_numpy() * np.sqrt((n - 2) / (n - k_reghdfe))
    np.testing.assert_allclose([ours.std_errors[k] for k in ("x1", "x2")], expected, rtol=1e-7)


@pytest.mark.parametrize("data", [BALANCED, UNBALANCED], ids=["balanced", "unbalanced"])
@pytest.mark.parametrize(("vcov", "se", "cluster"),
                         [*SES[:2], ({"CRV1": "g"}, "cluster", ["g"])], ids=lambda v: str(v))
def test_panel_iv_matches_pyfixest(data, vcov, se, cluster):
    ours = estimate(data, y="y", exog=["x1", "x2"], endog=["d"], instruments=["z1", "z2"],
                    entity="g", time="yr", effects="entity time", se=se, cluster=cluster)
    ref = _pf("y ~ x1 + x2 | g + yr | d ~ z1 + z2", data, vcov)
    names = list(ref.coef().index)
    np.testing.assert_allclose([ours.params[k] for k in names], ref.coef().to_numpy(),
                               rtol=1e-8)
    np.testing.assert_allclose([ours.std_errors[k] for k in names], ref.se().to_numpy(),
                               rtol=1e-7)


@pytest.mark.parametrize(("se", "lm_cov"), [("unadjusted", "unadjusted"), ("robust", "robust"),
                                            ("cluster", "clustered")])
@pytest.mark.parametrize("small", [True, False])
def test_cross_section_iv_matches_linearmodels_with_and_without_small(se, lm_cov, small):
    cs = UNBALANCED.assign(const=1.0)
    kw = {"clusters": cs["g"]} if lm_cov == "clustered" else {}
    ref = IV2SLS(cs["y"], cs[["const", "x1", "x2"]], cs[["d"]], cs[["z1", "z2"]]).fit(
        cov_type=lm_cov, debiased=small, **kw)
    ours = estimate(cs, y="y", exog=["x1", "x2"], endog=["d"], instruments=["z1", "z2"],
                    entity="g" if se == "cluster" else None, se=se, small=small)
    mine = [ours.const_se, ours.std_errors["x1"], ours.std_errors["x2"], ours.std_errors["d"]]
    # Stata keeps G/(G-1) for clusters without small; linearmodels drops it.
    factor = np.sqrt(60 / 59) if (se == "cluster" and not small) else 1.0
    np.testing.assert_allclose(mine, ref.std_errors.to_numpy() * factor, rtol=1e-9)
    if se != "cluster":  # clustered: Stata's t(G-1) with small and its G/(G-1) without
        np.testing.assert_allclose(ours.pvalues["d"], ref.pvalues["d"], rtol=1e-6)
    else:
        assert ours.df_resid == (cs["g"].nunique() - 1 if small else None)
    assert (ours.df_resid is None) is (not small)  # z without small, t with it
    gmm = IVGMM(cs["y"], cs[["const", "x1", "x2"]], cs[["d"]], cs[["z1", "z2"]],
                weight_type=lm_cov, **kw).fit()
    assert ours.overid["stat"] == pytest.approx(gmm.j_stat.stat, rel=1e-8)
    if se == "unadjusted":
        assert ours.overid["stat"] == pytest.approx(ref.sargan.stat, rel=1e-8)
        assert ours.overid["name"].startswith("Sargan")


def test_wooldridge_mroz_2sls_published_digits():
    data = mroz.load().dropna(subset=["lwage"])
    # Example 15.5: Stata `ivregress 2sls lwage exper expersq (educ = motheduc fatheduc)`.
    small = estimate(data, y="lwage", exog=["exper", "expersq"], endog=["educ"],
                     instruments=["motheduc", "fatheduc"], se="unadjusted", small=True)
    assert small.nobs == 428
    assert round(small.params["educ"], 4) == 0.0614 and round(small.std_errors["educ"], 4) == 0.0314
    assert round(small.params["exper"], 4) == 0.0442 and round(small.std_errors["exper"], 4) == 0.0134
    assert round(small.params["expersq"], 4) == -0.0009
    assert round(small.std_errors["expersq"], 4) == 0.0004
    assert round(small.const, 3) == 0.048 and round(small.const_se, 3) == 0.400
    # Example 15.8 (the same model): the over-identification statistic n R^2 = .378.
    assert round(small.overid["stat"], 3) == 0.378
    # Stata's ivregress default (no small): z statistics, sigma^2 = RSS/N.
    large = estimate(data, y="lwage", exog=["exper", "expersq"], endog=["educ"],
                     instruments=["motheduc", "fatheduc"], se="unadjusted", small=False)
    assert round(large.std_errors["educ"], 7) == 0.0312895
    assert round(large.std_errors["exper"], 7) == 0.0133696
    assert large.df_resid is None
    # Example 15.1: simple IV with fatheduc: .441 (.446) + .059 (.035) educ.
    simple = estimate(data, y="lwage", exog=[], endog=["educ"], instruments=["fatheduc"],
                      se="unadjusted")
    assert round(simple.params["educ"], 3) == 0.059 and round(simple.std_errors["educ"], 3) == 0.035
    assert round(simple.const, 3) == 0.441 and round(simple.const_se, 3) == 0.446


def test_wooldridge_wagepan_fixed_effects_published_digits_and_both_conventions():
    data = wage_panel.load()
    # Example 14.4: FE of lwage on expersq, married, union and year dummies (iid SEs).
    res = {conv: estimate(data, y="lwage", exog=["expersq", "married", "union"], entity="nr",
                          time="year", effects="entity time", se="unadjusted",
                          convention=conv) for conv in ("reghdfe", "xtreg")}
    fe = res["reghdfe"]
    assert round(fe.params["expersq"], 4) == -0.0052 and round(fe.std_errors["expersq"], 4) == 0.0007
    assert round(fe.params["married"], 3) == 0.047 and round(fe.std_errors["married"], 3) == 0.018
    assert round(fe.params["union"], 3) == 0.080 and round(fe.std_errors["union"], 3) == 0.019
    xt = res["xtreg"]
    np.testing.assert_allclose(list(xt.params.values()), list(fe.params.values()), rtol=1e-9)
    np.testing.assert_allclose(list(xt.std_errors.values()), list(fe.std_errors.values()),
                               rtol=1e-9)
    # The constants differ by convention: reghdfe's ybar - xbar'b; xtreg's with year dummies.
    means = data[["lwage", "expersq", "married", "union"]].mean()
    b = np.array([fe.params[k] for k in ("expersq", "married", "union")])
    assert fe.const == pytest.approx(means["lwage"] - means.iloc[1:].to_numpy() @ b, rel=1e-10)
    lsdv = PanelOLS(data.set_index(["nr", "year"])["lwage"],
                    pd.get_dummies(data["year"], prefix="y", drop_first=True, dtype=float)
                    .set_axis(data.set_index(["nr", "year"]).index)
                    .join(data.set_index(["nr", "year"])[["expersq", "married", "union"]])
                    .assign(const=1.0), entity_effects=True).fit()
    assert xt.const == pytest.approx(lsdv.params["const"], rel=1e-9)
    assert xt.const != pytest.approx(fe.const, rel=1e-3)
    # Both R-squared under their names: within after both effects, and xtreg's within.
    assert fe.r2["within"] == pytest.approx(
        _pf("lwage ~ expersq + married + union | nr + year", data, "iid")._r2_within, rel=1e-8)
    assert fe.r2["within_xtreg"] == pytest.approx(lsdv.rsquared_within, rel=1e-8)
    assert fe.r2["within_xtreg"] > fe.r2["within"]


def test_constant_standard_error_includes_sigma2_over_n():
    data = UNBALANCED
    for se in ("unadjusted", "robust"):
        ours = _ours(data, "entity time", se, None)
        # Independent: [1, x] regression on the demeaned data with the means added back,
        # through statsmodels (iid / HC1 with K counting the absorbed effects).
        ref = _pf("y ~ x1 + x2 | g + yr", data, "iid" if se == "unadjusted" else "hetero")
        v = ref._vcov
        xbar = data[["x1", "x2"]].mean().to_numpy()
        if se == "unadjusted":
            sigma2 = float(ref._u_hat @ ref._u_hat) / (ref._N - ours.n_params)
            expected = np.sqrt(sigma2 / ref._N + xbar @ v @ xbar)
            assert ours.const_se == pytest.approx(expected, rel=1e-8)
        assert ours.const_se > np.sqrt(xbar @ v @ xbar)  # the sigma^2/N part is there


def test_singletons_are_dropped_counted_and_match_pyfixest():
    data = pd.concat([UNBALANCED, pd.DataFrame({"g": [900, 901], "yr": [2001, 2003],
                                                "y": [1.0, 2.0], "x1": [0.1, 0.2],
                                                "x2": [0.3, 0.4], "d": 0.0, "z1": 0.0,
                                                "z2": 0.0, "prov": 0})], ignore_index=True)
    ours = _ours(data, "entity time", "cluster", ["g"])
    assert ours.singletons_dropped == 2 and ours.nobs == len(data) - 2
    assert any("singleton" in n for n in ours.notes)
    ref = _pf("y ~ x1 + x2 | g + yr", data, {"CRV1": "g"})
    np.testing.assert_allclose(list(ours.std_errors.values()), ref.se().to_numpy(), rtol=1e-7)


def test_driscoll_kraay_matches_linearmodels_kernel_with_xtscc_factor():
    data = BALANCED.set_index(["g", "yr"])
    n, t = len(BALANCED), 8
    for bw in (0, 2):
        for small in (True, False):
            ours = estimate(BALANCED, y="y", exog=["x1", "x2"], entity="g", time="yr",
                            effects="none", se="driscoll-kraay", bandwidth=bw, small=small)
            ref = PanelOLS(data["y"], data[["x1", "x2"]].assign(const=1.0)).fit(
                cov_type="kernel", kernel="bartlett", bandwidth=bw, debiased=False)
            # linearmodels without debiasing has no factor; xtscc's is T/(T-1) (N-1)/(N-K).
            factor = np.sqrt(t / (t - 1) * (n - 1) / (n - 3)) if small else 1.0
            np.testing.assert_allclose([ours.std_errors[k] for k in ("x1", "x2")],
                                       ref.std_errors[["x1", "x2"]].to_numpy() * factor,
                                       rtol=1e-9)
            assert ours.df_resid == (t - 1 if small else None)
    # With entity effects linearmodels always scales by N/(N - (G-1)); ours only with small.
    ours = estimate(BALANCED, y="y", exog=["x1", "x2"], entity="g", time="yr",
                    effects="entity", se="driscoll-kraay", bandwidth=2, small=False)
    ref = PanelOLS(data["y"], data[["x1", "x2"]].assign(const=1.0), entity_effects=True).fit(
        cov_type="kernel", kernel="bartlett", bandwidth=2, debiased=False)
    g = 60
    np.testing.assert_allclose([ours.std_errors[k] * np.sqrt(n / (n - g + 1)) for k in ("x1", "x2")],
                               ref.std_errors[["x1", "x2"]].to_numpy(), rtol=1e-9)
    assert "Driscoll-Kraay" in ours.se_convention and ours.arrays["bandwidth"] == 2


def test_first_stage_f_and_kleibergen_paap_name_and_agree_with_one_instrument():
    data = UNBALANCED
    res = estimate(data, y="y", exog=["x1", "x2"], endog=["d"], instruments=["z1"],
                   entity="g", time="yr", effects="entity time", se="cluster")
    fs = res.first_stage
    t = fs["tstats"]["z1"]
    assert fs["F"] == pytest.approx(t * t, rel=1e-10)  # one instrument: F = t^2
    assert fs["kp_name"].startswith("Kleibergen-Paap")
    assert res.overid is None  # exactly identified: no J


@pytest.mark.parametrize(("se", "kind"), [("unadjusted", "unadjusted"), ("robust", "robust"),
                                          ("cluster", "clustered")])
@pytest.mark.parametrize("endog", [["d"], ["d", "x2"]])
def test_kleibergen_paap_matches_linearmodels_rank_test(se, kind, endog):
    cs = UNBALANCED.assign(z3=UNBALANCED["z1"] * UNBALANCED["z2"] + UNBALANCED["x1"])
    instruments = ["z1", "z2", "z3"]
    exog = [x for x in ("x1", "x2") if x not in endog]
    res = estimate(cs, y="y", exog=exog, endog=endog, instruments=instruments,
                   entity="g" if se == "cluster" else None, se=se)
    config = {"clusters": cs["g"].to_numpy()} if kind == "clustered" else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = kleibergen_paap_f(cs[endog].to_numpy(), cs[instruments].to_numpy(),
                                cs[exog].assign(c=1.0).to_numpy(), kind, config)
    assert res.first_stage["kleibergen_paap_f"] == pytest.approx(ref, rel=1e-8)


def test_anderson_rubin_set_bounds_are_where_the_ar_test_rejects():
    data = UNBALANCED
    res = estimate(data, y="y", exog=["x1", "x2"], endog=["d"], instruments=["z1"],
                   entity="g", time="yr", effects="entity time", se="cluster")
    ar = res.first_stage["anderson_rubin"]
    assert ar["shape"] == "interval"
    lo, hi = ar["bounds"]
    assert lo < res.params["d"] < hi
    for b0 in (lo, hi):  # independently: regress y - b0 d on z and test z, same convention
        shifted = data.assign(y0=data["y"] - b0 * data["d"])
        check = estimate(shifted, y="y0", exog=["x1", "x2", "z1"], entity="g", time="yr",
                         effects="entity time", se="cluster")
        assert check.tstats["z1"] ** 2 == pytest.approx(ar["critical_value"], rel=1e-6)
    # An irrelevant instrument: the set is unbounded, not a misleading interval.
    noise = data.assign(w=np.random.default_rng(5).normal(size=len(data)))
    weak = estimate(noise, y="y", exog=["x1", "x2"], endog=["d"], instruments=["w"],
                    entity="g", time="yr", effects="entity time", se="cluster")
    assert weak.first_stage["anderson_rubin"]["shape"] in (
        "whole line", "two rays", "unbounded below", "unbounded above")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"exog": ["x1", "x1"]}, "x1 is given twice"),
    ({"exog": ["y", "x1"]}, "dependent variable"),
    ({"exog": ["x1", "z1"], "endog": ["d"], "instruments": ["z1"]}, "regressor and an instrument"),
    ({"exog": ["x1", "dup"]}, "collinear"),
    ({"exog": ["x1", "gconst"]}, "absorbed"),
    ({"exog": ["x1", "empty"]}, "empty"),
    ({"exog": ["x1", "inf"]}, "infinite values"),
    ({"exog": ["x1"], "endog": ["d"], "instruments": []}, "instruments"),
])
def test_errors_name_the_problem(kwargs, message):
    data = UNBALANCED.assign(dup=UNBALANCED["x1"] * 2, gconst=UNBALANCED["g"] * 1.0,
                             empty=np.nan, inf=np.where(np.arange(len(UNBALANCED)) == 3,
                                                        np.inf, 1.0), one=1)
    kw = {"y": "y", "entity": "g", "time": "yr", "effects": "entity time", "se": "cluster"}
    kw.update(kwargs)
    with pytest.raises(ValueError, match=message):
        estimate(data, **kw)


def test_a_single_city_cannot_carry_entity_effects():
    with pytest.raises(ValueError, match="at least two values of g"):
        _ours(UNBALANCED[UNBALANCED.g == 0], "entity time", "cluster", ["g"])


def test_string_years_are_years_and_missing_cells_are_reported():
    data = UNBALANCED.assign(yr=UNBALANCED["yr"].astype(str))
    data.loc[data.index[:3], "x2"] = np.nan
    res = _ours(data, "entity time", "cluster", ["g"])
    ref = _ours(UNBALANCED.drop(index=UNBALANCED.index[:3]), "entity time", "cluster", ["g"])
    assert res.params == pytest.approx(ref.params, rel=1e-12)
    assert res.rows_dropped_missing == 3
    assert any(n.startswith(f"3 of {len(data)} rows dropped for missing values in x2 (3)")
               for n in res.notes)
    with pytest.raises(ValueError, match="years such as 2011"):
        _ours(UNBALANCED.assign(yr="year one"), "entity time", "cluster", ["g"])
