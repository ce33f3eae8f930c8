"""Issue 14, "done when": on a phone in Chinese, a coordinator's rejected stay is edited and
resubmitted with the reviewer's note in view; the coordinator finds it through the
notification that tells them of the rejection."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from synergy.core.models import Notification
from tests.browser.conftest import login_zh
from villages import services
from villages.demo import seed
from villages.models import ListingStatus, TourismOffer

pytestmark = pytest.mark.browser

NOTE = "请写明从车站到民宿的交通方式。"


@pytest.fixture
def rejected_stay(demo_world):
    seed(demo_world)
    users = demo_world.users
    offer = services.offer_create(by=users["coordinator"], village=demo_world.village,
                                  kind="farm_stay", title="茶山小院", price=Decimal("160"),
                                  capacity=4, description="安静的茶山小院。")
    services.listing_reject(by=users["admin"], listing=offer, note=NOTE)
    return offer



def test_coordinator_edits_and_resubmits_a_rejected_stay_with_the_note_in_view(phone, rejected_stay):
    page = phone
    coordinator = rejected_stay.created_by
    assert Notification.objects.filter(recipient=coordinator, kind="villages.listing_rejected",
                                       message__contains=NOTE).exists()
    login_zh(page, "coordinator")

    # The notification leads to the edit page.
    page.click("label.nav-toggle-label")
    page.click("nav a[href='/notifications/']")
    page.wait_for_load_state()
    page.locator(f"#notifications a[href='/villages/manage/offers/{rejected_stay.pk}/']").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/villages/manage/offers/{rejected_stay.pk}/")

    # The reviewer's note is in view, above the form, on a phone.
    note = page.locator("#review-note")
    expect(note).to_be_visible()
    assert NOTE in note.inner_text()
    assert note.bounding_box()["y"] < page.locator("input[name=title]").bounding_box()["y"]

    page.fill("textarea[name=description]", "安静的茶山小院。从呈贡站乘 12 路公交车到万溪冲站，步行 5 分钟。")
    page.click("#resubmit")
    page.wait_for_load_state()
    expect(page.locator(".msg.success")).to_be_visible()
    offer = TourismOffer.objects.get(pk=rejected_stay.pk)
    assert offer.status == ListingStatus.PENDING
    assert "12 路公交车" in offer.description

    # The back office shows it waiting for review again; the note stays for the reviewer.
    assert "/villages/manage/" in page.url
    row = page.locator("#offers li", has_text="茶山小院")
    assert row.locator(".badge").inner_text() == "待审核"
    assert NOTE in row.inner_text()
