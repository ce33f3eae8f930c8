"""The map of integration on a phone in Chinese (issue 18, item 4): an analyst opens it from the
analytics dashboard, moves the year slider (the form submits itself), sees the picture change,
reads the legend in Chinese, switches to a platform flow, and the map never leaves the machine
or scrolls the page sideways."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from analytics.demo import demo_dataset
from synergy.core.demo import seed_core
from synergy.core.models import User
from tests.browser.conftest import PHONE, login_zh
from villages import demo as village_demo
from villages.exchange import demo as exchange_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def map_demo(transactional_db):
    """The demo's people, village exchanges and synthetic panel (no replication run)."""
    world = seed_core()
    village_demo.seed(world)
    exchange_demo.seed(world)
    demo_dataset()
    return world


def _fills(page) -> list[str]:
    return page.eval_on_selector_all("svg.choropleth path[data-adcode]",
                                     "ps => ps.map(p => p.getAttribute('fill'))")


def test_analyst_moves_the_year_on_the_map_in_chinese(phone, map_demo):
    page = phone
    login_zh(page, "analyst")
    page.click("#panel-runs a.see-all")
    page.wait_for_load_state()
    page.click("#map-link")
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("城乡融合地图")
    svg = page.locator("svg.choropleth")
    expect(svg).to_be_visible()
    expect(page.locator("svg.choropleth path[data-adcode]")).to_have_count(282)
    legend = page.locator("svg.choropleth g.legend").text_content()
    assert "城乡差距（Dist）" in legend and "无数据" in legend
    slider = page.locator("#map-year")
    last = slider.get_attribute("value")
    assert last == slider.get_attribute("max")
    before = _fills(page)
    tip = page.locator("#c530100 title").text_content()
    assert tip.startswith("昆明市: ") and tip != "昆明市: 无数据"

    # Move the slider to the first year: the few lines of map.js submit the form.
    with page.expect_navigation():
        slider.focus()
        page.keyboard.press("Home")
    first = page.locator("#map-year").get_attribute("value")
    assert int(first) < int(last) and f"year={first}" in page.url
    expect(page.locator("#map-year-shown")).to_have_text(first)
    expect(page.locator("#map-heading")).to_contain_text(first)
    after = _fills(page)
    assert len(after) == 282 and after != before  # another year, another picture
    # The picture fits the phone; wide tables scroll in their cards, never the page.
    box = page.locator("svg.choropleth").bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] > 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    expect(page.locator("#map-table tbody tr")).to_have_count(282)

    # A platform flow: the seeded community's city is coloured, the others grey.
    city = map_demo.communities[0].prefecture_city
    with page.expect_navigation():
        page.select_option("#map-measure", "produce_value")
    expect(page.locator("#map-heading")).to_contain_text("产品购买额")
    titles = page.eval_on_selector_all("svg.choropleth path[data-adcode] title",
                                       "ts => ts.map(t => t.textContent)")
    assert any(t.startswith(f"{city}: ") and not t.endswith("无数据") for t in titles)
    assert "无数据" in page.locator("svg.choropleth g.legend").text_content()


def test_the_year_form_works_with_javascript_off(browser, live_server, map_demo):
    """No JavaScript at all: the slider and the submit button still change the year."""
    client = Client()
    client.force_login(User.objects.get(username="analyst"))
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False,
                                  locale="zh-CN")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page = context.new_page()
    page.goto(f"{live_server.url}/analytics/map/")
    before = _fills(page)
    first = page.locator("#map-year").get_attribute("min")
    page.locator("#map-year").fill(first)
    with page.expect_navigation():
        page.click("#map-form button[type=submit]")
    assert f"year={first}" in page.url
    expect(page.locator("#map-heading")).to_contain_text(first)
    assert _fills(page) != before and len(_fills(page)) == 282
    context.close()
