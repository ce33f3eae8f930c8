"""Issue 14, on a phone in Chinese: a coordinator starts a campaign, which is not public until an
administrator approves it with a note; the coordinator is told (and reads the note); then the
campaign is public."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from synergy.core.models import Notification
from tests.browser.conftest import login_zh
from villages.exchange import demo
from villages.exchange.models import Campaign

pytestmark = pytest.mark.browser

TITLE = "村卫生室药柜"
NOTE = "预算清楚，同意上线"


@pytest.fixture
def exchange_world(demo_world):
    demo.seed(demo_world)
    return demo_world


def test_a_campaign_is_public_only_once_an_admin_approves_it(phone, exchange_world):
    page = phone
    village = exchange_world.villages[0]

    # The coordinator starts a campaign: it waits for review.
    login_zh(page, "coordinator")
    page.goto(page.base_url + "/exchange/campaigns/new/")
    page.select_option("select[name=village]", str(village.pk))
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=purpose]", "为村卫生室添置一个药柜。")
    page.fill("input[name=goal]", "3000")
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    page.fill("input[name=deadline]", deadline.isoformat())
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_load_state()
    campaign = Campaign.objects.get(title=TITLE)
    assert page.url.endswith(f"/exchange/campaigns/{campaign.pk}/")
    expect(page.locator("#review-status [data-review=pending]")).to_be_visible()

    # Nobody else sees it yet.
    page.context.clear_cookies()
    page.goto(page.base_url + "/exchange/campaigns/")
    assert TITLE not in page.content()
    assert page.goto(f"{page.base_url}/exchange/campaigns/{campaign.pk}/").status == 404

    # The administrator approves it with a note from the exchange's review page.
    login_zh(page, "admin")
    page.goto(page.base_url + "/exchange/review/")
    item = page.locator("#pending-campaigns li", has_text=TITLE)
    item.locator("input[name=note]").fill(NOTE)
    item.locator("button[value=approve]").click()
    page.wait_for_load_state()
    assert page.locator("#pending-campaigns li", has_text=TITLE).count() == 0
    campaign.refresh_from_db()
    assert campaign.review_status == "approved" and campaign.review_note == NOTE

    # The coordinator reads the decision and the note in the notifications, and follows it.
    login_zh(page, "coordinator")
    page.goto(page.base_url + "/notifications/")
    note = page.locator("#notifications li", has_text=TITLE).first
    expect(note).to_be_visible()
    assert NOTE in note.inner_text()
    assert Notification.objects.filter(kind="exchange.campaign_reviewed",
                                       recipient=exchange_world.users["coordinator"]).exists()
    note.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/exchange/campaigns/{campaign.pk}/")
    expect(page.locator("#review-status [data-review=approved]")).to_be_visible()

    # Now it is public.
    page.context.clear_cookies()
    page.goto(page.base_url + "/exchange/campaigns/")
    assert TITLE in page.content()
    assert page.goto(f"{page.base_url}/exchange/campaigns/{campaign.pk}/").status == 200
