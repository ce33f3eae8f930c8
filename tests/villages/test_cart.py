"""The session cart: several villages, round lines at group price, steppers, stock checked and
said, nothing removed unless the person removes it; checkout from the cart, double-submit safe."""

from decimal import Decimal

import pytest
from django.test import Client

from synergy.core.models import Role
from tests.factories import MembershipFactory, PairingFactory
from tests.villages.factories import ProductFactory
from villages.models import Checkout, ListingStatus, Order, Product, RoundProduct

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _lines(client):
    return client.session["villages_cart"]["lines"]


@pytest.fixture
def second(community, other_village):
    PairingFactory(community=community, village=other_village)
    return ProductFactory(village=other_village, stock=5, price=Decimal("8.00"))


def test_cart_holds_several_villages_grouped_with_totals(resident, product, second):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 2})
    client.post(f"/villages/cart/add/{second.pk}/", {"quantity": 3})
    page = client.get("/villages/cart/")
    groups = page.context["groups"]
    assert {g.village.pk for g in groups} == {product.village_id, second.village_id}
    assert {g.village.pk: g.total for g in groups}[second.village_id] == Decimal("24.00")
    assert page.context["total"] == sum(g.total for g in groups)
    html = page.content.decode()
    assert product.village.name in html and second.village.name in html and "5 in stock" in html


def test_old_flat_cart_is_read_as_lines(resident, product):
    client = _client(resident)
    session = client.session
    session["villages_cart"] = {str(product.pk): 2}
    session.save()
    groups = client.get("/villages/cart/").context["groups"]
    assert groups[0].lines[0].product == product and groups[0].lines[0].quantity == 2
    client.post(f"/villages/cart/set/{product.pk}/", {"step": "1"})
    assert client.session["villages_cart"] == {"lines": {str(product.pk): 3}, "rounds": {}}


def test_steppers_never_remove_and_stop_at_stock(resident, product):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    client.post(f"/villages/cart/set/{product.pk}/", {"step": "-1"})
    assert _lines(client) == {str(product.pk): 1}  # − at 1 keeps the line
    client.post(f"/villages/cart/set/{product.pk}/", {"quantity": "10"})
    assert _lines(client) == {str(product.pk): 10}
    response = client.post(f"/villages/cart/set/{product.pk}/", {"step": "1"}, follow=True)
    assert _lines(client) == {str(product.pk): 10}
    assert "Only 10" in response.content.decode()


def test_adding_beyond_stock_changes_nothing_unless_asked_to_fit(resident, product):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 4})
    response = client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 7}, follow=True)
    assert _lines(client) == {str(product.pk): 4}
    assert "was not changed" in response.content.decode()
    response = client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 7, "fit": "1"},
                           follow=True)
    assert _lines(client) == {str(product.pk): 10} and "now holds 10" in response.content.decode()


def test_remove_only_when_chosen(resident, product, second):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    client.post(f"/villages/cart/add/{second.pk}/", {"quantity": 1})
    client.post(f"/villages/cart/remove/{second.pk}/")
    assert _lines(client) == {str(product.pk): 1}


def test_off_sale_and_short_lines_stay_with_a_warning_and_block_checkout(
        resident, community, product, second):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 3})
    client.post(f"/villages/cart/add/{second.pk}/", {"quantity": 2})
    Product.objects.filter(pk=second.pk).update(status=ListingStatus.ARCHIVED)
    Product.objects.filter(pk=product.pk).update(stock=2)
    page = client.get("/villages/cart/")
    warnings = {line.product.pk: line.warning for g in page.context["groups"] for line in g.lines}
    assert warnings[second.pk] == "No longer on sale." and "Only 2" in warnings[product.pk]
    response = client.post("/villages/checkout/", {"pickup": community.pk,
                                                    "key": page.context["key"]}, follow=True)
    assert not Order.objects.exists() and len(_lines(client)) == 2
    html = response.content.decode()
    assert "Nothing was ordered" in html and (product.name in html or second.name in html)


def test_round_add_checks_the_offer_and_shows_group_price(resident, village, product, open_round):
    RoundProduct.objects.filter(round=open_round).update(group_price=Decimal("2.50"))
    other = ProductFactory(village=village, stock=3)
    client = _client(resident)
    response = client.post(f"/villages/cart/add/{other.pk}/", {"quantity": 1,
                                                                 "round": open_round.pk}, follow=True)
    assert "villages_cart" not in client.session or not _lines(client)
    assert "not offered" in response.content.decode()
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 2, "round": open_round.pk})
    page = client.get("/villages/cart/")
    group = page.context["groups"][0]
    assert group.round == open_round and group.total == Decimal("5.00")
    assert open_round.title in page.content.decode()
    # A plain add of the same village's product while it is in a round: refused, unchanged.
    client.post(f"/villages/cart/add/{other.pk}/", {"quantity": 1})
    assert _lines(client) == {str(product.pk): 2}


def test_closed_round_add_is_refused(resident, product, open_round):
    open_round.status = "cancelled"
    open_round.save()
    client = _client(resident)
    response = client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1,
                                                                  "round": open_round.pk}, follow=True)
    assert "closed" in response.content.decode() and not client.session.get("villages_cart")


def test_checkout_places_every_village_and_lists_the_orders(resident, community, product, second):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    client.post(f"/villages/cart/add/{second.pk}/", {"quantity": 2})
    page = client.get("/villages/cart/")
    assert page.context["communities"] == [community]
    body = {"pickup": community.pk, "key": page.context["key"]}
    response = client.post("/villages/checkout/", body, follow=True)
    orders = list(Order.objects.order_by("pk"))
    assert len(orders) == 2 and Checkout.objects.count() == 1
    html = response.content.decode()
    assert all(f"/villages/orders/{o.pk}/" in html for o in orders)
    assert _lines(client) == {}
    again = client.post("/villages/checkout/", body)  # a double tap
    assert again.status_code == 302 and again.url == f"/villages/checkout/{orders[0].checkout_id}/"
    assert Order.objects.count() == 2


def test_pickup_choices_are_communities_paired_with_every_village(resident, community, product):
    lonely = ProductFactory(stock=5)
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    client.post(f"/villages/cart/add/{lonely.pk}/", {"quantity": 1})
    page = client.get("/villages/cart/")
    assert page.context["communities"] == []
    client.post("/villages/checkout/", {"pickup": community.pk})
    assert not Order.objects.exists() and len(_lines(client)) == 2


def test_checkout_done_is_only_the_buyers(resident, community, product):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    client.post("/villages/checkout/", {"pickup": community.pk, "key": "x1"})
    checkout = Checkout.objects.get()
    other = MembershipFactory(role=Role.RESIDENT, community=community, unit="8-8").user
    assert _client(other).get(f"/villages/checkout/{checkout.pk}/").status_code == 404


def test_checkout_of_one_village_lands_on_its_order(resident, community, product):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1})
    body = {"pickup": community.pk, "key": client.get("/villages/cart/").context["key"]}
    response = client.post("/villages/checkout/", body)
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == f"/villages/orders/{order.pk}/"
    assert client.post("/villages/checkout/", body).url == f"/villages/orders/{order.pk}/"
    assert Order.objects.count() == 1


def test_nav_shows_the_cart_count(resident, product):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 3})
    assert 'id="nav-cart-count">3<' in client.get("/villages/cart/").content.decode()


def test_joining_a_round_never_reprices_a_line_silently(resident, product, open_round):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 3})
    response = client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1,
                                                                  "round": open_round.pk}, follow=True)
    assert client.session["villages_cart"] == {"lines": {str(product.pk): 3}, "rounds": {}}
    assert "was not changed" in response.content.decode()
