"""Reads of bookings: a guest's, a village's, the unconfirmed holds."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.models import User, Village
from villages.models import Booking, BookingStatus
from villages.selectors._common import get_or_404, require_coordinator, require_login


def booking_list_for_guest(*, guest: User | None) -> QuerySet[Booking]:
    """The caller's own bookings; NotAllowed for an anonymous caller."""
    require_login(guest)
    return (Booking.objects.filter(guest=guest).select_related("offer__village", "guest")
            .order_by("-start_date", "-id"))


def booking_list_for_village(*, viewer: User | None, village: Village | int,
                             upcoming: bool = False) -> QuerySet[Booking]:
    """A village's bookings for its coordinators (NotAllowed for anyone else), soonest first;
    `upcoming`: only live ones (requested or confirmed) that have not ended."""
    require_coordinator(user=viewer, village=village,
                        message=_("Only this village's coordinators can see its bookings."))
    qs = Booking.objects.filter(offer__village=village)
    if upcoming:
        qs = qs.filter(end_date__gte=timezone.localdate()).exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.EXPIRED])
    return qs.select_related("offer", "guest").order_by("start_date", "id")


def booking_holds_for_village(*, viewer: User | None, village: Village | int) -> QuerySet[Booking]:
    """Unconfirmed requests still holding places, soonest expiry first, with the holder; for the
    village's coordinators only."""
    require_coordinator(user=viewer, village=village,
                        message=_("Only this village's coordinators can see its bookings."))
    return (Booking.objects.filter(offer__village=village, status=BookingStatus.REQUESTED,
                                   hold_expires_at__gt=timezone.now())
            .select_related("offer", "guest").order_by("hold_expires_at", "id"))


def booking_get_for_user(*, user: User | None, pk: int) -> Booking:
    """The guest's own booking, or one of a village the user coordinates; NotAllowed for an
    anonymous caller, Http404 for anyone else."""
    require_login(user)
    booking = get_or_404(Booking.objects.select_related("offer__village", "guest"), pk=pk)
    if booking.guest_id != user.pk and not core_selectors.user_coordinates_village(
            user=user, village=booking.offer.village_id):
        raise Http404
    return booking
