"""Exchange fixtures on top of the shared personas."""

import threading

import pytest
from django.db import connection

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


def run_concurrently(n: int, fn):
    """Run fn(i) in n real threads released together; each closes its DB connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas hash a password each; a fast hasher keeps the matrix quick (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Requests without Accept-Language get English, so assertions can quote the sentences."""
    settings.LANGUAGE_CODE = "en"
