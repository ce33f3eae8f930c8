"""Journey on a phone, in Chinese (issue 13, "Done when"): a newcomer registers and applies as a
resident with their flat; the community's property manager opens Applications from the menu and
approves; the newcomer sees the notification, opens their community and files a repair ticket.
No URL is typed after the home page; every request stays on this machine."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community.models import RepairTicket
from synergy.core.models import Membership, MembershipStatus, Role, User
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _menu(page, selector: str) -> None:
    """On a phone the menu is folded away: open it, then follow one of its links."""
    page.click("label.nav-toggle-label")
    page.click(f"nav {selector}")
    page.wait_for_load_state()


def _log_out(page) -> None:
    page.click("label.nav-toggle-label")
    page.click("nav form[action='/accounts/logout/'] button")
    page.wait_for_load_state()


def test_newcomer_applies_manager_approves_newcomer_files_a_ticket(phone, demo_world):
    page = phone
    community = demo_world.community

    # The newcomer opens the site, switches to Chinese and registers from the menu.
    page.goto(page.base_url + "/")
    page.click("button.lang-btn[value=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    _menu(page, "a[href='/accounts/register/']")
    page.fill("input[name=username]", "newcomer")
    page.fill("input[name=display_name]", "周新（新住户）")
    page.fill("input[name=email]", "newcomer@example.com")
    page.fill("input[name=password1]", "a-long-pass-42")
    page.fill("input[name=password2]", "a-long-pass-42")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    newcomer = User.objects.get(username="newcomer")

    # No membership yet: the home page invites them to join; they apply with their flat.
    page.click("a.brand")
    page.wait_for_load_state()
    page.click("#join-invite a.btn")
    page.wait_for_load_state()
    page.check(f"input[name=role][value={Role.RESIDENT}]")
    page.select_option("select[name=community]", str(community.pk))
    page.fill("input[name=unit]", "6栋1单元302")
    page.click("#join-form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/profile/" in page.url
    application = Membership.objects.get(user=newcomer)
    assert application.status == MembershipStatus.PENDING
    expect(page.locator(f"#application-{application.pk} .status")).to_be_visible()
    _log_out(page)

    # The property manager logs in, sees the count on Applications in the menu, and approves.
    login(page, "manager")
    page.click("label.nav-toggle-label")
    link = page.locator("nav #nav-applications")
    assert link.locator(".badge").inner_text() == "1"
    link.click()
    page.wait_for_load_state()
    row = page.locator(f"#application-{application.pk}")
    assert "6栋1单元302" in row.inner_text() and "周新" in row.inner_text()
    row.locator("button[value=approve]").click()
    page.wait_for_load_state()
    assert page.locator(f"#application-{application.pk}").count() == 0
    application.refresh_from_db()
    assert application.status == MembershipStatus.ACTIVE
    assert application.decided_by == demo_world.users["manager"]
    _log_out(page)

    # The newcomer logs in and is told, in Chinese, that they are in.
    login(page, "newcomer", "a-long-pass-42")
    _menu(page, "a[href='/notifications/']")
    note = page.locator("#notifications li").first
    assert community.name in note.inner_text() and "居民" in note.inner_text()

    # They open their community from the menu and report a problem in their flat.
    _menu(page, "a[href='/community/']")
    assert f"/community/{community.slug}/" in page.url
    page.click(f"a[href='/community/{community.slug}/tickets/']")
    page.wait_for_load_state()
    page.click(f"a[href='/community/{community.slug}/tickets/new/']")
    page.wait_for_load_state()
    page.select_option("select[name=category]", "plumbing")
    assert page.input_value("input[name=unit]") == "6栋1单元302"  # their flat, prefilled
    page.fill("textarea[name=description]", "厨房水管漏水。")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    expect(page.locator("#ticket-status")).to_be_visible()
    ticket = RepairTicket.objects.get(reporter=newcomer)
    assert ticket.community == community and ticket.unit == "6栋1单元302"
