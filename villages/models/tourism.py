"""Farm and leisure-pension stays: offers, capacity per day, bookings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, Pairing, Village
from villages.models.listings import MONEY, ListingStatus, Photo

# --- Tourism ---------------------------------------------------------------------------------


class OfferKind(models.TextChoices):
    DAY_TRIP = "day_trip", _("Eco-tourism day trip")
    FARM_STAY = "farm_stay", _("Farm stay")
    EXPERIENCE = "experience", _("Agricultural experience")
    LEISURE_PENSION = "leisure_pension", _("Leisure-pension stay")


OVERNIGHT_KINDS = {OfferKind.FARM_STAY, OfferKind.LEISURE_PENSION}


class TourismOffer(models.Model):
    """Something to book at a village: capacity is guests per date (per night for stays)."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="tourism_offers",
                                verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price per guest per night or day (CNY)"), **MONEY)
    capacity = models.PositiveIntegerField(_("guests per date"))
    min_nights = models.PositiveIntegerField(_("minimum nights or days"), default=1)
    max_nights = models.PositiveIntegerField(_("maximum nights or days"), default=14)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices,
                              default=ListingStatus.DRAFT, db_index=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tourism offer")
        verbose_name_plural = _("tourism offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offer_capacity_gte_1"),
            models.CheckConstraint(condition=Q(price__gte=0), name="offer_price_gte_0"),
            models.CheckConstraint(condition=Q(min_nights__gte=1, max_nights__gte=F("min_nights")),
                                   name="offer_nights_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overnight(self) -> bool:
        return self.kind in OVERNIGHT_KINDS

    def occupied_dates(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Nights [start, end) for stays; days [start, end] for day trips and experiences."""
        last = end - dt.timedelta(days=1) if self.overnight else end
        return [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]


class TourismOfferPhoto(Photo):
    offer = models.ForeignKey(TourismOffer, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("tourism offer"))

    class Meta(Photo.Meta):
        verbose_name = _("tourism offer photo")
        verbose_name_plural = _("tourism offer photos")


class OfferDay(models.Model):
    """Capacity and bookings of one offer on one date; the row each booking locks."""

    offer = models.ForeignKey(TourismOffer, on_delete=models.CASCADE, related_name="days",
                              verbose_name=_("tourism offer"))
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    booked = models.PositiveIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("offer date")
        verbose_name_plural = _("offer dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "date"], name="offer_day_unique"),
            models.CheckConstraint(condition=Q(booked__gte=0, booked__lte=F("capacity")),
                                   name="offer_day_booked_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.date}: {self.booked}/{self.capacity}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired (not confirmed in time)")


# Bookings that hold no places (left out of capacity, flows and the ledger).
RELEASED_BOOKING_STATUSES = (BookingStatus.CANCELLED, BookingStatus.EXPIRED)


class Booking(models.Model):
    offer = models.ForeignKey(TourismOffer, on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("tourism offer"))
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="village_bookings", verbose_name=_("guest"))
    community = models.ForeignKey(Community, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("guest's community"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("pairing"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    guests = models.PositiveIntegerField(_("guests"))
    nights = models.PositiveIntegerField(_("nights or days"))
    total = models.DecimalField(_("total (CNY)"), **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices,
                              default=BookingStatus.REQUESTED, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # An unconfirmed request holds its places until then (settings.BOOKING_HOLD_HOURS); the
    # periodic `booking_release_expired` frees them once.
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(guests__gte=1), name="booking_guests_gte_1"),
            models.CheckConstraint(condition=Q(nights__gte=1), name="booking_nights_gte_1"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="booking_dates_ordered"),
            models.CheckConstraint(condition=Q(total__gte=Decimal("0")), name="booking_total_gte_0"),
            models.CheckConstraint(condition=~Q(status="requested") | Q(hold_expires_at__isnull=False),
                                   name="booking_request_has_hold_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} · {self.start_date}–{self.end_date} · {self.guests}"
