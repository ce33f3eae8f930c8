"""Exchange journeys on a phone: a resident donates and sees the receipt; a volunteer signs up
(an overlapping slot is refused with a sentence) and downloads the .ics."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from villages.exchange import demo
from villages.exchange.models import Campaign, Donation, Signup, VolunteerNeed

pytestmark = pytest.mark.browser


@pytest.fixture
def exchange_world(demo_world):
    demo.seed(demo_world)
    return demo_world


def test_resident_donates_and_sees_the_receipt(phone, exchange_world):
    page = phone
    resident = exchange_world.users["resident"]
    campaign = Campaign.objects.get(title="万溪冲小学图书角")
    before = Donation.objects.filter(donor=resident).count()

    login(page, "resident")
    page.goto(f"{page.base_url}/exchange/campaigns/{campaign.pk}/")
    page.fill("#donate-form input[name=amount]", "66.00")
    page.fill("#donate-form input[name=message]", "From the browser")
    # A double tap submits the form twice with the same hidden key: one donation.
    page.dblclick("#donate-form button[type=submit]")
    # The second submit aborts the first navigation (net::ERR_ABORTED), which wait_for_url
    # reports as an error when it sees it; polling the address waits for where the tap lands.
    expect(page).to_have_url(re.compile(r"/exchange/receipts/"))
    page.wait_for_load_state()

    assert "/exchange/receipts/" in page.url
    expect(page.locator("h1", has_text="Donation receipt")).to_be_visible()
    donation = Donation.objects.filter(donor=resident).order_by("-pk").first()
    assert Donation.objects.filter(donor=resident).count() == before + 1
    assert page.locator("#receipt-no").inner_text() == donation.receipt_label
    assert "66.00" in page.locator(".receipt").inner_text()


def test_volunteer_signs_up_and_downloads_ics(phone, exchange_world):
    page = phone
    resident = exchange_world.users["resident"]
    need = VolunteerNeed.objects.get(title="乡村健康讲座")
    saturday, sunday = list(need.slots.order_by("starts_at"))

    login(page, "resident")
    page.goto(f"{page.base_url}/exchange/volunteer/{need.pk}/")
    # The Saturday slot overlaps the English class the resident already holds.
    page.click(f"li.slot[data-slot='{saturday.pk}'] button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator(".msg.error", has_text="overlaps")).to_be_visible()

    page.click(f"li.slot[data-slot='{sunday.pk}'] button[type=submit]")
    page.wait_for_load_state()
    assert "/exchange/volunteer/mine/" in page.url
    assert Signup.objects.filter(volunteer=resident, slot=sunday, status="active").exists()
    expect(page.locator("#my-slots", has_text="乡村健康讲座")).to_be_visible()

    with page.expect_download() as info:
        page.click("#ics-link")
    with open(info.value.path(), encoding="utf-8") as f:
        body = f.read()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "乡村健康讲座" in body and "周末英语课" in body
