"""Village journeys on a phone: a resident orders from the open round and books a stay; the
coordinator sees the demand and marks the round delivered; a new product with a photo goes
through moderation and appears in the catalogue."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import login
from villages.demo import seed
from villages.models import (
    Booking,
    GroupBuyRound,
    Order,
    OrderStatus,
    Product,
    ProductPhoto,
    RoundStatus,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def village_world(demo_world):
    seed(demo_world)
    return demo_world


def _log_out(page):
    page.context.clear_cookies()


def test_resident_orders_from_the_open_round_and_coordinator_delivers(phone, village_world):
    page = phone
    round_ = GroupBuyRound.objects.get(village=village_world.village, status=RoundStatus.OPEN)
    pears = Product.objects.get(name="呈贡宝珠梨")
    stock_before = pears.stock

    login(page, "resident")
    page.click("label.nav-toggle-label")
    page.click("nav >> text=Produce")
    page.fill("input[name=q]", "宝珠梨")
    page.click("#product-filters button[type=submit]")
    page.click("text=呈贡宝珠梨")
    # The product page offers its open round; the resident joins it there at the group price.
    page.fill(f"#join-qty-{round_.pk}", "2")
    page.click(f"#round-offer-{round_.pk} button[type=submit]")
    assert "/villages/cart/" in page.url
    total = f"¥{2 * round_.offers.get(product=pears).group_price:.2f}"
    assert page.locator("#cart-total").inner_text() == total
    assert round_.title in page.locator(f"#cart-village-{pears.village_id}").inner_text()
    assert page.locator("label.choice").first.locator("input").is_checked()
    page.click("#place-order")
    assert re.search(r"/villages/orders/\d+/$", page.url)
    assert page.locator("#order-status").inner_text() == "Placed"
    assert page.locator("#order-total").inner_text() == total
    order = Order.objects.filter(buyer=village_world.users["resident"]).latest("created_at")
    assert order.round_id == round_.pk
    assert Product.objects.get(pk=pears.pk).stock == stock_before - 2

    _log_out(page)
    login(page, "coordinator")
    page.goto(f"{page.base_url}/villages/manage/")
    demand = page.locator("#rounds").inner_text()
    assert "呈贡宝珠梨: 3" in demand  # 1 from the seed's demo order, 2 just now
    page.click(f"#rounds >> text={round_.title}")
    assert page.locator("#demand .demand-total").first.inner_text().strip() in {"3", "1"}
    assert page.locator("#deliver-round").is_disabled()  # still before the cut-off

    GroupBuyRound.objects.filter(pk=round_.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    page.reload()
    page.click("#deliver-round")
    expect(page.locator(".msg.success")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED

    _log_out(page)
    login(page, "resident")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    code = page.locator("#pickup-code .digits").inner_text().strip()
    _log_out(page)
    login(page, "manager")
    page.goto(f"{page.base_url}/villages/pickup/?community={order.pickup_community_id}")
    page.fill("input[name=code]", code)
    page.click("#code-form button[type=submit]")
    expect(page.locator("#found-order")).to_be_visible()
    page.click("#hand-over")
    page.wait_for_load_state()
    _log_out(page)
    login(page, "resident")
    page.goto(f"{page.base_url}/villages/orders/{order.pk}/")
    assert page.locator("#order-status").inner_text() == "Collected"


def test_resident_books_a_farm_stay(phone, village_world):
    page = phone
    login(page, "resident")
    page.goto(f"{page.base_url}/villages/stays/")
    page.click("text=梨园农家小院")
    expect(page.locator("#calendar li")).to_have_count(28)
    start = timezone.localdate() + dt.timedelta(days=30)
    page.fill("#booking-form input[name=start_date]", start.isoformat())
    page.fill("#booking-form input[name=end_date]", (start + dt.timedelta(days=2)).isoformat())
    page.fill("#booking-form input[name=guests]", "3")
    page.click("#booking-form button[type=submit]")
    assert "/villages/bookings/" in page.url
    assert "梨园农家小院" in page.locator("#bookings").inner_text()
    booking = Booking.objects.get(guest=village_world.users["resident"], start_date=start)
    assert (booking.guests, booking.nights) == (3, 2)
    # Too many guests for one night: the form says so and nothing is booked.
    page.goto(f"{page.base_url}/villages/stays/{booking.offer_id}/")
    page.fill("#booking-form input[name=start_date]", start.isoformat())
    page.fill("#booking-form input[name=end_date]", (start + dt.timedelta(days=1)).isoformat())
    page.fill("#booking-form input[name=guests]", "6")
    page.click("#booking-form button[type=submit]")
    expect(page.locator(".msg.error")).to_be_visible()
    assert Booking.objects.filter(offer_id=booking.offer_id, start_date=start).count() == 1


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def test_coordinator_adds_a_product_with_a_photo_and_sees_it_after_approval(phone, village_world):
    page = phone
    login(page, "coordinator")
    page.goto(f"{page.base_url}/villages/manage/")
    page.click("text=Add product")
    page.fill("input[name=name]", "Pear vinegar")
    page.select_option("select[name=category]", "processed")
    page.fill("input[name=unit]", "500 ml bottle")
    page.fill("input[name=price]", "32.50")
    page.fill("input[name=stock]", "12")
    page.set_input_files("input[name=photo]", files=[
        {"name": "vinegar.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.click("form button[type=submit].primary")
    assert "/villages/manage/" in page.url
    assert "Pear vinegar" in page.locator("#listings").inner_text()
    assert "Pending review" in page.locator("#listings").inner_text()
    product = Product.objects.get(name="Pear vinegar")
    assert ProductPhoto.objects.filter(product=product).count() == 1

    page.goto(f"{page.base_url}/villages/products/?q=vinegar")
    assert page.locator(".product-card").count() == 0  # not public before approval

    _log_out(page)
    login(page, "admin")
    page.goto(f"{page.base_url}/villages/moderation/")
    item = page.locator("#pending-products li", has_text="Pear vinegar")
    item.locator("button", has_text="Approve").click()
    expect(page.locator(".msg.success")).to_be_visible()

    _log_out(page)
    login(page, "coordinator")
    page.goto(f"{page.base_url}/villages/products/?q=vinegar")
    card = page.locator(".product-card")
    assert card.count() == 1 and "¥32.50" in card.inner_text()
    expect(card.locator("img.thumb")).to_have_count(1)
