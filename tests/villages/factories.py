"""factory_boy factories of the village node."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import VillageFactory
from villages.models import (
    GroupBuyRound,
    ListingStatus,
    OfferKind,
    Product,
    ProductCategory,
    RoundPickup,
    TourismOffer,
)


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    village = factory.SubFactory(VillageFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    category = ProductCategory.PRODUCE
    unit = "kg"
    price = Decimal("12.50")
    stock = 100
    status = ListingStatus.PUBLISHED


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupBuyRound

    village = factory.SubFactory(VillageFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    cutoff_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    delivery_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=4))


class RoundPickupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundPickup

    round = factory.SubFactory(RoundFactory)
    pickup_point = "North gate"


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TourismOffer

    village = factory.SubFactory(VillageFactory)
    kind = OfferKind.FARM_STAY
    title = factory.Sequence(lambda n: f"Farm stay {n}")
    price = Decimal("180.00")
    capacity = 6
    min_nights = 1
    max_nights = 14
    status = ListingStatus.PUBLISHED
