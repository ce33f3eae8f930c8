"""Descriptives, interpolation, import validation and stars (the tables: test_journal.py,
test_exports.py, test_replication_tables.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.methods.data_io import read_city_year, validate_city_year
from analytics.methods.descriptives import descriptives, interpolate_panel
from analytics.methods.stars import resolve_thresholds, stars


def test_descriptives_sd_is_ddof1_and_rounded_to_4():
    df = pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [0.123456, 0.2, 0.3]})
    d = descriptives(df)
    assert d.loc["x", "sd"] == round(float(np.std([1, 2, 4], ddof=1)), 4)
    assert d.loc["x", "count"] == 3
    assert d.loc["y", "min"] == 0.1235


def test_interpolation_reindexes_the_grid_and_reports_filled_cells():
    df = pd.DataFrame({"city": ["A", "A", "A", "B", "B", "B", "B"],
                       "year": [2011, 2013, 2015, 2011, 2012, 2013, 2015],
                       "x": [1.0, 3.0, 7.0, 10.0, np.nan, 30.0, 50.0]})
    res = interpolate_panel(df, ["x"], years=range(2011, 2017))
    a = res.data[res.data.city == "A"].set_index("year")["x"]
    assert a[2012] == 2.0 and a[2014] == 5.0  # linear on the year value, like ipolate
    assert np.isnan(a[2016])  # edges stay missing by default
    b = res.data[res.data.city == "B"].set_index("year")["x"]
    assert b[2012] == 20.0 and b[2014] == 40.0
    assert res.added_rows == 5 and res.filled == {"x": 4} and res.still_missing == {"x": 2}
    ext = interpolate_panel(df, ["x"], years=range(2011, 2017), edges="extrapolate")
    assert ext.data.set_index(["city", "year"]).loc[("A", 2016), "x"] == 9.0
    near = interpolate_panel(df, ["x"], years=range(2011, 2017), edges="nearest")
    assert near.data.set_index(["city", "year"]).loc[("A", 2016), "x"] == 7.0


def test_stars_presets_and_custom_thresholds():
    assert [stars(p) for p in (0.2, 0.07, 0.03, 0.005)] == ["", "*", "**", "***"]
    assert [stars(p, thresholds="paper") for p in (0.07, 0.03, 0.005, 0.0005)] == [
        "", "*", "**", "***"]
    assert stars(0.04, thresholds=[0.05]) == "*"
    assert stars(float("nan")) == ""
    with pytest.raises(ValueError):
        resolve_thresholds("nope")
    with pytest.raises(ValueError):
        resolve_thresholds([1.5])


def _long():
    return pd.DataFrame({"city": ["石家庄市", "唐山市", "Tangshan"],
                         "year": ["2011", "2011", "2012"], "Ur": ["0.5", "0.6", "0.61"]})


def test_import_long_layout_accepts_chinese_english_names():
    res = validate_city_year(_long())
    assert res.ok and res.layout == "long"
    assert res.data["city"].tolist() == ["唐山市", "唐山市", "石家庄市"]
    assert res.data["Ur"].dtype.kind == "f"


def test_import_names_every_problem_by_row_and_column_and_returns_no_data():
    df = pd.DataFrame({"city": ["石家庄市", "Atlantis", "石家庄市", "唐山市", "唐山市"],
                       "year": ["2011", "2011", "2011", "1999", "2012"],
                       "Ur": ["0.5", "0.4", "0.5", "0.6", "abc"],
                       "Stru": ["0.1", "0.2", "0.3", "0.2", "-1"]})
    res = validate_city_year(df)
    assert not res.ok and res.data is None
    found = {(e.row, e.column) for e in res.errors}
    assert (3, "city") in found  # unknown city, spreadsheet row 3 (header is row 1)
    assert (4, "city") in found  # duplicate city-year
    assert (5, "year") in found  # out of range
    assert (6, "Ur") in found  # non-numeric
    assert (6, "Stru") in found  # negative
    assert any("Atlantis" in str(e) for e in res.errors)
    assert any("first at row 2" in e.message for e in res.errors)


def test_import_wide_layouts(tmp_path):
    wide = pd.DataFrame({"city": ["石家庄市", "石家庄市"], "variable": ["Ur", "Stru"],
                         "2011": ["0.5", "0.1"], "2012": ["0.52", "0.11"]})
    res = validate_city_year(wide)
    assert res.ok and res.layout == "wide-variable" and len(res.data) == 2
    suffix = pd.DataFrame({"city": ["唐山市"], "Ur_2011": ["0.5"], "Ur_2012": ["x"]})
    bad = validate_city_year(suffix)
    assert not bad.ok and bad.errors[0].column == "Ur_2012" and bad.errors[0].row == 2


def test_read_xlsx_and_csv(tmp_path):
    df = _long()
    df.to_excel(tmp_path / "d.xlsx", index=False)
    df.to_csv(tmp_path / "d.csv", index=False)
    for name in ("d.xlsx", "d.csv"):
        res = read_city_year(tmp_path / name)
        assert res.ok, res.errors
        assert len(res.data) == 3
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    assert not read_city_year(tmp_path / "junk.xlsx").ok
