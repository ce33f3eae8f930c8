"""Reads of cultural events and registrations."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import apply_filters
from synergy.core.models import Pairing, User
from villages.exchange.models import Event, Registration, SignupStatus
from villages.exchange.selectors._common import get_or_404, is_logged_in
from villages.exchange.selectors.filters import EventFilter


def event_list(*, upcoming_only: bool = True, pairing: Pairing | int | None = None,
               filters: Mapping | None = None) -> QuerySet[Event]:
    """Events, soonest first, narrowed by `filters` (EventFilter: pairing, village, community,
    kind)."""
    qs = Event.objects.select_related("pairing__community", "pairing__village")
    if upcoming_only:
        qs = qs.filter(ends_at__gt=timezone.now())
    if pairing is not None:
        qs = qs.filter(pairing=pairing)
    return apply_filters(EventFilter, filters, qs.order_by("starts_at", "pk"))


def event_get(*, pk: int) -> Event:
    """One event (public); Http404 if there is none."""
    return get_or_404(Event.objects.select_related("pairing__community", "pairing__village"), pk=pk)


def registration_get(*, pk: int) -> Registration:
    """A registration (the service decides who may cancel it)."""
    return get_or_404(Registration.objects.all(), pk=pk)


def registration_of(*, user: User, event: Event) -> Registration | None:
    if not is_logged_in(user):
        return None
    return Registration.objects.filter(event=event, person=user, status=SignupStatus.ACTIVE).first()


def user_organises_event(*, user: User | None, event: Event) -> bool:
    """Who organises an event: the person who published it, and everyone who may organise events
    for its pairing (the village's coordinators, the community's property managers,
    administrators)."""
    if not is_logged_in(user):
        return False
    return event.created_by_id == user.pk or core_selectors.user_may_organise_event(
        user=user, pairing=event.pairing)


def registration_list_for_organiser(*, viewer: User | None, event: Event) -> QuerySet[Registration]:
    """Who registered (active registrations, earliest first): for the event's organisers only;
    NotAllowed for anyone else."""
    if not user_organises_event(user=viewer, event=event):
        raise NotAllowed(_("Only the event's organisers see who registered."))
    return (Registration.objects.filter(event=event, status=SignupStatus.ACTIVE)
            .select_related("person").order_by("created_at", "pk"))
