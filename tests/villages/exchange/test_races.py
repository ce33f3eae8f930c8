"""Race tests on PostgreSQL with real threads and separate connections."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from synergy.core.models import Role
from tests.factories import CommunityFactory, MembershipFactory, PairingFactory, VillageFactory
from tests.races import run_together
from tests.villages.exchange.factories import (
    BudgetLineFactory,
    CampaignFactory,
    EventFactory,
    NeedFactory,
    SlotFactory,
)
from villages.exchange.models import Campaign, Donation, Event, Registration, Signup, VolunteerSlot

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _world():
    community, village = CommunityFactory(), VillageFactory()
    pairing = PairingFactory(community=community, village=village)
    return community, village, pairing


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_20_concurrent_donations_with_one_key_make_one_donation(requires_postgres):
    community, village, pairing = _world()
    resident = MembershipFactory(role=Role.RESIDENT, community=community, unit="1-1").user
    campaign = CampaignFactory(village=village)
    BudgetLineFactory(campaign=campaign)
    url = f"/api/v1/campaigns/{campaign.pk}/donations/"

    def give(_i):
        r = _client(resident).post(url, {"amount": "50.00", "anonymous": False, "message": ""},
                                   format="json", HTTP_IDEMPOTENCY_KEY="same-key-20")
        return r.status_code, r.json()["id"]

    results = run_together(20, give)

    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(code for code, _ in results)
    assert statuses.count(201) == 1 and statuses.count(200) == 19, statuses
    assert len({donation_id for _, donation_id in results}) == 1
    assert Donation.objects.filter(campaign=campaign).count() == 1
    campaign.refresh_from_db()
    assert campaign.raised == Decimal("50.00")
    assert campaign.receipt_seq == 1
    assert Donation.objects.get().pairing_id == pairing.pk


def test_50_concurrent_donations_with_different_keys_sum_exactly(requires_postgres):
    community, village, _pairing = _world()
    donors = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"u{i}").user
              for i in range(5)]
    campaign = CampaignFactory(village=village)
    url = f"/api/v1/campaigns/{campaign.pk}/donations/"
    amounts = [Decimal(f"{i + 1}.{i % 100:02d}") for i in range(50)]

    def give(i):
        r = _client(donors[i % 5]).post(url, {"amount": str(amounts[i])}, format="json",
                                        HTTP_IDEMPOTENCY_KEY=f"key-{i}")
        return r.status_code

    results = run_together(50, give)

    assert results == [201] * 50, results
    campaign.refresh_from_db()
    assert campaign.raised == sum(amounts)
    assert Donation.objects.filter(campaign=campaign).count() == 50
    # Receipts numbered 1..50 with no gap and no repeat.
    assert sorted(Donation.objects.values_list("receipt_no", flat=True)) == list(range(1, 51))
    detail = _client(donors[0]).get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert detail["raised"] == str(sum(amounts))
    assert Campaign.objects.get(pk=campaign.pk).raised == sum(
        Donation.objects.values_list("amount", flat=True))


def test_30_concurrent_signups_for_8_places_give_8_and_22_conflicts(requires_postgres):
    community, village, _pairing = _world()
    volunteers = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"v{i}").user
                  for i in range(30)]
    slot = SlotFactory(need=NeedFactory(village=village), capacity=8)
    url = f"/api/v1/volunteer-slots/{slot.pk}/signups/"

    def sign_up(i):
        r = _client(volunteers[i]).post(url, format="json")
        return r.status_code, r.json()

    results = run_together(30, sign_up)

    assert not [r for r in results if isinstance(r, Exception)], results
    codes = [code for code, _ in results]
    assert codes.count(201) == 8 and codes.count(409) == 22, codes
    assert all("full" in body["detail"] for code, body in results if code == 409)
    assert Signup.objects.filter(slot=slot, status="active").count() == 8
    assert VolunteerSlot.objects.get(pk=slot.pk).taken == 8


def test_same_person_signing_up_10_times_at_once_holds_one_place(requires_postgres):
    community, village, _pairing = _world()
    volunteer = MembershipFactory(role=Role.RESIDENT, community=community, unit="x").user
    slot = SlotFactory(need=NeedFactory(village=village), capacity=8)
    url = f"/api/v1/volunteer-slots/{slot.pk}/signups/"

    results = run_together(10, lambda i: _client(volunteer).post(url).status_code)

    assert sorted(results) == [201] + [409] * 9
    assert VolunteerSlot.objects.get(pk=slot.pk).taken == 1


def test_20_concurrent_event_registrations_for_5_places(requires_postgres):
    community, village, pairing = _world()
    people = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"e{i}").user
              for i in range(20)]
    event = EventFactory(pairing=pairing, capacity=5)
    url = f"/api/v1/events/{event.pk}/registrations/"

    results = run_together(20, lambda i: _client(people[i]).post(url).status_code)

    assert sorted(results) == [201] * 5 + [409] * 15
    assert Registration.objects.filter(event=event, status="active").count() == 5
    assert Event.objects.get(pk=event.pk).taken == 5


def test_double_tap_from_two_forms_at_once_records_one_gift(requires_postgres):
    """Ten different keys (ten tabs), one donor, one amount, at once: one donation, nine 409s
    asking to confirm (the repeat check runs under the campaign lock)."""
    community, village, _pairing = _world()
    donor = MembershipFactory(role=Role.RESIDENT, community=community, unit="tap").user
    campaign = CampaignFactory(village=village)
    url = f"/api/v1/campaigns/{campaign.pk}/donations/"

    def give(i):
        r = _client(donor).post(url, {"amount": "20.00"}, format="json",
                                HTTP_IDEMPOTENCY_KEY=f"tab-{i}")
        return r.status_code

    results = run_together(10, give)
    assert sorted(results) == [201] + [409] * 9, results
    assert Donation.objects.filter(campaign=campaign).count() == 1
    assert Campaign.objects.get(pk=campaign.pk).raised == Decimal("20.00")
