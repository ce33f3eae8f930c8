"""Synthetic panel, city table, the replication run, and the no-Django rule."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy import stats

from analytics.methods.cities import REGION_OF_PROVINCE, load_cities
from analytics.methods.journal import journal_table
from analytics.methods.replicate import (
    PAPER,
    paper_differences,
    paper_implied_constants,
    replicate,
    write_outputs,
)
from analytics.methods.stars import stars
from analytics.methods.synthetic import synthetic_panel

ROOT = Path(__file__).resolve().parents[3]


def test_city_table_has_the_papers_regions():
    ct = load_cities()
    assert len(ct) == 282
    assert ct["region"].value_counts().to_dict() == {"central": 100, "east": 96, "west": 86}
    # Region follows the province (METHODS section 6), as data.
    assert (ct["province"].map(REGION_OF_PROVINCE) == ct["region"]).all()


def test_synthetic_panel_shape_label_and_determinism(full_synth):
    assert len(full_synth.panel) == 3102 == 282 * 11
    assert full_synth.panel["synthetic"].all() and full_synth.raw.attrs["synthetic"]
    assert "SYNTHETIC" in full_synth.note
    assert full_synth.truth["c"] == pytest.approx(-0.104)
    counts = full_synth.panel.groupby("region").size().to_dict()
    assert counts == {"east": 1056, "central": 1100, "west": 946}  # the paper's Table 6 N


def test_synthetic_is_reproducible_by_seed(small_cities):
    a = synthetic_panel(cities=small_cities, seed=1).raw
    b = synthetic_panel(cities=small_cities, seed=1).raw
    c = synthetic_panel(cities=small_cities, seed=2).raw
    assert a.equals(b) and not a.equals(c)


def test_pipeline_rebuilds_dist_and_dig_from_raw(full_synth, full_built):
    np.testing.assert_allclose(full_built.panel["Dist"], full_synth.panel["Dist"], atol=1e-12)
    np.testing.assert_allclose(full_built.panel["Dig"], full_synth.panel["Dig"], atol=1e-12)
    assert full_built.bartlett.df == 15 and 0 < full_built.kmo.overall < 1


def test_replicate_writes_tables_figures_and_summary(tmp_path, small_synth):
    seen = []
    res = replicate(small_synth.raw, bootstrap=20, seed=1,
                    progress=lambda pct, what: seen.append(pct))
    assert seen[-1] == 100 and seen == sorted(seen)
    files = write_outputs(res, tmp_path)
    for n in range(3, 10):
        for ext in (".csv", "_formatted.csv", ".xlsx", ".tex", ".html"):
            assert f"table{n}{ext}" in files, (n, ext)
    for fig in ("coefficients.png", "index_trends.png", "dist_distribution.png"):
        assert Path(files[fig]).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["synthetic"] is True and "SYNTHETIC" in summary["note"]
    assert summary["nobs"] == 660
    assert summary["table9"]["bootstrap"]["reps"] == 20
    where = " ".join(d["paper"] + d["ours"] for d in summary["differences_from_paper"])
    assert "-2.13" in where and "1%" in where
    assert "SYNTHETIC" in (tmp_path / "table5.html").read_text()
    # The journal layout (was: the old tables.py layout, its notes as one long English row).
    for n in range(5, 10):  # the CSVs carry the mark and the convention as "#" rows
        rows = list(csv.reader((tmp_path / f"table{n}_formatted.csv").open(encoding="utf-8-sig")))
        notes = [r[1] for r in rows if r and r[0] == "#"]
        assert notes[0] == "t statistics in parentheses.", n
        assert notes[1] == "* p < 0.1, ** p < 0.05, *** p < 0.01.", n
        assert any(note.startswith("Standard errors clustered by city (Stata CRV1") for note in notes)
        assert notes[-1] == "SYNTHETIC DATA - not real statistics."
        labels = [r[0] for r in rows if r]
        assert {"Controls", "City FE", "Year FE", "N"} <= set(labels), n
    t5 = pd.read_csv(tmp_path / "table5.csv", comment="#", encoding="utf-8-sig")
    col4 = t5[(t5["model"] == "(4)") & (t5["term"] == "Dig")].iloc[0]
    fit4 = res["fits"]["table5"]["(4)"]
    assert col4["estimate"] == pytest.approx(fit4.params["Dig"], rel=1e-12)  # full precision
    assert col4["t"] == pytest.approx(fit4.tstats["Dig"], rel=1e-12)
    t3 = pd.read_csv(tmp_path / "table3.csv", comment="#", encoding="utf-8-sig")
    assert list(t3.columns) == ["Component", "Eigenvalue", "Share of variance",
                                "Cumulative share", "Retained"]
    assert t3["Eigenvalue"].sum() == pytest.approx(6.0, rel=1e-9)  # six correlated indicators
    assert res["tables"]["table9"]["columns"] == ["path_c", "path_a", "path_b"]
    header = next(csv.reader((tmp_path / "table9_formatted.csv").open(encoding="utf-8-sig")))
    assert header == ["Variable", "path c (Dist)", "path a (Isu)", "paths b, c′ (Dist)"]


def test_methods_package_does_not_import_django():
    code = ("import sys, analytics.methods.replicate, analytics.methods.figures, "
            "analytics.methods.data_io; "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip() == "[]"


def test_csv_of_user_data_has_the_convention_but_no_synthetic_mark(tmp_path):
    table = journal_table([{"params": {"Dig": -0.1}, "tstats": {"Dig": -2.5},
                            "pvalues": {"Dig": 0.005}, "nobs": 30}], statistic="t",
                          thresholds="paper")
    result = {"summary": {"synthetic": False, "stars": "paper"}, "tables": {"table5": table}}
    write_outputs(result, tmp_path, figures=False)
    text = (tmp_path / "table5_formatted.csv").read_text(encoding="utf-8-sig")
    assert "SYNTHETIC" not in text
    rows = list(csv.reader(text.splitlines()))
    assert rows[:3] == [["Variable", "(1)"], ["Digital technology", "-0.1000**"],
                        ["", "(-2.500)"]]
    assert ["#", "* p < 0.05, ** p < 0.01, *** p < 0.001."] in rows
    ws = load_workbook(tmp_path / "table5.xlsx")["table"]  # title, header, rows, gap, notes
    assert ws["A1"].value.startswith("Table 5")
    assert "* p < 0.05, ** p < 0.01, *** p < 0.001." in [c.value for c in ws["A"]]


def test_paper_differences_name_the_papers_own_inconsistencies():
    found = {d["where"]: d for d in paper_differences()}
    for where in ("Table 5 (1)-(3), _cons", "Tables 1-2, indicators", "Table 7, R-squared",
                  "Table 7, stars"):
        entry = found[where]
        assert set(entry) == {"where", "paper", "ours", "why"}
        assert all(isinstance(v, str) and v for v in entry.values()), where
    assert "0.8284" in found["Table 7, R-squared"]["paper"]
    assert "0.227" in found["Table 7, R-squared"]["ours"]
    stars_ours = found["Table 7, stars"]["ours"]
    assert "p = 0.048" in stars_ours and "'*' with the * .05" in stars_ours
    assert "'**' with * .10" in stars_ours
    shared = found["Tables 1-2, indicators"]
    assert "mobile phone users" in shared["paper"] and "broadband" in shared["paper"]
    assert "0.305" in shared["ours"]  # 0.0546 + 0.2509 of Table 1's weights


def test_implied_constants_are_recomputed_from_the_papers_tables():
    means = PAPER["table4_means"]  # Table 4
    coefs = PAPER["table5_coefficients"]  # Table 5
    expected = {col: means["Dist"] - sum(b * means[x] for x, b in slopes.items())
                for col, slopes in coefs.items()}
    got = paper_implied_constants()
    assert set(got) == {"(1)", "(2)", "(3)", "(4)"}
    np.testing.assert_allclose([got[c] for c in expected], list(expected.values()), rtol=1e-12)
    # By hand from the paper: 0.2036 + 0.134 * 0.3682 = 0.2529 for column (1).
    np.testing.assert_allclose(got["(1)"], 0.2036 + 0.134 * 0.3682, rtol=1e-12)
    printed = PAPER["table5_cons"]
    assert abs(got["(4)"] - printed["(4)"]) < 5e-4  # column (4) is ȳ − x̄′b ...
    assert all(printed[c] - got[c] > 0.03 for c in ("(1)", "(2)", "(3)"))  # ... (1)-(3) not
    ours = next(d for d in paper_differences() if d["where"] == "Table 5 (1)-(3), _cons")["ours"]
    for col in ("(1)", "(2)", "(3)"):
        assert f"{got[col]:.3f}" in ours


def test_table7_stars_follow_another_threshold_set_than_the_other_tables():
    def printed_stars(coef: str) -> str:
        return coef[len(coef.rstrip("*")):]

    def p_value(t: float, clusters: int) -> float:
        return float(2 * stats.t.sf(abs(t), clusters - 1))  # Stata CRV1: G - 1 df

    for where, coef, t in PAPER["stars_elsewhere"]:
        p = p_value(t, 96 if where.startswith("Table 6 (2)") else 282)  # east: 96 cities
        assert printed_stars(coef) == stars(p, thresholds="paper"), where
        assert printed_stars(coef) != stars(p, thresholds="default"), where
    coef7, t7 = PAPER["table7_star"]
    p7 = p_value(t7, 282)
    assert printed_stars(coef7) == stars(p7, thresholds="default") == "**"
    assert stars(p7, thresholds="paper") == "*"
