"""Issue 13, "done when": for each role, on a phone in Chinese, log in, land on the desk and
reach the role's main work in one click from a panel, without typing a URL."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

# persona, the role's tab label in Chinese, the link to click on the desk, where it must lead
JOURNEYS = [
    ("resident", "居民", "#panel-tickets a.see-all", "/community/cuihu-garden/tickets/new/"),
    ("manager", "物业管理员", "#panel-tickets-by-state a.see-all", "/community/cuihu-garden/tickets/"),
    ("merchant", "商户", "#panel-shop li a", "/community/cuihu-garden/businesses/"),
    ("coordinator", "村联络员", "#panel-listings a.see-all", "/villages/manage/"),
    ("worker", "农村劳动力", "#panel-matched-jobs a.see-all", "/exchange/jobs/"),
    ("admin", "平台管理员", "#panel-moderation a.see-all", "/villages/moderation/"),
    ("analyst", "分析员", "#panel-runs a.see-all", "/analytics/"),
]


@pytest.fixture
def full_demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_each_role_logs_in_on_a_phone_in_chinese_and_reaches_its_work(phone, full_demo):
    page = phone
    for username, role_label, link, target in JOURNEYS:
        page.context.clear_cookies()  # a fresh visitor: logged out, language not chosen
        page.goto(page.base_url + "/accounts/login/")
        page.click("button.lang-btn[value=zh-hans]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "zh-hans", username
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "synergy-demo")
        page.click("form button[type=submit].primary")
        page.wait_for_load_state()
        assert page.url.endswith("/desk/"), f"{username} landed on {page.url}"
        assert role_label in page.locator("h1").inner_text(), username
        page.locator(link).first.click()
        page.wait_for_load_state()
        assert target in page.url, f"{username}: {link} led to {page.url}"
        assert page.locator("html").get_attribute("lang") == "zh-hans"
        # The nav offers the way back to the desk (the menu is folded on a phone).
        page.click("label.nav-toggle-label")
        page.click("#nav-desk")
        page.wait_for_load_state()
        assert page.url.endswith("/desk/"), username
