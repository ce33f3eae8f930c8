"""Race tests on PostgreSQL: concurrent checkouts across two villages for the last units.

Each checkout wants one unit of a product of village A and one of village B; 30 buyers race for
the last 6 of A and 10 of B. Exactly 6 succeed; every checkout has both its orders or none; the
stock taken equals the units in order rows. Two requests with one key place one checkout.
"""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from synergy.core.models import Role
from tests.factories import MembershipFactory, PairingFactory
from tests.races import run_together
from tests.villages.factories import ProductFactory
from villages.models import Checkout, Order, OrderItem, Product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post(user, body, key=None):
    client = APIClient()
    client.force_authenticate(user)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = client.post("/api/v1/checkouts/", body, format="json", **headers)
    return response.status_code, response.data


def test_two_village_checkouts_for_the_last_units_never_oversell_or_split(
        requires_postgres, community, village, other_village, pairing):
    PairingFactory(community=community, village=other_village)
    a = ProductFactory(village=village, stock=6, price=Decimal("5.00"))
    b = ProductFactory(village=other_village, stock=10, price=Decimal("7.00"))
    buyers = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"{i}-2").user
              for i in range(30)]
    # Half list A first, half B first: the service must still lock in one order.
    bodies = [{"items": [{"product": x.pk, "quantity": 1} for x in ((a, b) if i % 2 else (b, a))],
               "pickup_community": community.pk} for i in range(30)]

    results = run_together(30, lambda i: _post(buyers[i], bodies[i]))

    codes = sorted(r[0] for r in results)
    assert codes == [201] * 6 + [409] * 24, results
    assert Product.objects.get(pk=a.pk).stock == 0
    assert Product.objects.get(pk=b.pk).stock == 4
    for checkout in Checkout.objects.all():
        assert sorted(checkout.orders.values_list("village_id", flat=True)) == sorted(
            [village.pk, other_village.pk])
    assert Checkout.objects.count() == 6 and Order.objects.count() == 12
    assert Order.objects.filter(checkout__isnull=True).count() == 0
    units = {pid: sum(OrderItem.objects.filter(product_id=pid).values_list("quantity", flat=True))
             for pid in (a.pk, b.pk)}
    assert units == {a.pk: 6 - 0, b.pk: 10 - 4}


def test_one_key_sent_twice_at_once_places_one_checkout(
        requires_postgres, community, village, other_village, pairing, resident):
    PairingFactory(community=community, village=other_village)
    a = ProductFactory(village=village, stock=5)
    b = ProductFactory(village=other_village, stock=5)
    body = {"items": [{"product": a.pk, "quantity": 2}, {"product": b.pk, "quantity": 1}],
            "pickup_community": community.pk}

    results = run_together(4, lambda i: _post(resident, body, key="same-tap"))

    assert sorted(r[0] for r in results) == [200, 200, 200, 201], results
    assert len({r[1]["checkout"] for r in results}) == 1
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2
    assert Product.objects.get(pk=a.pk).stock == 3 and Product.objects.get(pk=b.pk).stock == 4
