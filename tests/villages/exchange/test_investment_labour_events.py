"""Investment interest, labour and jobs, events: statuses and rules behind the API."""

from decimal import Decimal

import pytest

from synergy.core.errors import Conflict, Invalid
from synergy.core.models import Notification, Role
from tests.factories import MembershipFactory
from tests.villages.exchange.factories import EventFactory, InvestmentNeedFactory, JobFactory
from villages.exchange import services
from villages.exchange.models import Job, JobApplication

pytestmark = pytest.mark.django_db


def test_interest_once_per_investor_then_answered_and_tracked(api_as, village, pairing, merchant,
                                                              coordinator):
    need = InvestmentNeedFactory(village=village)
    url = f"/api/v1/investment-needs/{need.pk}/interests/"
    body = {"amount_indicative": "20000", "message": "Interested", "organisation": "Shop"}
    first = api_as(merchant).post(url, body)
    assert first.status_code == 201 and first.json()["status"] == "sent"
    assert first.json()["pairing"] == pairing.pk
    assert api_as(merchant).post(url, body).status_code == 409
    assert Notification.objects.filter(recipient=coordinator, kind="exchange.investment_interest").exists()

    reply_url = f"/api/v1/investment-interests/{first.json()['id']}/reply/"
    assert api_as(coordinator).post(reply_url, {"reply": "x", "status": "sent"}).status_code == 400
    r = api_as(coordinator).post(reply_url, {"reply": "Come and visit", "status": "in_talks"})
    assert r.status_code == 200 and r.json()["status"] == "in_talks"
    r = api_as(coordinator).post(reply_url, {"reply": "Signed", "status": "agreed"})
    assert r.json()["status"] == "agreed"
    assert api_as(coordinator).post(reply_url, {"reply": "again", "status": "declined"}
                                    ).status_code == 409
    assert Notification.objects.filter(recipient=merchant, kind="exchange.investment_reply").count() == 2


def test_accepting_the_last_position_fills_the_job(community, village, pairing, merchant, worker):
    job = JobFactory(community=community, posted_by=merchant, positions=1)
    a1 = services.job_apply(applicant=worker, job=job, message="me")
    assert a1.pairing_id == pairing.pk
    worker2 = MembershipFactory(role=Role.RURAL_WORKER, village=village, unit="").user
    a2 = services.job_apply(applicant=worker2, job=job)
    with pytest.raises(Conflict):
        services.job_apply(applicant=worker, job=job)

    services.application_decide(decided_by=merchant, application=a1, accept=True)
    job.refresh_from_db()
    assert job.status == "closed"
    with pytest.raises(Conflict):
        services.application_decide(decided_by=merchant, application=a2, accept=True)
    services.application_decide(decided_by=merchant, application=a2, accept=False)
    assert list(JobApplication.objects.order_by("pk").values_list("status", flat=True)) == [
        "accepted", "rejected"]
    assert Notification.objects.filter(recipient=worker, kind="exchange.application_decided").exists()


def test_labour_offer_and_job_validation(api_as, community, village, worker, merchant):
    r = api_as(worker).post("/api/v1/labour-offers/", {
        "village": village.pk, "title": "Help", "skills": ["flying"], "weekdays": [1],
        "expected_daily_pay": "150"}, format="json")
    assert r.status_code == 400 and "skills" in r.json()
    r = api_as(merchant).post("/api/v1/jobs/", {
        "community": community.pk, "title": "Guard", "kind": "security", "weekdays": [9],
        "daily_pay": "0"}, format="json")
    assert r.status_code == 400 and {"weekdays", "daily_pay"} <= set(r.json())
    assert Job.objects.count() == 0
    with pytest.raises(Invalid):
        services.job_create(posted_by=merchant, community=community, title="t", kind="other",
                            skills=[], weekdays=[], daily_pay=Decimal("100"), positions=0)


def test_event_registration_cancel_frees_a_place(api_as, pairing, resident, worker):
    event = EventFactory(pairing=pairing, capacity=1)
    reg = api_as(resident).post(f"/api/v1/events/{event.pk}/registrations/")
    assert reg.status_code == 201
    assert api_as(worker).post(f"/api/v1/events/{event.pk}/registrations/").status_code == 409
    assert api_as(resident).post(f"/api/v1/registrations/{reg.json()['id']}/cancel/"
                                 ).status_code == 200
    assert api_as(worker).post(f"/api/v1/events/{event.pk}/registrations/").status_code == 201
    event.refresh_from_db()
    assert event.taken == 1


def test_list_endpoints_are_public_and_bounded(api_as, community, village, pairing, merchant,
                                               django_assert_num_queries):
    for _ in range(3):
        JobFactory(community=community, posted_by=merchant)
    # 1 count for pagination, 1 jobs with community and poster (annotated application count)
    with django_assert_num_queries(2):
        r = api_as(None).get("/api/v1/jobs/")
    assert r.status_code == 200 and r.json()["count"] == 3
