"""`manage.py analytics fit`: every option of issue 16 from the command line, and the published
IV examples at their printed digits.

Sources (datasets shipped with linearmodels):
- Wooldridge, *Introductory Econometrics*, Example 15.5 (MROZ): 2SLS of lwage on educ
  instrumented by motheduc and fatheduc, with exper and expersq; Stata's ivregress output.
- Wooldridge, Example 15.10 (JTRAIN, 1987-1988): the effect of training hours on scrap rates,
  hrsemp instrumented by grant, with firm effects (first differences with two years):
  -.014 (.008), n = 45 firms.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from linearmodels.datasets import jobtraining, mroz


def run_json(*args):
    out = io.StringIO()
    call_command("analytics", *args, "--json", stdout=out)
    text = out.getvalue().strip()
    assert text.count("\n") == 0
    return json.loads(text)


@pytest.fixture(scope="module")
def mroz_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("mroz") / "mroz.csv"
    mroz.load().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def jtrain_csv(tmp_path_factory):
    data = jobtraining.load()
    data = data[data.year.isin([1987, 1988])].assign(lscrap=lambda d: np.log(d["scrap"]))
    path = tmp_path_factory.mktemp("jtrain") / "jtrain.csv"
    data[["fcode", "year", "lscrap", "hrsemp", "grant"]].to_csv(path, index=False)
    return path


def test_cross_section_iv_at_the_published_digits(mroz_csv):
    d = run_json("fit", "--csv", str(mroz_csv), "--formula", "lwage ~ exper + expersq + educ",
                 "--iv", "educ ~ motheduc + fatheduc", "--effects", "none", "--se", "unadjusted")
    assert d["model"] == "2sls" and d["nobs"] == 428
    assert d["rows_dropped_missing"] == 325  # women not in the labour force: no wage
    assert round(d["params"]["educ"], 4) == 0.0614
    assert round(d["std_errors"]["educ"], 4) == 0.0314
    assert round(d["const"], 3) == 0.048 and round(d["const_se"], 3) == 0.400
    assert d["small"] is True and d["df_resid"] == 424
    assert d["overid"]["name"].startswith("Sargan") and round(d["overid"]["stat"], 3) == 0.378
    assert any(n.startswith("325 of 753 rows dropped for missing values in lwage (325)")
               for n in d["notes"])
    z = run_json("fit", "--csv", str(mroz_csv), "--formula", "lwage ~ exper + expersq + educ",
                 "--iv", "educ ~ motheduc + fatheduc", "--effects", "none", "--se", "unadjusted",
                 "--no-small")
    assert round(z["std_errors"]["educ"], 7) == 0.0312895 and z["df_resid"] is None
    assert "asymptotic" in z["se_convention"] and z["f_test"]["name"] == "Wald chi2"


def test_panel_iv_at_the_published_digits(jtrain_csv):
    d = run_json("fit", "--csv", str(jtrain_csv), "--formula", "lscrap ~ hrsemp", "--iv",
                 "hrsemp ~ grant", "--entity", "fcode", "--time", "year", "--se", "unadjusted")
    assert round(d["params"]["hrsemp"], 3) == -0.014
    assert round(d["std_errors"]["hrsemp"], 3) == 0.008
    assert d["nobs"] == 90 and d["singletons_dropped"] == 2  # 45 firms seen in both years
    fs = d["first_stage"]
    assert fs["F"] > 10 and fs["f_statistic_name"].startswith("Cragg-Donald")
    assert fs["anderson_rubin"]["shape"] in ("interval", "unbounded below", "unbounded above",
                                              "two rays", "whole line")


def test_every_documented_key_is_in_the_json(jtrain_csv, tmp_path, small_panel):
    path = tmp_path / "panel.csv"
    small_panel.to_csv(path, index=False)
    d = run_json("fit", "--csv", str(path), "--formula", "Dist ~ Dig + Ur", "--entity", "city",
                 "--time", "year")
    for key in ("params", "std_errors", "tstats", "pvalues", "nobs", "nclusters",
                "singletons_dropped", "const", "const_se", "f_test", "se_convention", "r2",
                "notes"):
        assert key in d, key
    assert set(d["r2"]) == {"within", "r2_with_effects", "within_xtreg"}
    assert d["nclusters"] == {"city": 30} and d["f_test"]["df"] == [2, 29]
    assert "reghdfe" in d["convention"]


def test_two_way_clustering_driscoll_kraay_robust_and_xtreg(small_panel, tmp_path):
    path = tmp_path / "panel.csv"
    small_panel.to_csv(path, index=False)
    base = ["fit", "--csv", str(path), "--formula", "Dist ~ Dig + Ur", "--entity", "city",
            "--time", "year"]
    two = run_json(*base, "--cluster", "city,year")
    assert two["nclusters"] == {"city": 30, "year": 11} and "two-way" in two["se_convention"]
    dk = run_json(*base, "--se", "driscoll-kraay")
    assert "Driscoll-Kraay" in dk["se_convention"] and dk["df_resid"] == 10
    rob = run_json(*base, "--se", "robust", "--cluster", "none")
    assert "HC1" in rob["se_convention"] and rob["nclusters"] == {}
    prov = run_json(*base, "--cluster", "province")
    assert list(prov["nclusters"]) == ["province"]
    xt = run_json(*base, "--convention", "xtreg")
    assert xt["params"] == pytest.approx(run_json(*base)["params"], rel=1e-9)
    assert "xtreg" in xt["convention"]


def test_wild_cluster_bootstrap_from_the_command_line(small_panel, tmp_path):
    path = tmp_path / "panel.csv"
    small_panel.to_csv(path, index=False)
    d = run_json("fit", "--csv", str(path), "--formula", "Dist ~ Dig + Ur", "--entity", "city",
                 "--time", "year", "--wild-bootstrap", "999", "--seed", "7")
    wb = d["wild_bootstrap"]["Dig"]
    assert 0 <= wb["pvalue"] <= 1 and wb["n_clusters"] == 30 and wb["reps"] == 999
    assert wb["tstat"] == pytest.approx(d["tstats"]["Dig"], rel=1e-8)


@pytest.mark.parametrize(("extra", "message"), [
    (["--formula", "Dist ~ Dig + Dig"], "given twice"),
    (["--formula", "Dist ~ Dist + Dig"], "dependent variable"),
    (["--formula", "Dist ~ Dig + Ur", "--iv", "Dig ~ Ur"], "regressor and an instrument"),
    (["--formula", "Dist ~ Dig", "--se", "robust", "--cluster", "city"], "not clustered"),
    (["--formula", "Dist ~ Dig", "--cluster", "a,b,c"], "one or two"),
])
def test_fit_errors_are_one_json_line(small_panel, tmp_path, extra, message):
    path = tmp_path / "panel.csv"
    small_panel.to_csv(path, index=False)
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("analytics", "fit", "--csv", str(path), "--entity", "city", "--time",
                     "year", *extra, "--json", stdout=out)
    assert message in str(info.value)
    assert json.loads(out.getvalue())["error"] == str(info.value)
