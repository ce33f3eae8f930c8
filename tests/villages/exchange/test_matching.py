"""Rankings against hand-computed scores: 50 × skills + 30 × days + 20 × (1 − km/100)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from synergy.core.models import Role
from tests.factories import CommunityFactory, MembershipFactory, PairingFactory, VillageFactory
from tests.villages.exchange.factories import JobFactory, LabourOfferFactory, NeedFactory, SlotFactory
from villages.exchange import matching
from villages.exchange.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def _next(weekday: int, hour: int = 10) -> datetime.datetime:
    today = timezone.localtime()
    days = (weekday - today.weekday()) % 7 or 7
    day = (today + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0,
                                                          microsecond=0)
    return day


def test_score_formula_by_hand():
    m = matching.score(wanted_skills=["teaching", "english"], skills=["teaching", "music_art"],
                       wanted_days=[5, 0], days=[5], distance_km=Decimal("40.0"))
    assert [p.points for p in m.parts] == [25.0, 15.0, 12.0]
    assert m.score == 52.0
    assert "1 of 2" in m.explanation and "40 km" in m.explanation
    assert matching.score(wanted_skills=[], skills=[], wanted_days=[], days=[],
                          distance_km=None).score == 80.0
    assert matching.score(wanted_skills=["x"], skills=["x"], wanted_days=[1], days=[],
                          distance_km=250).score == 50.0


def test_volunteer_needs_recommended_ranked_with_breakdown(api_as, community, village, pairing,
                                                           resident):
    near_village = VillageFactory()
    PairingFactory(community=community, village=near_village, distance_km=Decimal("10.0"))
    VolunteerProfile.objects.create(user=resident, skills=["teaching"], weekdays=[5])
    a = NeedFactory(village=village, skills=["teaching", "english"])
    SlotFactory(need=a, starts_at=_next(5))  # Saturday: free
    SlotFactory(need=a, starts_at=_next(0))  # Monday: not free
    SlotFactory(need=a, starts_at=_next(6), capacity=1, taken=1)  # full: ignored
    b = NeedFactory(village=near_village, skills=["technology"])
    SlotFactory(need=b, starts_at=_next(5))
    c = NeedFactory(village=village, skills=[])
    SlotFactory(need=c, starts_at=_next(6))
    NeedFactory(village=village)  # no slots: not recommended

    r = api_as(resident).get("/api/v1/volunteer-needs/recommended/")

    assert r.status_code == 200
    ranked = [(row["id"], row["match"]["score"]) for row in r.json()]
    # c: 50 + 0 + 12 = 62; a: 25 + 15 + 12 = 52; b: 0 + 30 + 18 = 48
    assert ranked == [(c.pk, 62.0), (a.pk, 52.0), (b.pk, 48.0)]
    a_row = r.json()[1]
    assert a_row["match"]["breakdown"]["skills"] == {
        "points": 25.0, "max": 50, "detail": "skills: 1 of 2 wanted (Teaching)"}
    assert a_row["match"]["breakdown"]["availability"]["points"] == 15.0
    assert a_row["match"]["breakdown"]["distance"]["detail"] == "distance: 40 km"


def test_jobs_recommended_for_worker_and_workers_for_job(api_as, community, village, pairing,
                                                          worker, merchant):
    far = CommunityFactory()
    PairingFactory(community=far, village=village, distance_km=Decimal("90.0"))
    same_place = CommunityFactory(latitude=village.latitude, longitude=village.longitude)
    offer = LabourOfferFactory(worker=worker, village=village, skills=["cleaning", "repairs"],
                               weekdays=[0, 1, 2])
    j1 = JobFactory(community=community, posted_by=merchant, skills=["cleaning"], weekdays=[0, 1])
    j2 = JobFactory(community=far, skills=["security", "cleaning"], weekdays=[5, 6])
    j3 = JobFactory(community=same_place, skills=["repairs"], weekdays=[])

    r = api_as(worker).get("/api/v1/jobs/recommended/")
    # j3: 50 + 30 + 20 (0 km) = 100; j1: 50 + 30 + 12 = 92; j2: 25 + 0 + 2 = 27
    assert [(row["id"], row["match"]["score"]) for row in r.json()] == [
        (j3.pk, 100.0), (j1.pk, 92.0), (j2.pk, 27.0)]

    other_village = VillageFactory()
    PairingFactory(community=community, village=other_village, distance_km=Decimal("5.0"))
    other_worker = MembershipFactory(role=Role.RURAL_WORKER, village=other_village, unit="").user
    o2 = LabourOfferFactory(worker=other_worker, village=other_village, skills=["cooking"],
                            weekdays=[0])
    r = api_as(merchant).get(f"/api/v1/jobs/{j1.pk}/recommended-workers/")
    # offer: 92 (as above); o2: 0 + 15 (Monday of Mon–Tue) + 19 (5 km) = 34
    assert [(row["id"], row["match"]["score"]) for row in r.json()] == [
        (offer.pk, 92.0), (o2.pk, 34.0)]
    assert "availability: free on 1 of 2 days" in r.json()[1]["match"]["explanation"]
