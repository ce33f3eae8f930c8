"""Orders and group-buy rounds: totals, stock, cancellation, cut-off, history, payment."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Role
from tests.factories import MembershipFactory, PairingFactory, VillageFactory
from tests.villages.factories import ProductFactory, RoundFactory
from villages import services
from villages.errors import OutOfStock, RoundClosed
from villages.models import (
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    Product,
    RoundStatus,
)

pytestmark = pytest.mark.django_db


def _place(resident, community, items, round=None):
    return services.order_place(buyer=resident, pickup_community=community, round=round,
                                items=[{"product": p.pk, "quantity": q} for p, q in items])


def test_order_place_takes_stock_and_computes_totals_in_decimal(resident, community, village,
                                                                 pairing):
    a = ProductFactory(village=village, price=Decimal("0.10"), stock=10)
    b = ProductFactory(village=village, price=Decimal("12.35"), stock=5)
    order = _place(resident, community, [(a, 3), (b, 2)])
    assert order.total == Decimal("25.00")  # 0.30 + 24.70, exact (0.1 * 3 in floats is not 0.3)
    assert [(i.quantity, i.line_total) for i in order.items.order_by("product_id")] == [
        (3, Decimal("0.30")), (2, Decimal("24.70"))]
    assert Product.objects.get(pk=a.pk).stock == 7 and Product.objects.get(pk=b.pk).stock == 3
    assert order.pairing == pairing and order.status == OrderStatus.PLACED
    assert list(order.history.values_list("from_status", "to_status", "changed_by")) == [
        ("", OrderStatus.PLACED, resident.pk)]


def test_duplicate_lines_are_merged(resident, community, product):
    order = services.order_place(buyer=resident, pickup_community=community, items=[
        {"product": product.pk, "quantity": 2}, {"product": product.pk, "quantity": 3}])
    assert order.items.get().quantity == 5


def test_short_stock_is_a_conflict_and_changes_nothing(resident, community, product):
    with pytest.raises(OutOfStock) as err:
        _place(resident, community, [(product, 11)])
    assert "10" in err.value.message and err.value.status_code == 409
    assert Product.objects.get(pk=product.pk).stock == 10
    assert Order.objects.count() == 0


def test_one_short_line_refuses_the_whole_order(resident, community, village, product):
    other = ProductFactory(village=village, stock=0)
    with pytest.raises(OutOfStock):
        _place(resident, community, [(product, 1), (other, 1)])
    assert Product.objects.get(pk=product.pk).stock == 10


def test_only_residents_of_the_pickup_community_may_order(outsider, community, product):
    with pytest.raises(NotAllowed):
        _place(outsider, community, [(product, 1)])


def test_unpublished_products_cannot_be_ordered(resident, community, village, pairing):
    draft = ProductFactory(village=village, status=ListingStatus.PENDING)
    with pytest.raises(Invalid) as err:
        _place(resident, community, [(draft, 1)])
    assert err.value.field == "items"


def test_an_unpaired_village_cannot_be_ordered_from(resident, community):
    product = ProductFactory(village=VillageFactory())
    with pytest.raises(Invalid) as err:
        _place(resident, community, [(product, 1)])
    assert err.value.field == "pickup_community"


def test_an_order_holds_one_village(resident, community, product):
    far = VillageFactory()
    PairingFactory(community=community, village=far)
    with pytest.raises(Invalid):
        _place(resident, community, [(product, 1), (ProductFactory(village=far), 1)])


def test_cancel_returns_stock_exactly_once(resident, community, product):
    order = _place(resident, community, [(product, 4)])
    services.order_cancel(by=resident, order=order)
    assert Product.objects.get(pk=product.pk).stock == 10
    again = services.order_cancel(by=resident, order=Order.objects.get(pk=order.pk))
    assert again.status == OrderStatus.CANCELLED
    assert Product.objects.get(pk=product.pk).stock == 10
    assert list(order.history.values_list("to_status", flat=True)) == ["placed", "cancelled"]


def test_stale_instance_cancelled_twice_still_returns_once(resident, community, product):
    order = _place(resident, community, [(product, 4)])
    stale = Order.objects.get(pk=order.pk)
    services.order_cancel(by=resident, order=order)
    services.order_cancel(by=resident, order=stale)
    assert Product.objects.get(pk=product.pk).stock == 10


def test_outsider_cannot_cancel(resident, community, product, outsider, other_coordinator):
    order = _place(resident, community, [(product, 1)])
    for user in (outsider, other_coordinator):
        with pytest.raises(NotAllowed):
            services.order_cancel(by=user, order=order)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_round_order_before_cutoff(resident, community, product, open_round):
    order = _place(resident, community, [(product, 2)], round=open_round)
    assert order.round == open_round and order.pickup_point == "East gate"


def test_round_takes_no_order_after_cutoff(resident, community, product, open_round):
    GroupBuyRound.objects.filter(pk=open_round.pk).update(
        cutoff_at=timezone.now() - dt.timedelta(seconds=1))
    open_round.refresh_from_db()
    with pytest.raises(RoundClosed) as err:
        _place(resident, community, [(product, 1)], round=open_round)
    assert err.value.status_code == 409
    assert Product.objects.get(pk=product.pk).stock == 10


def test_round_must_deliver_to_the_pickup_community(resident, community, village, product):
    round_ = RoundFactory(village=village)  # no pickup point in the resident's community
    with pytest.raises(Invalid) as err:
        _place(resident, community, [(product, 1)], round=round_)
    assert err.value.field == "pickup_community"


def test_resident_cannot_cancel_after_cutoff_but_coordinator_can(resident, coordinator, community,
                                                                 product, open_round):
    order = _place(resident, community, [(product, 2)], round=open_round)
    GroupBuyRound.objects.filter(pk=open_round.pk).update(
        cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.order_cancel(by=resident, order=order)
    services.order_cancel(by=coordinator, order=order)
    assert Product.objects.get(pk=product.pk).stock == 10


def test_round_open_checks_pairing_and_dates(coordinator, village, community, other_community,
                                             pairing, other_coordinator, product):
    cutoff = timezone.now() + dt.timedelta(days=1)
    delivery = timezone.localdate() + dt.timedelta(days=3)
    round_ = services.round_open(by=coordinator, village=village, title="Pears", cutoff_at=cutoff,
                                 delivery_date=delivery, pickups=[(community, "Gate 2")],
                                 products=[(product, Decimal("10"))])
    assert round_.pickups.get().pickup_point == "Gate 2"
    with pytest.raises(Invalid):
        services.round_open(by=coordinator, village=village, title="x", cutoff_at=cutoff,
                            delivery_date=delivery, pickups=[(other_community, "Gate")],
                            products=[(product, Decimal("10"))])
    with pytest.raises(Invalid):
        services.round_open(by=coordinator, village=village, title="x",
                            cutoff_at=timezone.now() - dt.timedelta(hours=1),
                            delivery_date=delivery, pickups=[(community, "Gate")],
                            products=[(product, Decimal("10"))])
    with pytest.raises(NotAllowed):
        services.round_open(by=other_coordinator, village=village, title="x", cutoff_at=cutoff,
                            delivery_date=delivery, pickups=[(community, "Gate")],
                            products=[(product, Decimal("10"))])


def test_round_deliver_after_cutoff_then_the_manager_hands_over(resident, coordinator, community,
                                                                 product, open_round, manager):
    kept = _place(resident, community, [(product, 2)], round=open_round)
    dropped = _place(resident, community, [(product, 1)], round=open_round)
    services.order_cancel(by=resident, order=dropped)
    with pytest.raises(Conflict):
        services.round_deliver(by=coordinator, round=open_round)  # still before the cut-off
    GroupBuyRound.objects.filter(pk=open_round.pk).update(
        cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    open_round.refresh_from_db()
    assert services.round_deliver(by=coordinator, round=open_round) == 1
    assert GroupBuyRound.objects.get(pk=open_round.pk).status == RoundStatus.DELIVERED
    with pytest.raises(Conflict):
        services.round_deliver(by=coordinator, round=open_round)
    kept.refresh_from_db()
    assert kept.status == OrderStatus.DELIVERED
    with pytest.raises(Conflict):
        services.order_cancel(by=resident, order=kept)
    with pytest.raises(NotAllowed):
        services.order_collect(by=resident, order=kept, code=kept.pickup_code)
    services.order_collect(by=manager, order=kept, code=kept.pickup_code)
    history = list(OrderStatusChange.objects.filter(order=kept)
                   .values_list("to_status", "changed_by"))
    assert history == [("placed", resident.pk), ("confirmed", None), ("delivered", coordinator.pk),
                       ("collected", manager.pk)]
    assert Order.objects.get(pk=dropped.pk).status == OrderStatus.CANCELLED


def test_payment_is_recorded_once_by_the_coordinator(resident, coordinator, community, product,
                                                     outsider):
    order = _place(resident, community, [(product, 2)])
    with pytest.raises(NotAllowed):
        services.order_mark_paid(by=resident, order=order, method="cash")
    payment = services.order_mark_paid(by=coordinator, order=order, method="mobile", reference="WX1")
    assert (payment.amount, payment.method, payment.recorded_by) == (order.total, "mobile", coordinator)
    with pytest.raises(Conflict):
        services.order_mark_paid(by=coordinator, order=order, method="cash")
    assert Payment.objects.count() == 1


def test_single_order_delivered_by_coordinator_only(resident, coordinator, worker, community,
                                                    product):
    order = _place(resident, community, [(product, 1)])
    with pytest.raises(NotAllowed):
        services.order_mark_delivered(by=worker, order=order)
    services.order_mark_delivered(by=coordinator, order=order)
    with pytest.raises(Conflict):
        services.order_mark_delivered(by=coordinator, order=order)


def test_admin_may_act_for_any_village(resident, admin_user, community, product):
    order = _place(resident, community, [(product, 1)])
    services.order_mark_delivered(by=admin_user, order=order)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DELIVERED


def test_second_resident_membership_elsewhere_does_not_help(community, product, other_community):
    stranger = MembershipFactory(role=Role.RESIDENT, community=other_community, unit="9-9").user
    with pytest.raises(NotAllowed):
        _place(stranger, community, [(product, 1)])
