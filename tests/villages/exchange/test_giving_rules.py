"""Issue 11.4: donations and spending cannot be gamed.

One donation per rendered form (a server-issued one-time token), a confirmation for the same gift
again within minutes, spending within its budget line unless a reason is given, never dated in
the future, one receipt number once per campaign, budget lines within the goal.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from synergy.core.errors import Invalid, NotAllowed
from villages.exchange import services
from villages.exchange.forms import donation_token_issue
from villages.exchange.models import Campaign, Donation, Spending

pytestmark = pytest.mark.django_db


def _page(client, campaign):
    return client.get(f"/exchange/campaigns/{campaign.pk}/")


def _token(client, campaign):
    return _page(client, campaign).context["form"].initial["idempotency_key"]


def _post(client, campaign, token, amount="88.00", **extra):
    return client.post(f"/exchange/campaigns/{campaign.pk}/",
                       {"amount": amount, "idempotency_key": token, **extra})


# --- Donations: resubmission ------------------------------------------------------------------


def test_form_resubmitted_after_back_or_reload_records_one_donation(client, resident, campaign):
    client.force_login(resident)
    token = _token(client, campaign)
    responses = [_post(client, campaign, token) for _ in range(3)]  # submit, Back + submit, reload
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert len({r.url for r in responses}) == 1
    assert Donation.objects.count() == 1
    assert Campaign.objects.get(pk=campaign.pk).raised == Decimal("88.00")


def test_form_token_is_issued_by_the_server_not_typed(client, resident, campaign):
    client.force_login(resident)
    r = _post(client, campaign, "my-own-key")
    assert r.status_code == 400
    assert "expired" in r.context["form"].errors["idempotency_key"][0]
    assert Donation.objects.count() == 0


def test_form_token_of_another_donor_or_campaign_is_refused(client, resident, outsider,
                                                            campaign, village):
    other_campaign = Campaign.objects.create(village=village, title="Roof", purpose="p",
                                             goal=Decimal("100"), deadline=campaign.deadline)
    client.force_login(resident)
    for token in (donation_token_issue(campaign_id=campaign.pk, user_id=outsider.pk),
                  donation_token_issue(campaign_id=other_campaign.pk, user_id=resident.pk)):
        assert _post(client, campaign, token).status_code == 400
    assert Donation.objects.count() == 0


def test_each_rendered_form_has_its_own_token(client, resident, campaign):
    client.force_login(resident)
    assert _token(client, campaign) != _token(client, campaign)


# --- Donations: the same gift again -----------------------------------------------------------


def test_second_same_gift_within_minutes_asks_to_confirm_in_the_form(client, resident, campaign):
    client.force_login(resident)
    assert _post(client, campaign, _token(client, campaign)).status_code == 302
    token = _token(client, campaign)  # a new form (new page), same amount
    r = _post(client, campaign, token)
    assert r.status_code == 400
    html = r.content.decode()
    assert 'type="checkbox" name="confirm_repeat"' in html
    assert "a few minutes ago" in html
    assert Donation.objects.count() == 1
    # Ticking the box records the second gift, once.
    again = r.context["form"]["idempotency_key"].value()
    assert _post(client, campaign, again, confirm_repeat="on").status_code == 302
    assert _post(client, campaign, again, confirm_repeat="on").status_code == 302
    assert Donation.objects.count() == 2


def test_second_same_gift_in_the_api_is_409_unless_confirmed(api_as, resident, campaign):
    url = f"/api/v1/campaigns/{campaign.pk}/donations/"
    client = api_as(resident)
    assert client.post(url, {"amount": "50.00"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="a").status_code == 201
    r = client.post(url, {"amount": "50.00"}, format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert r.status_code == 409 and "a few minutes ago" in r.json()["detail"]
    r = client.post(url, {"amount": "50.00", "confirm_repeat": True}, format="json",
                    HTTP_IDEMPOTENCY_KEY="b")
    assert r.status_code == 201
    # A different amount, or the same key again, needs no confirmation.
    assert client.post(url, {"amount": "51.00"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="c").status_code == 201
    assert client.post(url, {"amount": "50.00"}, format="json",
                       HTTP_IDEMPOTENCY_KEY="a").status_code == 200
    assert Donation.objects.count() == 3


def test_same_gift_after_the_window_needs_no_confirmation(settings, resident, campaign):
    settings.DONATION_REPEAT_WINDOW_MINUTES = 5
    first, _ = services.donation_give(donor=resident, campaign=campaign, amount=Decimal("9"),
                                      idempotency_key="old")
    Donation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6))
    _, created = services.donation_give(donor=resident, campaign=campaign, amount=Decimal("9"),
                                        idempotency_key="new")
    assert created


def test_another_donor_giving_the_same_amount_is_not_asked(resident, manager, campaign):
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("9"),
                           idempotency_key="x")
    _, created = services.donation_give(donor=manager, campaign=campaign, amount=Decimal("9"),
                                        idempotency_key="y")
    assert created


def test_outsider_cannot_give(api_as, outsider, campaign):
    r = api_as(outsider).post(f"/api/v1/campaigns/{campaign.pk}/donations/", {"amount": "5"},
                              format="json", HTTP_IDEMPOTENCY_KEY="o")
    assert r.status_code == 403
    assert Donation.objects.count() == 0


# --- Spending ---------------------------------------------------------------------------------


@pytest.fixture
def funded(resident, campaign):
    """A campaign with 8,000 yuan raised and its "Books" line planned at 5,000."""
    services.donation_give(donor=resident, campaign=campaign, amount=Decimal("8000"),
                           idempotency_key="fund")
    return Campaign.objects.get(pk=campaign.pk)


def _spend(api_as, user, campaign, **body):
    line = campaign.budget_lines.get()
    payload = {"budget_line": line.pk, "amount": "100.00", "description": "Books",
               "spent_on": str(timezone.localdate())} | body
    return api_as(user).post(f"/api/v1/campaigns/{campaign.pk}/spending/", payload,
                             format="json")


def test_spending_over_its_budget_line_needs_a_reason(api_as, coordinator, funded):
    assert _spend(api_as, coordinator, funded, amount="4900.00").status_code == 201
    r = _spend(api_as, coordinator, funded, amount="200.00")
    assert r.status_code == 400
    assert "over_budget_reason" in r.json()
    assert Spending.objects.count() == 1
    r = _spend(api_as, coordinator, funded, amount="200.00",
               over_budget_reason="Prices rose after the flood")
    assert r.status_code == 201
    assert r.json()["over_budget_reason"] == "Prices rose after the flood"


def test_spending_within_its_line_keeps_no_reason(coordinator, funded):
    entry = services.spending_record(
        recorded_by=coordinator, campaign=funded, budget_line=funded.budget_lines.get(),
        amount=Decimal("10"), description="Pens", spent_on=timezone.localdate(),
        over_budget_reason="not needed")
    assert entry.over_budget_reason == ""


def test_spending_dated_in_the_future_is_400(api_as, coordinator, funded):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    r = _spend(api_as, coordinator, funded, spent_on=str(tomorrow))
    assert r.status_code == 400 and "spent_on" in r.json()
    assert Spending.objects.count() == 0


def test_receipt_number_entered_twice_is_refused(api_as, coordinator, funded):
    assert _spend(api_as, coordinator, funded, receipt_no="INV-0042").status_code == 201
    r = _spend(api_as, coordinator, funded, receipt_no=" inv-0042 ")
    assert r.status_code == 400
    assert "already recorded" in str(r.json()["receipt_no"])
    assert Spending.objects.count() == 1
    # No number, or another number, is fine.
    assert _spend(api_as, coordinator, funded).status_code == 201
    assert _spend(api_as, coordinator, funded).status_code == 201
    assert _spend(api_as, coordinator, funded, receipt_no="INV-0043").status_code == 201


def test_database_refuses_a_duplicate_receipt_number(coordinator, funded):
    line = funded.budget_lines.get()
    Spending.objects.create(campaign=funded, budget_line=line, amount=1, description="a",
                            spent_on=timezone.localdate(), receipt_no="R1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Spending.objects.create(campaign=funded, budget_line=line, amount=1, description="b",
                                spent_on=timezone.localdate(), receipt_no="r1")


def test_spending_form_shows_the_refusal(client, coordinator, funded):
    client.force_login(coordinator)
    line = funded.budget_lines.get()
    r = client.post(f"/exchange/campaigns/{funded.pk}/spending/", {
        "budget_line": line.pk, "amount": "6000", "description": "Desks",
        "spent_on": str(timezone.localdate())}, follow=True)
    assert "over its budget" in r.content.decode()
    assert Spending.objects.count() == 0


def test_outsider_cannot_record_spending(api_as, outsider, other_coordinator, funded):
    assert _spend(api_as, outsider, funded).status_code == 403
    assert _spend(api_as, other_coordinator, funded).status_code == 403
    assert Spending.objects.count() == 0


# --- Budget lines and the goal ----------------------------------------------------------------


def test_budget_lines_above_the_goal_are_refused(api_as, coordinator, village):
    body = {"village": village.pk, "title": "School roof", "purpose": "Rain comes in",
            "goal": "1000.00", "deadline": str(timezone.localdate() + datetime.timedelta(days=9)),
            "budget_lines": [{"label": "Tiles", "planned": "700.00"},
                             {"label": "Labour", "planned": "400.00"}]}
    r = api_as(coordinator).post("/api/v1/campaigns/", body, format="json")
    assert r.status_code == 400 and "budget_lines" in r.json()
    assert not Campaign.objects.filter(title="School roof").exists()
    body["budget_lines"][1]["planned"] = "300.00"
    assert api_as(coordinator).post("/api/v1/campaigns/", body, format="json").status_code == 201


def test_outsider_cannot_start_a_campaign(outsider, village):
    with pytest.raises(NotAllowed):
        services.campaign_create(created_by=outsider, village=village, title="t", purpose="p",
                                 goal=Decimal("10"), deadline=timezone.localdate())


def test_campaign_create_service_refuses_lines_above_goal(coordinator, village):
    with pytest.raises(Invalid) as err:
        services.campaign_create(created_by=coordinator, village=village, title="t",
                                 purpose="p", goal=Decimal("10"), deadline=timezone.localdate(),
                                 budget_lines=[{"label": "a", "planned": Decimal("11")}])
    assert err.value.field == "budget_lines"
