"""The platform evaluating itself on a phone in Chinese (issue 18): an analyst opens the
staggered DiD from the analytics dashboard, runs it on the demo panel, reads the summary, the
event-study chart and the tables, and downloads everything."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from analytics.demo import DEMO_DATASET
from tests.browser.conftest import login_zh

pytestmark = pytest.mark.browser


@pytest.fixture
def analytics_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_analyst_runs_the_pairing_did_and_reads_it_in_chinese(phone, analytics_demo):
    page = phone
    login_zh(page, "analyst")
    page.click("#panel-runs a.see-all")
    page.wait_for_load_state()
    page.click("#analysis-kinds a[href$='/analytics/new/did/']")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("交错双重差分")
    page.select_option("#id_dataset_pick", label=page.locator(
        "#id_dataset_pick option", has_text=DEMO_DATASET).first.inner_text())
    page.click("#dataset-pick button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#id_treatment")).to_be_visible()
    page.select_option("#id_control", "notyet")
    page.fill("#id_bootstrap", "99")
    with page.expect_navigation(timeout=120_000):
        page.click("#analysis-form button[type=submit]", no_wait_after=True)
    expect(page.locator("#run-progress")).to_have_attribute("aria-valuenow", "100",
                                                            timeout=120_000)
    page.reload()  # the finished page: summary, chart and tables
    summary = page.locator("#did-summary")
    expect(summary).to_be_visible()
    text = summary.inner_text()
    assert "结对之后" in text and "事前趋势" in text and "双向固定效应" in text
    assert "pair_year" in text and "以尚未结对的城市为对照" in text
    chart = page.locator("img[src$='event_study.svg']")
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=chart.element_handle(), timeout=10_000)
    table = page.locator("table.journal").first
    assert "距结对年数：0" in table.inner_text()
    assert "结对的平均处理效应" in table.inner_text()
    # The wide tables scroll inside their cards; the page never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    with page.expect_download() as download:
        page.click("#download-zip")
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert {"event_study.png", "event_study.svg", "att_gt.csv", "did.xlsx", "did.tex",
            "summary.json"} <= set(names)
