"""The permission matrix of every write endpoint: anonymous, outsider, wrong scope, right person."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.villages.exchange.factories import (
    CampaignFactory,
    EventFactory,
    InvestmentNeedFactory,
    JobFactory,
    NeedFactory,
    SlotFactory,
)
from villages.exchange import services
from villages.exchange.models import (
    BudgetLine,
    InvestmentInterest,
    JobApplication,
    Registration,
    Signup,
)

pytestmark = pytest.mark.django_db

SOON = timezone.now() + datetime.timedelta(days=5)


@pytest.fixture
def world(community, village, pairing, resident, coordinator, worker, merchant, other_coordinator,
          outsider):
    campaign = CampaignFactory(village=village)
    line = BudgetLine.objects.create(campaign=campaign, label="Books", planned=Decimal("100"))
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("500"),
                           idempotency_key="seed")
    need = NeedFactory(village=village)
    slot = SlotFactory(need=need)
    past_slot = SlotFactory(need=need, starts_at=timezone.now() - datetime.timedelta(hours=5),
                            ends_at=timezone.now() - datetime.timedelta(hours=2))
    signup = services.signup_create(volunteer=resident, slot=slot)
    past_signup = Signup.objects.create(slot=past_slot, volunteer=resident, pairing=pairing)
    inv = InvestmentNeedFactory(village=village)
    interest = InvestmentInterest.objects.create(need=inv, investor=resident,
                                                 amount_indicative=Decimal("1000"), message="hi")
    job = JobFactory(community=community, posted_by=merchant)
    application = JobApplication.objects.create(job=job, applicant=worker, pairing=pairing)
    event = EventFactory(pairing=pairing)
    registration = services.registration_create(person=resident, event=event)
    return locals()


ENDPOINTS = {
    # name: (url(world), body(world), allowed persona, wrong-scope persona or None)
    "campaign-create": (lambda w: "/api/v1/campaigns/",
                        lambda w: {"village": w["village"].pk, "title": "T", "purpose": "P",
                                   "goal": "100.00", "deadline": str(SOON.date())},
                        "coordinator", "other_coordinator"),
    "donate": (lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/donations/",
               lambda w: {"amount": "5.00"}, "resident", None),
    "spending": (lambda w: f"/api/v1/campaigns/{w['campaign'].pk}/spending/",
                 lambda w: {"budget_line": w["line"].pk, "amount": "10.00", "description": "x",
                            "spent_on": str(timezone.localdate())},
                 "coordinator", "other_coordinator"),
    "need-create": (lambda w: "/api/v1/volunteer-needs/",
                    lambda w: {"village": w["village"].pk, "title": "T", "category": "health"},
                    "coordinator", "other_coordinator"),
    "slot-create": (lambda w: f"/api/v1/volunteer-needs/{w['need'].pk}/slots/",
                    lambda w: {"starts_at": SOON.isoformat(),
                               "ends_at": (SOON + datetime.timedelta(hours=2)).isoformat(),
                               "capacity": 3},
                    "coordinator", "other_coordinator"),
    "signup": (lambda w: f"/api/v1/volunteer-slots/{w['slot'].pk}/signups/", lambda w: {},
               "manager", None),
    "signup-cancel": (lambda w: f"/api/v1/signups/{w['signup'].pk}/cancel/", lambda w: {},
                      "resident", "manager"),
    "signup-hours": (lambda w: f"/api/v1/signups/{w['past_signup'].pk}/hours/",
                     lambda w: {"hours": "2"}, "coordinator", "other_coordinator"),
    "investment-create": (lambda w: "/api/v1/investment-needs/",
                          lambda w: {"village": w["village"].pk, "title": "T", "sector": "s",
                                     "amount_sought": "1000", "use_of_funds": "u",
                                     "model": "loan"},
                          "coordinator", "other_coordinator"),
    "interest": (lambda w: f"/api/v1/investment-needs/{w['inv'].pk}/interests/",
                 lambda w: {"amount_indicative": "5000", "message": "m"}, "merchant", None),
    "interest-reply": (lambda w: f"/api/v1/investment-interests/{w['interest'].pk}/reply/",
                       lambda w: {"reply": "ok", "status": "in_talks"},
                       "coordinator", "other_coordinator"),
    "labour-create": (lambda w: "/api/v1/labour-offers/",
                      lambda w: {"village": w["village"].pk, "title": "T", "skills": ["cleaning"],
                                 "weekdays": [1], "expected_daily_pay": "180"},
                      "worker", "coordinator"),
    "job-create": (lambda w: "/api/v1/jobs/",
                   lambda w: {"community": w["community"].pk, "title": "T", "kind": "cleaning",
                              "daily_pay": "200"},
                   "merchant", "resident"),
    "job-apply": (lambda w: f"/api/v1/jobs/{JobFactory(community=w['community']).pk}/applications/",
                  lambda w: {}, "worker", "resident"),
    "application-decide": (lambda w: f"/api/v1/job-applications/{w['application'].pk}/decide/",
                           lambda w: {"accept": True}, "merchant", "resident"),
    "application-withdraw": (lambda w: f"/api/v1/job-applications/{w['application'].pk}/withdraw/",
                             lambda w: {}, "worker", "merchant"),
    "event-create": (lambda w: "/api/v1/events/",
                     lambda w: {"pairing": w["pairing"].pk, "kind": "harvest", "title": "T",
                                "place": "p", "starts_at": SOON.isoformat(),
                                "ends_at": (SOON + datetime.timedelta(hours=2)).isoformat(),
                                "capacity": 10},
                     "coordinator", "other_coordinator"),
    "event-register": (lambda w: f"/api/v1/events/{w['event'].pk}/registrations/", lambda w: {},
                       "worker", None),
    "registration-cancel": (lambda w: f"/api/v1/registrations/{w['registration'].pk}/cancel/",
                            lambda w: {}, "resident", "worker"),
}


def _post(client, url, body):
    return client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="perm-key")


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_write_endpoint_permission_matrix(api_as, world, manager, name):
    url, body, allowed, wrong = ENDPOINTS[name]
    people = {**world, "manager": manager}
    target, payload = url(world), body(world)

    assert _post(api_as(None), target, payload).status_code in (401, 403)
    assert _post(api_as(world["outsider"]), target, payload).status_code == 403
    if wrong:
        assert _post(api_as(people[wrong]), target, payload).status_code == 403
    ok = _post(api_as(people[allowed]), target, payload)
    assert ok.status_code in (200, 201), ok.json()


def test_profile_and_notifications_need_a_login(api_as):
    assert api_as(None).put("/api/v1/volunteer-profile/", {}, format="json").status_code in (401, 403)
    assert api_as(None).post("/api/v1/notifications/read/").status_code in (401, 403)


def test_registration_for_full_event_is_409(api_as, world):
    event = EventFactory(pairing=world["pairing"], capacity=1)
    assert api_as(world["resident"]).post(f"/api/v1/events/{event.pk}/registrations/").status_code == 201
    r = api_as(world["worker"]).post(f"/api/v1/events/{event.pk}/registrations/")
    assert r.status_code == 409 and "full" in r.json()["detail"]
    assert Registration.objects.filter(event=event).count() == 1
