"""Callaway–Sant'Anna against csdid (PyPI, the Python port of R ``did``) on generated data.

ATT(g,t) and the four aggregates agree to 1e-6 for reg, ipw and dr, never- and
not-yet-treated controls, with and without a covariate; the analytical SEs agree to 1e-6
(relative), the multiplier-bootstrap SEs within bootstrap noise.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pytest

from analytics.methods.did import did_json
from analytics.methods.did.simulate import staggered_panel

csdid_att_gt = pytest.importorskip("csdid.att_gt")

KINDS = ("simple", "dynamic", "group", "calendar")


@pytest.fixture(scope="module")
def data():
    # x shifts the trend and the selection into the early cohort: the covariate matters.
    return staggered_panel(units=150, periods=6, cohorts={2012: 0.2, 2014: 0.3}, trend_x=0.3,
                           selection=1.0, seed=1)


def _csdid(df, *, control, method, covariate, bootstrap=False, base_period="varying",
           anticipation=0):
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.random.seed(0)
        m = csdid_att_gt.ATTgt(
            yname="y", gname="g", idname="id", tname="year", data=df.copy(),
            control_group="nevertreated" if control == "never" else "notyettreated",
            xformla="y~x" if covariate else None, anticipation=anticipation)
        m.fit(est_method=method, bstrap=bootstrap, base_period=base_period)
        agg = {}
        for kind in KINDS:
            a = m.aggte(typec=kind, bstrap=bootstrap, na_rm=True).atte
            agg[kind] = (float(a["overall_att"]), float(np.ravel(a["overall_se"])[0]),
                         np.asarray(a["att_egt"], float) if kind != "simple" else None,
                         np.asarray(a["se_egt"], float).ravel() if kind != "simple" else None)
    return m.results, agg


def _by(ours, kind):
    key = {"dynamic": "by_event", "group": "by_group", "calendar": "by_time"}[kind]
    rows = ours["aggregates"][kind][key]
    return np.array([r["att"] for r in rows]), np.array([r["se"] for r in rows])


@pytest.mark.parametrize("covariate", [False, True], ids=["no_covariate", "covariate_x"])
@pytest.mark.parametrize("control", ["never", "notyet"])
@pytest.mark.parametrize("method", ["reg", "ipw", "dr"])
def test_att_gt_and_aggregates_match_csdid(data, method, control, covariate):
    ours = did_json(data, y="y", entity="id", time="year", group="g", control=control,
                    method=method, covariates=["x"] if covariate else [], bootstrap=0)
    theirs, agg = _csdid(data, control=control, method=method, covariate=covariate)
    assert [(r["group"], r["time"]) for r in ours["att_gt"]] == list(
        zip(theirs["group"], theirs["year"], strict=True))
    att = np.array([np.nan if r["att"] is None else r["att"] for r in ours["att_gt"]])
    se = np.array([np.nan if r["se"] is None else r["se"] for r in ours["att_gt"]])
    ref_att = np.asarray(theirs["att"], float)
    ref_se = np.asarray(theirs["se"], float)
    np.testing.assert_array_equal(np.isnan(att), np.isnan(ref_att))
    ok = ~np.isnan(att)
    np.testing.assert_allclose(att[ok], ref_att[ok], rtol=0, atol=1e-6)
    np.testing.assert_allclose(se[ok], ref_se[ok], rtol=1e-6)
    for kind in KINDS:
        overall, overall_se, by_att, by_se = agg[kind]
        mine = ours["aggregates"][kind]
        assert mine["att"] == pytest.approx(overall, abs=1e-6), kind
        assert mine["se"] == pytest.approx(overall_se, rel=1e-6), kind
        if by_att is not None:
            a, s = _by(ours, kind)
            np.testing.assert_allclose(a, by_att, atol=1e-6, err_msg=kind)
            np.testing.assert_allclose(s, by_se, rtol=1e-6, err_msg=kind)


def test_bootstrap_ses_agree_with_csdid_within_bootstrap_noise(data):
    ours = did_json(data, y="y", entity="id", time="year", group="g", method="dr",
                    bootstrap=1999, seed=3)
    analytical = did_json(data, y="y", entity="id", time="year", group="g", method="dr",
                          bootstrap=0)
    _, agg = _csdid(data, control="never", method="dr", covariate=False, bootstrap=True)
    for kind in KINDS:
        mine = ours["aggregates"][kind]["se"]
        # Both bootstraps are noisy (~3% at 1999 draws each); the analytical SE is the target.
        assert mine == pytest.approx(analytical["aggregates"][kind]["se"], rel=0.08), kind
        assert mine == pytest.approx(agg[kind][1], rel=0.12), kind
    # Point estimates do not depend on the bootstrap.
    assert ours["aggregates"]["simple"]["att"] == pytest.approx(
        analytical["aggregates"]["simple"]["att"], abs=1e-12)


@pytest.mark.parametrize(("base_period", "anticipation"),
                         [("universal", 0), ("varying", 1), ("universal", 1)])
def test_base_period_and_anticipation_match_csdid(data, base_period, anticipation):
    ours = did_json(data, y="y", entity="id", time="year", group="g", control="notyet",
                    method="dr", bootstrap=0, base_period=base_period,
                    anticipation=anticipation)
    theirs, agg = _csdid(data, control="notyet", method="dr", covariate=False,
                         base_period=base_period, anticipation=anticipation)
    att = np.array([np.nan if r["att"] is None else r["att"] for r in ours["att_gt"]])
    ref = np.asarray(theirs["att"], float)
    assert [(r["group"], r["time"]) for r in ours["att_gt"]] == list(
        zip(theirs["group"], theirs["year"], strict=True))
    np.testing.assert_allclose(att, ref, atol=1e-6)
    for kind in KINDS:
        assert ours["aggregates"][kind]["att"] == pytest.approx(agg[kind][0], abs=1e-6), kind
        assert ours["aggregates"][kind]["se"] == pytest.approx(agg[kind][1], rel=1e-6), kind


# R `did` (Callaway & Sant'Anna's package) on its own mpdta data, as published in its vignette
# "Getting Started with the did Package" (att_gt(yname="lemp", tname="year", idname=
# "countyreal", gname="first.treat", data=mpdta), then aggte(type=...)), 4 decimals.
R_DID_MPDTA_ATT_GT = {
    (2004, 2004): -0.0105, (2004, 2005): -0.0704, (2004, 2006): -0.1373, (2004, 2007): -0.1008,
    (2006, 2004): 0.0065, (2006, 2005): -0.0028, (2006, 2006): -0.0046, (2006, 2007): -0.0412,
    (2007, 2004): 0.0305, (2007, 2005): -0.0027, (2007, 2006): -0.0311, (2007, 2007): -0.0261,
}
R_DID_MPDTA_AGG = {"simple": -0.0400, "dynamic": -0.0772, "group": -0.0310,
                   "calendar": -0.0417}
R_DID_MPDTA_EVENT = {-3: 0.0305, -2: -0.0006, -1: -0.0245, 0: -0.0199, 1: -0.0510,
                     2: -0.1373, 3: -0.1008}


def test_mpdta_matches_r_did_published_output():
    """mpdta (R `did`'s data, GPL-2; 500 US counties 2003-07) in the reference folder."""
    import pandas as pd  # noqa: PLC0415

    from .conftest import reference  # noqa: PLC0415

    df = pd.read_csv(reference("mpdta.csv"))
    out = did_json(df, y="lemp", entity="countyreal", time="year", group="first.treat",
                   bootstrap=0)
    got = {(r["group"], r["time"]): r["att"] for r in out["att_gt"]}
    assert set(got) == set(R_DID_MPDTA_ATT_GT)
    for cell, value in R_DID_MPDTA_ATT_GT.items():
        assert got[cell] == pytest.approx(value, abs=6e-5), cell
    for kind, value in R_DID_MPDTA_AGG.items():
        assert out["aggregates"][kind]["att"] == pytest.approx(value, abs=6e-5), kind
    for row in out["aggregates"]["dynamic"]["by_event"]:
        assert row["att"] == pytest.approx(R_DID_MPDTA_EVENT[row["event"]], abs=6e-5)
    # The TWFE coefficient on the same data, as the did documentation reports it.
    assert out["twfe"]["att"] == pytest.approx(-0.0365, abs=6e-5)


def test_imputation_matches_pyfixest_did2s():
    """Gardner's two-stage DiD (pyfixest ``did2s``) has the same point estimates as BJS; its
    GMM SEs differ from BJS's conservative ones only in how effects are pooled (a few %)."""
    pf = pytest.importorskip("pyfixest")
    df = staggered_panel(units=120, periods=8, cohorts={2012: .3, 2015: .3}, seed=2)
    df["treat"] = df.treated.astype(bool)
    df["rel"] = np.where(df.treated == 1, df.year - df.g, -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        static = pf.did2s(df, yname="y", first_stage="~ 0 | id + year",
                          second_stage="~ treat", treatment="treat", cluster="id")
        dynamic = pf.did2s(df, yname="y", first_stage="~ 0 | id + year",
                           second_stage="~ i(rel, ref=-1)", treatment="treat", cluster="id")
    ours = did_json(df, y="y", entity="id", time="year", group="g", bootstrap=0)["imputation"]
    assert ours["att"] == pytest.approx(float(static.coef()["treat"]), abs=1e-6)
    coef, se = dynamic.coef(), dynamic.se()
    for row in ours["by_event"]:
        name = f"rel::{row['event']}"
        assert row["att"] == pytest.approx(float(coef[name]), abs=1e-6), name
        assert row["se"] == pytest.approx(float(se[name]), rel=0.05), name
