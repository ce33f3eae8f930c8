"""`manage.py analytics`: the --json contract of every subcommand and its errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from analytics.methods.panel import add_lag

ROOT = Path(__file__).resolve().parents[2]


def run_json(*args) -> dict:
    out = io.StringIO()
    call_command("analytics", *args, "--json", stdout=out)
    text = out.getvalue().strip()
    assert text.count("\n") == 0  # one JSON object, nothing else
    return json.loads(text)


def test_fit_json_shape(panel_csv):
    d = run_json("fit", "--csv", str(panel_csv), "--formula", "Dist ~ Dig + Isu",
                 "--entity", "city", "--time", "year", "--effects", "entity", "time")
    for key in ("params", "std_errors", "tstats", "pvalues"):
        assert set(d[key]) == {"Dig", "Isu"}, key
    assert d["nobs"] == 330 and 0 < d["r2_within"] < 1
    assert "CRV1" in d["se_convention"] and d["synthetic"] is True


def test_fit_cross_section_and_unadjusted(panel_csv):
    d = run_json("fit", "--csv", str(panel_csv), "--formula", "Dist ~ Dig", "--effects", "none",
                 "--cluster", "none", "--se", "unadjusted")
    assert "iid" in d["se_convention"] and d["nobs"] == 330


def test_fit_iv_reports_first_stage_and_names_the_f(tmp_path, small_panel):
    path = tmp_path / "iv.csv"
    add_lag(small_panel, "Dig", k=2).to_csv(path, index=False)
    d = run_json("fit", "--csv", str(path), "--formula", "Dist ~ Dig + Ur", "--entity", "city",
                 "--time", "year", "--iv", "Dig ~ Dig_lag2")
    assert d["first_stage"]["f_statistic_name"].startswith("Kleibergen-Paap")
    assert "Dig_lag2" in d["first_stage"]["coefficients"]
    assert d["first_stage"]["kleibergen_paap_f"] > 0
    assert set(d["params"]) == {"Ur", "Dig"} and d["nobs"] == 30 * 9


def test_cross_section_needs_no_entity_or_time(tmp_path, small_panel):
    path = tmp_path / "cs.csv"
    small_panel[small_panel.year == 2015].drop(columns=["city", "year"]).to_csv(path,
                                                                              index=False)
    d = run_json("fit", "--csv", str(path), "--formula", "Dist ~ Dig + Isu", "--effects",
                 "none")
    assert d["nobs"] == 30 and d["n_clusters"] is None
    m = run_json("mediate", "--csv", str(path), "--y", "Dist", "--x", "Dig", "--mediator",
                 "Isu", "--effects", "none", "--se", "robust")
    assert abs(m["c"] - (m["c_prime"] + m["a"] * m["b"])) < 1e-12


def test_index_pca_and_entropy_json(panel_csv):
    d = run_json("index", "--csv", str(panel_csv), "--method", "pca",
                 "--columns", "Dig,Isu,Ur,Stru")
    assert set(d) >= {"weights", "eigenvalues", "explained", "kmo", "kmo_per_variable",
                      "bartlett"}
    assert set(d["bartlett"]) == {"chi2", "df", "p"} and d["bartlett"]["df"] == 6
    assert sum(d["eigenvalues"]) == pytest.approx(4.0)
    e = run_json("index", "--csv", str(panel_csv), "--method", "entropy", "--columns",
                 "Ur,Stru", "--negative", "Stru", "--normalise", "minmax")
    assert sum(e["weights"].values()) == pytest.approx(1.0) and e["negative"] == ["Stru"]


def test_index_without_columns_uses_every_numeric_column(tmp_path):
    path = tmp_path / "m.csv"
    # a is 1, 2, 4 halved: the same min-max scores, but not whole numbers distinct in every
    # row, which would look like a row id and be left out.
    path.write_text("a,b,name\n0.5,10,x\n1,10,y\n2,30,z\n")
    d = run_json("index", "--csv", str(path), "--method", "entropy")
    assert d["weights"]["a"] == pytest.approx(0.32802, abs=1e-5)
    assert d["columns"] == ["a", "b"] and d["excluded"] == ["name"]


def test_mediate_json_with_bootstrap(panel_csv):
    d = run_json("mediate", "--csv", str(panel_csv), "--y", "Dist", "--x", "Dig",
                 "--mediator", "Isu", "--controls", "Ur,Stru", "--entity", "city",
                 "--time", "year", "--bootstrap", "30", "--seed", "1")
    for key in ("a", "b", "c", "c_prime", "indirect"):
        assert isinstance(d[key], float)
    for key in ("sobel", "aroian", "goodman"):
        assert set(d[key]) == {"z", "p", "se"}
    assert d["bootstrap"]["reps"] == 30 and len(d["bootstrap"]["ci"]) == 2
    assert abs(d["c"] - (d["c_prime"] + d["a"] * d["b"])) < 1e-12


def test_replicate_writes_files(tmp_path, small_raw):
    raw = tmp_path / "raw.csv"
    small_raw.to_csv(raw, index=False)
    d = run_json("replicate", "--raw", str(raw), "--bootstrap", "10", "--out",
                 str(tmp_path / "out"), "--stars", "paper")
    # The journal renderer's legend (was "*** p&lt;0.001" in the old tables.py layout).
    assert "*** p &lt; 0.001" in (tmp_path / "out" / "table5.html").read_text()
    assert "summary.json" in d["files"] and "table5.xlsx" in d["files"]
    assert (tmp_path / "out" / "table9.tex").exists()
    assert d["synthetic"] is True


@pytest.mark.parametrize("args", [
    ["fit", "--csv", "/nonexistent.csv", "--formula", "y ~ x"],
    ["fit", "--csv", "{panel}", "--formula", "Dist ~ nope", "--entity", "city", "--time", "year"],
    ["fit", "--csv", "{panel}", "--formula", "Dist ~ Dig"],  # two-way needs entity and time
    ["index", "--csv", "{panel}", "--method", "pca", "--columns", "Dig,missing"],
    ["mediate", "--csv", "{panel}", "--y", "Dist", "--x", "Dig", "--mediator", "nope",
     "--entity", "city", "--time", "year"],
])
def test_bad_input_is_a_one_line_error(panel_csv, args):
    args = [a.replace("{panel}", str(panel_csv)) for a in args]
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("analytics", *args, "--json", stdout=out)
    assert info.value.returncode == 2
    assert "\n" not in str(info.value) and str(info.value)
    assert set(json.loads(out.getvalue())) == {"error"}


def test_real_process_exit_code_and_clean_stdout(panel_csv):
    """A real process: non-zero exit, the reason on stderr's last line, one JSON object."""
    bad = subprocess.run([sys.executable, str(ROOT / "manage.py"), "analytics", "fit", "--csv",
                          str(panel_csv), "--formula", "Dist ~ nope", "--effects", "none",
                          "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2
    assert "nope" in bad.stderr.strip().splitlines()[-1]
    assert list(json.loads(bad.stdout)) == ["error"]
