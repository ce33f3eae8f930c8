"""The API contract of the village node, its permission matrix, query counts and uploads."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from synergy.core.images import MAX_BYTES
from synergy.core.models import Role
from tests.factories import MembershipFactory
from tests.imagefiles import bomb_png, image_bytes
from tests.villages.factories import ProductFactory
from villages.models import (
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderStatus,
    Product,
    ProductPhoto,
)

pytestmark = pytest.mark.django_db


# --- Products: list, filters, query count ----------------------------------------------------


@pytest.mark.parametrize("n", [5, 50])
def test_product_list_query_count_is_constant(api, village, n, django_assert_num_queries, admin_user):
    for i in range(n):
        p = ProductFactory(village=village)
        if i < 3:
            ProductPhoto.objects.bulk_create([ProductPhoto(product=p, image=f"x{i}.jpg",
                                                           thumbnail=f"x{i}_t.jpg", width=1, height=1)])
    # 1 count (pagination), 1 products joined to their villages, 1 photos of the page.
    with django_assert_num_queries(3):
        response = api.get("/api/v1/products/?page_size=100")
    assert response.status_code == 200
    assert response.data["count"] == n and len(response.data["results"]) == n


def test_product_list_filters_and_ordering(api, village, other_village):
    ProductFactory(village=village, name="Pears", price=Decimal("30"), stock=5)
    ProductFactory(village=village, name="Honey", category="processed", price=Decimal("60"), stock=0)
    ProductFactory(village=other_village, name="Scarf", category="handicraft", price=Decimal("200"))
    ProductFactory(village=village, name="Draft", status=ListingStatus.DRAFT)

    def names(query):
        response = api.get("/api/v1/products/" + query)
        assert response.status_code == 200, response.data
        return [p["name"] for p in response.data["results"]]

    assert sorted(names("")) == ["Honey", "Pears", "Scarf"]
    assert names(f"?village={village.pk}&ordering=price") == ["Pears", "Honey"]
    assert names("?category=handicraft") == ["Scarf"]
    assert names("?search=hon") == ["Honey"]
    assert names("?min_price=50&max_price=100") == ["Honey"]
    assert names("?in_stock=true&ordering=-price") == ["Scarf", "Pears"]
    assert api.get("/api/v1/products/?min_price=abc").status_code == 400
    assert api.get("/api/v1/products/?ordering=evil").status_code == 400


def test_product_output_has_decimal_price_and_stock(api, product):
    body = api.get(f"/api/v1/products/{product.pk}/").data
    assert body["price"] == "12.50" and body["stock"] == 10 and body["village"] == product.village_id


def test_unpublished_product_is_hidden_from_the_public(api, api_as, village, coordinator):
    draft = ProductFactory(village=village, status=ListingStatus.DRAFT)
    assert api.get(f"/api/v1/products/{draft.pk}/").status_code == 404
    assert api_as(coordinator).get(f"/api/v1/products/{draft.pk}/").status_code == 200


# --- Permission matrix on product writes -----------------------------------------------------

PERSONAS = ["anonymous", "resident", "coordinator", "other_coordinator", "admin_user"]
ALLOWED = {"coordinator", "admin_user"}


def _persona(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_product_create_permission_matrix(request, api_as, village, persona):
    user = _persona(request, persona)
    response = api_as(user).post("/api/v1/products/", {
        "village": village.pk, "name": "Pears", "category": "produce", "unit": "5 kg box",
        "price": "39.90", "stock": 20}, format="json")
    if persona in ALLOWED:
        assert response.status_code == 201, response.data
        assert response.data["status"] == "pending" and response.data["price"] == "39.90"
    else:
        # An anonymous write is refused before anything else (401, as in every app's API).
        assert response.status_code == (401 if persona == "anonymous" else 403)
        assert "detail" in response.data
        assert not Product.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_product_patch_permission_matrix(request, api_as, product, persona):
    user = _persona(request, persona)
    response = api_as(user).patch(f"/api/v1/products/{product.pk}/", {"stock": 42}, format="json")
    stock = Product.objects.get(pk=product.pk).stock
    if persona in ALLOWED:
        assert response.status_code == 200 and response.data["stock"] == 42 and stock == 42
    else:
        assert response.status_code == (401 if persona == "anonymous" else 403) and stock == 10


def test_product_patch_bad_input_is_400_with_field_errors(api_as, product, coordinator):
    response = api_as(coordinator).patch(f"/api/v1/products/{product.pk}/", {"stock": -3},
                                         format="json")
    assert response.status_code == 400 and "stock" in response.data


def test_product_create_bad_input_is_400(api_as, village, coordinator):
    response = api_as(coordinator).post("/api/v1/products/", {
        "village": village.pk, "name": "", "category": "gold", "unit": "kg", "price": "-1"},
        format="json")
    assert response.status_code == 400
    assert {"name", "category", "price"} <= set(response.data)


@pytest.mark.parametrize("persona, expected", [
    ("anonymous", 401), ("resident", 403), ("coordinator", 403), ("other_coordinator", 403),
    ("admin_user", 200)])
def test_only_admins_approve(request, api_as, village, persona, expected):
    pending = ProductFactory(village=village, status=ListingStatus.PENDING)
    response = api_as(_persona(request, persona)).post(f"/api/v1/products/{pending.pk}/approve/")
    assert response.status_code == expected
    assert Product.objects.get(pk=pending.pk).status == (
        ListingStatus.PUBLISHED if expected == 200 else ListingStatus.PENDING)


# --- Orders ----------------------------------------------------------------------------------


def _order_body(product, community, qty=1, round=None):
    return {"items": [{"product": product.pk, "quantity": qty}], "pickup_community": community.pk,
            "round": round}


def test_order_create_returns_201_and_the_order(api_as, resident, product, community, open_round):
    response = api_as(resident).post("/api/v1/orders/",
                                     _order_body(product, community, 3, open_round.pk), format="json")
    assert response.status_code == 201, response.data
    body = response.data
    assert body["status"] == "placed" and body["total"] == "37.50" and body["round"] == open_round.pk
    assert body["items"] == [{"product": product.pk, "product_name": product.name, "unit": "kg",
                              "quantity": 3, "unit_price": "12.50", "line_total": "37.50"}]
    assert body["pickup_point"] == "East gate" and body["payment"] is None


def test_order_response_is_the_order_as_read_back(api_as, resident, product, community,
                                                  open_round):
    """The 201 is built from the order as placed (no read after commit): it is exactly what the
    buyer's list then returns for it, pickup code and payment instructions included."""
    client = api_as(resident)
    placed = client.post("/api/v1/orders/", _order_body(product, community, 2, open_round.pk),
                         format="json").json()
    listed = client.get("/api/v1/orders/").json()["results"]
    assert placed["pickup_code"] and listed[0] == placed


def test_order_without_round(api_as, resident, product, community):
    body = _order_body(product, community)
    del body["round"]
    assert api_as(resident).post("/api/v1/orders/", body, format="json").status_code == 201


def test_order_short_stock_is_409_with_a_sentence(api_as, resident, product, community):
    response = api_as(resident).post("/api/v1/orders/", _order_body(product, community, 11),
                                     format="json")
    assert response.status_code == 409
    assert set(response.data) == {"detail"} and "10" in response.data["detail"]


def test_order_in_a_closed_round_is_409(api_as, resident, product, community, open_round):
    GroupBuyRound.objects.filter(pk=open_round.pk).update(
        cutoff_at=timezone.now() - dt.timedelta(seconds=1))
    response = api_as(resident).post("/api/v1/orders/",
                                     _order_body(product, community, 1, open_round.pk), format="json")
    assert response.status_code == 409 and set(response.data) == {"detail"}
    assert Product.objects.get(pk=product.pk).stock == 10


@pytest.mark.parametrize("body, field", [
    ({"items": [], "pickup_community": "C"}, "items"),
    ({"items": [{"product": "P", "quantity": 0}], "pickup_community": "C"}, "items"),
    ({"items": [{"product": "P", "quantity": 1}], "pickup_community": 999999}, "pickup_community"),
    ({"items": [{"product": "P", "quantity": 1}], "pickup_community": "C", "round": 999999}, "round"),
    ({"items": [{"product": 999999, "quantity": 1}], "pickup_community": "C"}, "items"),
    ({"pickup_community": "C"}, "items"),
])
def test_order_bad_input_is_400_with_field_errors(api_as, resident, product, community, body, field):
    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return {"P": product.pk, "C": community.pk}.get(value, value) if isinstance(value, str) else value

    response = api_as(resident).post("/api/v1/orders/", fill(body), format="json")
    assert response.status_code == 400 and field in response.data, response.data


def test_orders_list_only_own(api_as, resident, product, community, coordinator):
    neighbour = MembershipFactory(role=Role.RESIDENT, community=community, unit="7-7").user
    api_as(resident).post("/api/v1/orders/", _order_body(product, community), format="json")
    api_as(neighbour).post("/api/v1/orders/", _order_body(product, community, 2), format="json")
    mine = api_as(resident).get("/api/v1/orders/").data
    assert mine["count"] == 1 and mine["results"][0]["items"][0]["quantity"] == 1
    assert api_as(coordinator).get("/api/v1/orders/").data["count"] == 0
    assert api_as(None).get("/api/v1/orders/").status_code == 401  # log in first
    other = Order.objects.get(buyer=neighbour)
    assert api_as(resident).get(f"/api/v1/orders/{other.pk}/").status_code == 404
    assert api_as(coordinator).get(f"/api/v1/orders/{other.pk}/").status_code == 200


def test_order_cancel_twice_returns_stock_once(api_as, resident, product, community):
    order = api_as(resident).post("/api/v1/orders/", _order_body(product, community, 4),
                                  format="json").data
    for _ in range(2):
        response = api_as(resident).post(f"/api/v1/orders/{order['id']}/cancel/")
        assert response.status_code == 200 and response.data["status"] == "cancelled"
    assert Product.objects.get(pk=product.pk).stock == 10
    assert [h["to_status"] for h in response.data["history"]] == ["placed", "cancelled"]


def test_order_cancel_by_outsider_is_refused(api_as, resident, outsider, product, community):
    order = api_as(resident).post("/api/v1/orders/", _order_body(product, community),
                                  format="json").data
    assert api_as(outsider).post(f"/api/v1/orders/{order['id']}/cancel/").status_code == 404
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PLACED


def test_order_pay_deliver_collect(api_as, resident, coordinator, product, community, manager):
    order = api_as(resident).post("/api/v1/orders/", _order_body(product, community),
                                  format="json").data
    url = f"/api/v1/orders/{order['id']}/"
    assert api_as(resident).post(url + "pay/", {"method": "cash"}, format="json").status_code == 403
    assert api_as(coordinator).post(url + "pay/", {"method": "gold"}, format="json").status_code == 400
    paid = api_as(coordinator).post(url + "pay/", {"method": "mobile"}, format="json")
    assert paid.status_code == 200 and paid.data["payment"]["method"] == "mobile"
    assert api_as(coordinator).post(url + "pay/", {"method": "cash"}, format="json").status_code == 409
    code = api_as(resident).get(url).data["pickup_code"]
    assert api_as(resident).post(url + "collect/", {"code": code}, format="json").status_code == 403
    assert api_as(coordinator).post(url + "deliver/").status_code == 200
    assert api_as(manager).post(url + "collect/", {"code": code},
                                format="json").data["status"] == "collected"
    assert api_as(manager).post(url + "collect/", {"code": code}, format="json").status_code == 409


def test_only_residents_of_the_pickup_community_order(api_as, outsider, coordinator, product,
                                                       community):
    for user, refused in ((None, 401), (outsider, 403), (coordinator, 403)):
        response = api_as(user).post("/api/v1/orders/", _order_body(product, community),
                                     format="json")
        assert response.status_code == refused


# --- Rounds ----------------------------------------------------------------------------------


def test_round_open_demand_and_deliver(api_as, coordinator, resident, other_coordinator, community,
                                       village, pairing, product):
    body = {"village": village.pk, "title": "Pear round", "cutoff_at":
            (timezone.now() + dt.timedelta(days=1)).isoformat(),
            "delivery_date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            "pickups": [{"community": community.pk, "pickup_point": "Gate 1"}],
            "products": [{"product": product.pk, "group_price": "10.00"}]}
    assert api_as(other_coordinator).post("/api/v1/rounds/", body, format="json").status_code == 403
    assert api_as(resident).post("/api/v1/rounds/", body, format="json").status_code == 403
    created = api_as(coordinator).post("/api/v1/rounds/", body, format="json")
    assert created.status_code == 201 and created.data["accepting_orders"] is True
    rid = created.data["id"]
    api_as(resident).post("/api/v1/orders/", _order_body(product, community, 2, rid), format="json")
    assert api_as(resident).get(f"/api/v1/rounds/{rid}/demand/").status_code == 403
    demand = api_as(coordinator).get(f"/api/v1/rounds/{rid}/demand/").data
    assert demand["orders"] == 1 and demand["products"][0]["quantity"] == 2
    assert api_as(coordinator).post(f"/api/v1/rounds/{rid}/deliver/").status_code == 409
    open_rounds = api_as(None).get(f"/api/v1/rounds/?community={community.pk}&open=1").data
    assert [r["id"] for r in open_rounds["results"]] == [rid]


# --- Tourism offers and bookings -------------------------------------------------------------


def _stay(days_from_now, nights, guests):
    start = timezone.localdate() + dt.timedelta(days=days_from_now)
    return {"start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=nights)).isoformat(), "guests": guests}


def test_offer_list_and_calendar(api, offer):
    listing = api.get("/api/v1/tourism-offers/").data
    assert [o["id"] for o in listing["results"]] == [offer.pk]
    calendar = api.get(f"/api/v1/tourism-offers/{offer.pk}/calendar/?days=3").data
    assert len(calendar) == 3 and calendar[0]["remaining"] == 4


def test_booking_201_then_409_when_a_night_is_full(api_as, resident, outsider, offer):
    url = f"/api/v1/tourism-offers/{offer.pk}/bookings/"
    first = api_as(resident).post(url, _stay(5, 2, 3), format="json")
    assert first.status_code == 201, first.data
    assert first.data["nights"] == 2 and first.data["total"] == "1080.00"
    full = api_as(outsider).post(url, _stay(6, 2, 2), format="json")
    assert full.status_code == 409 and set(full.data) == {"detail"}
    assert api_as(outsider).post(url, _stay(7, 2, 2), format="json").status_code == 201
    bad = api_as(outsider).post(url, {"start_date": "soon", "guests": 0}, format="json")
    assert bad.status_code == 400 and {"start_date", "end_date", "guests"} <= set(bad.data)
    assert api_as(None).post(url, _stay(9, 1, 1), format="json").status_code == 401


def test_booking_cancel_confirm_and_listing(api_as, resident, coordinator, offer):
    booking = api_as(resident).post(f"/api/v1/tourism-offers/{offer.pk}/bookings/", _stay(5, 1, 2),
                                    format="json").data
    assert api_as(resident).post(f"/api/v1/bookings/{booking['id']}/confirm/").status_code == 403
    assert api_as(coordinator).post(
        f"/api/v1/bookings/{booking['id']}/confirm/").data["status"] == "confirmed"
    assert api_as(resident).get("/api/v1/bookings/").data["count"] == 1
    village_bookings = api_as(coordinator).get(f"/api/v1/villages/{offer.village_id}/bookings/")
    assert village_bookings.data["count"] == 1
    assert api_as(resident).get(f"/api/v1/villages/{offer.village_id}/bookings/").status_code == 403
    assert api_as(resident).post(
        f"/api/v1/bookings/{booking['id']}/cancel/").data["status"] == "cancelled"


@pytest.mark.parametrize("persona", PERSONAS)
def test_offer_create_permission_matrix(request, api_as, village, persona):
    response = api_as(_persona(request, persona)).post("/api/v1/tourism-offers/", {
        "village": village.pk, "kind": "leisure_pension", "title": "Quiet month", "price": "90",
        "capacity": 4, "min_nights": 7, "max_nights": 90}, format="json")
    refused = 401 if persona == "anonymous" else 403
    assert response.status_code == (201 if persona in ALLOWED else refused)


# --- Uploads ---------------------------------------------------------------------------------


def _upload(data, name="p.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_photo_upload_is_reencoded(api_as, coordinator, product, settings):
    response = api_as(coordinator).post(f"/api/v1/products/{product.pk}/photos/",
                                        {"photo": _upload(image_bytes(exif=True))}, format="multipart")
    assert response.status_code == 201, response.data
    photo = ProductPhoto.objects.get()
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith("_thumb.jpg")
    assert (settings.MEDIA_ROOT / photo.image.name).exists()
    assert dict(Image.open(settings.MEDIA_ROOT / photo.image.name).getexif()) == {}


@pytest.mark.parametrize("data, name", [
    (b"GIF89a but really a shell script", "x.gif"),
    ("truncated", "t.jpg"),
    ("bomb", "b.png"),
    ("oversized", "o.jpg"),
])
def test_bad_uploads_are_400_and_nothing_is_saved(api_as, coordinator, product, settings, data, name):
    if data == "truncated":
        full = image_bytes(size=(900, 700))
        data = full[: len(full) // 2]
    elif data == "bomb":
        data = bomb_png()
    elif data == "oversized":
        data = image_bytes() + b"\0" * (MAX_BYTES + 10)
    response = api_as(coordinator).post(f"/api/v1/products/{product.pk}/photos/",
                                        {"photo": _upload(data, name)}, format="multipart")
    assert response.status_code == 400 and "photo" in response.data, response.data
    assert not ProductPhoto.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_photo_upload_by_another_village_is_refused(api_as, other_coordinator, product):
    response = api_as(other_coordinator).post(f"/api/v1/products/{product.pk}/photos/",
                                              {"photo": _upload(image_bytes())}, format="multipart")
    assert response.status_code == 403 and not ProductPhoto.objects.exists()


def test_village_profile_read_and_update(api_as, api, coordinator, other_coordinator, village):
    body = {"tagline": "Pear blossom", "industries": ["fruit", "tourism"], "features": "Hills"}
    assert api_as(other_coordinator).put(f"/api/v1/villages/{village.pk}/profile/", body,
                                         format="json").status_code == 403
    assert api_as(coordinator).put(f"/api/v1/villages/{village.pk}/profile/", body,
                                   format="json").status_code == 200
    data = api.get(f"/api/v1/villages/{village.pk}/profile/").data
    assert data["tagline"] == "Pear blossom" and sorted(data["industries"]) == ["fruit", "tourism"]
    # The core endpoint is unchanged.
    assert api.get("/api/v1/villages/").status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/rounds/?village=x", "/api/v1/rounds/?community=1;",
                                 "/api/v1/tourism-offers/?village=abc"])
def test_bad_query_parameters_are_400_not_500(api, url):
    assert api.get(url).status_code == 400


def test_village_orders_for_coordinator_only(api_as, coordinator, resident, product, community):
    api_as(resident).post("/api/v1/orders/", _order_body(product, community), format="json")
    url = f"/api/v1/villages/{product.village_id}/orders/"
    assert api_as(coordinator).get(url).data["count"] == 1
    assert api_as(coordinator).get(url + "?round=zz").status_code == 400
    assert api_as(resident).get(url).status_code == 403
