"""An analyst on a phone in Chinese reads the replication's journal tables and an index run
(issue 17): each table scrolls inside its card with the variable column fixed, coefficients
show four significant digits, the index shows its weights chart and KMO with a reading."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from analytics.models import Dataset
from tests.browser.conftest import PHONE, login_zh

pytestmark = pytest.mark.browser

COEF = re.compile(r"^-?(\d+\.?\d*)\**$")


@pytest.fixture
def analytics_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def _wait_finished(page):
    expect(page.locator("#run-progress")).to_have_attribute("aria-valuenow", "100",
                                                            timeout=120_000)


def _significant(text: str) -> int:
    digits = COEF.match(text).group(1).replace(".", "").lstrip("0")
    return len(digits)


def test_replication_tables_scroll_in_their_card_with_the_variable_column_fixed(
        phone, analytics_demo):
    page = phone
    login_zh(page, "analyst")
    page.goto(f"{page.base_url}/analytics/")
    page.click("#run-form >> xpath=..//summary")
    page.select_option("#id_kind", "replicate")
    page.fill("#id_bootstrap", "10")
    with page.expect_navigation(timeout=120_000):
        page.click("#run-form button[type=submit]", no_wait_after=True)
    _wait_finished(page)

    table5 = page.locator("#table5 table.journal")
    expect(table5).to_be_visible()
    text = table5.inner_text()
    assert "数字技术" in text and "城市固定效应" in text and "是" in text
    coefficients = [c.strip() for c in
                    table5.locator("tr.role-coef td").all_inner_texts() if c.strip()]
    assert coefficients and all(_significant(c) == 4 for c in coefficients), coefficients

    # The widest table (Table 6: five columns) scrolls inside its card, not the page.
    wrap = page.locator("#table6 .journal-wrap")
    wrap.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    sticky = page.locator("#table6 tbody th.sticky-col").first
    before = sticky.bounding_box()["x"]
    wrap.evaluate("el => { el.scrollLeft = 400; }")
    scrolled = wrap.evaluate("el => el.scrollLeft")
    if scrolled > 0:  # narrower than the phone: nothing to scroll, nothing to keep fixed
        assert abs(sticky.bounding_box()["x"] - before) < 1
        first_cell = page.locator("#table6 tbody tr.role-coef td").first
        assert first_cell.bounding_box()["x"] < before + sticky.bounding_box()["width"]

    zip_link = page.locator("#download-zip")
    expect(zip_link).to_be_visible()


def test_an_index_run_shows_its_weights_chart_and_kmo_reading(phone, analytics_demo):
    page = phone
    login_zh(page, "analyst")
    dataset = Dataset.objects.filter(synthetic=True).order_by("-id").first()
    page.goto(f"{page.base_url}/analytics/new/index/?dataset={dataset.pk}")
    page.select_option("#id_method", "pca")
    with page.expect_navigation(timeout=120_000):
        page.click("#analysis-form button[type=submit]", no_wait_after=True)
    _wait_finished(page)
    diagnostics = page.locator("#index-diagnostics")
    expect(diagnostics).to_be_visible()
    assert "KMO" in diagnostics.inner_text() and "Bartlett" in diagnostics.inner_text()
    chart = page.locator("img[src$='weights.svg']").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("img => img.naturalWidth") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
