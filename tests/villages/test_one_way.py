"""Issue 12 for the village node: one API base, permission-aware selectors, selectors that filter,
one view per operation, one create/edit page helper, errors in errors.py, small modules."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve

from synergy.core.errors import Invalid, NotAllowed
from tests.villages.factories import ProductFactory, RoundFactory, RoundPickupFactory
from villages import selectors, services
from villages.errors import InvalidFilter
from villages.models import ListingStatus, Product

pytestmark = pytest.mark.django_db

VILLAGES = Path(__file__).resolve().parents[2] / "villages"


# --- One API base: an anonymous write is 401, as in every other app ---------------------------


@pytest.mark.parametrize("method, url", [
    ("post", "/api/v1/products/"),
    ("post", "/api/v1/products/{product}/reject/"),
    ("post", "/api/v1/products/{product}/submit/"),
    ("patch", "/api/v1/products/{product}/"),
    ("post", "/api/v1/orders/"),
    ("post", "/api/v1/orders/1/cancel/"),
    ("post", "/api/v1/orders/1/collect/"),
    ("post", "/api/v1/bookings/1/confirm/"),
    ("post", "/api/v1/rounds/"),
    ("post", "/api/v1/tourism-offers/{offer}/bookings/"),
    ("put", "/api/v1/villages/{village}/profile/"),
    ("post", "/api/v1/villages/{village}/photos/"),
])
def test_anonymous_writes_are_401(api, product, offer, village, method, url):
    url = url.format(product=product.pk, offer=offer.pk, village=village.pk)
    response = getattr(api, method)(url, {}, format="json")
    assert response.status_code == 401, (url, response.status_code)
    assert response["WWW-Authenticate"].startswith("Token")


# --- Permission-aware fetches are selectors that refuse by themselves --------------------------


def test_back_office_selectors_raise_not_allowed(resident, coordinator, admin_user, village,
                                                 open_round):
    refusals = [
        lambda user: selectors.order_list_for_village(viewer=user, village=village),
        lambda user: selectors.booking_list_for_village(viewer=user, village=village),
        lambda user: selectors.booking_holds_for_village(viewer=user, village=village),
        lambda user: selectors.round_demand(viewer=user, round=open_round),
        lambda user: selectors.village_get_for_coordinator(user=user, pk=village.pk),
    ]
    for fetch in refusals:
        with pytest.raises(NotAllowed):
            fetch(resident)
        fetch(coordinator)  # allowed: no exception
        fetch(admin_user)
    with pytest.raises(NotAllowed):
        selectors.moderation_queue(viewer=coordinator)
    assert set(selectors.moderation_queue(viewer=admin_user)) == {"products", "offers"}
    with pytest.raises(NotAllowed):
        selectors.order_list_for_buyer(buyer=None)


# --- Selectors own filtering (FilterSets inside them, for the API and the pages alike) --------


def test_bad_filter_is_an_invalid_filter_naming_the_field():
    with pytest.raises(InvalidFilter) as caught:
        list(selectors.product_list(filters={"min_price": "abc", "page": "2"}))
    assert caught.value.field == "min_price" and isinstance(caught.value, Invalid)
    with pytest.raises(InvalidFilter) as caught:
        selectors.round_list(filters={"community": "1;"})
    assert caught.value.field == "community"
    with pytest.raises(InvalidFilter) as caught:
        selectors.offer_list(filters={"village": "abc"})
    assert caught.value.field == "village"


def test_api_bad_filter_is_400_with_the_field(api):
    response = api.get("/api/v1/products/?min_price=abc")
    assert response.status_code == 400 and "min_price" in response.data
    response = api.get("/api/v1/rounds/?open=perhaps")
    assert response.status_code == 400 and "open" in response.data


def test_round_list_by_community_has_each_round_once_without_distinct(village, community,
                                                                     other_community):
    round_ = RoundFactory(village=village)
    RoundPickupFactory(round=round_, community=community, pickup_point="Gate")
    RoundPickupFactory(round=round_, community=other_community, pickup_point="Hall")
    qs = selectors.round_list(filters={"community": str(community.pk), "open": "yes"})
    assert list(qs) == [round_]
    assert "DISTINCT" not in str(qs.query).upper()


def test_the_catalogue_page_filters_through_the_same_selector(village):
    ProductFactory(village=village, name="Honey", stock=0)
    ProductFactory(village=village, name="Pears", stock=5)
    client = Client()
    page = client.get("/villages/products/?q=e&in_stock=on")
    assert [p.name for p in page.context["page"]] == ["Pears"]
    bad = client.get("/villages/products/?min_price=abc")
    assert bad.status_code == 200 and "min_price" in bad.context["form"].errors
    assert sorted(p.name for p in bad.context["page"]) == ["Honey", "Pears"]


# --- One class per operation -------------------------------------------------------------------


@pytest.mark.parametrize("url, service", [
    ("/api/v1/orders/1/collect/", services.order_collect),
    ("/api/v1/orders/1/deliver/", services.order_mark_delivered),
    ("/api/v1/orders/1/cancel/", services.order_cancel),
    ("/api/v1/orders/1/pay/", services.order_mark_paid),
    ("/api/v1/bookings/1/cancel/", services.booking_cancel),
    ("/api/v1/bookings/1/confirm/", services.booking_confirm),
    ("/api/v1/products/1/submit/", services.listing_submit),
    ("/api/v1/tourism-offers/1/reject/", services.listing_reject),
    ("/villages/orders/1/refund/", services.order_cancel),
    ("/villages/orders/1/pay/", services.order_mark_paid),
    ("/villages/bookings/1/confirm/", services.booking_confirm),
    ("/villages/manage/product/1/approve/", services.listing_approve),
    ("/villages/manage/offer/1/archive/", services.listing_archive),
])
def test_each_operation_is_one_view_calling_one_service(url, service):
    view = resolve(url).func.view_class
    assert view.service is service
    assert not hasattr(view, "action")


def test_unknown_operations_are_404(client, resident):
    client.force_login(resident)
    assert client.post("/villages/orders/1/explode/").status_code == 404
    assert client.post("/villages/manage/product/1/explode/").status_code == 404
    assert client.post("/villages/manage/house/1/approve/").status_code == 404


def test_reject_without_a_note_keeps_the_listing_pending(admin_user, village):
    pending = ProductFactory(village=village, status=ListingStatus.PENDING)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin_user)
    response = client.post(f"/villages/manage/product/{pending.pk}/reject/", {"note": ""},
                           follow=True)
    assert "Say what should change." in response.content.decode()
    assert Product.objects.get(pk=pending.pk).status == ListingStatus.PENDING
    client.post(f"/villages/manage/product/{pending.pk}/reject/", {"note": "Add a photo"})
    assert Product.objects.get(pk=pending.pk).status == ListingStatus.DRAFT


# --- Create and edit pages: the core form_page, one transaction ---------------------------------


def test_product_edit_with_a_bad_photo_changes_nothing(coordinator, product):
    client = Client()
    client.force_login(coordinator)
    response = client.post(f"/villages/manage/products/{product.pk}/", {
        "name": "Renamed", "category": "produce", "unit": "box", "price": "20", "stock": "5",
        "photo": SimpleUploadedFile("p.jpg", b"not a picture", content_type="image/jpeg")})
    assert response.status_code == 200 and "photo" in response.context["form"].errors
    assert Product.objects.get(pk=product.pk).name == product.name  # nothing half-written


# --- Errors in errors.py; no module over ~400 lines ---------------------------------------------

ERROR_BASES = r"\((?:DomainError|Conflict|NotAllowed|Invalid|OutOfStock|RoundClosed|DatesFull)\)"


def test_village_domain_errors_are_defined_only_in_errors_py():
    defined = [str(p.relative_to(VILLAGES)) for p in VILLAGES.rglob("*.py")
               if "exchange" not in p.parts and p.name != "errors.py"
               and re.search(r"^class \w+" + ERROR_BASES, p.read_text(), re.M)]
    assert defined == []


def test_no_village_module_is_over_400_lines():
    # models.py stays one module: the migrations and the admin read it as one.
    long = {str(p.relative_to(VILLAGES)): n for p in VILLAGES.rglob("*.py")
            if "exchange" not in p.parts and "migrations" not in p.parts and p.name != "models.py"
            and (n := len(p.read_text().splitlines())) > 400}
    assert long == {}
