"""Inputs that name the problem: gaps, empty and infinite columns, years as text, ids left
out of an index, a singular correlation matrix refused by KMO and Bartlett."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.methods.commands import index_json, mediate_json, read_table
from analytics.methods.data_io import validate_city_year
from analytics.methods.index_columns import indicator_columns
from analytics.methods.indices import bartlett, kmo
from analytics.methods.missing import check_values, coerce_time, missing_report
from analytics.methods.pipeline import build_variables


def _write(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- reading and checking values

def test_read_table_reads_dot_dash_na_and_empty_cells_as_missing(tmp_path):
    path = _write(tmp_path, "city,x,y\nA,1.5,.\nB,-,2\nC,n/a,3\nD,NA,\nE,2.5,-1\n")
    df = read_table(path)
    assert df["x"].dtype.kind == "f" and df["y"].dtype.kind == "f"
    assert df["x"].isna().tolist() == [False, True, True, True, False]
    assert df["y"].tolist()[1:3] == [2.0, 3.0] and df["y"].iloc[4] == -1.0  # '-1' is a number
    assert df["city"].tolist() == ["A", "B", "C", "D", "E"]


def test_read_table_keeps_a_text_column_as_text(tmp_path):
    df = read_table(_write(tmp_path, "code,x\nA1,1\n.,2\n7,3\n"))
    assert df["code"].tolist()[0] == "A1" and pd.isna(df["code"].iloc[1])


@pytest.mark.parametrize("header, reason", [
    ("a,b,a", "column a appears more than once in the header"),
    ("a,,b", "the header of column 2 is empty (row 1 is the header)"),
])
def test_a_bad_header_is_named(tmp_path, header, reason):
    path = _write(tmp_path, f"{header}\n1,2,3\n")
    with pytest.raises(ValueError) as info:
        read_table(path)
    assert str(info.value) == f"{path}: {reason}"


def test_the_import_reads_dot_and_dash_as_gaps_not_errors():
    df = pd.DataFrame({"city": ["石家庄市", "石家庄市", "石家庄市"], "year": ["2011", "2012", "2013"],
                       "Ur": ["0.5", ".", "-"], "Stru": ["0.4", "n/a", "abc"]})
    res = validate_city_year(df)
    assert [(e.row, e.column) for e in res.errors] == [(4, "Stru")]  # only 'abc'
    res = validate_city_year(df.assign(Stru="0.3"))
    assert res.ok and res.data["Ur"].isna().tolist() == [False, True, True]
    assert "2 empty cell(s)" in res.warnings[0].message


def test_an_empty_column_is_named(tmp_path):
    df = read_table(_write(tmp_path, "x,gap\n1,\n2,.\n3,NA\n"))
    with pytest.raises(ValueError, match=r"^column gap is empty \(all values missing\)$"):
        check_values(df, ["x", "gap"])


def test_infinite_values_are_named_by_spreadsheet_row(tmp_path):
    # Data rows 2 and 6 of the frame are rows 3 and 7 of the file (the header is row 1).
    path = _write(tmp_path, "x,v\n1,0.5\n2,inf\n3,1\n4,2\n5,3\n6,-inf\n")
    df = read_table(path)
    with pytest.raises(ValueError) as info:
        check_values(df, ["x", "v"])
    assert str(info.value) == "column v has infinite values in rows 3, 7 (row 1 is the header)"


def test_text_in_a_number_column_is_named(tmp_path):
    df = read_table(_write(tmp_path, "x\n1\n2\nabc\n"))
    with pytest.raises(ValueError, match=r"column x must hold numbers; row 4 has 'abc'"):
        check_values(df, ["x"])


def test_missing_report_drops_counts_and_names_the_gaps():
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0, np.nan], "b": [1.0, 2.0, np.nan, 4.0, 5.0],
                       "other": [np.nan] * 5})
    clean, note, n = missing_report(df, ["a", "b"])
    assert n == 3 and clean.index.tolist() == [0, 3]
    assert note == ("3 of 5 rows dropped for missing values in a (2), b (1): rows 3, 4, 6 "
                    "(row 1 is the header)")
    _, note_a, n_a = missing_report(df, ["a"])  # 'other' is all gaps but not asked for
    assert n_a == 2 and "in a (2): rows 3, 6 " in note_a
    full = df.fillna(0.0)
    kept, note, n = missing_report(full, ["a", "b"])
    assert (kept is full, note, n) == (True, None, 0)


# ------------------------------------------------------------------------ years held as text

def test_coerce_time_accepts_years_written_as_text():
    df = pd.DataFrame({"year": ["2011", " 2012 ", "2013年", 2014.0, 2015], "x": range(5)})
    out = coerce_time(df, "year")
    assert out["year"].dtype == np.int64
    assert out["year"].tolist() == [2011, 2012, 2013, 2014, 2015]
    assert df["year"].tolist()[0] == "2011"  # the input is not changed


@pytest.mark.parametrize("bad, shown", [("abc", "'abc'"), ("2011.5", "'2011.5'"),
                                        (None, "an empty cell"), (".", "an empty cell")])
def test_coerce_time_names_the_first_bad_row(bad, shown):
    df = pd.DataFrame({"year": ["2011", "2012", "2013", bad, "2015"]})
    with pytest.raises(ValueError) as info:
        coerce_time(df, "year")
    assert str(info.value) == (f"column year must hold years such as 2011; row 5 has {shown} "
                               "(row 1 is the header)")


def test_mediate_accepts_text_years_and_reports_dropped_rows(small_synth):
    panel = small_synth.panel.copy()
    gaps = panel.index[[3, 40]]
    with_gaps = panel.assign(year=panel["year"].astype(str))
    with_gaps.loc[gaps, "Isu"] = np.nan
    kw = {"y": "Dist", "x": "Dig", "mediator": "Isu", "controls": ["Ur"], "entity": "city",
          "time": "year"}
    got = mediate_json(with_gaps, **kw)
    want = mediate_json(panel.drop(index=gaps), **kw)
    assert got["rows_dropped_missing"] == 2 and want["rows_dropped_missing"] == 0
    assert got["notes"] == [f"2 of {len(panel)} rows dropped for missing values in Isu (2): "
                            "rows 5, 42 (row 1 is the header)"]
    assert got["nobs"] == len(panel) - 2
    for key in ("a", "b", "c", "c_prime"):
        np.testing.assert_allclose(got[key], want[key], rtol=1e-10)


# ------------------------------------------------------------------------ index indicators

def _city_year_table() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n_cities, years = 6, list(range(2011, 2016))
    rows = len(years) * n_cities
    return pd.DataFrame({
        "city": np.repeat([f"c{i}" for i in range(n_cities)], len(years)),
        "City_ID": np.repeat(np.arange(101, 101 + n_cities), len(years)),
        "yr": years * n_cities,  # no year name, but every value is a year
        "row_no": np.arange(1, rows + 1),  # whole numbers, one per row
        "beds": rng.integers(10, 20, size=rows),  # whole numbers with repeats: an indicator
        "x1": rng.uniform(size=rows), "x2": rng.uniform(size=rows),
        "synthetic": True,
    })


def test_index_without_columns_leaves_out_ids_and_years_and_says_why():
    d = index_json(_city_year_table(), method="entropy")
    assert d["columns"] == ["beds", "x1", "x2"]
    assert d["excluded"] == ["city", "City_ID", "yr", "row_no", "synthetic"]
    notes = " | ".join(d["notes"])
    assert "left out City_ID: named like an id" in notes
    assert "left out yr: whole numbers between 1900 and 2100 in every row" in notes
    assert "left out row_no: whole numbers, a different one in every row" in notes
    assert "left out city: not numeric" in notes


def test_index_exclude_leaves_out_more_and_checks_names():
    df = _city_year_table()
    d = index_json(df, method="entropy", exclude=["beds"])
    assert d["columns"] == ["x1", "x2"] and "left out beds: --exclude" in d["notes"]
    with pytest.raises(ValueError, match="--exclude names column.*: nope"):
        index_json(df, method="entropy", exclude=["nope"])
    with pytest.raises(ValueError, match="both in --columns and --exclude: x1"):
        index_json(df, method="entropy", columns=["x1", "x2"], exclude=["x1"])


def test_index_of_ids_only_names_what_was_left_out():
    df = pd.DataFrame({"id": [1, 2, 3], "year": [2011, 2012, 2013], "x": [0.1, 0.5, 0.2]})
    with pytest.raises(ValueError, match=r"at least two numeric columns \(left out id: named"):
        index_json(df, method="entropy")


def test_index_reports_rows_dropped_for_gaps():
    df = _city_year_table()
    df.loc[[0, 7], "x2"] = np.nan
    d = index_json(df, method="entropy", columns=["x1", "x2"])
    assert d["rows_dropped_missing"] == 2 and d["nobs"] == len(df) - 2
    assert d["notes"] == [f"2 of {len(df)} rows dropped for missing values in x2 (2): rows 2, 9 "
                          "(row 1 is the header)"]
    with pytest.raises(ValueError, match="column x2 has infinite values in row 4 "):
        index_json(df.fillna({"x2": 0.5}).assign(x2=lambda f: f.x2.where(f.index != 2, np.inf)),
                   method="entropy", columns=["x1", "x2"])


def test_indicator_columns_accepts_fractions_and_repeated_counts():
    df = pd.DataFrame({"share": [0.1, 0.2, 0.3], "count": [3, 3, 5], "big": [1e5, 2e5, 3e5]})
    choice = indicator_columns(df)
    # 'big' is whole numbers distinct in every row: it looks like an id and is left out.
    assert choice.columns == ["share", "count"] and choice.excluded == ["big"]


# --------------------------------------------------------- KMO/Bartlett on a singular matrix

def _indicators(n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    return pd.DataFrame(rng.normal(size=(n, 4)), columns=["x1", "x2", "x4", "x5"])


@pytest.mark.parametrize("test", [kmo, bartlett])
def test_a_linear_combination_is_refused_and_named(test):
    df = _indicators()
    df.insert(2, "x3", df["x1"] - 2 * df["x2"] + 3)  # x4, x5 are not involved
    with pytest.raises(ValueError) as info:
        test(df)
    assert str(info.value).startswith(
        "the correlation matrix is singular: x3 is a linear combination of x1, x2; ")


@pytest.mark.parametrize("test", [kmo, bartlett])
def test_a_duplicated_column_is_refused_and_named(test):
    df = _indicators().assign(copy=lambda f: -2 * f["x4"])
    with pytest.raises(ValueError, match=r"singular: copy is a rescaled copy of x4 \(correlation -1\)"):
        test(df)


@pytest.mark.parametrize("test", [kmo, bartlett])
def test_a_constant_column_is_refused_and_named(test):
    with pytest.raises(ValueError, match="singular: column flat is constant"):
        test(_indicators().assign(flat=7.0))


def test_too_few_rows_is_said():
    with pytest.raises(ValueError, match=r"\(only 4 rows for 4 columns\)"):
        kmo(_indicators(4))


def test_nearly_dependent_columns_still_get_numbers():
    df = _indicators()
    df["x3"] = df["x1"] + df["x2"] + np.random.default_rng(5).normal(scale=1e-3, size=len(df))
    assert 0 < kmo(df).overall < 1 and bartlett(df).chi2 > 0


def test_pca_index_json_refuses_a_singular_set():
    df = _indicators().assign(x3=lambda f: f["x1"] + f["x2"])
    with pytest.raises(ValueError, match="x3 is a linear combination of x1, x2"):
        index_json(df, method="pca")


def test_replication_counts_and_names_the_rows_it_drops(small_synth):
    raw = small_synth.raw.copy()
    raw.loc[raw.index[[0, 5]], "Isu"] = np.nan
    raw.loc[raw.index[9], "urban_beds_per100"] = np.nan
    built = build_variables(raw)
    assert built.rows_dropped_missing == 3 and len(built.panel) == len(raw) - 3
    assert built.notes == [f"city-year rows: 3 of {len(raw)} rows dropped for missing values in "
                           "urban_beds_per100 (1), Isu (2)"]
