"""The journal table: layout, rounding, stars, yes rows, full-precision numbers, renderers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analytics.methods.estimation import estimate
from analytics.methods.journal import (
    format_significant,
    formatted_frame,
    journal_table,
    numbers_frame,
    render_html,
    render_latex,
    standard_notes,
)
from analytics.methods.panel import fit, iv_fit
from analytics.methods.panel.utils import add_lag

FE = {"entity": "city", "time": "year", "effects": "entity time", "se": "cluster"}


@pytest.fixture(scope="module")
def two_fits(small_synth):
    panel = small_synth.panel
    return [estimate(panel, y="Dist", exog=["Dig"], **FE).to_dict(),
            estimate(panel, y="Dist", exog=["Dig", "Ur", "Stru"], **FE).to_dict()]


@pytest.fixture(scope="module")
def table(two_fits):
    return journal_table(two_fits, yes_rows={"controls": [False, True], "city_fe": [True, True],
                                             "year_fe": [True, True]})


def _row(table, key, role):
    return next(r for r in table["rows"] if r["key"] == key and r["role"] == role)


def test_two_model_table_layout(table, two_fits):
    assert table["columns"] == ["(1)", "(2)"]
    keys = [(r["key"], r["role"]) for r in table["rows"]]
    assert keys == [("Dig", "coef"), ("Dig", "paren"), ("Ur", "coef"), ("Ur", "paren"),
                    ("Stru", "coef"), ("Stru", "paren"), ("_cons", "coef"), ("_cons", "paren"),
                    ("controls", "yes"), ("city_fe", "yes"), ("year_fe", "yes"),
                    ("N", "stat"), ("clusters", "stat"), ("r2_within", "stat"),
                    ("r2_within_xtreg", "stat"), ("F", "stat")]  # no IV: no kp_f row
    assert _row(table, "Ur", "coef")["cells"][0] == ""  # Ur is not in model (1)
    assert _row(table, "Ur", "paren")["cells"][0] == ""
    assert _row(table, "N", "stat")["cells"] == [str(m["nobs"]) for m in two_fits]
    assert _row(table, "clusters", "stat")["cells"] == ["60", "60"]
    se = two_fits[1]["std_errors"]["Stru"]
    assert _row(table, "Stru", "paren")["cells"][1] == f"({format_significant(se)})"
    assert table["notes"]["statistic"] == "se"
    assert table["notes"]["thresholds"] == [0.1, 0.05, 0.01]
    assert table["notes"]["se_convention"] == [m["se_convention"] for m in two_fits]
    assert table["notes"]["clusters_by"] == [["city"], ["city"]]


def test_numbers_rows_equal_the_fits_floats_exactly(table, two_fits):
    rows = {(n["model"], n["term"]): n for n in table["numbers"]}
    assert set(rows) == {("(1)", "Dig"), ("(1)", "_cons"), ("(2)", "Dig"), ("(2)", "Ur"),
                         ("(2)", "Stru"), ("(2)", "_cons")}
    for column, m in zip(("(1)", "(2)"), two_fits):
        for term in m["params"]:
            n = rows[(column, term)]
            assert (n["estimate"], n["std_error"], n["t"], n["p"], n["nobs"]) == (
                m["params"][term], m["std_errors"][term], m["tstats"][term],
                m["pvalues"][term], m["nobs"])
        cons = rows[(column, "_cons")]
        assert (cons["estimate"], cons["std_error"]) == (m["const"], m["const_se"])
        t = m["const"] / m["const_se"]
        np.testing.assert_allclose(cons["p"], 2 * stats.t.sf(abs(t), m["df_resid"]), rtol=1e-12)
    frame = numbers_frame(table)
    assert list(frame.columns) == ["model", "term", "estimate", "std_error", "t", "p", "nobs"]
    assert frame["estimate"].dtype == float and len(frame) == 6
    within = {s["model"]: s["value"] for s in table["stats"] if s["key"] == "r2_within"}
    assert within == {"(1)": two_fits[0]["r2"]["within"], "(2)": two_fits[1]["r2"]["within"]}


@pytest.mark.parametrize("value, text", [
    (0.102345, "0.1023"), (12.3456, "12.35"), (-0.00091234, "-0.0009123"), (0.1, "0.1000"),
    (9.99996, "10.00"), (123456.7, "123457"), (-3.0, "-3.000"), (0, "0"), (1.234e-9, "1.234e-09"),
    (float("nan"), ""), (float("inf"), ""), (None, ""),
])
def test_values_are_rounded_to_four_significant_digits(value, text):
    assert format_significant(value) == text


def test_table_cells_are_the_rounded_values_with_stars(table, two_fits):
    dig = two_fits[0]["params"]["Dig"]
    assert two_fits[0]["pvalues"]["Dig"] < 0.01
    assert _row(table, "Dig", "coef")["cells"][0] == format_significant(dig) + "***"
    assert "np.float64" not in repr(table["rows"])
    assert journal_table(two_fits, digits=2)["rows"][0]["cells"][0] == f"{dig:.2f}***"


def _model(p, **extra):
    return {"params": {"x": 0.5}, "std_errors": {"x": 0.25}, "tstats": {"x": 2.0},
            "pvalues": {"x": p}, "nobs": 100, **extra}


@pytest.mark.parametrize("p, marks", [
    (0.5, ""), (0.10, ""), (0.0999, "*"), (0.05, "*"), (0.0499, "**"), (0.01, "**"),
    (0.0099, "***"), (None, ""),
])
def test_stars_at_the_thresholds(p, marks):
    cell = journal_table([_model(p)])["rows"][0]["cells"][0]
    assert cell == "0.5000" + marks


def test_custom_thresholds_and_t_in_parentheses():
    table = journal_table([_model(0.004), _model(0.0009)], thresholds=(0.001, 0.05, 0.01),
                          statistic="t")
    assert table["notes"]["thresholds"] == [0.05, 0.01, 0.001]
    assert table["rows"][0]["cells"] == ["0.5000**", "0.5000***"]
    assert table["rows"][1]["cells"] == ["(2.000)", "(2.000)"]
    assert standard_notes(table)[:2] == ["t statistics in parentheses.",
                                         "* p < 0.05, ** p < 0.01, *** p < 0.001."]


def test_yes_rows_are_booleans_and_must_match_the_models(table, two_fits):
    assert _row(table, "controls", "yes")["cells"] == [False, True]
    frame = formatted_frame(table, labels={"controls": "控制变量"}, texts={"yes": "是"})
    assert frame.loc["控制变量"].tolist() == ["", "是"]
    with pytest.raises(ValueError, match="controls"):
        journal_table(two_fits, yes_rows={"controls": [True]})


def test_terms_and_columns_can_be_chosen(two_fits):
    table = journal_table(two_fits, terms=["Ur", "Dig"], columns=["OLS", "FE"])
    assert table["columns"] == ["OLS", "FE"]
    assert [r["key"] for r in table["rows"] if r["role"] == "coef"] == ["Ur", "Dig"]
    with pytest.raises(ValueError, match="column"):
        journal_table(two_fits, columns=["only one"])
    with pytest.raises(ValueError, match="statistic"):
        journal_table(two_fits, statistic="z")
    with pytest.raises(ValueError, match="at least one"):
        journal_table([])


def test_older_fit_and_iv_result_shapes(small_synth):
    panel = small_synth.panel
    ols = fit(panel, "Dist ~ Dig + Ur").to_dict()
    lagged = add_lag(panel, "Dig", entity="city", time="year", k=2).dropna(subset=["Dig_lag2"])
    iv = iv_fit(lagged, "Dist ~ Ur + [Dig ~ Dig_lag2]", entity="city", time="year").to_dict()
    table = journal_table([ols, iv])
    assert _row(table, "r2_within", "stat")["cells"] == [format_significant(ols["r2_within"]), ""]
    assert _row(table, "clusters", "stat")["cells"] == [str(ols["n_clusters"]),
                                                        str(iv["n_clusters"])]
    kp = iv["first_stage"]["kleibergen_paap_f"]
    assert _row(table, "kp_f", "stat")["cells"] == ["", format_significant(kp)]
    assert table["notes"]["synthetic"] == [True, True]


def test_engine_iv_fit_shows_its_kleibergen_paap_f(small_synth):
    lagged = add_lag(small_synth.panel, "Dig", entity="city", time="year", k=2)
    iv = estimate(lagged.dropna(subset=["Dig_lag2"]), y="Dist", exog=["Ur"], endog=["Dig"],
                  instruments=["Dig_lag2"], **FE).to_dict()
    table = journal_table([iv])
    assert _row(table, "kp_f", "stat")["cells"] == [
        format_significant(iv["first_stage"]["kleibergen_paap_f"])]
    assert table["notes"]["kp_name"] == ["Kleibergen-Paap rk Wald F"]


def test_html_escapes_a_malicious_label_and_fixes_the_variable_column(table):
    evil = '<script>alert("x")</script>'
    out = render_html(table, labels={"Dig": evil}, texts={"yes": "是"}, title="T & <b>",
                      caption_notes=["p < 0.1 <img src=x onerror=alert(1)>"])
    assert "<script>" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;" in out and "T &amp; &lt;b&gt;" in out
    assert out.startswith('<table class="journal">')
    assert out.count('<th scope="row" class="sticky-col">') == len(table["rows"])
    assert "<td>是</td>" in out
    assert '<tfoot><tr><td colspan="3" class="notes">' in out


def test_latex_escapes_and_sets_stars_as_superscripts(table):
    out = render_latex(table, labels={"Dig": "Dig_100%"}, title="A & B", notes=["SYNTHETIC"])
    assert r"Dig\_100\%" in out and r"\caption{A \& B}" in out
    assert "$^{***}$" in out and r"\footnotesize SYNTHETIC" in out
    assert r"Within R\textsuperscript{2}" in out


def test_two_way_clusters_show_both_counts_and_a_preset_names_the_thresholds(small_synth):
    two_way = estimate(small_synth.panel, y="Dist", exog=["Dig"], entity="city", time="year",
                       effects="entity time", se="cluster", cluster=["city", "year"]).to_dict()
    table = journal_table([two_way], thresholds="paper")
    assert _row(table, "clusters", "stat")["cells"] == ["60 / 11"]
    assert table["notes"]["clusters_by"] == [["city", "year"]]
    assert table["notes"]["thresholds"] == [0.05, 0.01, 0.001]
    assert {"model": "(1)", "key": "clusters", "value": [60, 11]} in table["stats"]
