"""Events: the organiser sees who registered; slots and events cannot start in the past."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Notification
from tests.villages.exchange.factories import EventFactory
from villages.exchange import selectors, services

pytestmark = pytest.mark.django_db

PAST = timezone.now() - datetime.timedelta(hours=1)


def _client(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_the_organiser_sees_who_registered(pairing, coordinator, resident, manager, outsider,
                                           api_as):
    event = EventFactory(pairing=pairing, created_by=coordinator, title="Harvest day")
    services.registration_create(person=resident, event=event)
    assert [n.recipient for n in Notification.objects.filter(
        kind="exchange.event_registration")] == [coordinator]
    assert [r.person for r in selectors.registration_list_for_organiser(
        viewer=coordinator, event=event)] == [resident]
    assert [r.person for r in selectors.registration_list_for_organiser(
        viewer=manager, event=event)] == [resident]  # the community's property manager too
    for viewer in (resident, outsider, None):
        with pytest.raises(NotAllowed):
            selectors.registration_list_for_organiser(viewer=viewer, event=event)
    page = _client(coordinator).get(f"/exchange/events/{event.pk}/").content.decode()
    assert 'id="registrations"' in page and str(resident) in page
    page = _client(resident).get(f"/exchange/events/{event.pk}/").content.decode()
    assert 'id="registrations"' not in page
    url = f"/api/v1/events/{event.pk}/registrations/"
    assert [r["person"] for r in api_as(coordinator).get(url).json()] == [resident.pk]
    assert api_as(resident).get(url).status_code == 403


def test_a_cancelled_registration_leaves_the_list(pairing, coordinator, resident):
    event = EventFactory(pairing=pairing, created_by=coordinator)
    registration = services.registration_create(person=resident, event=event)
    services.registration_cancel(person=resident, registration=registration)
    assert not selectors.registration_list_for_organiser(viewer=coordinator, event=event).exists()


def test_events_cannot_start_in_the_past(pairing, coordinator, api_as):
    with pytest.raises(Invalid) as exc:
        services.event_create(created_by=coordinator, pairing=pairing, host="village",
                              kind="harvest", title="t", place="p", starts_at=PAST,
                              ends_at=PAST + datetime.timedelta(hours=3), capacity=5)
    assert exc.value.field == "starts_at"
    r = api_as(coordinator).post("/api/v1/events/", {
        "pairing": pairing.pk, "kind": "harvest", "title": "T", "place": "p",
        "starts_at": PAST.isoformat(), "ends_at": (PAST + datetime.timedelta(hours=2)).isoformat(),
        "capacity": 10}, format="json")
    assert r.status_code == 400 and "starts_at" in r.content.decode()


def test_volunteer_slots_cannot_start_in_the_past(need, coordinator, api_as):
    with pytest.raises(Invalid) as exc:
        services.volunteer_slot_create(created_by=coordinator, need=need, starts_at=PAST,
                                       ends_at=PAST + datetime.timedelta(hours=3), capacity=5)
    assert exc.value.field == "starts_at"
    r = api_as(coordinator).post(f"/api/v1/volunteer-needs/{need.pk}/slots/", {
        "starts_at": PAST.isoformat(), "ends_at": (PAST + datetime.timedelta(hours=2)).isoformat(),
        "capacity": 3}, format="json")
    assert r.status_code == 400 and "starts_at" in r.content.decode()
