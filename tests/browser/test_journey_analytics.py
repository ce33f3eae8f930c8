"""Analyst journey: start a replication, watch the progress bar reach 100 %, open Table 5."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_analyst_replicates_and_opens_table5(phone, demo_world):
    page = phone
    login(page, "analyst")
    page.click("label.nav-toggle-label")
    page.click("nav >> text=Analytics")
    page.wait_for_load_state()
    expect(page.locator("h1", has_text="Analytics")).to_be_visible()

    page.click("text=Quick start with a formula")
    page.select_option("#id_kind", "replicate")
    page.fill("#id_bootstrap", "10")
    # Without a broker the run executes in the request (eager Celery): allow it the time.
    with page.expect_navigation(timeout=120_000):
        page.click("#run-form button[type=submit]", no_wait_after=True)
    page.wait_for_load_state()
    assert "/analytics/runs/" in page.url

    bar = page.locator("#run-progress")
    # Locator polling, not wait_for_function: our CSP forbids eval, which that one needs.
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=120_000)
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator("#run-status-text").inner_text() == "succeeded"
    # The page banner first; each journal table repeats the mark in its own card.
    expect(page.locator(".banner.synthetic").first).to_be_visible()

    page.click("nav.toc >> text=Table 5")
    table5 = page.locator("#table5")
    expect(table5).to_be_visible()
    assert "Digital technology" in table5.inner_text()
    assert table5.locator("tbody tr").count() >= 10
    chart = page.locator("img[src$='coefficients.svg']").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("img => img.naturalWidth") > 0
    expect(chart).to_be_visible()


def test_resident_cannot_open_analytics(phone, demo_world):
    login(phone, "resident")
    response = phone.goto(phone.base_url + "/analytics/")
    assert response.status == 403
