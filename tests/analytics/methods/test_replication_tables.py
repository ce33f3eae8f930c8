"""The replication's tables as journal tables: value grids (Tables 3-4) and the regressions'
rows (Tables 5-9), language-neutral until rendered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.methods.journal import formatted_frame, render_html
from analytics.methods.replicate import replicate
from analytics.methods.replication_tables import ENGLISH, grid_table, table_extra_notes


def test_a_grid_keeps_values_and_formats_them_to_four_significant_digits():
    frame = pd.DataFrame({"count": [3102, 10], "mean": [14.849312, 0.000123456],
                          "retained": [True, False]}, index=["lnexpense", "Dig"])
    table = grid_table(frame)
    assert table["rows"][0]["cells"] == ["3102", "14.85", True]
    assert table["rows"][1]["cells"] == ["10", "0.0001235", False]
    assert table["grid"]["data"][0] == [3102, 14.849312, True]
    assert type(table["grid"]["data"][0][0]) is int
    shown = formatted_frame(table, labels={"lnexpense": "财政支出（对数）", "mean": "均值"},
                            texts={"yes": "是", "no": "", "variable": "变量"})
    assert list(shown.columns) == ["count", "均值", "retained"]
    assert shown.index.name == "变量" and shown.iloc[0].tolist() == ["3102", "14.85", "是"]
    assert shown.iloc[1, 2] == ""


def test_a_grid_with_nan_shows_a_blank_and_stores_none():
    table = grid_table(pd.DataFrame({"sd": [np.nan]}, index=["x"]), index_key="indicator")
    assert table["rows"][0]["cells"] == [""] and table["grid"]["data"] == [[None]]
    assert '<th scope="col" class="sticky-col">Indicator</th>' in render_html(
        table, labels={"indicator": "Indicator"})


@pytest.fixture(scope="module")
def tables(small_synth):
    return replicate(small_synth.raw, bootstrap=10, seed=2)["tables"]


def test_the_regression_tables_carry_t_the_fixed_effect_rows_and_their_notes(tables):
    t5 = tables["table5"]
    assert t5["notes"]["statistic"] == "t" and t5["columns"] == ["(1)", "(2)", "(3)", "(4)"]
    yes = {r["key"]: r["cells"] for r in t5["rows"] if r["role"] == "yes"}
    assert yes == {"controls": [False, True, True, True], "city_fe": [True] * 4,
                   "year_fe": [True] * 4}
    assert table_extra_notes(t5, ENGLISH)[1].startswith("Standard errors clustered by city")
    t7 = tables["table7"]
    assert t7["columns"] == ["first_stage", "second_stage"]
    kp = next(r for r in t7["rows"] if r["key"] == "kp_f")
    assert kp["cells"][0] == "" and float(kp["cells"][1]) > 0
    keys = [r["key"] for r in tables["table9"]["rows"] if r["role"] == "stat"]
    assert keys[-3:] == ["sobel_z", "sobel_p", "boot_ci"]
    assert {"table3", "table3_weights", "table4"} <= set(tables)
    weights = tables["table3_weights"]["grid"]
    assert sum(row[0] for row in weights["data"]) == pytest.approx(1.0, rel=1e-9)
