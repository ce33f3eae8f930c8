"""HTML pages: each renders for the right people, refuses the others, and works in both languages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from synergy.core.models import User
from tests.imagefiles import image_bytes
from tests.villages.factories import ProductFactory
from villages.models import (
    Booking,
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderStatus,
    Product,
    ProductPhoto,
)

pytestmark = pytest.mark.django_db


def _client(user=None, lang="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0)
    return {u.username: u for u in User.objects.all()}


@pytest.mark.parametrize("lang, word, catalogue", [("en", "Villages", "Produce from the villages"),
                                                   ("zh-hans", "村庄", "乡村好物")])
def test_public_pages_render_in_both_languages(seeded, lang, word, catalogue):
    client = _client(lang=lang)
    product = Product.objects.filter(status=ListingStatus.PUBLISHED).first()
    offer_id = Booking.objects.first().offer_id
    for url in ["/villages/", "/villages/v/wanxi-village/", "/villages/products/",
                f"/villages/products/{product.pk}/", "/villages/stays/", f"/villages/stays/{offer_id}/",
                "/villages/cart/", "/villages/products/?q=梨&sort=price&in_stock=on&category=produce"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert word in client.get("/villages/").content.decode()
    assert catalogue in client.get("/villages/products/").content.decode()


def test_resident_pages(seeded):
    client = _client(seeded["resident"])
    order = Order.objects.get(buyer=seeded["resident"])
    for url in ["/villages/orders/", f"/villages/orders/{order.pk}/", "/villages/bookings/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/villages/manage/").status_code == 404
    assert client.get("/villages/moderation/").status_code == 404


def test_coordinator_dashboard_and_forms(seeded):
    client = _client(seeded["coordinator"])
    response = client.get("/villages/manage/", follow=True)
    assert response.status_code == 200 and "宝珠梨团购" in response.content.decode()
    village_id = response.context["village"].pk
    round_ = GroupBuyRound.objects.get(village_id=village_id, status="open")  # the demo has past ones too
    for url in [f"/villages/manage/{village_id}/products/new/", f"/villages/manage/{village_id}/rounds/new/",
                f"/villages/manage/{village_id}/offers/new/", f"/villages/manage/{village_id}/profile/",
                f"/villages/manage/rounds/{round_.pk}/"]:
        assert client.get(url).status_code == 200, url
    other = GroupBuyRound.objects.exclude(village_id=village_id).first()
    other_village = Product.objects.exclude(village_id=village_id).first().village_id
    assert client.get(f"/villages/manage/{other_village}/").status_code == 404
    assert other is None or client.get(f"/villages/manage/rounds/{other.pk}/").status_code == 404


def test_moderation_page_for_admins(seeded):
    response = _client(seeded["admin"]).get("/villages/moderation/")
    assert response.status_code == 200 and "梨木小砧板" in response.content.decode()


def test_checkout_places_an_order_from_the_cart(resident, product, community, open_round):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 3, "round": open_round.pk})
    page = client.get("/villages/cart/")
    assert page.context["communities"] == [community]
    response = client.post("/villages/checkout/", {"pickup": community.pk,
                                                    "key": page.context["key"]})
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == f"/villages/orders/{order.pk}/"  # one village: straight to its order
    assert order.round == open_round and order.items.get().quantity == 3
    assert order.pickup_point == "East gate"
    assert Product.objects.get(pk=product.pk).stock == 7
    assert client.get("/villages/cart/").context["groups"] == []


def test_checkout_shows_409_as_a_message(resident, product, community):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 8})
    Product.objects.filter(pk=product.pk).update(stock=5)
    response = client.post("/villages/checkout/", {"pickup": community.pk}, follow=True)
    assert "5" in response.content.decode() and not Order.objects.exists()


def test_coordinator_adds_a_product_with_a_photo(coordinator, village):
    client = _client(coordinator)
    photo = SimpleUploadedFile("p.jpg", image_bytes(exif=True), content_type="image/jpeg")
    response = client.post(f"/villages/manage/{village.pk}/products/new/", {
        "name": "Pears", "category": "produce", "unit": "box", "price": "20", "stock": "5",
        "photo": photo})
    assert response.status_code == 302
    product = Product.objects.get()
    assert product.status == ListingStatus.PENDING and product.photos.count() == 1


def test_bad_photo_leaves_no_product_behind(coordinator, village):
    client = _client(coordinator)
    response = client.post(f"/villages/manage/{village.pk}/products/new/", {
        "name": "Pears", "category": "produce", "unit": "box", "price": "20", "stock": "5",
        "photo": SimpleUploadedFile("p.jpg", b"not a picture", content_type="image/jpeg")})
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert not Product.objects.exists() and not ProductPhoto.objects.exists()


def test_other_coordinator_cannot_edit(other_coordinator, product):
    client = _client(other_coordinator)
    assert client.get(f"/villages/manage/products/{product.pk}/").status_code == 404
    client.post(f"/villages/manage/products/{product.pk}/stock/", {"stock": 99})
    assert Product.objects.get(pk=product.pk).stock == 10


def test_round_deliver_from_the_page(coordinator, resident, community, product, open_round):
    client = _client(resident)
    client.post(f"/villages/cart/add/{product.pk}/", {"quantity": 1, "round": open_round.pk})
    client.post("/villages/checkout/", {"pickup": community.pk})
    GroupBuyRound.objects.filter(pk=open_round.pk).update(cutoff_at=timezone.now() - dt.timedelta(minutes=1))
    _client(coordinator).post(f"/villages/manage/rounds/{open_round.pk}/deliver/")
    assert Order.objects.get().status == OrderStatus.DELIVERED


def test_booking_from_the_offer_page(resident, offer):
    start = timezone.localdate() + dt.timedelta(days=3)
    response = _client(resident).post(f"/villages/stays/{offer.pk}/", {
        "start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=2)).isoformat(),
        "guests": 2})
    assert response.status_code == 302 and Booking.objects.get().nights == 2
    full = _client(resident).post(f"/villages/stays/{offer.pk}/", {
        "start_date": start.isoformat(), "end_date": (start + dt.timedelta(days=1)).isoformat(),
        "guests": 3})
    assert full.status_code == 200 and Booking.objects.count() == 1


def test_draft_product_page_is_hidden(village):
    draft = ProductFactory(village=village, status=ListingStatus.DRAFT)
    assert _client().get(f"/villages/products/{draft.pk}/").status_code == 404
