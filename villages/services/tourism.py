"""Bookings of tourism offers: capacity per date, one locked row per offer and date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Pairing, User
from synergy.core.validators import money_fits
from villages.errors import DatesFull, TooManyHolds
from villages.models import (
    RELEASED_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    ListingStatus,
    OfferDay,
    TourismOffer,
)
from villages.notifications import tell, tell_coordinators

MAX_DAYS_AHEAD = 400


def _check_dates(offer: TourismOffer, start: dt.date, end: dt.date, guests: int) -> list[dt.date]:
    today = timezone.localdate()
    if start < today:
        raise Invalid(_("The start date has passed."), field="start_date")
    if start > today + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise Invalid(_("Bookings open at most %(n)s days ahead.") % {"n": MAX_DAYS_AHEAD},
                      field="start_date")
    if offer.overnight and end <= start:
        raise Invalid(_("The end date must be after the start date (nights are counted)."),
                      field="end_date")
    if end < start:
        raise Invalid(_("The end date cannot be before the start date."), field="end_date")
    if (end - start).days > offer.max_nights:  # refuse before listing years of dates
        raise Invalid(_("Book between %(lo)s and %(hi)s nights or days.")
                      % {"lo": offer.min_nights, "hi": offer.max_nights}, field="end_date")
    dates = offer.occupied_dates(start, end)
    if not offer.min_nights <= len(dates) <= offer.max_nights:
        raise Invalid(_("Book between %(lo)s and %(hi)s nights or days.")
                      % {"lo": offer.min_nights, "hi": offer.max_nights}, field="end_date")
    if guests < 1:
        raise Invalid(_("At least one guest."), field="guests")
    if guests > offer.capacity:
        raise Invalid(_("At most %(n)s guests.") % {"n": offer.capacity}, field="guests")
    return dates


def _guest_pairing(guest: User, village_id: int) -> Pairing | None:
    """The pairing a stay flows through: the guest's community that is paired with the village."""
    communities = core_selectors.communities_of_user(user=guest).values("pk")
    return (Pairing.objects.filter(village_id=village_id, active=True, community__in=communities)
            .order_by("distance_km", "pk").first())


@transaction.atomic
def booking_create(
    *, guest: User, offer: TourismOffer, start_date: dt.date, end_date: dt.date, guests: int,
    note: str = "",
) -> Booking:
    """Book `guests` places on every date of the stay, or none at all (DatesFull, 409)."""
    if not getattr(guest, "is_authenticated", False):
        raise NotAllowed(_("Log in to book."))
    if offer.status != ListingStatus.PUBLISHED:
        raise Conflict(_("This offer is not open for booking."))
    dates = _check_dates(offer, start_date, end_date, guests)
    # Lock the guest's row: two requests of one person are counted one after the other.
    User.objects.select_for_update().filter(pk=guest.pk).first()
    now = timezone.now()
    limit = settings.BOOKING_MAX_UNCONFIRMED
    held = Booking.objects.filter(guest=guest, status=BookingStatus.REQUESTED,
                                  hold_expires_at__gt=now).count()
    if held >= limit:
        raise TooManyHolds(
            _("You already have %(n)s booking requests waiting for confirmation; wait for the "
              "village to confirm one, or cancel one, before requesting another.") % {"n": held})
    # Make sure a row exists for each date (ON CONFLICT DO NOTHING), then lock them in date order.
    OfferDay.objects.bulk_create([OfferDay(offer=offer, date=d, capacity=offer.capacity)
                                  for d in dates], ignore_conflicts=True)
    days = list(OfferDay.objects.select_for_update().filter(offer=offer, date__in=dates)
                .order_by("date"))
    full = [d for d in days if d.booked + guests > d.capacity]
    if full:
        first = full[0]
        raise DatesFull(
            _("%(date)s is full: %(left)s places left. Choose other dates or fewer guests.")
            % {"date": formats.date_format(first.date, "SHORT_DATE_FORMAT"), "left": first.remaining})
    OfferDay.objects.filter(pk__in=[d.pk for d in days]).update(booked=F("booked") + guests)
    pairing = _guest_pairing(guest, offer.village_id)
    total = money_fits((offer.price * guests * len(dates)).quantize(Decimal("0.01")), field="guests")
    booking = Booking.objects.create(
        offer=offer, guest=guest, start_date=start_date, end_date=end_date, guests=guests,
        nights=len(dates), total=total,
        pairing=pairing, community_id=pairing.community_id if pairing else None, note=note[:300],
        created_at=now, hold_expires_at=now + dt.timedelta(hours=settings.BOOKING_HOLD_HOURS),
    )
    who = guest.get_full_name() or guest.username
    tell_coordinators(offer.village_id, kind="villages.booking_requested", besides=guest,
                      message=lambda: _("%(who)s asks to book “%(offer)s” from %(start)s to %(end)s "
                                        "for %(n)s guests; confirm before %(until)s.") % {
                          "who": who, "offer": offer.title, "n": guests,
                          "start": _short(start_date), "end": _short(end_date),
                          "until": formats.date_format(timezone.localtime(booking.hold_expires_at),
                                                       "SHORT_DATETIME_FORMAT")},
                      url=reverse("villages:manage", args=[offer.village_id]) + "#booking-holds")
    return booking


def _short(date: dt.date) -> str:
    return formats.date_format(date, "SHORT_DATE_FORMAT")


@transaction.atomic
def booking_confirm(*, by: User, booking: Booking) -> Booking:
    if not core_selectors.user_coordinates_village(user=by, village=booking.offer.village_id):
        raise NotAllowed(_("Only the village's coordinators can confirm bookings."))
    now = timezone.now()
    if Booking.objects.filter(pk=booking.pk, status=BookingStatus.REQUESTED,
                              hold_expires_at__gt=now).update(
            status=BookingStatus.CONFIRMED, confirmed_by=by, confirmed_at=now) != 1:
        if Booking.objects.filter(pk=booking.pk, status__in=[BookingStatus.REQUESTED,
                                                             BookingStatus.EXPIRED]).exists():
            raise Conflict(_("This request was not confirmed within its hold time, so its places "
                             "go back on sale; the guest can book again."))
        raise Conflict(_("Only a requested booking can be confirmed."))
    booking.status, booking.confirmed_by, booking.confirmed_at = BookingStatus.CONFIRMED, by, now
    offer = booking.offer
    tell([booking.guest], kind="villages.booking_confirmed",
         message=lambda: _("Your stay “%(offer)s” at %(village)s from %(start)s to %(end)s is "
                           "confirmed.") % {"offer": offer.title, "village": offer.village.name,
                                            "start": _short(booking.start_date),
                                            "end": _short(booking.end_date)},
         url=reverse("villages:my_bookings"))
    return booking


@transaction.atomic
def booking_cancel(*, by: User, booking: Booking) -> Booking:
    """Free the places again, exactly once. The guest or the village's coordinators may cancel."""
    if booking.guest_id != by.pk and not core_selectors.user_coordinates_village(
            user=by, village=booking.offer.village_id):
        raise NotAllowed(_("Only the guest or the village's coordinators can cancel this booking."))
    locked = Booking.objects.select_for_update(of=("self",)).select_related("offer").get(pk=booking.pk)
    if locked.status in RELEASED_BOOKING_STATUSES:
        return locked  # already released (cancelled, or expired): places are not freed twice
    now = timezone.now()
    was = locked.status
    Booking.objects.filter(pk=locked.pk).update(status=BookingStatus.CANCELLED, cancelled_by=by,
                                                cancelled_at=now)
    _release_places(locked)
    locked.status, locked.cancelled_by, locked.cancelled_at = BookingStatus.CANCELLED, by, now
    _notify_cancelled(locked, by=by, was=was)
    return locked


def _notify_cancelled(booking: Booking, *, by: User, was: str) -> None:
    """The guest cancelling tells the coordinators; a coordinator declining a request (or
    cancelling a confirmed stay) tells the guest."""
    offer = booking.offer
    values = {"offer": offer.title, "start": _short(booking.start_date),
              "end": _short(booking.end_date), "n": booking.nights}
    if by.pk == booking.guest_id:
        who = by.get_full_name() or by.username
        tell_coordinators(offer.village_id, kind="villages.booking_cancelled", besides=by,
                          message=lambda: _("%(who)s cancelled their booking of “%(offer)s” from "
                                            "%(start)s to %(end)s; its places are free again.")
                          % {**values, "who": who},
                          url=reverse("villages:manage", args=[offer.village_id]) + "#offers")
    elif was == BookingStatus.REQUESTED:
        tell([booking.guest], kind="villages.booking_declined", url=reverse("villages:my_bookings"),
             message=lambda: _("The village could not take your request for “%(offer)s” from "
                               "%(start)s to %(end)s. Try other dates.") % values)
    else:
        tell([booking.guest], kind="villages.booking_cancelled", url=reverse("villages:my_bookings"),
             message=lambda: _("The village cancelled your stay “%(offer)s” from %(start)s to "
                               "%(end)s.") % values)


def _release_places(booking: Booking) -> None:
    dates = booking.offer.occupied_dates(booking.start_date, booking.end_date)
    days = list(OfferDay.objects.select_for_update().filter(offer_id=booking.offer_id,
                                                            date__in=dates)
                .order_by("date").values_list("pk", flat=True))
    OfferDay.objects.filter(pk__in=days).update(booked=F("booked") - booking.guests)


def booking_release_expired(*, now: dt.datetime | None = None) -> int:
    """Release the places of every request whose hold has run out, once each; tell the guest.

    Each booking in its own transaction: its row locked (skipping rows another worker holds),
    then a conditional status change whose row count proves this call is the one that releases.
    Returns how many were released. Run by celery beat and `manage.py bookings_release_expired`.
    """
    now = now or timezone.now()
    ids = list(Booking.objects.filter(status=BookingStatus.REQUESTED, hold_expires_at__lte=now)
               .order_by("hold_expires_at", "pk").values_list("pk", flat=True))
    released = 0
    for pk in ids:
        with transaction.atomic():
            booking = (Booking.objects.select_for_update(of=("self",), skip_locked=True)
                       .select_related("offer").filter(pk=pk, status=BookingStatus.REQUESTED,
                                                       hold_expires_at__lte=now).first())
            if booking is None:
                continue  # confirmed, cancelled or being released by another worker meanwhile
            if Booking.objects.filter(pk=pk, status=BookingStatus.REQUESTED).update(
                    status=BookingStatus.EXPIRED) != 1:  # pragma: no cover - the row lock holds
                continue
            _release_places(booking)
            _notify_expired(booking_id=pk)
            released += 1
    return released


def _notify_expired(*, booking_id: int) -> None:
    booking = Booking.objects.select_related("offer", "guest").get(pk=booking_id)
    tell([booking.guest], kind="villages.booking_expired",
           message=lambda: _("Your request for “%(offer)s” from %(start)s was not confirmed in "
                             "time; its places are released. You can book again.") % {
               "offer": booking.offer.title,
               "start": formats.date_format(booking.start_date, "SHORT_DATE_FORMAT")},
           url=reverse("villages:my_bookings"))


@transaction.atomic
def offer_day_set_capacity(*, by: User, offer: TourismOffer, date: dt.date, capacity: int) -> OfferDay:
    """Change one date's capacity (0 closes it); never below what is already booked."""
    if not core_selectors.user_coordinates_village(user=by, village=offer.village_id):
        raise NotAllowed(_("Only the village's coordinators can change capacity."))
    if capacity < 0:
        raise Invalid(_("Capacity cannot be negative."), field="capacity")
    OfferDay.objects.bulk_create([OfferDay(offer=offer, date=date, capacity=offer.capacity)],
                                 ignore_conflicts=True)
    day = OfferDay.objects.select_for_update().get(offer=offer, date=date)
    if capacity < day.booked:
        raise Conflict(_("%(n)s places are already booked on that date; capacity cannot go lower.")
                       % {"n": day.booked})
    day.capacity = capacity
    try:
        with transaction.atomic():
            day.save(update_fields=["capacity"])
    except IntegrityError:  # pragma: no cover - guarded above, the constraint is the backstop
        raise Conflict(_("Capacity cannot go below what is booked.")) from None
    return day
