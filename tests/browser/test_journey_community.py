"""Journey on a phone: a resident reports a leak with a photo, the manager assigns and resolves
it, the resident rates it. Every request must stay on this machine."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from community.models import RepairTicket, TicketStatus
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def _leak_photo() -> bytes:
    buf = io.BytesIO()
    exif = Image.Exif()
    exif[0x0110] = "JourneyPhone"
    Image.new("RGB", (800, 600), (50, 100, 180)).save(buf, format="JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_resident_reports_leak_manager_resolves_resident_rates(phone, demo_world):
    page = phone
    slug = demo_world.community.slug

    # The resident reports a leak with a photo from their phone.
    login(page, "resident")
    page.goto(f"{page.base_url}/community/{slug}/")
    expect(page.locator("#rural-channel")).to_be_visible()
    page.click("text=Repairs")
    page.click("text=Report a problem")
    page.select_option("select[name=category]", "plumbing")
    assert page.input_value("input[name=unit]") == "3栋2单元501"  # their flat, prefilled
    page.fill("textarea[name=description]", "Water is leaking from the bathroom ceiling.")
    page.set_input_files("input[name=photos]", files=[
        {"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": _leak_photo()}])
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator("#ticket-status").inner_text() == "Open"
    expect(page.locator("img.thumb")).to_have_count(1)
    ticket = RepairTicket.objects.get(reporter=demo_world.users["resident"])
    with ticket.photos.get().image.open("rb") as fh:
        assert b"JourneyPhone" not in fh.read()  # EXIF stripped on the way in

    # The manager sees it in the list with its age, assigns it to staff, starts and resolves it.
    page.context.clear_cookies()
    login(page, "manager")
    page.goto(f"{page.base_url}/community/{slug}/tickets/")
    expect(page.locator("#tickets td.age").first).to_be_visible()
    page.click(f"#tickets a[href='/community/tickets/{ticket.pk}/'] >> nth=0")
    manager = demo_world.users["manager"]
    page.select_option("select[name=assignee]", f"u:{manager.pk}")
    page.click("button:has-text('Assign')")
    page.wait_for_load_state()
    assert page.locator("#ticket-status").inner_text() == "Assigned"
    page.click("button[value=start]")
    page.wait_for_load_state()
    assert page.locator("#ticket-status").inner_text() == "In progress"
    page.click("button[value=resolve]")
    page.wait_for_load_state()
    assert page.locator("#ticket-status").inner_text() == "Resolved"

    # The resident rates the repair; that closes it.
    page.context.clear_cookies()
    login(page, "resident")
    page.goto(f"{page.base_url}/community/tickets/{ticket.pk}/")
    page.select_option("select[name=rating]", "5")
    page.fill("textarea[name=comment]", "Fixed the same day, thank you!")
    page.click("button:has-text('Rate')")
    page.wait_for_load_state()
    assert page.locator("#ticket-status").inner_text() == "Closed"
    assert "5/5" in page.locator("#ticket-rating").inner_text()
    expect(page.locator("#history li")).to_have_count(5)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CLOSED and ticket.rating == 5
    assert list(ticket.events.values_list("actor__username", flat=True)) == [
        "resident", "manager", "manager", "manager", "resident"]
