"""The variable catalogue covers every column the analyses read, and suggests near names."""

from __future__ import annotations

import pytest

from analytics.methods import catalogue
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
