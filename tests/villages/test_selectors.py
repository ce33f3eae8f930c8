"""Selectors others use: channel_feed and pairing_flows; round demand; product list queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from synergy.core.models import Role
from tests.factories import CommunityFactory, MembershipFactory, PairingFactory, VillageFactory
from tests.imagefiles import image_bytes
from tests.villages.factories import OfferFactory, ProductFactory, RoundFactory, RoundPickupFactory
from villages import selectors, services
from villages.models import ListingStatus, ProductPhoto, RoundProduct

pytestmark = pytest.mark.django_db


def _paired_world(community, n):
    villages = []
    for i in range(n):
        v = VillageFactory()
        PairingFactory(community=community, village=v)
        r = RoundFactory(village=v, cutoff_at=timezone.now() + dt.timedelta(hours=5 + i))
        RoundPickupFactory(round=r, community=community, pickup_point=f"Gate {i}")
        ProductFactory(village=v)
        OfferFactory(village=v)
        villages.append(v)
    return villages


@pytest.mark.parametrize("n", [2, 20])
def test_channel_feed_query_count_does_not_grow(community, n, django_assert_max_num_queries):
    _paired_world(community, n)
    # 1 rounds (with their pickup point for this community), 1 products, 1 offers.
    with django_assert_max_num_queries(3):
        feed = selectors.channel_feed(community=community, limit=100)
        [(i.title, i.village_name, i.detail, i.thumbnail) for i in feed]
    assert len(feed) == 3 * n


def test_channel_feed_contents_and_order(community, other_community):
    v1, v2 = _paired_world(community, 2)
    unpaired = VillageFactory()
    ProductFactory(village=unpaired)
    ProductFactory(village=v1, status=ListingStatus.PENDING)
    ProductFactory(village=v1, stock=0)
    closed = RoundFactory(village=v1, cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    RoundPickupFactory(round=closed, community=community)
    elsewhere = RoundFactory(village=v1)
    RoundPickupFactory(round=elsewhere, community=other_community)
    soon = RoundFactory(village=v2, cutoff_at=timezone.now() + dt.timedelta(hours=1))
    RoundPickupFactory(round=soon, community=community, pickup_point="Lobby")

    feed = selectors.channel_feed(community=community)
    kinds = [i.kind for i in feed]
    assert kinds[:3] == ["round", "round", "round"] and set(kinds[3:]) == {"product", "offer"}
    assert feed[0].id == soon.pk and feed[0].detail == "Lobby"
    assert {i.village_id for i in feed} == {v1.pk, v2.pk}
    assert len([i for i in feed if i.kind == "product"]) == 2  # pending and sold-out left out
    only_v1 = selectors.channel_feed(community=community, village=v1, kinds=["product"])
    assert [i.village_id for i in only_v1] == [v1.pk]
    assert len(selectors.channel_feed(community=community, limit=2)) == 2


def test_channel_feed_carries_a_thumbnail(community, admin_user):
    (v,) = _paired_world(community, 1)
    product = v.products.get()
    upload = SimpleUploadedFile("a.jpg", image_bytes(), content_type="image/jpeg")
    photo = services.photo_add(by=admin_user, target=product, upload=upload)
    item = next(i for i in selectors.channel_feed(community=community) if i.kind == "product")
    assert item.thumbnail == photo.thumbnail.name and item.thumbnail.endswith("_thumb.jpg")
    assert item.thumbnail_url == photo.thumbnail.url
    assert item.url == f"/villages/products/{product.pk}/"
    assert ProductPhoto.objects.get().product == product


def test_pairing_flows_totals(django_assert_max_num_queries):
    c1, c2 = CommunityFactory(), CommunityFactory()
    village = VillageFactory()
    PairingFactory(community=c1, village=village)
    PairingFactory(community=c2, village=village)
    r1 = MembershipFactory(role=Role.RESIDENT, community=c1, unit="1").user
    r2 = MembershipFactory(role=Role.RESIDENT, community=c2, unit="2").user
    product = ProductFactory(village=village, price=Decimal("10.00"), stock=100)
    offer = OfferFactory(village=village, capacity=10)

    def order(user, community, qty):
        return services.order_place(buyer=user, pickup_community=community,
                                    items=[{"product": product.pk, "quantity": qty}])

    order(r1, c1, 2)
    order(r1, c1, 3)
    services.order_cancel(by=r1, order=order(r1, c1, 7))
    order(r2, c2, 1)
    start = timezone.localdate() + dt.timedelta(days=3)
    services.booking_create(guest=r1, offer=offer, start_date=start,
                            end_date=start + dt.timedelta(days=3), guests=2)
    cancelled = services.booking_create(guest=r2, offer=offer, start_date=start,
                                        end_date=start + dt.timedelta(days=1), guests=1)
    services.booking_cancel(by=r2, booking=cancelled)

    with django_assert_max_num_queries(2):
        flows = selectors.pairing_flows()
    by_pair = {(f.community_id, f.village_id): f for f in flows}
    f1 = by_pair[(c1.pk, village.pk)]
    assert (f1.orders, f1.amount, f1.bookings, f1.guest_nights) == (2, Decimal("50.00"), 1, 6)
    f2 = by_pair[(c2.pk, village.pk)]
    assert (f2.orders, f2.amount, f2.bookings, f2.guest_nights) == (1, Decimal("10.00"), 0, 0)
    assert [f.community_id for f in selectors.pairing_flows(community=c2)] == [c2.pk]
    assert selectors.pairing_flows(village=VillageFactory()) == []


def test_round_demand_per_product_and_community(village, coordinator):
    c1, c2 = CommunityFactory(name="A"), CommunityFactory(name="B")
    for c in (c1, c2):
        PairingFactory(community=c, village=village)
    round_ = RoundFactory(village=village)
    RoundPickupFactory(round=round_, community=c1)
    RoundPickupFactory(round=round_, community=c2)
    pears = ProductFactory(village=village, name="Pears", price=Decimal("5"))
    honey = ProductFactory(village=village, name="Honey", price=Decimal("40"))
    for p in (pears, honey):
        RoundProduct.objects.create(round=round_, product=p, group_price=p.price)
    u1 = MembershipFactory(role=Role.RESIDENT, community=c1, unit="1").user
    u2 = MembershipFactory(role=Role.RESIDENT, community=c2, unit="2").user
    services.order_place(buyer=u1, pickup_community=c1, round=round_,
                         items=[{"product": pears.pk, "quantity": 3}, {"product": honey.pk, "quantity": 1}])
    services.order_place(buyer=u2, pickup_community=c2, round=round_,
                         items=[{"product": pears.pk, "quantity": 4}])
    gone = services.order_place(buyer=u2, pickup_community=c2, round=round_,
                                items=[{"product": honey.pk, "quantity": 9}])
    services.order_cancel(by=u2, order=gone)
    demand = selectors.round_demand(viewer=coordinator, round=round_)
    assert {p["name"]: p["quantity"] for p in demand.products} == {"Pears": 7, "Honey": 1}
    assert demand.cells[(pears.pk, c1.pk)] == 3 and demand.cells[(pears.pk, c2.pk)] == 4
    assert [(c["name"], c["orders"], c["amount"]) for c in demand.communities] == [
        ("A", 1, Decimal("55.00")), ("B", 1, Decimal("20.00"))]
    assert demand.orders == 2 and demand.amount == Decimal("75.00")


def test_product_list_filters_and_search(village, other_village):
    ProductFactory(village=village, name="Baozhu pears", price=Decimal("30"), stock=5)
    ProductFactory(village=village, name="Honey", category="processed", price=Decimal("60"), stock=0)
    ProductFactory(village=other_village, name="Embroidery", category="handicraft", price=Decimal("200"))
    ProductFactory(village=village, name="Hidden", status=ListingStatus.DRAFT)
    names = lambda **kw: sorted(p.name for p in selectors.product_list(filters=kw))  # noqa: E731
    assert names() == ["Baozhu pears", "Embroidery", "Honey"]
    assert names(search="pear") == ["Baozhu pears"]
    assert names(q="pear") == ["Baozhu pears"]  # the page's name for `search`
    assert names(village=village.pk) == ["Baozhu pears", "Honey"]
    assert names(category="handicraft") == ["Embroidery"]
    assert names(min_price=Decimal("50"), max_price=Decimal("100")) == ["Honey"]
    assert names(in_stock=True) == ["Baozhu pears", "Embroidery"]
    assert names(in_stock="on") == ["Baozhu pears", "Embroidery"]  # the page's checkbox
    assert [p.name for p in selectors.product_list(filters={"ordering": "-price"})] == [
        "Embroidery", "Honey", "Baozhu pears"]
    assert [p.name for p in selectors.product_list(filters={"sort": "price"})] == [
        "Baozhu pears", "Honey", "Embroidery"]


def test_village_list_filters_by_region_and_industry(coordinator, village, other_village):
    services.profile_update(by=coordinator, village=village, industries=["fruit", "tourism"],
                            specialities="Pears")
    assert list(selectors.village_list(filters={"industry": "fruit"})) == [village]
    assert list(selectors.village_list(filters={"region": village.district})) == [village, other_village] or \
        village in selectors.village_list(filters={"region": village.district})
    assert list(selectors.village_list(filters={"region": "nowhere"})) == []
    services.profile_update(by=coordinator, village=village, industries=["tea"])
    assert list(selectors.village_list(filters={"industry": "fruit"})) == []
