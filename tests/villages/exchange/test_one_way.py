"""The exchange on the one way: the core API base (an anonymous write is 401), permission-aware
selectors that refuse, FilterSets applied in the selectors (a bad value is a 400 naming the
parameter), and the exchange's named domain errors (409)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from synergy.core.errors import Conflict, NotAllowed
from tests.villages.exchange.factories import (
    CampaignFactory,
    EventFactory,
    InvestmentNeedFactory,
    JobFactory,
    LabourOfferFactory,
    NeedFactory,
    SlotFactory,
)
from villages.exchange import selectors, services
from villages.exchange.errors import EventFull, RepeatDonation, SlotFull
from villages.exchange.models import InvestmentInterest, JobApplication

pytestmark = pytest.mark.django_db

SOON = timezone.now() + datetime.timedelta(days=5)

# --- The core API base: an anonymous write is 401 on every exchange endpoint ------------------

ANONYMOUS_WRITES = [
    ("post", "/api/v1/campaigns/"),
    ("post", "/api/v1/campaigns/1/donations/"),
    ("post", "/api/v1/campaigns/1/spending/"),
    ("post", "/api/v1/volunteer-needs/"),
    ("post", "/api/v1/volunteer-needs/1/slots/"),
    ("post", "/api/v1/volunteer-slots/1/signups/"),
    ("post", "/api/v1/signups/1/cancel/"),
    ("post", "/api/v1/signups/1/hours/"),
    ("put", "/api/v1/volunteer-profile/"),
    ("post", "/api/v1/investment-needs/"),
    ("post", "/api/v1/investment-needs/1/interests/"),
    ("post", "/api/v1/investment-interests/1/reply/"),
    ("post", "/api/v1/labour-offers/"),
    ("post", "/api/v1/jobs/"),
    ("post", "/api/v1/jobs/1/applications/"),
    ("post", "/api/v1/job-applications/1/decide/"),
    ("post", "/api/v1/events/"),
    ("post", "/api/v1/events/1/registrations/"),
    ("post", "/api/v1/registrations/1/cancel/"),
]


@pytest.mark.parametrize(("method", "url"), ANONYMOUS_WRITES)
def test_anonymous_write_is_401(api_as, method, url):
    response = getattr(api_as(None), method)(url, {}, format="json")
    assert response.status_code == 401, (url, response.status_code)
    assert response["WWW-Authenticate"].startswith("Token")


def test_anonymous_may_read_the_lists(api_as, campaign):
    for url in ("/api/v1/campaigns/", "/api/v1/volunteer-needs/", "/api/v1/investment-needs/",
                "/api/v1/labour-offers/", "/api/v1/jobs/", "/api/v1/events/"):
        assert api_as(None).get(url).status_code == 200, url


def test_a_missing_record_is_404_through_the_one_get_or_404(api_as, resident):
    assert api_as(None).get("/api/v1/campaigns/999999/").status_code == 404
    assert api_as(resident).post("/api/v1/campaigns/999999/donations/", {"amount": "5"},
                                 format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 404
    assert api_as(None).get("/api/v1/ledger/999999/").status_code == 404


# --- Permission-aware selectors refuse ---------------------------------------------------------


def test_interest_list_for_need_refuses_who_does_not_coordinate(village, resident, coordinator,
                                                                other_coordinator, outsider):
    need = InvestmentNeedFactory(village=village)
    InvestmentInterest.objects.create(need=need, investor=resident,
                                      amount_indicative=Decimal("1000"), message="hi")
    assert selectors.interest_list_for_need(viewer=coordinator, need=need).count() == 1
    for viewer in (None, outsider, resident, other_coordinator):
        with pytest.raises(NotAllowed):
            selectors.interest_list_for_need(viewer=viewer, need=need)
    # The page shows a non-coordinator only their own interest.
    assert list(selectors.interest_list_visible_for_need(viewer=resident, need=need)
                .values_list("investor", flat=True)) == [resident.pk]
    assert not selectors.interest_list_visible_for_need(viewer=outsider, need=need).exists()


def test_application_list_for_job_refuses_all_but_poster_and_managers(
        community, pairing, merchant, manager, worker, resident, outsider, admin_user):
    job = JobFactory(community=community, posted_by=merchant)
    JobApplication.objects.create(job=job, applicant=worker, pairing=pairing)
    for viewer in (merchant, manager, admin_user):
        assert selectors.application_list_for_job(viewer=viewer, job=job).count() == 1
    for viewer in (None, worker, resident, outsider):
        with pytest.raises(NotAllowed):
            selectors.application_list_for_job(viewer=viewer, job=job)
        with pytest.raises(NotAllowed):
            selectors.labour_recommended_for_job(viewer=viewer, job=job)


def test_recommended_workers_api_is_403_for_anyone_but_the_poster(api_as, community, village,
                                                                   merchant, manager, worker):
    job = JobFactory(community=community, posted_by=merchant)
    LabourOfferFactory(village=village, worker=worker)
    url = f"/api/v1/jobs/{job.pk}/recommended-workers/"
    assert api_as(None).get(url).status_code == 401
    assert api_as(worker).get(url).status_code == 403
    assert api_as(merchant).get(url).status_code == 200
    assert len(api_as(manager).get(url).json()) == 1


def test_job_page_shows_applications_to_the_poster_only(client, community, pairing, merchant,
                                                         worker):
    job = JobFactory(community=community, posted_by=merchant, title="Hall cleaning")
    JobApplication.objects.create(job=job, applicant=worker, pairing=pairing, message="Pick me")
    client.force_login(worker)
    assert "Pick me" not in client.get(f"/exchange/jobs/{job.pk}/").content.decode()
    client.force_login(merchant)
    assert "Pick me" in client.get(f"/exchange/jobs/{job.pk}/").content.decode()


# --- Filters in the selectors ------------------------------------------------------------------


@pytest.mark.parametrize(("url", "param"), [
    ("/api/v1/campaigns/?village=abc", "village"),
    ("/api/v1/campaigns/?open=maybe", "open"),
    ("/api/v1/volunteer-needs/?category=nonsense", "category"),
    ("/api/v1/investment-needs/?village=0", "village"),
    ("/api/v1/labour-offers/?skill=juggling", "skill"),
    ("/api/v1/jobs/?community=1;", "community"),
    ("/api/v1/events/?pairing=x", "pairing"),
])
def test_a_bad_filter_value_is_400_naming_the_parameter(api_as, url, param):
    response = api_as(None).get(url)
    assert response.status_code == 400, response.content
    assert param in response.json(), response.json()


def test_list_filters_narrow_the_api_and_the_page(api_as, client, village, other_village,
                                                  pairing):
    mine = CampaignFactory(village=village, title="Ours")
    CampaignFactory(village=other_village, title="Theirs")
    rows = api_as(None).get(f"/api/v1/campaigns/?village={village.pk}").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    page = client.get(f"/exchange/campaigns/?village={village.pk}").content.decode()
    assert "Ours" in page and "Theirs" not in page


def test_a_bad_filter_on_a_page_is_said_and_the_list_shown_unfiltered(client, village):
    CampaignFactory(village=village, title="Still listed")
    response = client.get("/exchange/campaigns/?village=abc")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Still listed" in body and "A whole number is required." in body


def test_event_filter_by_village_of_the_pairing(api_as, pairing, other_village):
    event = EventFactory(pairing=pairing)
    rows = api_as(None).get(f"/api/v1/events/?village={pairing.village_id}").json()["results"]
    assert [r["id"] for r in rows] == [event.pk]
    assert api_as(None).get(f"/api/v1/events/?village={other_village.pk}").json()["results"] == []


# --- Named domain errors -----------------------------------------------------------------------


def test_slot_full_is_raised_and_answers_409(api_as, village, pairing, resident, manager):
    slot = SlotFactory(need=NeedFactory(village=village), capacity=1)
    services.signup_create(volunteer=resident, slot=slot)
    with pytest.raises(SlotFull) as caught:
        services.signup_create(volunteer=manager, slot=slot)
    assert isinstance(caught.value, Conflict) and "full" in caught.value.message
    slot2 = SlotFactory(need=slot.need, capacity=1, starts_at=SOON,
                        ends_at=SOON + datetime.timedelta(hours=1))
    services.signup_create(volunteer=resident, slot=slot2)
    response = api_as(manager).post(f"/api/v1/volunteer-slots/{slot2.pk}/signups/")
    assert response.status_code == 409 and "full" in response.json()["detail"]


def test_event_full_is_raised_and_answers_409(api_as, pairing, resident, worker, manager):
    event = EventFactory(pairing=pairing, capacity=1)
    services.registration_create(person=resident, event=event)
    with pytest.raises(EventFull):
        services.registration_create(person=worker, event=event)
    response = api_as(manager).post(f"/api/v1/events/{event.pk}/registrations/")
    assert response.status_code == 409 and "full" in response.json()["detail"]


def test_the_old_import_paths_of_the_errors_still_work():
    assert services.SlotFull is SlotFull and services.RepeatDonation is RepeatDonation


def test_skill_filter_keeps_needs_that_want_the_skill(api_as, village):
    english = NeedFactory(village=village, skills=["english"])
    NeedFactory(village=village, skills=["cleaning"])
    rows = api_as(None).get("/api/v1/volunteer-needs/?skill=english").json()["results"]
    assert [r["id"] for r in rows] == [english.pk]
