"""The variable catalogue covers every column the analyses read, and suggests near names."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.methods import catalogue
from analytics.methods.data_io import validate_city_year
from analytics.methods.pipeline import CONTROLS, raw_columns


def test_catalogue_lists_every_raw_and_built_column_once():
    names = catalogue.variable_names()
    assert len(names) == len(set(names))
    assert catalogue.import_columns() == raw_columns()
    for built in ("Dist", "Dig", "Dig_entropy", "Isu", *CONTROLS):
        assert built in names


def test_every_entry_is_complete_in_both_languages():
    for v in catalogue.CATALOGUE:
        for text in (v.meaning_zh, v.meaning_en, v.unit_zh, v.unit_en, v.source_zh, v.source_en):
            assert text.strip(), v.name
        assert v.direction in ("+", "-", "")
        assert v.analyses and set(v.analyses) <= set(catalogue.ANALYSES)
        assert v.meaning("zh-hans") == v.meaning_zh and v.meaning("en") == v.meaning_en
    # Every indicator of an index says how it enters; the regression variables do not.
    by = catalogue.by_name()
    assert {by[c].direction for c in raw_columns()[:18]} == {"+"}
    assert by["Dist"].direction == "" and "mediate" in by["Isu"].analyses


def test_example_rows_have_the_import_header():
    rows = catalogue.example_rows()
    assert len(rows) == 2
    assert list(rows[0]) == ["city", "year", *raw_columns()]
    assert all(isinstance(x, int | float) for r in rows for k, x in r.items() if k != "city")


@pytest.mark.parametrize(("typed", "expected"), [
    ("Strru", "Stru"), ("stru", "Stru"), ("UR", "Ur"), ("lnexpence", "lnexpense"),
    ("dig_entropi", "Dig_entropy"), ("population", None), ("zzz", None)])
def test_nearest_name(typed, expected):
    assert catalogue.nearest_name(typed, catalogue.variable_names()) == expected


def test_import_warnings_carry_plain_params_and_the_nearest_name():
    """The web app translates an issue from its code and params: they must be plain Python."""
    df = pd.DataFrame({"city": ["石家庄市", "石家庄市", "唐山市"], "year": ["2009", "2011", "2011"],
                       "Strru": ["0.4", "", "0.5"], "Ur": ["0.5", "0.6", "0.7"]})
    result = validate_city_year(df, years=(2000, 2035), panel_years=(2011, 2021),
                                known=catalogue.variable_names())
    assert result.ok
    codes = {w.code: w for w in result.warnings}
    assert codes["unknown_column_suggest"].params == {"name": "Strru", "suggestion": "Stru"}
    assert codes["years_outside_panel"].params["rows"] == "2"
    assert codes["missing_cells"].params == {"n": 1, "name": "Strru", "rows": "3"}
    for w in result.warnings:
        assert all(type(v) in (int, str) for v in w.params.values()), w
