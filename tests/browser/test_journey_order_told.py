"""Issue 14, "done when": on a phone in Chinese, a resident is told at each step of an order:
placed (the village's coordinator hears of it), paid, delivered to the pickup point; the
resident follows the last notification to the order and marks it collected."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from synergy.core.models import Notification
from tests.browser.conftest import login_zh
from villages.demo import seed
from villages.models import Order, OrderStatus, Product

pytestmark = pytest.mark.browser


@pytest.fixture
def village_world(demo_world):
    seed(demo_world)
    return demo_world



def _open_notifications(page):
    page.click("label.nav-toggle-label")
    page.click("nav a[href='/notifications/']")
    page.wait_for_load_state()
    return page.locator("#notifications li")


def _about(items, order: Order):
    return items.filter(has=items.page.locator(f"a[href='/villages/orders/{order.pk}/']"))


def test_resident_is_told_at_each_step_of_an_order(phone, village_world):
    page = phone
    resident = village_world.users["resident"]
    coordinator = village_world.users["coordinator"]
    pears = Product.objects.get(name="呈贡宝珠梨")

    # Placed: outside a round, picked up in the resident's community.
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/villages/products/{pears.pk}/")
    page.fill("input[name=quantity]", "2")
    page.click("#add-to-cart")
    page.locator("label.choice").last.click()
    page.click("#place-order")
    assert re.search(r"/villages/orders/\d+/$", page.url)
    order = Order.objects.filter(buyer=resident).latest("created_at")
    assert order.round_id is None

    # The coordinator is told, follows the notification to the order, records the payment.
    login_zh(page, "coordinator")
    items = _open_notifications(page)
    _about(items, order).first.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/villages/orders/{order.pk}/")
    page.select_option("select[name=method]", "cash")
    page.click(f"form[action='/villages/orders/{order.pk}/pay/'] button[type=submit]")
    expect(page.locator(".msg.success")).to_be_visible()

    # Paid: the resident is told.
    login_zh(page, "resident")
    items = _open_notifications(page)
    expect(_about(items, order)).to_have_count(1)
    assert str(order.total) in _about(items, order).first.inner_text()

    # Delivered to the pickup point: the coordinator marks it, the resident is told where.
    login_zh(page, "coordinator")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    page.click(f"form[action='/villages/orders/{order.pk}/deliver/'] button[type=submit]")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED

    login_zh(page, "resident")
    items = _open_notifications(page)
    about = _about(items, order)
    expect(about).to_have_count(2)
    assert order.pickup_point in about.first.inner_text()  # newest first: the delivery
    expect(about.first.locator(".badge")).to_be_visible()  # unread

    # Collected: the resident follows the notification to their pickup code; the community's
    # manager types it at the pickup counter and hands the order over.
    about.first.locator("a").click()
    page.wait_for_load_state()
    code = page.locator("#pickup-code .digits").inner_text().strip()
    assert code == Order.objects.get(pk=order.pk).pickup_code
    login_zh(page, "manager")
    page.goto(f"{page.base_url}/villages/pickup/?community={order.pickup_community_id}")
    page.fill("input[name=code]", code)
    page.click("#code-form button[type=submit]")
    page.click("#hand-over")
    page.wait_for_load_state()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COLLECTED
    login_zh(page, "resident")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    assert page.locator("#order-status").inner_text() == "已取货"
    kinds = list(Notification.objects.filter(recipient=resident, url__endswith=f"/orders/{order.pk}/")
                 .order_by("created", "pk").values_list("kind", flat=True))
    assert kinds == ["villages.order_paid", "villages.order_delivered", "villages.order_collected"]
    assert Notification.objects.filter(recipient=coordinator, kind="villages.order_placed",
                                       url__endswith=f"/orders/{order.pk}/").count() == 1
