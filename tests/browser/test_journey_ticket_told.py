"""Journey on a phone, in Chinese: a resident reports a repair; the manager assigns it, starts the
work and resolves it with a note; after each step the resident finds a notification on
/notifications/ that leads to the ticket (the last one with the note)."""

from __future__ import annotations

import pytest

from community.models import RepairTicket, TicketStatus
from synergy.core.models import Notification
from tests.browser.test_journey_coupons import login_zh

pytestmark = pytest.mark.browser


def _told(page, ticket) -> list[str]:
    """The resident's notifications that lead to this ticket, newest first."""
    page.goto(f"{page.base_url}/notifications/")
    return page.locator(f"#notifications a[href='/community/tickets/{ticket.pk}/']").all_inner_texts()


def test_resident_is_told_at_each_step_of_a_ticket(phone, demo_world):
    page = phone
    slug = demo_world.community.slug
    manager = demo_world.users["manager"]

    login_zh(page, "resident")
    page.goto(f"{page.base_url}/community/{slug}/tickets/new/")
    page.select_option("select[name=category]", "electrical")
    page.fill("input[name=location]", "3栋楼道")
    page.fill("textarea[name=description]", "楼道灯不亮了。")
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    ticket = RepairTicket.objects.get(reporter=demo_world.users["resident"])
    assert _told(page, ticket) == []

    steps = [
        ("assign", lambda: (page.select_option("#assign select[name=assignee]", f"u:{manager.pk}"),
                            page.click("#assign button[type=submit]")),
         TicketStatus.ASSIGNED, "community.ticket_assigned"),
        ("start", lambda: page.click("button[value=start]"), TicketStatus.IN_PROGRESS,
         "community.ticket_started"),
        ("resolve", lambda: (page.fill("#resolve-note", "换了新灯泡"),
                             page.click("button[value=resolve]")),
         TicketStatus.RESOLVED, "community.ticket_resolved"),
    ]
    for n, (name, act, status, kind) in enumerate(steps, start=1):
        login_zh(page, "manager")
        page.goto(f"{page.base_url}/community/tickets/{ticket.pk}/")
        act()
        page.wait_for_load_state()
        ticket.refresh_from_db()
        assert ticket.status == status, name
        assert Notification.objects.filter(recipient=ticket.reporter, kind=kind).count() == 1

        login_zh(page, "resident")
        told = _told(page, ticket)
        assert len(told) == n, (name, told)
    assert "换了新灯泡" in told[0]  # newest first: the resolution, with the manager's note
    page.locator(f"#notifications a[href='/community/tickets/{ticket.pk}/']").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/community/tickets/{ticket.pk}/")
    assert "换了新灯泡" in page.locator("#history").inner_text()
