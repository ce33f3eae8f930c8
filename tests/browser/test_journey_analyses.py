"""Analyst journey on a phone in Chinese (issue 17): download the import template, import a
dataset with one bad row (refused, row and column named), fix it, run every analysis kind with
chosen variables, read the journal table and download the zip."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from analytics.methods.synthetic import synthetic_panel
from tests.browser.conftest import login_zh

pytestmark = pytest.mark.browser

VARIABLES = ["Dist", "Dig", "Isu", "Ur", "Stru", "lnexpense", "lnper_gdp"]


@pytest.fixture
def analytics_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def _dataset_csv(path: Path, *, bad: bool) -> Path:
    panel = synthetic_panel().panel
    cities = panel["city"].drop_duplicates().head(30)
    data = panel[panel["city"].isin(cities)][["city", "year", *VARIABLES]].copy()
    data["Dist"] = data["Dist"].map(lambda v: f"{v:.6f}")
    if bad:
        data.iloc[2, data.columns.get_loc("Dist")] = "abc"  # data row 3 = spreadsheet row 4
    data.to_csv(path, index=False, encoding="utf-8")
    return path


def _wait_finished(page):
    expect(page.locator("#run-progress")).to_have_attribute("aria-valuenow", "100",
                                                            timeout=120_000)
    assert page.locator("#run-status-text").inner_text() in ("成功", "succeeded", "已完成")


def test_analyst_imports_a_dataset_and_runs_every_analysis(phone, analytics_demo, tmp_path):
    page = phone
    login_zh(page, "analyst")
    page.click("#panel-runs a.see-all")
    page.wait_for_load_state()
    assert "/analytics/" in page.url

    # The template says which columns a dataset needs.
    with page.expect_download() as download:
        page.click("#template-csv")
    template = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Dist" in template and "城乡" in template

    # A file with one bad cell is refused, naming its row and column; nothing is written.
    page.click("#import-link")
    page.wait_for_load_state()
    page.fill("#id_name", "my-panel")
    page.set_input_files("#id_file", str(_dataset_csv(tmp_path / "bad.csv", bad=True)))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    issues = page.locator("#import-issues")
    expect(issues).to_be_visible()
    assert "Dist" in issues.inner_text() and "4" in issues.inner_text()

    # Fixed, it imports.
    page.fill("#id_name", "my-panel")
    page.set_input_files("#id_file", str(_dataset_csv(tmp_path / "good.csv", bad=False)))
    page.click("#import-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#import-report")).to_be_visible()
    page.click("#import-report a")  # the preview
    page.wait_for_load_state()
    dataset_url = page.url
    dataset_id = dataset_url.rstrip("/").split("/")[-1]

    choices = {
        "fit": {"#id_y": "Dist", "#id_x": "Dig"},
        "iv": {"#id_y": "Dist", "#id_endog": "Dig"},
        "mediate": {"#id_y": "Dist", "#id_x": "Dig", "#id_mediator": "Isu"},
        "heterogeneity": {"#id_y": "Dist", "#id_x": "Dig", "#id_group": "region"},
        "robustness": {"#id_y": "Dist", "#id_x": "Dig", "#id_alternative": "Isu"},
        "index": {"#id_method": "entropy"},
    }
    for kind, picks in choices.items():
        page.goto(f"{page.base_url}/analytics/new/{kind}/?dataset={dataset_id}")
        for selector, value in picks.items():
            page.select_option(selector, value)
        if kind == "index":
            for column in ("Dig", "Ur", "Stru"):
                page.check(f"input[name=columns][value={column}]")
        elif kind == "mediate":
            page.fill("#id_bootstrap", "49")
        with page.expect_navigation(timeout=120_000):
            page.click("#analysis-form button[type=submit]", no_wait_after=True)
        _wait_finished(page)
        table = page.locator("table.journal").first
        expect(table).to_be_visible()
        text = table.inner_text()
        if kind != "index":
            assert "数字技术" in text, kind  # the paper's variable, named in Chinese
            assert "观测值" in text, kind
        # The table scrolls inside its card: the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1, kind

    # The last run's files: one zip with the tables in every format.
    with page.expect_download() as download:
        page.click("#download-zip")
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".tex") for n in names)
    assert any(n.endswith(".csv") for n in names) and "summary.json" in names
