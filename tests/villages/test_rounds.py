"""Rounds that form or fail: open with a threshold and group prices, close at the cut-off once
(formed: orders confirmed; failed: cancelled with the reason, stock back once, refunds recorded),
edit before any order, cancel; the API fields, the round page, the command."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from synergy.core.errors import Conflict, Invalid
from synergy.core.models import Notification
from tests.villages.factories import ProductFactory, RoundFactory, RoundPickupFactory
from villages import services
from villages.models import (
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentMethod,
    Product,
    RoundProduct,
    RoundStatus,
)

pytestmark = pytest.mark.django_db

@pytest.fixture(autouse=True)
def _in_english():
    """These tests read English messages; the site's default language is zh-hans."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")



def _round(village, community, product, *, min_units=0, price="10.00"):
    round_ = RoundFactory(village=village, min_units=min_units)
    RoundPickupFactory(round=round_, community=community, pickup_point="East gate")
    RoundProduct.objects.create(round=round_, product=product, group_price=Decimal(price))
    return round_


def _order(buyer, community, round_, product, qty):
    return services.order_place(buyer=buyer, pickup_community=community, round=round_,
                                items=[{"product": product.pk, "quantity": qty}])


def _due(round_):
    GroupBuyRound.objects.filter(pk=round_.pk).update(
        cutoff_at=timezone.now() - dt.timedelta(seconds=1))
    round_.refresh_from_db()


def _kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- Opening -------------------------------------------------------------------------------


def _open(coordinator, village, community, products, **kw):
    return services.round_open(
        by=coordinator, village=village, title="Pears", pickups=[(community, "Gate 1")],
        cutoff_at=timezone.now() + dt.timedelta(days=1),
        delivery_date=timezone.localdate() + dt.timedelta(days=3), products=products, **kw)


def test_round_open_with_threshold_and_group_prices(coordinator, village, community, pairing,
                                                    product):
    round_ = _open(coordinator, village, community, [(product, Decimal("9.90"))], min_units=5)
    assert round_.min_units == 5
    assert [(o.product_id, o.group_price) for o in round_.offers.all()] == [
        (product.pk, Decimal("9.90"))]


@pytest.mark.parametrize("price", ["0", "12.50", "20.00"])
def test_round_open_refuses_a_group_price_not_below_the_list_price(coordinator, village, community,
                                                                    pairing, product, price):
    with pytest.raises(Invalid) as err:
        _open(coordinator, village, community, [(product, Decimal(price))])
    assert err.value.field == "products"
    assert not GroupBuyRound.objects.exists()


def test_round_open_refuses_other_villages_and_unpublished_products(
        coordinator, village, community, pairing, other_village):
    draft = ProductFactory(village=village, status=ListingStatus.DRAFT)
    foreign = ProductFactory(village=other_village)
    for products in ([(draft, Decimal("5"))], [(foreign, Decimal("5"))], []):
        with pytest.raises(Invalid) as err:
            _open(coordinator, village, community, products)
        assert err.value.field == "products"
    with pytest.raises(Invalid) as err:
        _open(coordinator, village, community, [(ProductFactory(village=village), 1)], min_units=-1)
    assert err.value.field == "min_units"


# --- Closing -------------------------------------------------------------------------------


def test_round_forms_its_orders_are_confirmed_and_buyers_told(resident, coordinator, community,
                                                              village, product):
    round_ = _round(village, community, product, min_units=3)
    order = _order(resident, community, round_, product, 3)
    _due(round_)
    assert services.round_close(round=round_) == RoundStatus.FORMED
    round_.refresh_from_db()
    assert round_.status == RoundStatus.FORMED and round_.closed_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert list(OrderStatusChange.objects.filter(order=order).values_list(
        "from_status", "to_status")) == [("", "placed"), ("placed", "confirmed")]
    assert "villages.round_formed" in _kinds(resident)
    assert "villages.round_formed" in _kinds(coordinator)
    assert Product.objects.get(pk=product.pk).stock == 7


def test_round_fails_orders_cancelled_with_reason_stock_back_refund_recorded(
        resident, coordinator, community, village, product):
    round_ = _round(village, community, product, min_units=5)
    paid = _order(resident, community, round_, product, 2)
    unpaid = _order(resident, community, round_, product, 1)
    services.order_mark_paid(by=coordinator, order=paid, method=PaymentMethod.BANK, reference="x")
    assert Product.objects.get(pk=product.pk).stock == 7
    _due(round_)
    assert services.round_close(round=round_) == RoundStatus.FAILED
    for o in (paid, unpaid):
        o.refresh_from_db()
        assert o.status == OrderStatus.CANCELLED
        assert o.cancel_reason_text == "The group did not form: 3 of 5 units"
    assert Product.objects.get(pk=product.pk).stock == 10
    payment = Payment.objects.get(order=paid)
    assert (payment.refund_amount, payment.refund_method) == (payment.amount, PaymentMethod.BANK)
    assert payment.refund_note and payment.refunded_at is not None
    assert _kinds(resident).count("villages.round_failed") == 2
    # A second close (and the sweep) changes nothing: stock is not returned twice.
    assert services.round_close(round=round_) is None
    assert services.rounds_close_due() == 0
    assert Product.objects.get(pk=product.pk).stock == 10
    assert OrderStatusChange.objects.filter(to_status="cancelled").count() == 2
    assert _kinds(resident).count("villages.round_failed") == 2


def test_round_with_threshold_zero_forms_even_empty(village, community, product):
    round_ = _round(village, community, product, min_units=0)
    _due(round_)
    assert services.rounds_close_due() == 1
    assert GroupBuyRound.objects.get(pk=round_.pk).status == RoundStatus.FORMED


def test_round_not_due_is_not_closed(village, community, product):
    round_ = _round(village, community, product, min_units=4)
    assert services.round_close(round=round_) is None
    assert services.rounds_close_due() == 0
    assert GroupBuyRound.objects.get(pk=round_.pk).status == RoundStatus.OPEN


def test_cancelled_orders_do_not_count_toward_the_threshold(resident, community, village, product):
    round_ = _round(village, community, product, min_units=2)
    dropped = _order(resident, community, round_, product, 2)
    services.order_cancel(by=resident, order=dropped)
    _due(round_)
    assert services.round_close(round=round_) == RoundStatus.FAILED
    assert Product.objects.get(pk=product.pk).stock == 10


def test_round_deliver_closes_first_then_delivers_confirmed_orders(resident, coordinator,
                                                                   community, village, product):
    round_ = _round(village, community, product, min_units=1)
    order = _order(resident, community, round_, product, 1)
    with pytest.raises(Conflict):
        services.round_deliver(by=coordinator, round=round_)
    _due(round_)
    assert services.round_deliver(by=coordinator, round=round_) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED
    assert list(OrderStatusChange.objects.filter(order=order).values_list("to_status", flat=True)
                ) == ["placed", "confirmed", "delivered"]


def test_a_failed_round_cannot_be_delivered(resident, coordinator, community, village, product):
    round_ = _round(village, community, product, min_units=9)
    _order(resident, community, round_, product, 1)
    _due(round_)
    with pytest.raises(Conflict):
        services.round_deliver(by=coordinator, round=round_)
    assert GroupBuyRound.objects.get(pk=round_.pk).status == RoundStatus.FAILED


# --- Edit and cancel -----------------------------------------------------------------------


def test_round_update_before_any_order_only(resident, coordinator, community, village, product):
    round_ = _round(village, community, product, min_units=3)
    services.round_update(by=coordinator, round=round_, title="New", min_units=7,
                          products=[(product, Decimal("11.00"))])
    round_.refresh_from_db()
    assert (round_.title, round_.min_units) == ("New", 7)
    assert round_.offers.get().group_price == Decimal("11.00")
    with pytest.raises(Invalid):
        services.round_update(by=coordinator, round=round_, products=[(product, Decimal("13"))])
    _order(resident, community, round_, product, 1)
    with pytest.raises(Conflict):
        services.round_update(by=coordinator, round=round_, title="Later")


def test_round_cancel_cancels_orders_and_tells_buyers(resident, coordinator, community, village,
                                                      product, outsider):
    round_ = _round(village, community, product, min_units=3)
    order = _order(resident, community, round_, product, 4)
    with pytest.raises(Exception):  # noqa: B017 - NotAllowed
        services.round_cancel(by=outsider, round=round_)
    services.round_cancel(by=coordinator, round=round_)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason
    assert Product.objects.get(pk=product.pk).stock == 10
    assert "villages.round_cancelled" in _kinds(resident)
    with pytest.raises(Conflict):
        services.round_cancel(by=coordinator, round=round_)


# --- API -----------------------------------------------------------------------------------


def test_api_round_fields_and_create(api_as, coordinator, resident, community, village, pairing,
                                     product):
    body = {"village": village.pk, "title": "Pear round", "min_units": 4,
            "cutoff_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
            "delivery_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "pickups": [{"community": community.pk, "pickup_point": "Gate 1"}],
            "products": [{"product": product.pk, "group_price": "99.00"}]}
    bad = api_as(coordinator).post("/api/v1/rounds/", body, format="json")
    assert bad.status_code == 400 and "products" in bad.data
    body["products"] = [{"product": product.pk, "group_price": "10.00"}]
    assert api_as(resident).post("/api/v1/rounds/", body, format="json").status_code == 403
    created = api_as(coordinator).post("/api/v1/rounds/", body, format="json")
    assert created.status_code == 201, created.data
    rid = created.data["id"]
    _order(resident, community, GroupBuyRound.objects.get(pk=rid), product, 3)
    data = api_as(None).get(f"/api/v1/rounds/{rid}/").data
    assert (data["min_units"], data["units_ordered"], data["formed"], data["closed_at"]) == (
        4, 3, False, None)
    assert data["products"] == [{"product": product.pk, "name": product.name, "unit": product.unit,
                                 "price": "12.50", "group_price": "10.00"}]
    _order(resident, community, GroupBuyRound.objects.get(pk=rid), product, 1)
    listed = api_as(None).get("/api/v1/rounds/").data["results"]
    assert [(r["units_ordered"], r["formed"]) for r in listed] == [(4, True)]


# --- Pages and command ---------------------------------------------------------------------


def test_round_page_shows_progress_countdown_qr_and_share_link(client, resident, community,
                                                              village, product):
    round_ = _round(village, community, product, min_units=5)
    _order(resident, community, round_, product, 2)
    response = client.get(reverse("villages:round_page", args=[round_.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 more to form the group" in html
    assert 'width: 40%' in html
    assert 'id="countdown"' in html and "data-seconds=" in html
    assert '<svg viewBox=' in html and 'class="qr"' in html
    share = f"http://testserver/villages/rounds/{round_.pk}/"
    assert f'value="{share}"' in html
    assert reverse("villages:cart_add", args=[product.pk]) in html
    assert f'name="round" value="{round_.pk}"' in html
    assert "¥10.00" in html or "10.00" in html


def test_round_page_after_close_says_it_did_not_form(client, resident, community, village,
                                                     product):
    round_ = _round(village, community, product, min_units=5)
    _order(resident, community, round_, product, 1)
    _due(round_)
    call_command("rounds_close_due")
    html = client.get(reverse("villages:round_page", args=[round_.pk])).content.decode()
    assert 'id="round-closed"' in html and "did not form" in html
    assert 'name="round"' not in html


def test_round_is_reachable_from_village_catalogue_and_desk(client, resident, community, village,
                                                           product):
    round_ = _round(village, community, product, min_units=5)
    url = reverse("villages:round_page", args=[round_.pk])
    assert url in client.get(reverse("villages:village_detail", args=[village.slug])).content.decode()
    assert url in client.get(reverse("villages:product_list")).content.decode()
    client.force_login(resident)
    assert url in client.get("/desk/").content.decode()


def test_coordinator_opens_edits_and_cancels_through_pages(client, coordinator, community,
                                                           village, pairing, product):
    client.force_login(coordinator)
    new = reverse("villages:round_new", args=[village.pk])
    assert f"price_{product.pk}" in client.get(new).content.decode()
    response = client.post(new, {
        "title": "Pears", "min_units": "6", "note": "",
        "cutoff_at": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "delivery_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
        f"pickup_{community.pk}": "Gate 1", f"price_{product.pk}": "9.50"})
    round_ = GroupBuyRound.objects.get()
    assert response.status_code == 302 and round_.min_units == 6
    assert round_.offers.get().group_price == Decimal("9.50")
    edit = reverse("villages:round_edit", args=[round_.pk])
    client.post(edit, {"title": "Pears 2", "min_units": "2", "note": "", f"price_{product.pk}": "8"})
    round_.refresh_from_db()
    assert (round_.title, round_.min_units) == ("Pears 2", 2)
    cancel = reverse("villages:round_cancel", args=[round_.pk])
    assert client.get(cancel).status_code == 200
    client.post(cancel)
    assert GroupBuyRound.objects.get().status == RoundStatus.CANCELLED


def test_command_closes_due_rounds(village, community, product, capsys):
    _due(_round(village, community, product))
    call_command("rounds_close_due")
    assert "1 round(s) closed." in capsys.readouterr().out
    assert Order.objects.count() == 0


def test_the_buyer_reads_why_the_order_was_cancelled(client, resident, coordinator, community,
                                                     village, product):
    round_ = _round(village, community, product, min_units=5)
    order = _order(resident, community, round_, product, 1)
    GroupBuyRound.objects.filter(pk=round_.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    assert services.rounds_close_due() == 1
    client.force_login(resident)
    html = client.get(f"/villages/orders/{order.pk}/").content.decode()
    assert 'id="cancel-reason"' in html and "The group did not form: 1 of 5 units" in html
    body = client.get(f"/api/v1/orders/{order.pk}/").json()
    assert body["cancel_reason"] == "The group did not form: 1 of 5 units"
    # Kept in every language: a reader of Chinese reads it in Chinese, whatever the closer spoke.
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.force_login(resident)
    assert zh.get(f"/api/v1/orders/{order.pk}/").json()["cancel_reason"] == "未能成团：1/5 件"
    assert "未能成团：1/5 件" in zh.get(f"/villages/orders/{order.pk}/").content.decode()


def test_the_product_page_offers_to_join_its_round_at_the_group_price(client, resident, community,
                                                                      village, product):
    round_ = _round(village, community, product, min_units=4, price="9.50")
    _order(resident, community, round_, product, 1)
    client.force_login(resident)
    html = client.get(f"/villages/products/{product.pk}/").content.decode()
    assert f'id="round-offer-{round_.pk}"' in html and "¥9.50" in html
    assert "3 more to form the group" in html
    assert f'<input type="hidden" name="round" value="{round_.pk}">' in html
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 2, "round": round_.pk})
    assert client.session["villages_cart"] == {"lines": {str(product.pk): 2},
                                               "rounds": {str(village.pk): round_.pk}}
