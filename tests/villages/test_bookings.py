"""Tourism bookings: capacity per date, calendar, cancellation, confirmation, moderation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from synergy.core.errors import Conflict, Invalid, NotAllowed
from tests.villages.factories import OfferFactory
from villages import selectors, services
from villages.errors import DatesFull
from villages.models import BookingStatus, ListingStatus, OfferDay, OfferKind, Product

pytestmark = pytest.mark.django_db


def _day(n):
    return timezone.localdate() + dt.timedelta(days=n)


def test_booking_takes_each_night_and_totals(resident, offer, pairing):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(8), guests=2)
    assert booking.nights == 3 and booking.total == Decimal("1080.00")  # 180 x 2 guests x 3 nights
    assert booking.pairing == pairing and booking.community == pairing.community
    assert list(OfferDay.objects.filter(offer=offer).values_list("date", "booked")) == [
        (_day(5), 2), (_day(6), 2), (_day(7), 2)]  # the departure day is not a night


def test_a_full_night_refuses_the_whole_stay(resident, outsider, offer):
    services.booking_create(guest=resident, offer=offer, start_date=_day(6), end_date=_day(7),
                            guests=3)
    with pytest.raises(DatesFull) as err:
        services.booking_create(guest=outsider, offer=offer, start_date=_day(5), end_date=_day(8),
                                guests=2)
    assert err.value.status_code == 409
    assert not OfferDay.objects.filter(offer=offer, date=_day(5), booked__gt=0).exists()
    assert OfferDay.objects.get(offer=offer, date=_day(6)).booked == 3


def test_day_trips_count_days_inclusive(resident, village, pairing):
    trip = OfferFactory(village=village, kind=OfferKind.DAY_TRIP, capacity=10)
    booking = services.booking_create(guest=resident, offer=trip, start_date=_day(3),
                                      end_date=_day(3), guests=4)
    assert booking.nights == 1
    assert OfferDay.objects.get(offer=trip, date=_day(3)).booked == 4


@pytest.mark.parametrize("start, end, guests, field", [
    (-1, 2, 1, "start_date"), (4, 4, 1, "end_date"), (5, 3, 1, "end_date"), (2, 3, 5, "guests"),
    (1, 30, 1, "end_date"),
])
def test_bad_dates_and_party_sizes_name_the_field(resident, offer, start, end, guests, field):
    with pytest.raises(Invalid) as err:
        services.booking_create(guest=resident, offer=offer, start_date=_day(start),
                                end_date=_day(end), guests=guests)
    assert err.value.field == field


def test_cancel_frees_the_nights_once(resident, outsider, offer, coordinator):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(7), guests=4)
    with pytest.raises(NotAllowed):
        services.booking_cancel(by=outsider, booking=booking)
    services.booking_cancel(by=resident, booking=booking)
    services.booking_cancel(by=resident, booking=booking)
    assert set(OfferDay.objects.filter(offer=offer).values_list("booked", flat=True)) == {0}
    services.booking_create(guest=outsider, offer=offer, start_date=_day(5), end_date=_day(7),
                            guests=4)


def test_coordinator_confirms(resident, offer, coordinator, other_coordinator):
    booking = services.booking_create(guest=resident, offer=offer, start_date=_day(5),
                                      end_date=_day(6), guests=1)
    with pytest.raises(NotAllowed):
        services.booking_confirm(by=other_coordinator, booking=booking)
    with pytest.raises(NotAllowed):
        services.booking_confirm(by=resident, booking=booking)
    services.booking_confirm(by=coordinator, booking=booking)
    assert booking.status == BookingStatus.CONFIRMED and booking.confirmed_by == coordinator
    with pytest.raises(Conflict):
        services.booking_confirm(by=coordinator, booking=booking)


def test_calendar_shows_remaining_places_and_closed_dates(resident, offer, coordinator):
    services.booking_create(guest=resident, offer=offer, start_date=_day(2), end_date=_day(3),
                            guests=3)
    services.offer_day_set_capacity(by=coordinator, offer=offer, date=_day(4), capacity=0)
    days = {d.date: d for d in selectors.offer_calendar(offer=offer, days=7)}
    assert days[_day(2)].remaining == 1 and days[_day(1)].remaining == 4
    assert days[_day(4)].full
    with pytest.raises(DatesFull):
        services.booking_create(guest=resident, offer=offer, start_date=_day(4), end_date=_day(5),
                                guests=1)
    with pytest.raises(Conflict):
        services.offer_day_set_capacity(by=coordinator, offer=offer, date=_day(2), capacity=2)


def test_lower_offer_capacity_never_drops_below_bookings(resident, offer, coordinator):
    services.booking_create(guest=resident, offer=offer, start_date=_day(2), end_date=_day(3),
                            guests=3)
    services.offer_update(by=coordinator, offer=offer, capacity=2)
    assert OfferDay.objects.get(offer=offer, date=_day(2)).capacity == 3


def test_unpublished_offers_cannot_be_booked(resident, village, pairing):
    draft = OfferFactory(village=village, status=ListingStatus.PENDING)
    with pytest.raises(Conflict):
        services.booking_create(guest=resident, offer=draft, start_date=_day(2), end_date=_day(3),
                                guests=1)


def test_moderation_flow(coordinator, other_coordinator, admin_user, village):
    product = services.product_create(by=coordinator, village=village, name="Pears",
                                      category="produce", unit="5 kg", price=Decimal("39"), stock=3)
    assert product.status == ListingStatus.PENDING
    with pytest.raises(NotAllowed):
        services.listing_approve(by=coordinator, listing=product)
    with pytest.raises(NotAllowed):
        services.product_update(by=other_coordinator, product=product, stock=9)
    with pytest.raises(Invalid):
        services.listing_reject(by=admin_user, listing=product, note=" ")
    services.listing_reject(by=admin_user, listing=product, note="Add a photo")
    assert product.status == ListingStatus.DRAFT and product.review_note == "Add a photo"
    services.listing_submit(by=coordinator, listing=product)
    services.listing_approve(by=admin_user, listing=product)
    assert product.status == ListingStatus.PUBLISHED
    with pytest.raises(Conflict):
        services.listing_approve(by=admin_user, listing=product)
    # Stock and price changes keep it on sale; a new description goes back to review.
    product = services.product_update(by=coordinator, product=product, stock=50,
                                       price=Decimal("35"))
    assert product.status == ListingStatus.PUBLISHED and product.stock == 50
    product = services.product_update(by=coordinator, product=product, description="New text")
    assert product.status == ListingStatus.PENDING
    services.listing_archive(by=coordinator, listing=product)
    assert product.status == ListingStatus.ARCHIVED


def test_negative_stock_is_refused(coordinator, village):
    product = services.product_create(by=coordinator, village=village, name="Honey",
                                      category="processed", unit="jar", price=Decimal("48"))
    with pytest.raises(Invalid) as err:
        services.product_update(by=coordinator, product=product, stock=-1)
    assert err.value.field == "stock"


def test_stock_constraint_holds_in_the_database(product):
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(stock=F("stock") - 11)
