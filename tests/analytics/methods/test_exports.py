"""A run's export files: every format written, in the zip, numbers as numbers, notes under."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.methods.estimation import estimate
from analytics.methods.exports import write_run_exports
from analytics.methods.journal import journal_table

FE = {"entity": "city", "time": "year", "effects": "entity time", "se": "cluster"}
SYNTHETIC = "SYNTHETIC DATA: not real statistics"
LABELS = {"Dig": "数字技术", "Ur": "=HYPERLINK(\"http://x\")", "controls": "控制变量"}
TEXTS = {"yes": "是", "column_label": "变量"}
REPRODUCE = {"cli": "python manage.py analytics fit --dataset 3 --y Dist --x Dig",
             "python": "from analytics.methods.estimation import estimate\nprint(estimate)"}
CHARTS = {"coefplot.png": b"\x89PNG\r\n\x1a\nfake", "coefplot.svg": "<svg>数字</svg>".encode()}


@pytest.fixture(scope="module")
def table(small_synth):
    panel = small_synth.panel
    fits = [estimate(panel, y="Dist", exog=["Dig"], **FE).to_dict(),
            estimate(panel, y="Dist", exog=["Dig", "Ur"], **FE).to_dict()]
    return journal_table(fits, yes_rows={"controls": [False, True]})


def _export(out, table, **kw):
    args = {"tables": {"fe": table}, "labels": LABELS, "texts": TEXTS,
            "titles": {"fe": "表 5 基准回归"}, "notes": [SYNTHETIC],
            "summary": {"kind": "fit", "r2": np.float64(0.5), "bad": float("nan")},
            "reproduce": REPRODUCE, "charts": CHARTS} | kw
    return write_run_exports(out, **args)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, table):
    out = tmp_path_factory.mktemp("run")
    return out, _export(out, table)


def test_every_file_is_written_and_in_the_zip(exported):
    out, files = exported
    assert files == ["fe.csv", "fe_formatted.csv", "fe.xlsx", "fe.tex", "fe.html",
                     "summary.json", "reproduce.sh", "reproduce.py", "coefplot.png",
                     "coefplot.svg", "all.zip"]
    assert all((out / f).is_file() and (out / f).stat().st_size > 0 for f in files)
    with zipfile.ZipFile(out / "all.zip") as zf:
        assert zf.namelist() == files[:-1]
        assert zf.read("coefplot.svg") == CHARTS["coefplot.svg"]
        assert zf.read("fe.xlsx") == (out / "fe.xlsx").read_bytes()
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_numbers_csv_reads_back_with_pandas_at_full_precision(exported, table):
    out, _ = exported
    raw = (out / "fe.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    back = pd.read_csv(out / "fe.csv", encoding="utf-8-sig", comment="#")
    assert list(back.columns) == ["model", "term", "变量", "estimate", "std_error", "t", "p",
                                  "nobs"]
    assert len(back) == len(table["numbers"])
    for (_, row), n in zip(back.iterrows(), table["numbers"]):
        assert (row["model"], row["term"]) == (n["model"], n["term"])
        assert (row["estimate"], row["std_error"], row["t"], row["p"], row["nobs"]) == (
            n["estimate"], n["std_error"], n["t"], n["p"], n["nobs"])
    assert back.loc[0, "变量"] == "数字技术"
    assert back.loc[1, "变量"] == "Constant"  # the constant's label from the texts
    assert "'=HYPERLINK" in raw.decode("utf-8-sig")  # the formula cannot run
    assert raw.decode("utf-8-sig").rstrip().endswith(f"#,{SYNTHETIC}")


def test_formatted_csv_is_the_journal_table_with_notes_under(exported, table):
    out, _ = exported
    text = (out / "fe_formatted.csv").read_text(encoding="utf-8-sig")
    back = pd.read_csv(out / "fe_formatted.csv", encoding="utf-8-sig", comment="#",
                       keep_default_na=False, dtype=str, index_col=0)
    assert list(back.columns) == ["(1)", "(2)"]
    assert back.loc["数字技术", "(1)"] == table["rows"][0]["cells"][0]
    assert back.loc["控制变量"].tolist() == ["", "是"]
    assert "#,Standard errors in parentheses." in text
    assert '#,"* p < 0.1, ** p < 0.05, *** p < 0.01."' in text
    assert f"#,{SYNTHETIC}" in text


def test_xlsx_numbers_are_numeric_cells_beside_the_formatted_sheet(exported, table):
    out, _ = exported
    wb = load_workbook(out / "fe.xlsx")
    assert wb.sheetnames == ["numbers", "table", "stats"]
    numbers = wb["numbers"]
    first = table["numbers"][0]
    assert [c.value for c in numbers[1]][:2] == ["model", "term"]
    estimate_cell, nobs_cell = numbers.cell(row=2, column=4), numbers.cell(row=2, column=8)
    assert estimate_cell.data_type == "n"
    # openpyxl writes 16 significant digits ("%.16g"): equal to that, not to the last bit
    np.testing.assert_allclose(estimate_cell.value, first["estimate"], rtol=1e-15)
    assert nobs_cell.data_type == "n" and nobs_cell.value == first["nobs"]
    assert numbers.cell(row=numbers.max_row, column=1).value == SYNTHETIC
    sheet = wb["table"]
    assert sheet["A1"].value == "表 5 基准回归"
    assert [c.value for c in sheet[2]] == [None, "(1)", "(2)"]
    assert sheet["A3"].value == "数字技术" and sheet["B3"].value == table["rows"][0]["cells"][0]
    column_a = [c.value for c in sheet["A"]]
    assert "'=HYPERLINK(\"http://x\")" in column_a
    assert SYNTHETIC in column_a and "Standard errors in parentheses." in column_a
    stats = {(r[0], r[1]): r[2] for r in wb["stats"].iter_rows(min_row=2, values_only=True)}
    assert stats[("(2)", "N")] == 660


def test_latex_and_html_carry_the_title_and_the_notes(exported):
    out, _ = exported
    tex = (out / "fe.tex").read_text(encoding="utf-8")
    page = (out / "fe.html").read_text(encoding="utf-8")
    assert r"\begin{tabular}{lcc}" in tex and SYNTHETIC in tex and "数字技术" in tex
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert '<table class="journal">' in page and "<caption>表 5 基准回归</caption>" in page
    assert "<title>表 5 基准回归</title>" in page and SYNTHETIC in page
    assert "=HYPERLINK(&quot;http://x&quot;)" in page and "数字技术" in page


def test_summary_is_strict_json_and_the_run_can_be_reproduced(exported):
    out, _ = exported

    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"),
                         parse_constant=refuse)
    assert summary == {"kind": "fit", "r2": 0.5, "bad": None}
    script = (out / "reproduce.sh").read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh\n") and script.rstrip().endswith(REPRODUCE["cli"])
    assert os.access(out / "reproduce.sh", os.X_OK)
    assert (out / "reproduce.py").read_text(encoding="utf-8") == REPRODUCE["python"] + "\n"
    compile(REPRODUCE["python"], "reproduce.py", "exec")


@pytest.mark.parametrize("kw, message", [
    ({"tables": {"../fe": None}}, "plain file name"),
    ({"tables": {"a/b": None}}, "plain file name"),
    ({"tables": {"": None}}, "plain file name"),
    ({"tables": {".hidden": None}}, "plain file name"),
    ({"charts": {"../x.png": b""}}, "plain file name"),
    ({"charts": {"run.exe": b""}}, "png or .svg"),
    ({"charts": {"summary.json.png": b"", "fe.csv": b""}}, "png or .svg"),
    ({"tables": {"a": None, "a_formatted": None}}, "a_formatted.csv"),
    ({"reproduce": {"cli": "python manage.py analytics fit"}}, "python"),
])
def test_bad_names_are_refused_before_anything_is_written(tmp_path, table, kw, message):
    kw = {k: (dict.fromkeys(v, table) if k == "tables" else v) for k, v in kw.items()}
    with pytest.raises(ValueError, match=message):
        _export(tmp_path / "run", table, **kw)
    assert not (tmp_path / "run").exists()
