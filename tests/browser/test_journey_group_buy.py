"""Issue 15, "done when": on a phone in Chinese, a resident follows a round's share link, joins
the group, reads how to pay and says they have paid; the round forms at its cut-off; the
coordinator confirms the money and delivers; the community's manager hands the order over at
the pickup counter with the code only the resident was shown."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect

from synergy.core.models import Notification
from tests.browser.conftest import login_zh
from villages import services
from villages.demo import seed
from villages.models import (
    GroupBuyRound,
    Order,
    OrderItem,
    OrderStatus,
    PaymentInstructions,
    RoundStatus,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def village_world(demo_world):
    seed(demo_world)
    return demo_world


def _round_two_units_short() -> GroupBuyRound:
    round_ = GroupBuyRound.objects.filter(status=RoundStatus.OPEN).select_related("village").first()
    units = (OrderItem.objects.filter(order__round=round_).exclude(order__status=OrderStatus.CANCELLED)
             .aggregate(n=Sum("quantity"))["n"] or 0)
    GroupBuyRound.objects.filter(pk=round_.pk).update(min_units=units + 2)
    return round_


def test_share_link_join_pay_and_pick_up_with_the_code(phone, village_world):
    page = phone
    resident = village_world.users["resident"]
    coordinator = village_world.users["coordinator"]
    round_ = _round_two_units_short()
    offer = round_.offers.select_related("product").first()
    PaymentInstructions.objects.update_or_create(village=round_.village, defaults={
        "bank_name": "农村商业银行", "account_name": "合作社", "account_number": "6228 4800 1234"})

    # The share link, as a neighbour sent it: the round, its progress and its QR code.
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/villages/rounds/{round_.pk}/")
    share_url = page.input_value("#share-url")
    assert share_url.endswith(f"/villages/rounds/{round_.pk}/")
    expect(page.locator("#share svg")).to_have_count(1)
    page.goto(share_url)
    assert page.inner_text("#units-missing") == "还差 2 件成团"

    # Join the group with two units, then place the order from the cart.
    page.fill(f"#qty-{offer.product_id}", "2")
    page.click(f"#offer-{offer.product_id} button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/villages/cart/")
    assert page.locator(f"#cart-line-{offer.product_id} .qty").inner_text() == "2"
    page.locator("label.choice").first.click()
    page.click("#place-order")
    page.wait_for_load_state()
    assert re.search(r"/villages/orders/\d+/$", page.url)
    order = Order.objects.filter(buyer=resident, round=round_).latest("created_at", "pk")
    assert order.items.get().unit_price == offer.group_price

    # How to pay, then "I have paid" with the transfer's reference.
    assert page.inner_text("#pay-account") == "6228 4800 1234"
    page.select_option("#claim-payment select[name=method]", "bank")
    page.fill("#claim-payment input[name=reference]", "8812")
    page.click("#claim-payment button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#pending-claim")).to_be_visible()

    # The cut-off passes: the group has formed, the order is confirmed.
    GroupBuyRound.objects.filter(pk=round_.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.rounds_close_due() == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CONFIRMED

    # The coordinator confirms the money on the order page, then delivers the round.
    login_zh(page, "coordinator")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    page.click("#confirm-claim")
    page.wait_for_load_state()
    page.goto(f"{page.base_url}/villages/manage/rounds/{round_.pk}/")
    page.click("#deliver-round")
    page.wait_for_load_state()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED

    # The resident sees the payment history and the pickup code (only they do).
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    assert page.locator("#payment-history li").count() >= 2
    code = page.locator("#pickup-code .digits").inner_text().strip()
    assert code == Order.objects.get(pk=order.pk).pickup_code
    expect(page.locator("#pickup-code svg")).to_have_count(1)

    # The manager hands it over at the counter: a wrong code is refused, the right one works.
    login_zh(page, "manager")
    page.goto(f"{page.base_url}/desk/")
    page.locator("a[href^='/villages/pickup/']").first.click()
    page.wait_for_load_state()
    wrong = "000000" if code != "000000" else "111111"
    page.fill("input[name=code]", wrong)
    page.click("#code-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#found-order").count() == 0
    expect(page.locator(".errorlist, .form-alert").first).to_be_visible()
    page.fill("input[name=code]", code)
    page.click("#code-form button[type=submit]")
    page.wait_for_load_state()
    expect(page.locator("#found-order")).to_be_visible()
    page.click("#hand-over")
    page.wait_for_load_state()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COLLECTED

    # The resident was told at each step.
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    assert page.locator("#order-status").inner_text() == "已取货"
    kinds = set(Notification.objects.filter(recipient=resident, url__endswith=f"/orders/{order.pk}/")
                .values_list("kind", flat=True))
    assert {"villages.round_formed", "villages.payment_confirmed", "villages.round_delivered",
            "villages.order_collected"} <= kinds
    assert Notification.objects.filter(recipient=coordinator, kind="villages.payment_claimed").exists()
