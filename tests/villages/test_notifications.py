"""Issue 14: everyone waiting for a change of the village node hears about it, in the app and
by e-mail after commit. One test per kind (`test_notifies_<kind>...`), each asserting exactly
who got a notification of that kind."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from synergy.core.models import Notification, Role
from tests.factories import MembershipFactory
from tests.villages.factories import OfferFactory, ProductFactory, RoundFactory, RoundPickupFactory
from villages import services
from villages.models import Booking, ListingStatus, Order, RoundProduct
from villages.notifications import KINDS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def second_coordinator(village):
    return MembershipFactory(role=Role.COORDINATOR, village=village, unit="").user


def _got(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def _day(n):
    return timezone.localdate() + dt.timedelta(days=n)


@pytest.fixture
def order(resident, community, product):
    return services.order_place(buyer=resident, pickup_community=community,
                                items=[{"product": product.pk, "quantity": 2}])


def test_every_kind_is_registered_on_the_app_config():
    config = apps.get_app_config("villages")
    assert import_string(config.notification_kinds) is KINDS
    assert all(kind.startswith("villages.") for kind in KINDS)


def test_notifies_order_placed_to_every_coordinator(
        django_capture_on_commit_callbacks, mailoutbox, coordinator, second_coordinator,
        other_coordinator, resident, community, product):
    coordinator.email, second_coordinator.email = "c1@example.org", "c2@example.org"
    coordinator.save(), second_coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        order = services.order_place(buyer=resident, pickup_community=community,
                                     items=[{"product": product.pk, "quantity": 2}])
    assert _got("villages.order_placed") == {coordinator.pk, second_coordinator.pk}
    note = Notification.objects.filter(kind="villages.order_placed").first()
    assert str(order.pk) in note.message and f"/villages/orders/{order.pk}/" == note.url
    assert {m.to[0] for m in mailoutbox} >= {"c1@example.org", "c2@example.org"}


def test_notifies_order_paid_to_the_buyer(coordinator, resident, order):
    services.order_mark_paid(by=coordinator, order=order, method="cash")
    assert _got("villages.order_paid") == {resident.pk}
    assert str(order.total) in Notification.objects.get(kind="villages.order_paid").message


def test_notifies_order_delivered_to_the_buyer(coordinator, resident, order):
    services.order_mark_delivered(by=coordinator, order=order)
    assert _got("villages.order_delivered") == {resident.pk}
    assert order.pickup_point in Notification.objects.get(kind="villages.order_delivered").message


def test_notifies_order_cancelled_by_the_buyer_to_the_coordinators(
        coordinator, second_coordinator, resident, order):
    services.order_cancel(by=resident, order=order)
    assert _got("villages.order_cancelled") == {coordinator.pk, second_coordinator.pk}


def test_notifies_order_cancelled_by_the_village_to_the_buyer(coordinator, resident, order):
    services.order_cancel(by=coordinator, order=order)
    assert _got("villages.order_cancelled") == {resident.pk}
    services.order_cancel(by=coordinator, order=order)  # a second cancel changes nothing
    assert Notification.objects.filter(kind="villages.order_cancelled").count() == 1


def test_notifies_order_refund_to_the_buyer_only(coordinator, resident, order):
    services.order_mark_paid(by=coordinator, order=order, method="cash")
    services.order_cancel(by=coordinator, order=Order.objects.get(pk=order.pk),
                          refund_method="cash", refund_amount=Decimal("1.00"))
    assert _got("villages.order_refund") == {resident.pk}
    assert not _got("villages.order_cancelled")


def test_notifies_round_delivered_to_the_buyers_of_the_round(
        coordinator, resident, community, village, pairing):
    round_ = RoundFactory(village=village)
    RoundPickupFactory(round=round_, community=community, pickup_point="East gate")
    product = ProductFactory(village=village, stock=10)
    RoundProduct.objects.create(round=round_, product=product, group_price=product.price)
    other = MembershipFactory(role=Role.RESIDENT, community=community, unit="1-101").user
    bystander = MembershipFactory(role=Role.RESIDENT, community=community, unit="1-102").user
    mine = services.order_place(buyer=resident, pickup_community=community, round=round_,
                                items=[{"product": product.pk, "quantity": 1}])
    theirs = services.order_place(buyer=other, pickup_community=community, round=round_,
                                  items=[{"product": product.pk, "quantity": 1}])
    services.order_cancel(by=other, order=theirs)  # a cancelled order is not delivered
    services.order_place(buyer=bystander, pickup_community=community,
                         items=[{"product": product.pk, "quantity": 1}])  # not in the round
    type(round_).objects.filter(pk=round_.pk).update(cutoff_at=timezone.now() - dt.timedelta(hours=1))
    round_.refresh_from_db()
    assert services.round_deliver(by=coordinator, round=round_) == 1
    assert _got("villages.round_delivered") == {resident.pk}
    note = Notification.objects.get(kind="villages.round_delivered")
    assert "East gate" in note.message and note.url == f"/villages/orders/{mine.pk}/"


def test_notifies_booking_requested_to_every_coordinator(
        coordinator, second_coordinator, other_coordinator, resident, offer):
    services.booking_create(guest=resident, offer=offer, start_date=_day(3), end_date=_day(5),
                            guests=2)
    assert _got("villages.booking_requested") == {coordinator.pk, second_coordinator.pk}


@pytest.fixture
def booking(resident, offer):
    return services.booking_create(guest=resident, offer=offer, start_date=_day(3),
                                   end_date=_day(17), guests=2)


def test_notifies_booking_confirmed_to_the_guest(coordinator, resident, booking):
    services.booking_confirm(by=coordinator, booking=booking)
    assert _got("villages.booking_confirmed") == {resident.pk}


def test_notifies_booking_declined_to_the_guest(coordinator, resident, booking):
    services.booking_cancel(by=coordinator, booking=booking)
    assert _got("villages.booking_declined") == {resident.pk}
    assert not _got("villages.booking_cancelled")


def test_notifies_booking_cancelled_by_the_guest_to_the_coordinators(
        coordinator, second_coordinator, resident, booking):
    services.booking_cancel(by=resident, booking=booking)
    assert _got("villages.booking_cancelled") == {coordinator.pk, second_coordinator.pk}


def test_notifies_booking_cancelled_by_the_village_to_the_guest(coordinator, resident, booking):
    services.booking_confirm(by=coordinator, booking=booking)
    services.booking_cancel(by=coordinator, booking=Booking.objects.get(pk=booking.pk))
    assert _got("villages.booking_cancelled") == {resident.pk}


def test_notifies_booking_expired_to_the_guest(resident, booking):
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now()
                                                 - dt.timedelta(minutes=1))
    services.booking_release_expired()
    assert _got("villages.booking_expired") == {resident.pk}


@pytest.mark.parametrize("kind", ["product", "offer"])
def test_notifies_listing_approved_to_the_village_coordinators(
        kind, admin_user, coordinator, second_coordinator, other_coordinator, village):
    factory = ProductFactory if kind == "product" else OfferFactory
    listing = factory(village=village, status=ListingStatus.PENDING)
    services.listing_approve(by=admin_user, listing=listing)
    assert _got("villages.listing_approved") == {coordinator.pk, second_coordinator.pk}


@pytest.mark.parametrize("kind", ["product", "offer"])
def test_notifies_listing_rejected_with_the_note(
        kind, admin_user, coordinator, other_coordinator, village):
    factory = ProductFactory if kind == "product" else OfferFactory
    listing = factory(village=village, status=ListingStatus.PENDING)
    services.listing_reject(by=admin_user, listing=listing, note="Say how far the station is.")
    assert _got("villages.listing_rejected") == {coordinator.pk}
    note = Notification.objects.get(kind="villages.listing_rejected")
    assert "Say how far the station is." in note.message
    assert note.url == f"/villages/manage/{'products' if kind == 'product' else 'offers'}/{listing.pk}/"

