"""Each case the fuzzers found that made a 500, kept as a named test (issue 11, point 7).

Given the hostile value the fuzzer sent, when the request is made, then the answer is a 4xx with
a sentence (or the page falls back to a sane default), never a server error.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from synergy.core.errors import Invalid
from tests.factories import UserFactory
from tests.villages.exchange.factories import NeedFactory
from tests.villages.factories import OfferFactory, ProductFactory
from villages import services as village_services
from villages.exchange.models import VolunteerSlot

pytestmark = pytest.mark.django_db

ZH_NUL = "NUL"  # the sentence keeps the technical name in both languages


def _client(user=None, *, lang: str = "en") -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=lang)
    if user is not None:
        client.force_login(user)
    return client


# --------------------------------------------------------------------------- NUL bytes


def test_nul_in_a_query_string_is_a_400_page_not_a_database_error(resident, community):
    """Found: GET /community/<slug>/tickets/?status=%00 reached PostgreSQL (DataError)."""
    response = _client(resident).get(reverse("community:tickets", args=[community.slug]),
                                      {"status": "\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert "status" in response.content.decode()


def test_nul_in_a_form_value_is_a_400_page(resident, community):
    """Found: a NUL in a moderation note reached an UPDATE (DataError)."""
    response = _client(resident).post(reverse("community:tickets", args=[community.slug]),
                                      {"title": "a\x00b"})
    assert response.status_code == 400


def test_nul_error_page_is_translated(resident, community):
    response = _client(resident, lang="zh-hans").get(
        reverse("community:tickets", args=[community.slug]), {"q": "\x00"})
    assert response.status_code == 400
    assert "请求中含有 NUL 字符" in response.content.decode()
    assert "请求有误（400）" in response.content.decode()


def test_nul_in_an_api_query_names_the_parameter(api_as, resident):
    response = api_as(resident).get("/api/v1/villages/", {"search": "x\x00"})
    assert response.status_code == 400
    assert list(response.json()) == ["search"]
    assert ZH_NUL in response.json()["search"][0]


def test_nul_in_the_path_and_in_a_cookie_is_a_400(resident):
    client = _client(resident)
    assert client.get("/community/%00/").status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/").status_code == 400


# --------------------------------------------------------------------------- JSON bodies


def test_deeply_nested_json_is_a_400_with_a_sentence(api_as, coordinator):
    body = "[" * 100_000 + "]" * 100_000  # the standard library alone hits RecursionError
    response = api_as(coordinator).post("/api/v1/campaigns/", body,
                                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_json_nested_beyond_the_limit_is_refused(api_as, coordinator):
    body = json.dumps({"a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})
    response = api_as(coordinator).post("/api/v1/campaigns/", body,
                                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "32 levels" in response.json()["detail"]


def test_json_number_1e309_is_a_400(api_as, coordinator):
    response = api_as(coordinator).post("/api/v1/campaigns/", '{"id": 1e309}',
                                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "too large" in response.json()["detail"]


def test_nul_inside_a_json_string_names_the_field(api_as, coordinator):
    response = api_as(coordinator).post("/api/v1/campaigns/", '{"note": {"text": "a\\u0000"}}',
                                     content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "note.text" in response.json()["detail"]


# --------------------------------------------------------------------------- dates


def test_stay_page_with_a_start_past_9999_falls_back_to_today(village, pairing):
    """Found: GET /villages/stays/<pk>/?from=9999-12-31 added a day to 9999-12-31 (OverflowError)."""
    offer = OfferFactory(village=village)
    for raw in ("9999-12-31", "0001-01-01", "9001-01-01"):
        response = _client().get(reverse("villages:offer_detail", args=[offer.pk]), {"from": raw})
        assert response.status_code == 200
        assert response.context["form"].initial["start_date"] == (
            timezone.localdate() + dt.timedelta(days=1))


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:00"])
def test_slot_dated_before_1900_or_after_9000_is_refused_with_a_sentence(coordinator, village,
                                                                         starts_at):
    """Found: a slot at 0001-01-01 00:00 (Asia/Shanghai) was stored as a BC timestamp in UTC, and
    every page listing slots then failed to read it back (DataError: timestamp too small)."""
    need = NeedFactory(village=village)
    response = _client(coordinator).post(
        reverse("exchange:slot-create", args=[need.pk]),
        {"starts_at": starts_at, "ends_at": "2030-01-01T10:00", "capacity": 3}, follow=True)
    assert response.status_code == 200
    assert "between the years 1900 and 9000" in response.content.decode()
    assert not VolunteerSlot.objects.filter(need=need).exists()
    assert _client(coordinator).get(reverse("exchange:dashboard")).status_code == 200


def test_api_date_after_9000_names_the_field(api_as, coordinator, village):
    response = api_as(coordinator).post("/api/v1/campaigns/", {
        "village": village.pk, "title": "Roof", "purpose": "Fix it", "goal": "100.00",
        "deadline": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert "deadline" in response.json()


# --------------------------------------------------------------------------- numbers and ids


def test_offer_with_more_nights_than_an_integer_column_holds_is_a_form_error(coordinator, village):
    """Found: min_nights=99999999999999999999999 reached the INSERT (integer out of range)."""
    response = _client(coordinator).post(reverse("villages:offer_new", args=[village.pk]), {
        "kind": "stay", "title": "Farm room", "price": "100", "capacity": "2",
        "min_nights": "99999999999999999999999", "max_nights": "14"})
    assert response.status_code == 200
    assert "min_nights" in response.context["form"].errors


def test_business_form_with_a_non_numeric_business_id_is_a_400(merchant, community):
    """Found: POST businesses/ with business=abc ran int('abc') in the view (ValueError)."""
    for raw in ("abc", "1.5", "1e309", "١٢٣"):
        response = _client(merchant).post(reverse("community:businesses", args=[community.slug]),
                                          {"form": "offer", "business": raw})
        assert response.status_code == 400, raw
        assert "business must be the number of a record" in response.content.decode()


@pytest.mark.parametrize("target", ["abc", "1 OR 1=1", "", "https://evil.example/", "//evil.example/"])
def test_follow_with_a_next_that_is_not_a_path_redirects_home(resident, village, target):
    """Found: next=abc made redirect() look up a view named 'abc' (NoReverseMatch)."""
    response = _client(resident).post(reverse("community:follow", args=[village.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("community:index")


def test_follow_keeps_a_next_on_this_site(resident, village):
    response = _client(resident).post(reverse("community:follow", args=[village.pk]),
                                      {"next": "/villages/"})
    assert response["Location"] == "/villages/"


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_login_with_a_5000_character_username_is_a_failed_login(url):
    """Found: axes stored the typed username in a 255-character column (DataError), on every
    login path: the site's, the admin's and the token API."""
    response = _client().post(url, {"username": "x" * 5000, "password": "p"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_token_api_with_a_5000_character_username_is_a_400():
    response = APIClient().post("/api/v1/auth/token/", {"username": "x" * 5000, "password": "p"},
                                format="json")
    assert response.status_code == 400


# --------------------------------------------------------------------------- computed totals


def test_order_total_that_would_overflow_its_column_is_refused(resident, community, village, pairing):
    product = ProductFactory(village=village, price=Decimal("9999999999.99"), stock=1000)
    with translation.override("en"), pytest.raises(Invalid) as refused:
        village_services.order_place(buyer=resident, pickup_community=community, round=None,
                                     items=[{"product": product.pk, "quantity": 999}])
    assert refused.value.field == "quantity"
    assert "too large" in refused.value.message
    product.refresh_from_db()
    assert product.stock == 1000  # nothing taken


def test_booking_total_that_would_overflow_its_column_is_refused(resident, village, pairing):
    offer = OfferFactory(village=village, price=Decimal("9999999999.00"), capacity=100, max_nights=30)
    start = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(Invalid) as refused:
        village_services.booking_create(guest=resident, offer=offer, start_date=start,
                                        end_date=start + dt.timedelta(days=3), guests=50)
    assert refused.value.field == "guests"


def test_booking_spanning_millennia_is_refused_before_listing_the_dates(resident, village, pairing):
    offer = OfferFactory(village=village, capacity=4)
    start = timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(Invalid) as refused:
        village_services.booking_create(guest=resident, offer=offer, start_date=start,
                                        end_date=dt.date(9000, 12, 31), guests=1)
    assert refused.value.field == "end_date"


def test_api_order_overflow_is_a_400_naming_the_field(resident, community, village, pairing):
    product = ProductFactory(village=village, price=Decimal("9999999999.99"), stock=1000)
    client = APIClient()
    client.force_authenticate(resident)
    response = client.post("/api/v1/orders/", {
        "pickup_community": community.pk,
        "items": [{"product": product.pk, "quantity": 999}]}, format="json")
    assert response.status_code == 400, response.content
    assert "quantity" in response.json()


@pytest.mark.parametrize("raw", ["²", "1" * 5000])
def test_api_whole_number_parameter_accepts_only_ascii_digits(api_as, resident, raw):
    """Found reading the code after the fuzz: '²'.isdigit() is True but int('²') is a ValueError,
    and int() refuses strings of more than 4300 digits."""
    response = api_as(resident).get("/api/v1/tourism-offers/", {"village": raw},
                                    HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "village" in response.json()


def test_admin_cannot_add_a_photo_row_without_its_image(db):
    """Found by the admin fuzz: the photo's file field is read-only in the admin, so "add" stored a
    village photo with no image and the village page failed on `photo.image.url`."""
    admin_client = _client(UserFactory(is_staff=True, is_superuser=True))
    for model in ("villagephoto", "tourismofferphoto"):
        assert admin_client.get(f"/admin/villages/{model}/add/").status_code == 403
        assert admin_client.post(f"/admin/villages/{model}/add/", {"caption": "x"}).status_code == 403
