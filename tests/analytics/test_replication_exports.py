"""The replication run's own files (Tables 3-9) in the starter's language through the journal
renderer: Chinese labels and "是" rows, numbers as numbers beside the formatted table, one zip."""

from __future__ import annotations

import csv
import zipfile

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from analytics import services
from analytics.models import AnalysisRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def replication(raw_dataset, django_capture_on_commit_callbacks):
    def start(language):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(user=None, kind="replicate", dataset=raw_dataset,
                                     parameters={"bootstrap": 10, "seed": 3},
                                     language=language)
        run.refresh_from_db()
        assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
        return run
    return start


def _rows(path):
    return list(csv.reader(path.open(encoding="utf-8-sig")))


def test_a_chinese_replication_writes_chinese_journal_tables(replication):
    run = replication("zh-hans")
    out = services.run_directory(run)
    for n in range(3, 10):
        for ext in (".csv", "_formatted.csv", ".xlsx", ".tex", ".html"):
            assert f"table{n}{ext}" in run.files, (n, ext)
    rows = _rows(out / "table5_formatted.csv")
    labels = {r[0]: r[1:] for r in rows if r and r[0] != "#"}
    assert "数字技术（Dig）" in labels  # the paper's variable, in Chinese
    assert labels["控制变量"] == ["", "是", "是", "是"]  # column (1) has no control
    assert labels["城市固定效应"] == ["是"] * 4 and labels["年份固定效应"] == ["是"] * 4
    assert "观测值" in labels and "Digital technology" not in " ".join(labels)
    notes = [r[1] for r in rows if r and r[0] == "#"]
    assert notes[0] == "括号内为 t 统计量。"
    # The numbers file: every estimate a float at full precision, read back as a frame.
    numbers = pd.read_csv(out / "table5.csv", comment="#", encoding="utf-8-sig")
    dig4 = numbers[(numbers.iloc[:, 0] == "(4)") & (numbers.iloc[:, 1] == "Dig")]
    model4 = run.results["table5"]["(4)"]
    assert float(dig4.iloc[0, 3]) == pytest.approx(model4["params"]["Dig"], rel=1e-12)
    book = load_workbook(out / "table5.xlsx")
    first = book.worksheets[0]
    assert isinstance(first.cell(row=2, column=4).value, float)
    assert any(c.value == "控制变量" for c in book.worksheets[1]["A"])
    assert "数字技术" in (out / "table5.tex").read_text(encoding="utf-8")
    html = (out / "table5.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html and "sticky-col" in html
    with zipfile.ZipFile(out / "all.zip") as archive:
        names = set(archive.namelist())
    assert "all.zip" in run.files
    assert {"table5.xlsx", "table9.tex", "summary.json", "coefficients.png",
            "coefficients.svg", "reproduce.sh"} <= names


def test_an_english_replication_and_its_page_read_the_journal_tables(replication, client,
                                                                     analyst):
    run = replication("en")
    rows = _rows(services.run_directory(run) / "table7_formatted.csv")
    assert rows[0][1:] == ["First stage (Dig)", "Second stage (Dist)"]
    kp = next(r for r in rows if r and r[0] == "Kleibergen-Paap rk Wald F")
    assert kp[1] == "" and float(kp[2]) > 0
    t3 = pd.read_csv(services.run_directory(run) / "table3.csv", comment="#",
                     encoding="utf-8-sig")
    assert t3.iloc[:, 1].dtype.kind == "f"  # eigenvalues stay numbers
    client.force_login(analyst)
    url = reverse("analytics:run_detail", args=[run.pk])
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="table5"' in zh and 'class="journal"' in zh and "sticky-col" in zh
    assert "城市固定效应" in zh and "数字技术（Dig）" in zh  # the page follows its reader
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "City fixed effects" in en and "t statistics in parentheses." in en
    assert "* p &lt; 0.1, ** p &lt; 0.05, *** p &lt; 0.01" in en  # the legend the files print
    assert "all.zip" in en


def test_a_replication_stored_before_the_journal_tables_still_shows(client, analyst,
                                                                    raw_dataset):
    old = {"columns": ["Variable", "(1)"], "data": [["Digital technology", "-0.115***"],
                                                    ["", "(-10.76)"]], "index": [0, 1]}
    run = AnalysisRun.objects.create(kind="replicate", dataset=raw_dataset, dataset_version=1,
                                     status="succeeded", results={"tables": {"table5": old}})
    client.force_login(analyst)
    html = client.get(reverse("analytics:run_detail", args=[run.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="table5"' in html and "-0.115***" in html and "regtable" in html
