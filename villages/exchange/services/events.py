"""Cultural exchange events between a community and a village, with capacity-safe registration."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import COMMUNITY_ROLES, VILLAGE_ROLES, Pairing, User
from synergy.core.services import notify
from villages.exchange.errors import AlreadyDone, EventFull, EventStarted
from villages.exchange.models import Event, Registration, SignupStatus


@transaction.atomic
def event_create(*, created_by: User, pairing: Pairing, host: str, kind: str, title: str,
                 place: str, starts_at, ends_at, capacity: int, description: str = "") -> Event:
    if not core_selectors.user_may_organise_event(user=created_by, pairing=pairing):
        raise NotAllowed(_("Only the village's coordinator or the community's property manager "
                           "can organise an event for this pairing."))
    if starts_at <= timezone.now():
        raise Invalid(_("An event cannot start in the past; choose a later start."),
                      field="starts_at")
    if ends_at <= starts_at:
        raise Invalid(_("An event must end after it starts."), field="ends_at")
    if capacity < 1:
        raise Invalid(_("An event needs at least one place."), field="capacity")
    return Event.objects.create(pairing=pairing, host=host, kind=kind, title=title, place=place,
                                starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                                description=description, created_by=created_by)


@transaction.atomic
def registration_create(*, person: User, event: Event | int) -> Registration:
    if not core_selectors.user_has_role(user=person, role=list(COMMUNITY_ROLES + VILLAGE_ROLES)):
        raise NotAllowed(_("Join a community or a village first to register for events."))
    event_id = event if isinstance(event, int) else event.pk
    locked = Event.objects.select_for_update().get(pk=event_id)
    if locked.starts_at <= timezone.now():
        raise EventStarted(_("This event has already started."))
    if Registration.objects.filter(event=locked, person=person, status=SignupStatus.ACTIVE).exists():
        raise AlreadyDone(_("You are already registered for this event."))
    if locked.taken >= locked.capacity:
        raise EventFull(_("This event is full."))
    try:
        with transaction.atomic():
            registration = Registration.objects.create(event=locked, person=person)
    except IntegrityError:
        raise AlreadyDone(_("You are already registered for this event.")) from None
    Event.objects.filter(pk=locked.pk).update(taken=F("taken") + 1)
    if locked.created_by_id:
        notify(recipient=locked.created_by, kind="exchange.event_registration",
               message=lambda: _("%(who)s registered for “%(event)s”.") % {"who": person,
                                                                   "event": locked.title},
               url=reverse("exchange:event-detail", args=[locked.pk]))
    return registration


@transaction.atomic
def registration_cancel(*, person: User, registration: Registration) -> Registration:
    if registration.person_id != person.pk:
        raise NotAllowed(_("This registration is not yours."))
    Event.objects.select_for_update().filter(pk=registration.event_id).first()
    if Registration.objects.filter(pk=registration.pk, status=SignupStatus.ACTIVE).update(
            status=SignupStatus.CANCELLED) != 1:
        raise AlreadyDone(_("This registration is already cancelled."))
    Event.objects.filter(pk=registration.event_id).update(taken=F("taken") - 1)
    registration.status = SignupStatus.CANCELLED
    return registration
