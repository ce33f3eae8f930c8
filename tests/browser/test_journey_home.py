"""First journey: a phone opens the home page, switches to Chinese, logs in as `resident`."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_phone_home_switch_to_chinese_and_log_in(phone, demo_world):
    page = phone
    page.goto(page.base_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.locator("h2", has_text="Communities")).to_be_visible()
    expect(page.get_by_text(demo_world.community.name).first).to_be_visible()

    page.click("button.lang-btn[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.locator("h2", has_text="村庄")).to_be_visible()

    # The menu is folded away on a phone; open it to reach the login link.
    page.click("label.nav-toggle-label")
    page.click("nav >> text=登录")
    page.fill("input[name=username]", "resident")
    page.fill("input[name=password]", "synergy-demo")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    assert "/desk/" in page.url  # login lands on the desk (issue 13)
    assert page.locator("#panel-my-memberships").inner_text().count("居民") == 1


def test_wrong_password_shows_an_error(phone, demo_world):
    login(phone, "resident", "nope")
    assert "/accounts/login/" in phone.url
    expect(phone.locator(".errors")).to_be_visible()
