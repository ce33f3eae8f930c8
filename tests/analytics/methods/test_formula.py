"""Issue 11.1: no column name or formula a user writes is evaluated (strict grammar)."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest
from linearmodels import IV2SLS

from analytics.methods.commands import fit_json, index_json, mediate_json
from analytics.methods.formula import (
    FormulaError,
    is_valid_name,
    parse_formula,
    parse_instruments,
)
from analytics.methods.limited import TimeLimitExceeded, run_limited
from analytics.methods.panel import fit, iv_fit


def _unbalanced(seed: int = 0) -> pd.DataFrame:
    """A small unbalanced panel (one city-year missing), so iv_fit takes the dummies path."""
    rng = np.random.default_rng(seed)
    rows = [(e, t) for e in range(12) for t in range(2011, 2017) if (e, t) != (0, 2011)]
    df = pd.DataFrame(rows, columns=["city", "year"])
    n = len(df)
    df["z"] = rng.normal(size=n)
    df["w"] = rng.normal(size=n)
    df["d"] = 0.8 * df.z + 0.3 * df.w + rng.normal(size=n) + 0.1 * df.city
    df["y"] = 1.5 * df.d - 0.5 * df.w + rng.normal(size=n) + 0.02 * (df.year - 2011)
    return df


def _attack_name(marker) -> str:
    # Runs os.system when a formula engine evaluates it as Python (no '.', '+' or '~').
    assert "." not in str(marker)
    return f"getattr(__import__('os'),'system')('touch {marker}')"


def test_iv_dummies_path_never_evaluates_a_column_name(tmp_path):
    marker = tmp_path / "pwned"
    df = _unbalanced()
    bad = _attack_name(marker)
    df[bad] = df["w"]
    with pytest.raises(ValueError, match="not allowed") as info:
        iv_fit(df, f"y ~ {bad} + [d ~ z]", method="dummies")
    assert "__import__" in str(info.value)  # the error names the column
    assert not marker.exists()


def test_fit_mediation_and_cli_helpers_refuse_code_in_names(tmp_path):
    marker = tmp_path / "pwned"
    df = _unbalanced()
    bad = _attack_name(marker)
    df[bad] = df["w"]
    calls = [
        lambda: fit(df, f"y ~ {bad}"),
        lambda: fit_json(df, formula=f"y ~ {bad}", entity="city", time="year"),
        lambda: fit_json(df, formula="y ~ w", entity="city", time="year", iv=f"w ~ {bad}"),
        lambda: mediate_json(df, y="y", x="d", mediator=bad, entity="city", time="year"),
        lambda: mediate_json(df, y="y", x="d", mediator="w", controls=[bad], entity="city",
                             time="year"),
        lambda: index_json(df, method="entropy", columns=["w", bad]),
        lambda: index_json(df, method="entropy", columns=["w", "z"], negative=[bad]),
        lambda: fit(df, "y ~ w", entity=bad),
    ]
    for call in calls:
        with pytest.raises(FormulaError, match="__import__"):
            call()
    assert not marker.exists()


def test_names_joined_by_plus_in_one_parameter_are_refused():
    df = _unbalanced()
    with pytest.raises(FormulaError, match="'d \\+ w'"):
        mediate_json(df, y="y", x="d + w", mediator="z", entity="city", time="year")


@pytest.mark.parametrize("name", ["Dig", "lnper_gdp", "城乡差距", "_x1", "Ur_2011", "x²"[:1]])
def test_identifiers_including_chinese_are_valid_names(name):
    assert is_valid_name(name)


@pytest.mark.parametrize("name", [
    "1x", "a b", "a-b", "a.b", "x()", "__class__", "__import__", "lambda", "class", "",
    "a" * 65, "ｘ", "a\u0000", "C(x)", "np.log(x)", "x**2", "I(x)", 12,
])
def test_non_identifiers_are_refused(name):
    assert not is_valid_name(name)


def test_grammar_parses_the_documented_forms():
    f = parse_formula("Dist ~ Dig + Ur + [Isu ~ z1 + z2]")
    assert f.as_tuple() == ("Dist", ["Dig", "Ur"], "Isu", ["z1", "z2"])
    assert parse_formula("y~1+x").as_tuple() == ("y", ["x"], None, [])
    assert parse_formula("城乡 ~ 数字").as_tuple() == ("城乡", ["数字"], None, [])
    assert parse_instruments("d ~ z1 + z2") == ("d", ["z1", "z2"])


@pytest.mark.parametrize(("text", "term"), [
    ("y ~ x + C(city)", "C(city)"),
    ("y ~ np.log(x)", "np.log(x)"),
    ("y ~ x:z", "x:z"),
    ("y ~ x * z", "*"),
    ("y ~ I(x**2)", "I(x**2)"),
    ("y ~ x - 1", "-"),
    ("y ~ {x}", "{x}"),
    ("y ~ __import__", "__import__"),
    ("y ~ x + [d ~ z] + [e ~ w]", "["),
    ("y ~ x + x", "x"),
    ("y ~ x + lambda", "lambda"),
])
def test_grammar_refuses_anything_else_naming_the_term(text, term):
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    assert info.value.term == term
    assert term in str(info.value)


@pytest.mark.parametrize("text", ["", "y", "y ~", "~ x", "y ~ x +", "y ~ [d ~ ]",
                                  "y ~ [d ~ z", "y ~ x ~ z"])
def test_grammar_refuses_incomplete_formulas(text):
    with pytest.raises(FormulaError):
        parse_formula(text)


def test_formula_names_must_be_columns_of_the_data():
    with pytest.raises(FormulaError, match="not in data: q"):
        parse_formula("y ~ x + q", columns=["y", "x"])


def test_dummies_design_matrix_gives_the_formula_route_results():
    """The explicit-frame dummies path equals linearmodels' own formula route on safe names."""
    df = _unbalanced(3)
    ours = iv_fit(df, "y ~ w + [d ~ z]", method="dummies")
    assert ours.method == "dummies"
    data = df.sort_values(["city", "year"]).reset_index(drop=True)
    data["_e"] = pd.factorize(data["city"])[0]
    data["_t"] = pd.factorize(data["year"])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = IV2SLS.from_formula("y ~ 1 + w + C(_e) + C(_t) + [d ~ z]", data).fit(
            cov_type="clustered", clusters=data["_e"], debiased=True)
    for k in ("w", "d"):
        assert ours.params[k] == pytest.approx(ref.params[k], rel=1e-9)
        assert ours.std_errors[k] == pytest.approx(ref.std_errors[k], rel=1e-9)
    fs = ref.first_stage
    assert ours.kleibergen_paap_f == pytest.approx(float(fs.kleibergen_paap_f), rel=1e-9)
    assert ours.first_stage_params["z"] == pytest.approx(fs.individual["d"].params["z"],
                                                         rel=1e-9)


# ------------------------------------------------------------------ issue 11.6: time limit


def test_run_limited_kills_a_child_past_its_time_limit():
    with pytest.raises(TimeLimitExceeded, match="longer than 0.5 seconds"):
        run_limited(time.sleep, 60, seconds=0.5)
    assert run_limited(divmod, 7, 2, seconds=30) == (3, 1)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_limited(divmod, 1, 0, seconds=30)
