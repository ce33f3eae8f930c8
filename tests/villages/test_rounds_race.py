"""Race test on PostgreSQL: two rounds due, `manage.py rounds_close_due` run at once in two
processes. Each round closes once: one set of status changes and notifications each, stock
returned once."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from synergy.core.models import Notification
from tests.villages.factories import ProductFactory
from tests.villages.test_rounds import _due, _order, _round
from villages.models import (
    GroupBuyRound,
    Order,
    OrderStatus,
    OrderStatusChange,
    Product,
    RoundStatus,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    """The test database this process uses, for the child processes."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _run_commands_at_once(n: int) -> list[subprocess.CompletedProcess]:
    """n `rounds_close_due` processes released together by a barrier in this process."""
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "synergy.settings"}
    env.pop("CELERY_BROKER_URL", None)  # eager: the children need no broker
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        barrier.wait(timeout=60)
        results[i] = subprocess.run([sys.executable, "manage.py", "rounds_close_due"], cwd=ROOT,
                                    env=env, capture_output=True, text=True, timeout=120)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(150)
    return results


def test_two_processes_close_two_due_rounds_once_each(requires_postgres, resident, coordinator,
                                                      community, village, pairing):
    product_a = ProductFactory(village=village, stock=10)
    product_b = ProductFactory(village=village, stock=10)
    failing = _round(village, community, product_a, min_units=50)
    forming = _round(village, community, product_b, min_units=2)
    failed_orders = [_order(resident, community, failing, product_a, 2) for _ in range(3)]
    formed_orders = [_order(resident, community, forming, product_b, 1) for _ in range(2)]
    _due(failing)
    _due(forming)
    Notification.objects.all().delete()

    results = _run_commands_at_once(2)
    assert all(r.returncode == 0 for r in results), [r.stderr[-2000:] for r in results]
    # The console e-mail backend also writes to stdout: read the command's own line.
    closed = [int(line.split()[0]) for r in results for line in r.stdout.splitlines()
              if line.endswith("round(s) closed.")]
    assert sum(closed) == 2, [r.stdout for r in results]

    assert GroupBuyRound.objects.get(pk=failing.pk).status == RoundStatus.FAILED
    assert GroupBuyRound.objects.get(pk=forming.pk).status == RoundStatus.FORMED
    assert Product.objects.get(pk=product_a.pk).stock == 10  # returned once, not twice
    assert Product.objects.get(pk=product_b.pk).stock == 8
    assert set(Order.objects.filter(pk__in=[o.pk for o in failed_orders])
               .values_list("status", flat=True)) == {OrderStatus.CANCELLED}
    assert set(Order.objects.filter(pk__in=[o.pk for o in formed_orders])
               .values_list("status", flat=True)) == {OrderStatus.CONFIRMED}
    assert OrderStatusChange.objects.filter(to_status="cancelled").count() == 3
    assert OrderStatusChange.objects.filter(to_status="confirmed").count() == 2
    to_buyer = Notification.objects.filter(recipient=resident)
    assert to_buyer.filter(kind="villages.round_failed").count() == 3
    assert to_buyer.filter(kind="villages.round_formed").count() == 2
    to_coordinator = Notification.objects.filter(recipient=coordinator)
    assert to_coordinator.filter(kind="villages.round_failed").count() == 1
    assert to_coordinator.filter(kind="villages.round_formed").count() == 1
