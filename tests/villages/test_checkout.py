"""checkout_place and POST /api/v1/checkouts/: one order per village in one transaction, all or
nothing, group prices in a round, the pickup rules, idempotent keys."""

from decimal import Decimal

import pytest

from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Notification, Role
from tests.factories import MembershipFactory, PairingFactory
from tests.villages.factories import ProductFactory, RoundFactory, RoundPickupFactory
from villages import services
from villages.errors import OutOfStock, RoundClosed
from villages.models import Checkout, ListingStatus, Order, OrderItem, Product, RoundProduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(community, other_village):
    """A second village paired with the community, with a product of its own."""
    PairingFactory(community=community, village=other_village)
    return ProductFactory(village=other_village, stock=5, price=Decimal("8.00"))


def _items(*pairs):
    return [{"product": p.pk, "quantity": q} for p, q in pairs]


def test_one_order_per_village_in_one_checkout(resident, community, product, second, coordinator,
                                               other_coordinator):
    checkout, orders = services.checkout_place(buyer=resident, pickup_community=community,
                                               items=_items((product, 2), (second, 3)))
    assert [o.village_id for o in orders] == sorted([product.village_id, second.village_id])
    assert all(o.checkout_id == checkout.pk for o in orders)
    assert {o.village_id: o.total for o in orders}[second.village_id] == Decimal("24.00")
    assert Product.objects.get(pk=product.pk).stock == 8
    assert Product.objects.get(pk=second.pk).stock == 2
    told = set(Notification.objects.filter(kind="villages.order_placed")
               .values_list("recipient_id", flat=True))
    assert told == {coordinator.pk, other_coordinator.pk}


def test_short_product_in_one_village_places_nothing(resident, community, product, second):
    with pytest.raises(OutOfStock, match=second.name):
        services.checkout_place(buyer=resident, pickup_community=community,
                                items=_items((product, 2), (second, 6)))
    assert not Order.objects.exists() and not Checkout.objects.exists()
    assert Product.objects.get(pk=product.pk).stock == 10
    assert Product.objects.get(pk=second.pk).stock == 5


def test_off_sale_product_is_named_and_nothing_placed(resident, community, product, second):
    Product.objects.filter(pk=second.pk).update(status=ListingStatus.ARCHIVED)
    with pytest.raises(Invalid, match=second.name) as exc:
        services.checkout_place(buyer=resident, pickup_community=community,
                                items=_items((product, 1), (second, 1)))
    assert exc.value.field == "items" and not Order.objects.exists()


def test_unpaired_village_is_named(resident, community, product):
    lonely = ProductFactory(stock=5)
    with pytest.raises(Invalid, match=lonely.village.name) as exc:
        services.checkout_place(buyer=resident, pickup_community=community,
                                items=_items((product, 1), (lonely, 1)))
    assert exc.value.field == "pickup_community" and not Order.objects.exists()


def test_only_residents_of_the_pickup_community(coordinator, community, product):
    with pytest.raises(NotAllowed):
        services.checkout_place(buyer=coordinator, pickup_community=community,
                                items=_items((product, 1)))


def test_round_items_cost_the_group_price_and_pick_up_at_the_round_point(
        resident, community, product, second, open_round):
    RoundProduct.objects.filter(round=open_round).update(group_price=Decimal("3.50"))
    _c, orders = services.checkout_place(buyer=resident, pickup_community=community, round=open_round,
                                         items=_items((product, 2), (second, 1)))
    by_village = {o.village_id: o for o in orders}
    in_round = by_village[product.village_id]
    assert in_round.round == open_round and in_round.total == Decimal("7.00")
    assert in_round.pickup_point == "East gate"
    plain = by_village[second.village_id]
    assert plain.round is None and plain.total == Decimal("8.00")
    assert plain.pickup_point == (community.address or community.name)


def test_round_refuses_products_it_does_not_offer(resident, community, village, product, open_round):
    other = ProductFactory(village=village, stock=5)
    with pytest.raises(Invalid, match=other.name):
        services.checkout_place(buyer=resident, pickup_community=community, round=open_round,
                                items=_items((product, 1), (other, 1)))
    assert not Order.objects.exists()


def test_closed_round_refuses(resident, community, product, open_round):
    open_round.status = "cancelled"
    open_round.save()
    with pytest.raises(RoundClosed):
        services.checkout_place(buyer=resident, pickup_community=community, round=open_round,
                                items=_items((product, 1)))


def test_round_that_does_not_serve_the_community_is_named(resident, community, village, product):
    r = RoundFactory(village=village)
    RoundPickupFactory(round=r, community=PairingFactory(village=village).community)
    RoundProduct.objects.create(round=r, product=product, group_price=product.price)
    with pytest.raises(Invalid, match=village.name):
        services.checkout_place(buyer=resident, pickup_community=community, round=r,
                                items=_items((product, 1)))


def test_same_key_returns_the_same_orders(resident, community, product, second):
    first, orders = services.checkout_place(buyer=resident, pickup_community=community, key="k1",
                                            items=_items((product, 1), (second, 1)))
    again, orders2 = services.checkout_place(buyer=resident, pickup_community=community, key="k1",
                                             items=_items((product, 1), (second, 1)))
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert [o.pk for o in orders2] == [o.pk for o in orders]
    assert Order.objects.count() == 2 and Product.objects.get(pk=product.pk).stock == 9


def test_order_place_is_a_one_village_checkout(resident, community, product, second):
    order = services.order_place(buyer=resident, pickup_community=community,
                                 items=_items((product, 2)))
    assert order.checkout is not None and order.total == product.price * 2
    with pytest.raises(Invalid):
        services.order_place(buyer=resident, pickup_community=community,
                             items=_items((product, 1), (second, 1)))


# --- API -------------------------------------------------------------------------------------


def test_api_checkout_201_then_200_for_the_same_key(api_as, resident, community, product, second):
    body = {"items": _items((product, 1), (second, 2)), "pickup_community": community.pk}
    client = api_as(resident)
    created = client.post("/api/v1/checkouts/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert created.status_code == 201
    assert len(created.data["orders"]) == 2 and created.data["checkout"]
    assert {o["village"] for o in created.data["orders"]} == {product.village_id, second.village_id}
    again = client.post("/api/v1/checkouts/", {**body, "key": "abc"}, format="json")
    assert again.status_code == 200 and again.data == created.data
    assert OrderItem.objects.count() == 2


def test_api_checkout_409_names_the_short_product(api_as, resident, community, product, second):
    body = {"items": _items((product, 1), (second, 9)), "pickup_community": community.pk}
    response = api_as(resident).post("/api/v1/checkouts/", body, format="json")
    assert response.status_code == 409 and second.name in response.data["detail"]
    assert not Order.objects.exists()


def test_api_checkout_400_names_the_field(api_as, resident, community, product):
    response = api_as(resident).post("/api/v1/checkouts/", {"items": [],
                                                            "pickup_community": community.pk},
                                     format="json")
    assert response.status_code == 400 and "items" in response.data
    response = api_as(resident).post("/api/v1/checkouts/", {"items": _items((product, 1))},
                                     format="json")
    assert response.status_code == 400 and "pickup_community" in response.data


def test_api_checkout_needs_a_login(api_as, community, product):
    body = {"items": _items((product, 1)), "pickup_community": community.pk}
    assert api_as(None).post("/api/v1/checkouts/", body, format="json").status_code in (401, 403)


def test_api_orders_still_places_one_order(api_as, community, product):
    buyer = MembershipFactory(role=Role.RESIDENT, community=community, unit="9-9").user
    body = {"items": _items((product, 1)), "pickup_community": community.pk, "round": None}
    assert api_as(buyer).post("/api/v1/orders/", body, format="json").status_code == 201
