"""Journey on a phone, in Chinese: a resident claims a coupon of the business circle and gets a
code; the merchant redeems it at the till (once: a second try is refused); the resident is told
and sees it redeemed. Every request must stay on this machine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.models import Business, Coupon, CouponClaim
from synergy.core.models import Notification
from tests.browser.conftest import login_zh

pytestmark = pytest.mark.browser



def test_resident_claims_a_coupon_that_the_merchant_redeems(phone, demo_world):
    page = phone
    community, merchant = demo_world.community, demo_world.users["merchant"]
    resident = demo_world.users["resident"]
    shop = Business.objects.create(community=community, owner=merchant, name="张记便利店",
                                   phone="0871-65551234")
    coupon = Coupon.objects.create(business=shop, code="CUIHU10", title="新邻居见面礼",
                                   discount="满 50 减 10", quantity=20,
                                   valid_until=timezone.localdate() + dt.timedelta(days=30))
    circle = f"{page.base_url}/community/{community.slug}/businesses/"

    # The resident claims the coupon on the business circle and lands on their codes.
    login_zh(page, "resident")
    page.goto(circle)
    page.click(f"form[action='/community/coupons/{coupon.pk}/claim/'] button")
    page.wait_for_load_state()
    assert page.url.endswith("/community/my-coupons/")
    code = page.locator(".coupon-claim .code").first.inner_text().strip()
    assert code == CouponClaim.objects.get(user=resident, coupon=coupon).code
    expect(page.locator(".coupon-claim .badge.ok")).to_have_count(1)  # not used yet
    # Once claimed, the business circle offers no second claim (the service would answer 409).
    page.goto(circle)
    assert page.locator(f"form[action='/community/coupons/{coupon.pk}/claim/']").count() == 0

    # At the till the merchant opens "redeem" from their shop and types the code.
    login_zh(page, "merchant")
    page.goto(circle)
    page.click(f"a[href='/community/shops/{shop.pk}/redeem/']")
    page.wait_for_load_state()
    page.fill("input[name=code]", code.lower())
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    expect(page.locator(".msg.success")).to_have_count(1)
    assert CouponClaim.objects.get(code=code).redeemed_at is not None
    # The same code a second time: refused, still redeemed once.
    page.fill("input[name=code]", code)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state()
    assert page.locator(".has-error, .msg.error").count() >= 1
    assert Notification.objects.filter(kind="community.coupon_redeemed").count() == 1

    # The resident is told, and their code shows as redeemed.
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/notifications/")
    told = page.locator("#notifications a[href='/community/my-coupons/']")
    expect(told).to_have_count(1)
    told.click()
    page.wait_for_load_state()
    assert page.locator(".coupon-claim .badge.ok").count() == 0
    assert Coupon.objects.get(pk=coupon.pk).claimed_count == 1
