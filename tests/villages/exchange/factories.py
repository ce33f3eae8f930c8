"""Factories for the exchange records."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import CommunityFactory, UserFactory, VillageFactory
from villages.exchange.models import (
    BudgetLine,
    Campaign,
    Event,
    InvestmentNeed,
    Job,
    LabourOffer,
    VolunteerNeed,
    VolunteerSlot,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"Campaign {n}")
    purpose = "Books for the school library"
    goal = Decimal("10000.00")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    review_status = "approved"  # public, as most tests need; review tests ask for "pending"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    campaign = factory.SubFactory(CampaignFactory)
    label = factory.Sequence(lambda n: f"Line {n}")
    planned = Decimal("5000.00")


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerNeed

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"Need {n}")
    category = "teaching"
    skills = factory.LazyFunction(lambda: ["teaching", "english"])


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerSlot

    need = factory.SubFactory(NeedFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    capacity = 8


class InvestmentNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvestmentNeed

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"Investment {n}")
    sector = "agriculture"
    amount_sought = Decimal("200000.00")
    use_of_funds = "A cold store"
    model = "coop_share"
    review_status = "approved"


class LabourOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LabourOffer

    worker = factory.SubFactory(UserFactory)
    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"Labour {n}")
    skills = factory.LazyFunction(lambda: ["cleaning"])
    weekdays = factory.LazyFunction(lambda: [0, 1, 2])
    expected_daily_pay = Decimal("200.00")


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    community = factory.SubFactory(CommunityFactory)
    posted_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Job {n}")
    kind = "cleaning"
    skills = factory.LazyFunction(lambda: ["cleaning"])
    weekdays = factory.LazyFunction(lambda: [0, 1])
    daily_pay = Decimal("220.00")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    pairing = None
    kind = "harvest"
    host = "village"
    title = factory.Sequence(lambda n: f"Event {n}")
    place = "Village square"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=5))
    capacity = 30
