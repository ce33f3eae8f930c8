"""Issue 11.4: money and places cannot be gamed.

Paid orders: the buyer cannot cancel; the coordinator cancels with a refund that the order, the
buyer and the pairing's ledger show. Booking requests hold places for a limited time, released
once by a periodic task; one person holds at most a few; the coordinator sees who holds what.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from synergy.celery import app
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Notification
from tests.villages.factories import OfferFactory
from villages import selectors, services
from villages.errors import TooManyHolds
from villages.exchange.selectors import pairing_ledger
from villages.models import Booking, BookingStatus, OfferDay, Order, OrderStatus, Payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """Assertions quote the English sentences (the zh-hans ones are checked separately)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _day(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def paid_order(resident, coordinator, community, product):
    order = services.order_place(buyer=resident, pickup_community=community,
                                 items=[{"product": product.pk, "quantity": 2}])
    services.order_mark_paid(by=coordinator, order=order, method="cash")
    return Order.objects.get(pk=order.pk)


# --- Paid orders and refunds -----------------------------------------------------------------


def test_buyer_cannot_cancel_a_paid_order(resident, paid_order, product):
    with pytest.raises(Conflict) as err:
        services.order_cancel(by=resident, order=paid_order)
    assert "paid" in err.value.message
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PLACED
    assert type(product).objects.get(pk=product.pk).stock == 8  # stock not returned


def test_buyer_cancel_of_paid_order_is_409_in_the_api(api_as, resident, paid_order):
    r = api_as(resident).post(f"/api/v1/orders/{paid_order.pk}/cancel/", {}, format="json")
    assert r.status_code == 409
    assert "coordinator" in r.json()["detail"]


def test_order_page_hides_cancel_for_a_paid_order_and_explains(client, resident, paid_order):
    client.force_login(resident)
    html = client.get(f"/villages/orders/{paid_order.pk}/").content.decode()
    assert 'id="cancel-paid-note"' in html
    assert f'action="/villages/orders/{paid_order.pk}/cancel/"' not in html
    # Posting the form anyway changes nothing and shows the sentence.
    r = client.post(f"/villages/orders/{paid_order.pk}/cancel/", follow=True)
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PLACED
    assert "paid" in r.content.decode()


def test_coordinator_cancel_of_paid_order_needs_a_refund_method(coordinator, paid_order):
    with pytest.raises(Invalid) as err:
        services.order_cancel(by=coordinator, order=paid_order)
    assert err.value.field == "refund_method"
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.PLACED


@pytest.mark.parametrize("amount", ["0", "-1", "25.01"])
def test_refund_must_be_positive_and_at_most_what_was_paid(coordinator, paid_order, amount):
    assert paid_order.total == Decimal("25.00")
    with pytest.raises(Invalid) as err:
        services.order_cancel(by=coordinator, order=paid_order, refund_amount=Decimal(amount),
                              refund_method="cash")
    assert err.value.field == "refund_amount"
    assert Payment.objects.get(order=paid_order).refund_amount is None


def test_coordinator_cancels_paid_order_with_refund_shown_everywhere(
        django_capture_on_commit_callbacks, client, api_as, resident, coordinator, paid_order,
        pairing, product):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(by=coordinator, order=paid_order, refund_amount=Decimal("20.00"),
                              refund_method="mobile", refund_note="one box damaged")
    payment = Payment.objects.get(order=paid_order)
    assert (payment.refund_amount, payment.refund_method, payment.refunded_by) == (
        Decimal("20.00"), "mobile", coordinator)
    assert payment.refunded_at is not None
    assert Order.objects.get(pk=paid_order.pk).status == OrderStatus.CANCELLED
    assert type(product).objects.get(pk=product.pk).stock == 10
    # The buyer is told, in a notification linking to the order.
    note = Notification.objects.get(recipient=resident, kind="villages.order_refund")
    assert "20.00" in note.message and str(paid_order.pk) in note.url
    # The order page, for the buyer and the coordinator.
    for who in (resident, coordinator):
        client.force_login(who)
        html = client.get(f"/villages/orders/{paid_order.pk}/").content.decode()
        assert 'id="order-refund"' in html and "¥20.00" in html
    # The API.
    data = api_as(resident).get(f"/api/v1/orders/{paid_order.pk}/").json()
    assert data["payment"]["refund_amount"] == "20.00"
    assert data["payment"]["refund_method"] == "mobile"
    # The pairing's public ledger: the order is not a purchase any more; the refund is a line.
    ledger = pairing_ledger(pairing=pairing)
    assert ledger.row("produce_purchases").count == 0
    refunds = ledger.row("produce_refunds")
    assert (refunds.count, refunds.amount) == (1, Decimal("20.00"))
    body = api_as(None).get(f"/api/v1/ledger/{pairing.pk}/").json()
    to_city = {row["kind"]: row for row in body["to_city"]}
    assert (to_city["produce_refunds"]["count"], to_city["produce_refunds"]["amount"]) == (
        1, "20.00")
    html = client.get(f"/exchange/ledger/{pairing.pk}/").content.decode()
    assert 'data-kind="produce_refunds"' in html.split('id="to-city"')[1]


def test_refund_through_the_api_defaults_to_the_amount_paid(api_as, coordinator, paid_order):
    r = api_as(coordinator).post(f"/api/v1/orders/{paid_order.pk}/cancel/",
                                 {"refund_method": "bank"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "cancelled"
    assert r.json()["payment"]["refund_amount"] == "25.00"


def test_refund_through_the_api_missing_method_is_400(api_as, coordinator, paid_order):
    r = api_as(coordinator).post(f"/api/v1/orders/{paid_order.pk}/cancel/", {}, format="json")
    assert r.status_code == 400
    assert "refund_method" in r.json()


def test_refund_form_on_the_coordinators_order_page(client, coordinator, paid_order):
    client.force_login(coordinator)
    html = client.get(f"/villages/orders/{paid_order.pk}/").content.decode()
    assert 'id="refund-form"' in html
    client.post(f"/villages/orders/{paid_order.pk}/refund/",
                {"refund_amount": "25.00", "refund_method": "cash"})
    assert Payment.objects.get(order=paid_order).refund_amount == Decimal("25.00")


def test_outsider_cannot_refund(api_as, client, outsider, paid_order):
    r = api_as(outsider).post(f"/api/v1/orders/{paid_order.pk}/cancel/",
                              {"refund_method": "cash"}, format="json")
    assert r.status_code == 404
    client.force_login(outsider)
    assert client.post(f"/villages/orders/{paid_order.pk}/refund/",
                       {"refund_amount": "1", "refund_method": "cash"}).status_code == 404
    with pytest.raises(NotAllowed):
        services.order_cancel(by=outsider, order=paid_order, refund_method="cash")
    assert Payment.objects.get(order=paid_order).refund_amount is None


def test_database_refuses_a_refund_above_the_payment(paid_order):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(order=paid_order).update(
            refund_amount=Decimal("25.01"), refund_method="cash", refunded_at=timezone.now())


def test_database_refuses_a_refund_without_method_or_time(paid_order):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(order=paid_order).update(refund_amount=Decimal("1.00"))


def test_unpaid_order_still_cancels_for_the_buyer(resident, community, product):
    order = services.order_place(buyer=resident, pickup_community=community,
                                 items=[{"product": product.pk, "quantity": 1}])
    assert services.order_cancel(by=resident, order=order).status == OrderStatus.CANCELLED


# --- Booking holds ---------------------------------------------------------------------------


def test_a_request_holds_places_for_the_setting(settings, resident, offer):
    settings.BOOKING_HOLD_HOURS = 5
    before = timezone.now()
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=1)
    assert before + dt.timedelta(hours=5) <= booking.hold_expires_at
    assert booking.hold_expires_at <= timezone.now() + dt.timedelta(hours=5)


def test_default_hold_is_48_hours():
    assert settings.BOOKING_HOLD_HOURS == 48 and settings.BOOKING_MAX_UNCONFIRMED == 3


def test_expired_holds_are_released_once_and_the_guest_told(
        django_capture_on_commit_callbacks, resident, offer):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(7), guests=3)
    fresh = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                    end_date=_day(6), guests=1)
    Booking.objects.filter(pk=booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_release_expired() == 1
    assert services.booking_release_expired() == 0  # a second run releases nothing more
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.EXPIRED
    assert Booking.objects.get(pk=fresh.pk).status == BookingStatus.REQUESTED
    assert dict(OfferDay.objects.filter(offer=offer).values_list("date", "booked")) == {
        _day(5): 1, _day(6): 0}
    assert Notification.objects.filter(recipient=resident, kind="villages.booking_expired").count() == 1
    # Cancelling the expired request does not free its places a second time.
    services.booking_cancel(by=resident, booking=booking)
    assert OfferDay.objects.get(offer=offer, date=_day(5)).booked == 1


def test_management_command_and_beat_entry_release_holds(resident, offer, capsys):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=2)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now())
    call_command("bookings_release_expired")
    assert "1 expired" in capsys.readouterr().out
    assert OfferDay.objects.get(offer=offer, date=_day(5)).booked == 0
    entry = settings.CELERY_BEAT_SCHEDULE["villages-release-expired-booking-holds"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_a_request_past_its_hold_cannot_be_confirmed(coordinator, resident, offer):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=1)
    Booking.objects.filter(pk=booking.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Conflict) as err:
        services.booking_confirm(by=coordinator, booking=booking)
    assert "in time" in err.value.message or "hold" in err.value.message
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.REQUESTED


def test_one_person_holds_at_most_the_setting(settings, api_as, resident, offer, village):
    settings.BOOKING_MAX_UNCONFIRMED = 2
    other = OfferFactory(village=village, capacity=4)
    for n in (5, 7):
        services.booking_create(guest=resident, offer=offer, start_date=_day(n),
                                end_date=_day(n + 1), guests=1)
    with pytest.raises(TooManyHolds):
        services.booking_create(guest=resident, offer=other, start_date=_day(9),
                                end_date=_day(10), guests=1)
    r = api_as(resident).post(f"/api/v1/tourism-offers/{other.pk}/bookings/", {
        "start_date": str(_day(9)), "end_date": str(_day(10)), "guests": 1}, format="json")
    assert r.status_code == 409 and "waiting for confirmation" in r.json()["detail"]
    assert not OfferDay.objects.filter(offer=other, booked__gt=0).exists()


def test_confirmed_and_expired_requests_do_not_count_towards_the_limit(
        settings, coordinator, resident, offer):
    settings.BOOKING_MAX_UNCONFIRMED = 1
    first = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                    end_date=_day(6), guests=1)
    services.booking_confirm(by=coordinator, booking=first)
    second = services.booking_create(guest=resident, offer=offer, start_date=_day(7),
                                     end_date=_day(8), guests=1)
    Booking.objects.filter(pk=second.pk).update(hold_expires_at=timezone.now())
    services.booking_create(guest=resident, offer=offer, start_date=_day(9), end_date=_day(10),
                            guests=1)


def test_coordinator_sees_who_holds_what_until_when(client, coordinator, resident, offer, village):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=2)
    holds = list(selectors.booking_holds_for_village(viewer=coordinator, village=village))
    assert holds == [booking]
    client.force_login(coordinator)
    html = client.get(f"/villages/manage/{village.pk}/").content.decode()
    table = html[html.index('id="booking-holds"'):]
    table = table[:table.index("</table>")]
    assert resident.username in table or resident.get_full_name() in table
    assert offer.title in table
    local = timezone.localtime(booking.hold_expires_at)
    assert local.strftime("%Y") in table


def test_outsider_does_not_see_the_holds(client, outsider, village):
    client.force_login(outsider)
    assert client.get(f"/villages/manage/{village.pk}/").status_code == 404


def test_expired_bookings_leave_the_flows(resident, offer, pairing):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=2)
    assert selectors.pairing_flows()[0].bookings == 1
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now())
    services.booking_release_expired()
    assert all(f.bookings == 0 for f in selectors.pairing_flows())


def test_the_refusals_are_translated(api_as, resident, paid_order, offer, settings):
    r = api_as(resident).post(f"/api/v1/orders/{paid_order.pk}/cancel/", {}, format="json",
                              HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 409 and "已付款" in r.json()["detail"]
    settings.BOOKING_MAX_UNCONFIRMED = 1
    day = _day(5)
    services.booking_create(guest=resident, offer=offer, start_date=day, end_date=_day(6),
                            guests=1)
    r = api_as(resident).post(f"/api/v1/tourism-offers/{offer.pk}/bookings/", {
        "start_date": str(_day(7)), "end_date": str(_day(8)), "guests": 1}, format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 409 and "等待确认" in r.json()["detail"]
