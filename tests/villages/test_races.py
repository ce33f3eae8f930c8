"""Race tests on PostgreSQL: real threads, each with its own database connection.

40 residents order the last 10 units at once: exactly 10 orders, 30 refusals, stock 0.
Concurrent bookings never push a night past its capacity.
Paying and cancelling one order at once never leave it cancelled and paid without a refund.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from synergy.core.errors import DomainError
from synergy.core.models import Role
from tests.factories import MembershipFactory
from tests.races import run_together
from tests.villages.factories import OfferFactory, ProductFactory
from villages import services
from villages.errors import DatesFull, OutOfStock
from villages.models import Booking, OfferDay, Order, OrderItem, OrderStatus, Payment, Product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(jobs):
    """Start every job behind one barrier; return their results (or exceptions), in order."""
    return run_together(len(jobs), lambda i: jobs[i]())


def test_forty_orders_for_ten_units_sell_exactly_ten(requires_postgres, community, village, pairing):
    """Through the API: 40 residents POST /api/v1/orders/ for 1 unit each of the last 10."""
    product = ProductFactory(village=village, stock=10)
    buyers = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"{i}-1").user
              for i in range(40)]
    body = {"items": [{"product": product.pk, "quantity": 1}], "pickup_community": community.pk,
            "round": None}

    def order_as(user):
        def post():
            client = APIClient()
            client.force_authenticate(user)
            response = client.post("/api/v1/orders/", body, format="json")
            return response.status_code, response.data

        return post

    results = _run_at_once([order_as(u) for u in buyers])
    statuses = sorted(code for code, _ in results)
    assert statuses == [201] * 10 + [409] * 30
    assert all(set(data) == {"detail"} for code, data in results if code == 409)
    assert Product.objects.get(pk=product.pk).stock == 0
    assert Order.objects.count() == 10
    assert sum(OrderItem.objects.values_list("quantity", flat=True)) == 10


def test_forty_service_calls_for_ten_units(requires_postgres, community, village, pairing):
    product = ProductFactory(village=village, stock=10)
    buyers = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"{i}-4").user
              for i in range(40)]
    results = _run_at_once([
        (lambda u=u: services.order_place(buyer=u, pickup_community=community,
                                          items=[{"product": product.pk, "quantity": 1}]))
        for u in buyers])
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    assert (len(placed), len(refused)) == (10, 30)
    assert Product.objects.get(pk=product.pk).stock == 0


def test_concurrent_multi_unit_orders_never_oversell(requires_postgres, community, village, pairing):
    product = ProductFactory(village=village, stock=25)
    buyers = [MembershipFactory(role=Role.RESIDENT, community=community, unit=f"{i}-2").user
              for i in range(20)]
    results = _run_at_once([
        (lambda u=u, q=(i % 3) + 1: services.order_place(
            buyer=u, pickup_community=community, items=[{"product": product.pk, "quantity": q}]))
        for i, u in enumerate(buyers)
    ])
    sold = sum(r.items.get().quantity for r in results if isinstance(r, Order))
    assert all(isinstance(r, Order | OutOfStock) for r in results)
    assert sold + Product.objects.get(pk=product.pk).stock == 25
    assert Product.objects.get(pk=product.pk).stock >= 0


def test_concurrent_cancels_return_stock_once(requires_postgres, resident, community, village,
                                              pairing):
    product = ProductFactory(village=village, stock=5)
    order = services.order_place(buyer=resident, pickup_community=community,
                                 items=[{"product": product.pk, "quantity": 3}])
    results = _run_at_once([
        lambda: services.order_cancel(by=resident, order=Order.objects.get(pk=order.pk))
        for _ in range(8)])
    assert all(isinstance(r, Order) for r in results)
    assert Product.objects.get(pk=product.pk).stock == 5
    assert order.history.filter(to_status="cancelled").count() == 1


def test_concurrent_bookings_never_exceed_a_nights_capacity(requires_postgres, village, pairing):
    offer = OfferFactory(village=village, capacity=5)
    guests = [MembershipFactory(role=Role.RESIDENT, community=pairing.community, unit=f"{i}-3").user
              for i in range(16)]
    start = timezone.localdate() + dt.timedelta(days=10)
    # Overlapping stays: every booking covers night `start + 1`, with different neighbours.
    jobs = []
    for i, user in enumerate(guests):
        s = start + dt.timedelta(days=i % 2)
        jobs.append(lambda u=user, s=s, n=(i % 2) + 1: services.booking_create(
            guest=u, offer=offer, start_date=s, end_date=s + dt.timedelta(days=2), guests=n))
    results = _run_at_once(jobs)
    assert all(isinstance(r, Booking | DatesFull) for r in results), results
    assert any(isinstance(r, DatesFull) for r in results)
    for day in OfferDay.objects.filter(offer=offer):
        booked = sum(b.guests for b in Booking.objects.filter(
            offer=offer, start_date__lte=day.date, end_date__gt=day.date))
        assert day.booked == booked <= day.capacity == 5


ROUNDS = 30


def _pay_cancel_rounds(*, buyer, coordinator, community, village, cancel_as, refund_method=""):
    """ROUNDS fresh orders; in each, a payment and a cancel race (start order alternating)."""
    product = ProductFactory(village=village, stock=ROUNDS)
    outcomes = []
    for i in range(ROUNDS):
        order = services.order_place(buyer=buyer, pickup_community=community,
                                     items=[{"product": product.pk, "quantity": 1}])

        def pay(pk=order.pk):
            return services.order_mark_paid(by=coordinator, order=Order.objects.get(pk=pk),
                                            method="cash")

        def cancel(pk=order.pk):
            return services.order_cancel(by=cancel_as, order=Order.objects.get(pk=pk),
                                         refund_method=refund_method)

        results = _run_at_once([pay, cancel] if i % 2 else [cancel, pay])
        assert all(isinstance(r, Payment | Order | DomainError) for r in results), results
        order.refresh_from_db()
        payment = Payment.objects.filter(order=order).first()
        assert not (order.status == OrderStatus.CANCELLED and payment is not None
                    and payment.refund_amount is None), f"round {i}: cancelled, paid, no refund"
        if payment is not None and payment.refund_amount is not None:
            assert order.status == OrderStatus.CANCELLED
            assert payment.refund_amount == payment.amount == order.total
        outcomes.append((order.status, payment is not None))
    # Stock came back exactly for the cancelled orders.
    cancelled = sum(1 for status, _paid in outcomes if status == OrderStatus.CANCELLED)
    assert Product.objects.get(pk=product.pk).stock == cancelled
    return outcomes


def test_buyer_cancel_racing_payment_never_leaves_paid_cancelled_order(
        requires_postgres, resident, coordinator, community, village, pairing):
    outcomes = _pay_cancel_rounds(buyer=resident, coordinator=coordinator, community=community,
                                  village=village, cancel_as=resident)
    # Exactly one of the two wins each round: paid and placed, or cancelled and unpaid.
    assert set(outcomes) <= {(OrderStatus.PLACED, True), (OrderStatus.CANCELLED, False)}


def test_coordinator_cancel_racing_payment_records_the_refund(
        requires_postgres, resident, coordinator, community, village, pairing):
    outcomes = _pay_cancel_rounds(buyer=resident, coordinator=coordinator, community=community,
                                  village=village, cancel_as=coordinator, refund_method="cash")
    assert {status for status, _paid in outcomes} == {OrderStatus.CANCELLED}


def test_concurrent_releases_free_each_expired_hold_once(requires_postgres, village, pairing):
    """Four workers run the periodic release at once over 12 expired requests: each is released
    by exactly one of them and every night goes back to 0 booked."""
    offer = OfferFactory(village=village, capacity=40)
    start = timezone.localdate() + dt.timedelta(days=10)
    guests = [MembershipFactory(role=Role.RESIDENT, community=pairing.community, unit=f"{i}-9").user
              for i in range(12)]
    for i, user in enumerate(guests):
        services.booking_create(guest=user, offer=offer, start_date=start,
                                end_date=start + dt.timedelta(days=2), guests=(i % 3) + 1)
    Booking.objects.update(hold_expires_at=timezone.now() - dt.timedelta(minutes=1))
    results = _run_at_once([services.booking_release_expired for _ in range(4)])
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 12
    assert set(Booking.objects.values_list("status", flat=True)) == {"expired"}
    assert set(OfferDay.objects.filter(offer=offer).values_list("booked", flat=True)) == {0}
