"""Fixtures of the village node: a published product of the paired village, an open round."""

import pytest

from tests.villages.factories import OfferFactory, ProductFactory, RoundFactory, RoundPickupFactory


@pytest.fixture
def product(village, pairing):
    return ProductFactory(village=village, stock=10)


@pytest.fixture
def open_round(village, community, pairing):
    round_ = RoundFactory(village=village)
    RoundPickupFactory(round=round_, community=community, pickup_point="East gate")
    return round_


@pytest.fixture
def offer(village, pairing):
    return OfferFactory(village=village, capacity=4)
