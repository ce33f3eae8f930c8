"""Fixtures of the village node: a published product of the paired village, an open round."""

import pytest

from tests.villages.factories import OfferFactory, ProductFactory, RoundFactory, RoundPickupFactory
from villages.models import RoundProduct


@pytest.fixture
def product(village, pairing):
    return ProductFactory(village=village, stock=10)


@pytest.fixture
def open_round(village, community, pairing, product):
    """An open round delivering to the community, offering `product` at its list price."""
    round_ = RoundFactory(village=village)
    RoundPickupFactory(round=round_, community=community, pickup_point="East gate")
    RoundProduct.objects.create(round=round_, product=product, group_price=product.price)
    return round_


@pytest.fixture
def offer(village, pairing):
    return OfferFactory(village=village, capacity=4)
