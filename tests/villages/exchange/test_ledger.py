"""The public ledger's totals against the records they summarise."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from synergy.core.models import Role
from tests.factories import CommunityFactory, MembershipFactory, PairingFactory
from tests.villages.exchange.factories import (
    BudgetLineFactory,
    CampaignFactory,
    EventFactory,
    InvestmentNeedFactory,
    JobFactory,
    NeedFactory,
    SlotFactory,
)
from tests.villages.factories import OfferFactory, ProductFactory
from villages import services as village_services
from villages.exchange import selectors, services
from villages.exchange.models import Donation, InvestmentInterest, JobApplication, Signup

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(community, village, pairing, resident, manager, coordinator, worker, merchant):
    # A second community gives to the same village: it must not leak into this pairing's ledger.
    other = CommunityFactory()
    PairingFactory(community=other, village=village)
    stranger = MembershipFactory(role=Role.RESIDENT, community=other, unit="9-9").user

    campaign = CampaignFactory(village=village)
    line = BudgetLineFactory(campaign=campaign)
    for i, (donor, amount) in enumerate([(resident, "100.50"), (manager, "49.50"),
                                         (stranger, "1000.00")]):
        services.donation_give(donor=donor, campaign=campaign, amount=Decimal(amount),
                               idempotency_key=f"l{i}")
    services.spending_record(recorded_by=coordinator, campaign=campaign, budget_line=line,
                             amount=Decimal("300"), description="Desks",
                             spent_on=timezone.localdate())

    need = NeedFactory(village=village)
    past = SlotFactory(need=need, starts_at=timezone.now() - datetime.timedelta(hours=4),
                       ends_at=timezone.now() - datetime.timedelta(hours=1))
    for person, hours in [(resident, "2.5"), (manager, "3")]:
        s = Signup.objects.create(slot=past, volunteer=person, pairing=pairing)
        services.signup_confirm_hours(confirmed_by=coordinator, signup=s, hours=Decimal(hours))
    Signup.objects.create(slot=past, volunteer=stranger)  # unconfirmed, no pairing

    inv = InvestmentNeedFactory(village=village)
    services.interest_express(investor=merchant, need=inv, amount_indicative=Decimal("50000"),
                              message="m")
    services.interest_express(investor=stranger, need=inv, amount_indicative=Decimal("7"),
                              message="m")

    job = JobFactory(community=community, posted_by=merchant, positions=2)
    application = services.job_apply(applicant=worker, job=job)
    services.application_decide(decided_by=merchant, application=application, accept=True)
    worker2 = MembershipFactory(role=Role.RURAL_WORKER, village=village, unit="").user
    services.job_apply(applicant=worker2, job=job)

    visit = EventFactory(pairing=pairing, host="village")
    show = EventFactory(pairing=pairing, host="community")
    services.registration_create(person=resident, event=visit)
    services.registration_create(person=manager, event=visit)
    services.registration_create(person=worker, event=show)
    return locals()


def test_ledger_totals_match_the_records(pairing, flows):
    ledger = selectors.pairing_ledger(pairing=pairing)

    donations = Donation.objects.filter(pairing=pairing)
    assert ledger.row("donations").count == donations.count() == 2
    assert ledger.row("donations").amount == donations.aggregate(s=Sum("amount"))["s"] == Decimal(
        "150.00")
    assert ledger.row("spending").amount == Decimal("300.00")
    assert ledger.row("volunteer_hours").amount == Decimal("5.50")
    assert ledger.row("volunteer_hours").count == 2
    interest = InvestmentInterest.objects.filter(pairing=pairing)
    assert ledger.row("investment_interest").count == interest.count() == 1
    assert ledger.row("investment_interest").amount == Decimal("50000.00")
    assert ledger.row("jobs_filled").count == 1
    assert ledger.row("job_applications").count == JobApplication.objects.filter(
        pairing=pairing).count() == 2
    assert ledger.row("event_visits").count == 2
    assert ledger.row("event_guests").count == 1
    assert {r.kind for r in ledger.to_city} == {"jobs_filled", "job_applications", "event_guests",
                                                "produce_purchases", "produce_refunds", "stays"}


def test_ledger_page_and_api_are_public(client, api_as, pairing, flows):
    r = api_as(None).get(f"/api/v1/ledger/{pairing.pk}/")
    assert r.status_code == 200
    to_village = {row["kind"]: row for row in r.json()["to_village"]}
    assert to_village["donations"]["amount"] == "150.00"
    assert to_village["volunteer_hours"]["amount"] == "5.50"
    page = client.get(f"/exchange/ledger/{pairing.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "¥150.00" in html and "5.50" in html


def test_ledger_takes_further_rows(pairing):
    ledger = selectors.pairing_ledger(pairing=pairing)
    ledger.add(selectors.LedgerRow(selectors.TO_CITY, "purchases", "Produce bought", 3,
                                   Decimal("90"), "CNY"))
    assert ledger.row("purchases") in ledger.to_city


def test_ledger_query_count(django_assert_num_queries, pairing):
    # donations, spending, volunteer hours, investment interest, applications, registrations,
    # and from the village node: orders, bookings
    with django_assert_num_queries(8):
        selectors.pairing_ledger(pairing=pairing)


def test_city_year_totals_match_the_ledger(pairing, flows):
    year = timezone.localdate().year
    rows = selectors.city_year_totals()
    # The factory places every community in 昆明市: both pairings of the village land there.
    assert len(rows) == 1
    row = rows[0]
    assert (row["city"], row["year"]) == ("昆明市", year)
    all_donations = Donation.objects.filter(pairing__isnull=False).aggregate(s=Sum("amount"))["s"]
    assert row["donations"] == all_donations == Decimal("1150.00")
    assert row["volunteer_hours"] == Decimal("5.50")
    assert row["investment_interest"] == Decimal("50007.00")
    assert row["jobs_filled"] == 1


def test_recommended_needs_query_count(api_as, community, village, pairing, resident,
                                       django_assert_num_queries):
    for _ in range(4):
        SlotFactory(need=NeedFactory(village=village))
    # profile, home community, needs with villages, their upcoming slots, distances
    with django_assert_num_queries(5):
        r = api_as(resident).get("/api/v1/volunteer-needs/recommended/")
    assert len(r.json()) == 4


def test_ledger_counts_produce_bought_and_stays_booked(client, api_as, community, village, pairing,
                                                       resident):
    """Orders picked up in the community and stays its residents booked, from real records:
    cancelled orders and bookings do not count, nor another community's."""
    empty = selectors.pairing_ledger(pairing=pairing)
    assert (empty.row("produce_purchases").count, empty.row("produce_purchases").amount) == (
        0, Decimal("0.00"))
    assert (empty.row("stays").count, empty.row("stays").amount) == (0, Decimal("0"))

    other = CommunityFactory()
    PairingFactory(community=other, village=village)
    stranger = MembershipFactory(role=Role.RESIDENT, community=other, unit="9-9").user
    product = ProductFactory(village=village, price=Decimal("12.50"), stock=100)
    offer = OfferFactory(village=village, capacity=10)

    def order(user, where, qty):
        return village_services.order_place(buyer=user, pickup_community=where,
                                            items=[{"product": product.pk, "quantity": qty}])

    order(resident, community, 2)                        # 25.00
    order(resident, community, 4)                        # 50.00
    village_services.order_cancel(by=resident, order=order(resident, community, 8))
    order(stranger, other, 1)                            # the other pairing's
    start = timezone.localdate() + datetime.timedelta(days=5)
    village_services.booking_create(guest=resident, offer=offer, start_date=start,
                                    end_date=start + datetime.timedelta(days=2), guests=3)
    gone = village_services.booking_create(guest=resident, offer=offer, start_date=start,
                                           end_date=start + datetime.timedelta(days=1), guests=1)
    village_services.booking_cancel(by=resident, booking=gone)
    village_services.booking_create(guest=stranger, offer=offer, start_date=start,
                                    end_date=start + datetime.timedelta(days=1), guests=2)

    ledger = selectors.pairing_ledger(pairing=pairing)
    purchases, stays = ledger.row("produce_purchases"), ledger.row("stays")
    assert (purchases.count, purchases.amount, purchases.unit) == (2, Decimal("75.00"), "CNY")
    assert (stays.count, stays.amount) == (1, Decimal("6"))  # 3 guests × 2 nights
    assert purchases in ledger.to_city and stays in ledger.to_city

    body = api_as(None).get(f"/api/v1/ledger/{pairing.pk}/").json()
    to_city = {row["kind"]: row for row in body["to_city"]}
    assert (to_city["produce_purchases"]["count"], to_city["produce_purchases"]["amount"]) == (
        2, "75.00")
    assert (to_city["stays"]["count"], to_city["stays"]["amount"]) == (1, "6.00")
    html = client.get(f"/exchange/ledger/{pairing.pk}/").content.decode()
    to_city_html = html.split('id="to-city"')[1]
    assert 'data-kind="produce_purchases"' in to_city_html and "¥75.00" in to_city_html
    assert 'data-kind="stays"' in to_city_html and "6 guest-nights" in to_city_html


def test_ledger_city_year_joins_village_flows_and_exchange_totals(community, village, pairing,
                                                                   resident, flows,
                                                                   django_assert_num_queries):
    product = ProductFactory(village=village, price=Decimal("10.00"), stock=50)
    village_services.order_place(buyer=resident, pickup_community=community,
                                 items=[{"product": product.pk, "quantity": 3}])
    gone = village_services.order_place(buyer=resident, pickup_community=community,
                                        items=[{"product": product.pk, "quantity": 5}])
    village_services.order_cancel(by=resident, order=gone)
    start = timezone.localdate() + datetime.timedelta(days=3)
    village_services.booking_create(guest=resident, offer=OfferFactory(village=village),
                                    start_date=start, end_date=start + datetime.timedelta(days=2),
                                    guests=2)
    # orders, bookings (village node); donations, hours, interest, jobs (exchange)
    with django_assert_num_queries(6):
        rows = selectors.ledger_city_year()
    by_key = {(r["prefecture_city"], r["year"]): r for r in rows}
    row = by_key[("昆明市", timezone.localdate().year)]
    assert row["produce_value"] == Decimal("30.00")
    assert row["donations"] == Decimal("1150.00") and row["volunteer_hours"] == Decimal("5.50")
    if start.year == timezone.localdate().year:
        assert row["stays"] == 1
    assert sum(r["stays"] for r in rows) == 1
