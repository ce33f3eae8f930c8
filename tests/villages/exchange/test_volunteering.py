"""Sign-ups: the API contract, overlap, cancellation, .ics, confirmed hours."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from synergy.core.models import Notification
from tests.villages.exchange.factories import SlotFactory
from villages.exchange import services
from villages.exchange.models import Signup

pytestmark = pytest.mark.django_db


def _signup(api_as, user, slot):
    return api_as(user).post(f"/api/v1/volunteer-slots/{slot.pk}/signups/")


def test_signup_201_then_409_when_already_signed_up(api_as, resident, slot, coordinator):
    first = _signup(api_as, resident, slot)
    again = _signup(api_as, resident, slot)
    assert first.status_code == 201
    assert first.json()["slot"]["taken"] == 1
    assert again.status_code == 409
    assert "already signed up" in again.json()["detail"]
    assert Notification.objects.filter(recipient=coordinator, kind="exchange.volunteer_signup").count() == 1


def test_full_slot_is_409(api_as, resident, manager, need):
    slot = SlotFactory(need=need, capacity=1)
    assert _signup(api_as, manager, slot).status_code == 201
    r = _signup(api_as, resident, slot)
    assert r.status_code == 409 and "full" in r.json()["detail"]


def test_overlapping_slot_is_409_with_a_sentence(api_as, resident, need, slot):
    overlapping = SlotFactory(need=need, starts_at=slot.starts_at + datetime.timedelta(hours=1))
    later = SlotFactory(need=need, starts_at=slot.ends_at)  # touching, not overlapping
    assert _signup(api_as, resident, slot).status_code == 201
    r = _signup(api_as, resident, overlapping)
    assert r.status_code == 409
    assert "overlaps" in r.json()["detail"] and need.title in r.json()["detail"]
    assert _signup(api_as, resident, later).status_code == 201


def test_cancellation_frees_the_place(api_as, resident, manager, need):
    slot = SlotFactory(need=need, capacity=1)
    signup_id = _signup(api_as, resident, slot).json()["id"]
    assert _signup(api_as, manager, slot).status_code == 409
    r = api_as(resident).post(f"/api/v1/signups/{signup_id}/cancel/")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert _signup(api_as, manager, slot).status_code == 201
    # And the first person may come back to another slot later; a second cancel is refused.
    assert api_as(resident).post(f"/api/v1/signups/{signup_id}/cancel/").status_code == 409


def test_only_the_volunteer_cancels(api_as, resident, manager, slot):
    signup_id = _signup(api_as, resident, slot).json()["id"]
    assert api_as(manager).post(f"/api/v1/signups/{signup_id}/cancel/").status_code == 403


def test_unique_active_signup_is_a_database_constraint(resident, slot):
    Signup.objects.create(slot=slot, volunteer=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        Signup.objects.create(slot=slot, volunteer=resident)


def test_ics_download_lists_my_slots(client, resident, slot, need):
    services.signup_create(volunteer=resident, slot=slot)
    client.force_login(resident)
    r = client.get("/exchange/volunteer/mine.ics")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert str(events[0]["summary"]) == need.title
    assert events[0].decoded("dtstart") == slot.starts_at.replace(microsecond=0)


def test_coordinator_confirms_hours_after_the_slot(api_as, resident, coordinator,
                                                   other_coordinator, need):
    slot = SlotFactory(need=need, starts_at=timezone.now() + datetime.timedelta(hours=1))
    signup = services.signup_create(volunteer=resident, slot=slot)
    url = f"/api/v1/signups/{signup.pk}/hours/"
    assert api_as(coordinator).post(url, {"hours": "2.5"}).status_code == 409  # not ended yet
    type(slot).objects.filter(pk=slot.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=4),
        ends_at=timezone.now() - datetime.timedelta(hours=1))
    assert api_as(other_coordinator).post(url, {"hours": "2.5"}).status_code == 403
    assert api_as(coordinator).post(url, {"hours": "4"}).status_code == 400  # more than 3 hours
    r = api_as(coordinator).post(url, {"hours": "2.5"})
    assert r.status_code == 200 and r.json()["hours_confirmed"] == "2.50"
    assert api_as(coordinator).post(url, {"hours": "2.5"}).status_code == 409
    signup.refresh_from_db()
    assert signup.hours_confirmed == Decimal("2.5")
    assert Notification.objects.filter(recipient=resident, kind="exchange.hours_confirmed").exists()


def test_profile_round_trip(api_as, resident):
    r = api_as(resident).put("/api/v1/volunteer-profile/",
                             {"skills": ["teaching"], "weekdays": [5, 6], "bio": "hi"},
                             format="json")
    assert r.status_code == 200
    assert api_as(resident).get("/api/v1/volunteer-profile/").json()["weekdays"] == [5, 6]
    bad = api_as(resident).put("/api/v1/volunteer-profile/", {"skills": ["juggling"]},
                               format="json")
    assert bad.status_code == 400 and "skills" in bad.json()
