"""Campaigns and investment needs are reviewed before they are public; the decision and the
reviewer's note reach the coordinator; editing the text sends them back to review."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Notification
from tests.villages.exchange.factories import CampaignFactory, InvestmentNeedFactory
from villages.exchange import selectors, services
from villages.exchange.desk import panels
from villages.exchange.errors import NotReviewed
from villages.exchange.models import Campaign, ReviewStatus

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _new_campaign(coordinator, village):
    return services.campaign_create(
        created_by=coordinator, village=village, title="Library corner", purpose="Books",
        goal=Decimal("1000"), deadline=timezone.localdate() + datetime.timedelta(days=10))


def _new_need(coordinator, village):
    return services.investment_need_create(
        created_by=coordinator, village=village, title="Cold store", sector="farming",
        amount_sought=Decimal("50000"), use_of_funds="A cold store", model="loan")


def test_a_new_campaign_waits_for_review_and_is_not_public(coordinator, village, pairing,
                                                          resident, community, api_as):
    campaign = _new_campaign(coordinator, village)
    assert campaign.review_status == ReviewStatus.PENDING
    assert campaign not in selectors.campaign_list()
    assert campaign in selectors.campaign_list_for_coordinator(user=coordinator)
    assert not [i for i in selectors.channel_feed(community=community) if i.kind == "campaign"]
    assert _client(resident).get(f"/exchange/campaigns/{campaign.pk}/").status_code == 404
    assert _client(None).get(f"/exchange/campaigns/{campaign.pk}/").status_code == 404
    assert api_as(resident).get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404
    assert campaign.pk not in [c["id"] for c in api_as(None).get("/api/v1/campaigns/").json()["results"]]
    page = _client(coordinator).get(f"/exchange/campaigns/{campaign.pk}/")
    assert page.status_code == 200 and 'data-review="pending"' in page.content.decode()
    with pytest.raises(NotReviewed):
        services.donation_give(donor=resident, campaign=campaign, amount=Decimal("5"),
                               idempotency_key="k")


def test_notifies_exchange_campaign_reviewed_on_approval(coordinator, other_coordinator, village,
                                                         pairing, admin_user, community):
    campaign = _new_campaign(coordinator, village)
    with pytest.raises(NotAllowed):
        services.campaign_review(by=coordinator, campaign=campaign, approve=True)
    services.campaign_review(by=admin_user, campaign=campaign, approve=True, note="  Looks good ")
    campaign.refresh_from_db()
    assert campaign.review_status == ReviewStatus.APPROVED and campaign.review_note == "Looks good"
    assert campaign.reviewed_by == admin_user
    notes = Notification.objects.filter(kind="exchange.campaign_reviewed")
    assert [n.recipient for n in notes] == [coordinator]
    assert "Looks good" in notes[0].message
    assert campaign in selectors.campaign_list()
    assert [i.id for i in selectors.channel_feed(community=community) if i.kind == "campaign"] == [
        campaign.pk]
    with pytest.raises(Conflict):  # reviewed once
        services.campaign_review(by=admin_user, campaign=campaign, approve=False, note="no")


def test_rejection_needs_a_note_and_editing_resubmits(coordinator, village, pairing, admin_user):
    campaign = _new_campaign(coordinator, village)
    with pytest.raises(Invalid) as exc:
        services.campaign_review(by=admin_user, campaign=campaign, approve=False, note=" ")
    assert exc.value.field == "note"
    services.campaign_review(by=admin_user, campaign=campaign, approve=False,
                             note="Say which school")
    campaign.refresh_from_db()
    assert campaign.review_status == ReviewStatus.REJECTED
    note = Notification.objects.get(kind="exchange.campaign_reviewed", recipient=coordinator)
    assert "Say which school" in note.message
    page = _client(coordinator).get(f"/exchange/campaigns/{campaign.pk}/edit/").content.decode()
    assert "Say which school" in page  # the note in view while editing
    r = _client(coordinator).post(f"/exchange/campaigns/{campaign.pk}/edit/", {
        "title": "Library corner of Wanxichong school", "purpose": "Books",
        "goal": "1000", "deadline": campaign.deadline.isoformat()})
    assert r.status_code == 302
    campaign.refresh_from_db()
    assert campaign.review_status == ReviewStatus.PENDING
    assert campaign in selectors.review_queue(viewer=admin_user).campaigns


def test_editing_an_approved_campaigns_text_sends_it_back(coordinator, village, pairing):
    campaign = CampaignFactory(village=village)
    services.campaign_update(by=coordinator, campaign=campaign,
                             deadline=campaign.deadline + datetime.timedelta(days=1))
    campaign.refresh_from_db()
    assert campaign.review_status == ReviewStatus.APPROVED  # the date is not its text
    services.campaign_update(by=coordinator, campaign=campaign, purpose="Books and shelves")
    campaign.refresh_from_db()
    assert campaign.review_status == ReviewStatus.PENDING


def test_only_coordinators_edit_and_only_admins_see_the_queue(coordinator, other_coordinator,
                                                            village, pairing, resident):
    campaign = CampaignFactory(village=village)
    with pytest.raises(NotAllowed):
        services.campaign_update(by=other_coordinator, campaign=campaign, title="Mine")
    with pytest.raises(NotAllowed):
        selectors.review_queue(viewer=coordinator)
    assert _client(coordinator).get("/exchange/review/").status_code == 403
    assert _client(resident).get(f"/exchange/campaigns/{campaign.pk}/edit/").status_code == 404


def test_admin_reviews_from_the_exchange_review_page(coordinator, village, pairing, admin_user):
    campaign = _new_campaign(coordinator, village)
    need = _new_need(coordinator, village)
    page = _client(admin_user).get("/exchange/review/").content.decode()
    assert "Library corner" in page and "Cold store" in page
    r = _client(admin_user).post(f"/exchange/review/campaign/{campaign.pk}/",
                                 {"decision": "approve", "note": ""})
    assert r.status_code == 302
    r = _client(admin_user).post(f"/exchange/review/investment/{need.pk}/",
                                 {"decision": "reject", "note": "Add the accounts"})
    campaign.refresh_from_db()
    need.refresh_from_db()
    assert campaign.review_status == "approved" and need.review_status == "rejected"
    assert need.review_note == "Add the accounts"
    assert _client(admin_user).get("/exchange/review/x/1/", follow=False).status_code == 405
    assert _client(admin_user).post("/exchange/review/x/1/").status_code == 404


def test_notifies_exchange_investment_reviewed(coordinator, village, pairing, admin_user, resident,
                                               api_as):
    need = _new_need(coordinator, village)
    assert need not in selectors.investment_need_list()
    assert _client(resident).get(f"/exchange/investment/{need.pk}/").status_code == 404
    assert api_as(resident).post(f"/api/v1/investment-needs/{need.pk}/interests/", {
        "amount_indicative": "100", "message": "hi"}).status_code == 404
    services.investment_need_review(by=admin_user, need=need, approve=False, note="Add accounts")
    notes = Notification.objects.filter(kind="exchange.investment_reviewed")
    assert [n.recipient for n in notes] == [coordinator] and "Add accounts" in notes[0].message
    services.investment_need_update(by=coordinator, need=need, use_of_funds="A cold store; accounts")
    need.refresh_from_db()
    assert need.review_status == ReviewStatus.PENDING
    services.investment_need_review(by=admin_user, need=need, approve=True)
    assert Notification.objects.filter(kind="exchange.investment_reviewed").count() == 2
    assert need in selectors.investment_need_list()
    assert _client(resident).get(f"/exchange/investment/{need.pk}/").status_code == 200


def test_pending_interest_refused_in_the_service(coordinator, village, pairing, resident):
    need = InvestmentNeedFactory(village=village, review_status="pending")
    with pytest.raises(NotReviewed):
        services.interest_express(investor=resident, need=need, amount_indicative=Decimal("10"),
                                  message="hi")


def test_the_database_refuses_a_rejection_without_a_note(village):
    campaign = CampaignFactory(village=village)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(review_status="rejected", review_note="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(review_status="maybe")


def test_admin_desk_links_to_the_review_page(coordinator, village, pairing, admin_user):
    _new_campaign(coordinator, village)
    items = panels(user=admin_user, role="admin")[0].items
    assert items[0].url == "/exchange/review/" and items[0].status == "1"


def test_migration_approves_what_was_public_before(transactional_db, village):
    executor = MigrationExecutor(connection)
    executor.migrate([("exchange", "0003_private_files_unguessable_names")])
    old = executor.loader.project_state([("exchange", "0003_private_files_unguessable_names")]).apps
    row = old.get_model("exchange", "Campaign").objects.create(
        village_id=village.pk, title="Old", purpose="p", goal=Decimal("10"),
        deadline=timezone.localdate())
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Campaign.objects.get(pk=row.pk).review_status == ReviewStatus.APPROVED


def test_review_through_the_api_is_for_administrators(coordinator, village, pairing, admin_user,
                                                      resident, api_as):
    campaign = _new_campaign(coordinator, village)
    need = _new_need(coordinator, village)
    url = f"/api/v1/campaigns/{campaign.pk}/review/"
    assert api_as(resident).post(url, {"approve": True}).status_code == 404  # not public yet
    assert api_as(coordinator).post(url, {"approve": True}).status_code == 403
    r = api_as(admin_user).post(url, {"approve": False})
    assert r.status_code == 400 and "note" in r.content.decode()
    r = api_as(admin_user).post(url, {"approve": True, "note": "ok"})
    assert r.status_code == 200 and r.json()["review_status"] == "approved"
    assert api_as(admin_user).post(url, {"approve": True}).status_code == 409
    r = api_as(admin_user).post(f"/api/v1/investment-needs/{need.pk}/review/",
                                {"approve": False, "note": "Add the accounts"})
    assert r.status_code == 200 and r.json()["review_note"] == "Add the accounts"
    assert Notification.objects.filter(kind="exchange.investment_reviewed",
                                       recipient=coordinator).count() == 1


def test_a_pending_campaign_page_offers_no_donation_form(coordinator, village, pairing):
    campaign = _new_campaign(coordinator, village)
    html = _client(coordinator).get(f"/exchange/campaigns/{campaign.pk}/").content.decode()
    assert 'id="not-public"' in html and 'id="donate-form"' not in html
    need = _new_need(coordinator, village)
    html = _client(coordinator).get(f"/exchange/investment/{need.pk}/").content.decode()
    assert 'id="not-public"' in html
