"""Synthetic panel, city table, the replication run, and the no-Django rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analytics.methods.cities import REGION_OF_PROVINCE, load_cities
from analytics.methods.replicate import replicate, write_outputs
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
    files = write_outputs(res, tmp_path, formats=("csv", "html"))
    for n in range(3, 10):
        assert f"table{n}.csv" in files, n
    for fig in ("coefficients.png", "index_trends.png", "dist_distribution.png"):
        assert Path(files[fig]).read_bytes()[:4] == b"\x89PNG"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["synthetic"] is True and "SYNTHETIC" in summary["note"]
    assert summary["nobs"] == 660
    assert summary["table9"]["bootstrap"]["reps"] == 20
    where = " ".join(d["paper"] + d["ours"] for d in summary["differences_from_paper"])
    assert "-2.13" in where and "1%" in where
    assert "SYNTHETIC" in (tmp_path / "table5.html").read_text()
    t9 = res["tables"]["table9"]
    assert list(t9.columns) == ["path c (Dist)", "path a (Isu)", "paths b, c′ (Dist)"]


def test_methods_package_does_not_import_django():
    code = ("import sys, analytics.methods.replicate, analytics.methods.figures, "
            "analytics.methods.data_io; "
            "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.strip() == "[]"
