"""Staggered DiD on generated rollouts: recovery, the TWFE sign flip, Bacon, imputation."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from scipy.stats import norm

from analytics.methods.did import did_json
from analytics.methods.did.callaway import att_gt
from analytics.methods.did.imputation import imputation
from analytics.methods.did.panel import prepare_panel
from analytics.methods.did.simulate import staggered_panel
from analytics.methods.did.twfe import bacon, twfe

COLS = {"y": "y", "entity": "id", "time": "year", "group": "g"}


def _panel(df, **kw):
    return prepare_panel(df, **COLS, **kw)


@pytest.fixture(scope="module")
def rollout():
    """282 cities × 11 years, three cohorts, an effect growing with event time (e + 1)."""
    return staggered_panel(units=282, periods=11, cohorts={2013: .2, 2015: .2, 2017: .2},
                           seed=3)


def test_growing_effect_recovered_within_the_uniform_band(rollout):
    out = did_json(rollout, **COLS, bootstrap=499, seed=1)
    dyn = out["aggregates"]["dynamic"]
    assert dyn["crit"] > norm.ppf(0.975)          # a uniform band is wider than pointwise
    for row in dyn["by_event"]:
        truth = row["event"] + 1.0 if row["event"] >= 0 else 0.0
        assert row["lower"] <= truth <= row["upper"], row
        assert row["upper"] - row["lower"] == pytest.approx(2 * dyn["crit"] * row["se"])
    # The estimates grow: every post event above the one before it.
    post = [r["att"] for r in dyn["by_event"] if r["event"] >= 0]
    assert all(b > a for a, b in zip(post, post[1:], strict=False))
    truth = rollout.loc[rollout.treated == 1, "true_effect"].mean()
    assert out["aggregates"]["simple"]["lower"] < truth < out["aggregates"]["simple"]["upper"]
    for row in out["imputation"]["by_event"]:
        assert abs(row["att"] - (row["event"] + 1)) < 3 * row["se"], row


def test_twfe_gets_the_sign_wrong_where_cs_and_imputation_do_not():
    # An early and a late cohort, few never-treated units, effects growing fast: TWFE leans
    # on the late-vs-early comparisons whose controls carry the early cohort's growing effect.
    df = staggered_panel(units=100, periods=10, cohorts={2011: .45, 2017: .45},
                         effect=lambda e: 0.1 + e, noise=0.5, seed=4)
    out = did_json(df, **COLS, control="notyet", bootstrap=0)
    truth = df.loc[df.treated == 1, "true_effect"].mean()
    assert truth > 3
    assert out["twfe"]["att"] + 2 * out["twfe"]["se"] < 0           # significantly negative
    assert out["twfe"]["forbidden_weight"] > 0.5
    simple = out["aggregates"]["simple"]
    assert simple["lower"] > 0 and simple["lower"] < truth < simple["upper"]
    assert out["imputation"]["att"] - 2 * out["imputation"]["se"] > 0
    assert abs(out["imputation"]["att"] - truth) < 3 * out["imputation"]["se"]


@pytest.mark.parametrize("cohorts", [{2012: .2, 2014: .3, 2017: .2}, {2012: .5, 2016: .5}],
                         ids=["with_never_treated", "all_treated"])
def test_bacon_weights_sum_to_one_and_reproduce_twfe(cohorts):
    df = staggered_panel(units=90, periods=9, cohorts=cohorts, seed=2)
    p = _panel(df)
    parts = bacon(p)
    weights = np.array([b["weight"] for b in parts])
    assert (weights > 0).all()
    assert weights.sum() == pytest.approx(1.0, abs=1e-10)
    estimate = sum(b["weight"] * b["estimate"] for b in parts)
    assert estimate == pytest.approx(twfe(p)["att"], abs=1e-8)
    kinds = {b["kind"] for b in parts}
    assert {"earlier_vs_later", "later_vs_earlier"} <= kinds
    assert ("treated_vs_never" in kinds) == (0 in df.g.values)


def test_bacon_two_by_two_is_the_plain_difference_in_means():
    df = staggered_panel(units=40, periods=6, cohorts={2013: .5}, seed=5)
    p = _panel(df)
    (part,) = bacon(p)
    wide = df.pivot(index="id", columns="year", values="y")
    treated = wide[df.groupby("id").g.first() == 2013]
    never = wide[df.groupby("id").g.first() == 0]
    def change(w):
        return w.loc[:, 2013:].to_numpy().mean() - w.loc[:, :2012].to_numpy().mean()
    assert part["kind"] == "treated_vs_never" and part["weight"] == pytest.approx(1.0)
    assert part["estimate"] == pytest.approx(change(treated) - change(never), abs=1e-10)


def test_noiseless_rollout_is_recovered_exactly_by_cs_and_imputation():
    df = staggered_panel(units=30, periods=8, cohorts={2012: .3, 2014: .3}, noise=0.0, seed=6)
    out = did_json(df, **COLS, bootstrap=0)
    for row in out["aggregates"]["dynamic"]["by_event"]:
        assert row["att"] == pytest.approx(max(row["event"] + 1.0, 0.0), abs=1e-8)
    for row in out["imputation"]["by_event"]:
        assert row["att"] == pytest.approx(row["event"] + 1.0, abs=1e-8)
    truth = df.loc[df.treated == 1, "true_effect"].mean()
    assert out["imputation"]["att"] == pytest.approx(truth, abs=1e-8)


def test_att_gt_by_hand_without_covariates():
    df = staggered_panel(units=50, periods=5, cohorts={2012: .4}, seed=7)
    gt = att_gt(_panel(df), method="reg")
    wide = df.pivot(index="id", columns="year", values="y")
    g = df.groupby("id").g.first()
    dy = wide[2013] - wide[2011]                       # post cell: base g - 1 = 2011
    k = int(np.flatnonzero((gt.group == 2012) & (gt.time == 2013))[0])
    assert gt.att[k] == pytest.approx(dy[g == 2012].mean() - dy[g == 0].mean(), abs=1e-10)
    dy = wide[2011] - wide[2010]                       # pre cell: varying base t - 1
    k = int(np.flatnonzero((gt.group == 2012) & (gt.time == 2011))[0])
    assert gt.att[k] == pytest.approx(dy[g == 2012].mean() - dy[g == 0].mean(), abs=1e-10)


def test_universal_base_period_and_anticipation():
    df = staggered_panel(units=60, periods=7, cohorts={2013: .5}, seed=8)
    out = did_json(df, **COLS, base_period="universal", bootstrap=0)
    base = [r for r in out["att_gt"] if r["time"] == 2012]
    assert base[0]["att"] == 0.0 and base[0]["se"] == 0.0
    boot = did_json(df, **COLS, base_period="universal", bootstrap=99)
    assert [r["se"] for r in boot["att_gt"] if r["time"] == 2012] == [0.0]
    assert len(out["att_gt"]) == 7
    ant = did_json(df, **COLS, anticipation=1, bootstrap=0)
    # With one period of anticipation every post cell is compared with 2011, not 2012.
    post = [r for r in ant["att_gt"] if r["post"]]
    plain = [r for r in out["att_gt"] if r["post"]]
    assert [r["time"] for r in post] == [r["time"] for r in plain]
    assert all(a["att"] != b["att"] for a, b in zip(post, plain, strict=True))
    assert ant["anticipation"] == 1


def test_bootstrap_is_seeded_and_analytical_without_draws(rollout):
    a = did_json(rollout, **COLS, bootstrap=199, seed=5)
    b = did_json(rollout, **COLS, bootstrap=199, seed=5)
    c = did_json(rollout, **COLS, bootstrap=199, seed=6)
    z = did_json(rollout, **COLS, bootstrap=0)
    assert a == b
    assert a["aggregates"]["simple"]["se"] != c["aggregates"]["simple"]["se"]
    assert a["se_method"] == "multiplier bootstrap (unit clusters)"
    assert z["se_method"] == "analytical"
    assert z["aggregates"]["dynamic"]["crit"] == pytest.approx(norm.ppf(0.975))
    assert a["aggregates"]["simple"]["att"] == z["aggregates"]["simple"]["att"]


def test_json_contract_and_missing_outcomes(rollout):
    df = rollout.copy()
    df.loc[[5, 17], "y"] = np.nan                       # two rows of units 1 and 2
    out = did_json(df, **COLS, bootstrap=0)
    json.dumps(out, allow_nan=False)
    assert out["units"] == 280
    assert any("2 rows with a missing outcome" in n for n in out["notes"])
    assert any("2 units not observed in every period" in n for n in out["notes"])
    assert set(out["aggregates"]) == {"simple", "dynamic", "group", "calendar"}
    assert set(out["att_gt"][0]) >= {"group", "time", "att", "se", "lower", "upper", "post"}
    assert set(out["twfe"]) >= {"att", "se", "nobs", "bacon", "forbidden_weight"}
    kept = df[~df.id.isin([1, 2])].groupby("id").g.first()
    assert out["groups"] == [2013, 2015, 2017] and out["never_treated"] == (kept == 0).sum()
    assert out["periods"] == list(range(2010, 2021))


def _bad(df, **changes):
    df = df.copy()
    for col, (rows, value) in changes.items():
        df.loc[rows, col] = value
    return df


ERRORS = [
    ({"y": "nope"}, None, "column 'nope' is not in the data"),
    ({"control": "sometimes"}, None, "--control must be never or notyet"),
    ({"method": "ols"}, None, "--method must be dr, ipw or reg"),
    ({"bootstrap": 5}, None, "--bootstrap must be 0"),
    ({"covariates": ["x"]}, {"x": ([3], np.nan)}, "covariate column 'x' has missing values"),
    ({}, {"g": ([0], 2014)}, "not constant within unit"),
    ({}, {"g": (slice(None), 0)}, "has no treated units"),
    ({}, "text", "outcome column 'y' must be numeric"),
    ({}, "outside", "neither 0 (never treated) nor a period"),
    ({}, "one_period", "needs at least two periods"),
    ({}, "no_never", "control=never needs never-treated units"),
    ({"covariates": ["c"]}, "constant", "the covariates c make every comparison's design"),
]


@pytest.mark.parametrize(("kwargs", "change", "message"), ERRORS)
def test_input_errors_are_one_sentence(kwargs, change, message):
    df = staggered_panel(units=20, periods=5, cohorts={2012: .5}, seed=9)
    if change == "text":
        df["y"] = df["y"].astype(object)
        df.loc[0, "y"] = "many"
    elif change == "outside":
        df.loc[df.id == 1, "g"] = 1999
    elif change == "one_period":
        df = df[df.year == 2010]
    elif change == "constant":
        df["c"] = 1.0
    elif change == "no_never":
        df.loc[df.g == 0, "g"] = 2013
    elif change:
        df = _bad(df, **change)
    with pytest.raises(ValueError, match=re.escape(message)) as err:
        did_json(df, **{**COLS, "bootstrap": 0, **kwargs})
    assert "\n" not in str(err.value)


def test_imputation_uses_only_untreated_observations():
    df = staggered_panel(units=40, periods=6, cohorts={2012: .5}, seed=10)
    base = imputation(_panel(df))
    # Moving treated outcomes by a constant moves every effect by it and nothing else.
    shifted = df.assign(y=df.y + 5.0 * df.treated)
    moved = imputation(_panel(shifted))
    assert moved["att"] == pytest.approx(base["att"] + 5.0, abs=1e-9)
    assert moved["se"] == pytest.approx(base["se"], rel=1e-9)
