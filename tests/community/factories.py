"""Factories for the community node."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from community.models import (
    Bill,
    Business,
    BusinessOffer,
    Coupon,
    HousingListing,
    Notice,
    PeripheralService,
    RepairTicket,
    ServiceKind,
    TicketCategory,
)
from tests.factories import CommunityFactory, UserFactory


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Water will be off on Tuesday from 9:00 to 12:00."


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepairTicket

    community = factory.SubFactory(CommunityFactory)
    reporter = factory.SubFactory(UserFactory)
    category = TicketCategory.PLUMBING
    unit = "2-301"
    description = "Water leaks from the kitchen ceiling."


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    community = factory.SubFactory(CommunityFactory)
    unit = "2-301"
    period = factory.Sequence(lambda n: f"{2020 + n // 12:04d}-{n % 12 + 1:02d}")
    amount = Decimal("180.00")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=20))


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    community = factory.SubFactory(CommunityFactory)
    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Shop {n}")
    category = "grocery"
    opening_hours = "Mon–Sun 7:00–22:00"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessOffer

    business = factory.SubFactory(BusinessFactory)
    title = "Fresh milk 2 for 1"


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon

    business = factory.SubFactory(BusinessFactory)
    code = factory.Sequence(lambda n: f"CODE{n}")
    title = "Weekend discount"
    discount = "10% off"
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PeripheralService

    community = factory.SubFactory(CommunityFactory)
    kind = ServiceKind.HOUSEKEEPING
    name = factory.Sequence(lambda n: f"Service {n}")
    phone = "0871-1234567"


class HousingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingListing

    community = factory.SubFactory(CommunityFactory)
    posted_by = factory.SubFactory(UserFactory)
    kind = "rent"
    title = factory.Sequence(lambda n: f"Flat {n}")
    price = Decimal("2500.00")
    area_m2 = Decimal("78.5")
    rooms = 2
