"""Exchange fixtures on top of the shared personas."""

import pytest

from tests.villages.exchange.factories import BudgetLineFactory, CampaignFactory, NeedFactory, SlotFactory


@pytest.fixture
def campaign(village, pairing):
    c = CampaignFactory(village=village)
    BudgetLineFactory(campaign=c, label="Books")
    return c


@pytest.fixture
def need(village, pairing):
    return NeedFactory(village=village)


@pytest.fixture
def slot(need):
    return SlotFactory(need=need, capacity=8)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Requests without Accept-Language get English, so assertions can quote the sentences."""
    settings.LANGUAGE_CODE = "en"
