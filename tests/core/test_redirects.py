"""Issue 11.9: every `next` goes through synergy.core.web.safe_next; hostile values fall back to
the view's own page, for every view that redirects to a `next`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from synergy.core.web import safe_next
from tests.villages.exchange.factories import InvestmentNeedFactory
from tests.villages.factories import OfferFactory, ProductFactory
from villages import services as village_services
from villages.exchange import services as exchange_services

pytestmark = pytest.mark.django_db

HOSTILE = [
    "//evil.example/",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\evil.example",
    "///evil.example",
    " //evil.example",
    "https://evil.example/x",
    "http://testserver@evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "/ok\r\nSet-Cookie: a=b",
    "/ok\x00",
]
# Through the whole stack a NUL never reaches a view: RefuseNulMiddleware answers 400 first.
HOSTILE_PRINTABLE = [h for h in HOSTILE if "\x00" not in h]
SAFE = ["/community/", "/villages/manage/3/?tab=orders#b", "http://testserver/exchange/"]


def _post(path: str, next_value: str, **data):
    return RequestFactory().post(path, {"next": next_value, **data})


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_next_refuses_other_sites_and_schemes(value):
    assert safe_next(_post("/x/", value), "/fallback/") == "/fallback/"


@pytest.mark.parametrize("value", SAFE)
def test_safe_next_keeps_this_sites_pages(value):
    assert safe_next(_post("/x/", value), "/fallback/") == value


def test_safe_next_reads_the_query_string_too_and_needs_https_from_https():
    request = RequestFactory().get("/x/", {"next": "//evil.example"})
    assert safe_next(request, "/fallback/") == "/fallback/"
    assert safe_next(RequestFactory().get("/x/", {"next": "/mine/"}), "/fallback/") == "/mine/"
    secure = RequestFactory().post("/x/", {"next": "http://testserver/mine/"}, secure=True)
    assert safe_next(secure, "/fallback/") == "/fallback/"


# --- Each view that redirects to `next` -------------------------------------------------------


@pytest.fixture
def order(resident, community, village, pairing):
    product = ProductFactory(village=village, stock=10)
    return village_services.order_place(buyer=resident, pickup_community=community,
                                        items=[{"product": product.pk, "quantity": 1}])


@pytest.fixture
def booking(resident, village, pairing):
    day = timezone.localdate() + dt.timedelta(days=5)
    offer = OfferFactory(village=village, capacity=4)
    return village_services.booking_create(guest=resident, offer=offer, start_date=day,
                                           end_date=day + dt.timedelta(days=1), guests=1)


@pytest.fixture
def interest(merchant, village, pairing):
    return exchange_services.interest_express(
        investor=merchant, need=InvestmentNeedFactory(village=village),
        amount_indicative=Decimal("1000"), message="Interested")


def _follow(ctx):
    return ctx["resident"], reverse("community:follow", args=[ctx["village"].pk]), {}, \
        reverse("community:index")


def _order(ctx):
    order = ctx["order"]
    return ctx["resident"], reverse("villages:order_action", args=[order.pk, "cancel"]), {}, \
        reverse("villages:order_detail", args=[order.pk])


def _booking(ctx):
    booking = ctx["booking"]
    return ctx["resident"], reverse("villages:booking_action", args=[booking.pk, "cancel"]), {}, \
        reverse("villages:my_bookings")


def _listing(ctx):
    product = ProductFactory(village=ctx["village"])
    return ctx["coordinator"], reverse("villages:listing_action",
                                       args=["product", product.pk, "archive"]), {}, \
        reverse("villages:manage", args=[ctx["village"].pk])


def _interest_reply(ctx):
    return ctx["coordinator"], reverse("exchange:interest-reply", args=[ctx["interest"].pk]), \
        {"status": "in_talks", "reply": "Come and visit"}, reverse("exchange:dashboard")


VIEWS = {"follow": _follow, "order": _order, "booking": _booking, "listing": _listing,
         "interest_reply": _interest_reply}


@pytest.fixture
def ctx(request, resident, coordinator, village):
    names = {"order": "order", "booking": "booking", "interest_reply": "interest"}
    values = {"resident": resident, "coordinator": coordinator, "village": village}
    if request.param in names:
        values[names[request.param]] = request.getfixturevalue(names[request.param])
    return request.param, values


@pytest.mark.parametrize("ctx", sorted(VIEWS), indirect=True)
@pytest.mark.parametrize("hostile", ["//evil.example/", "https://evil.example/", "\\\\evil.example",
                                     "javascript:alert(1)"])
def test_each_redirecting_view_ignores_a_hostile_next(client, ctx, hostile):
    name, values = ctx
    user, url, data, own_page = VIEWS[name](values)
    client.force_login(user)
    response = client.post(url, {**data, "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == own_page


@pytest.mark.parametrize("ctx", sorted(VIEWS), indirect=True)
def test_each_redirecting_view_follows_a_next_of_this_site(client, ctx):
    name, values = ctx
    user, url, data, _own_page = VIEWS[name](values)
    client.force_login(user)
    response = client.post(url, {**data, "next": "/villages/?from=test"})
    assert response.status_code == 302
    assert response["Location"] == "/villages/?from=test"


# --- Django's own views (login, logout, language) hold too ------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE_PRINTABLE)
def test_login_ignores_a_hostile_next(client, resident, hostile):
    response = client.post(reverse("login"), {"username": resident.username,
                                              "password": "pass-word-123", "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:desk")


@pytest.mark.parametrize("hostile", HOSTILE_PRINTABLE)
def test_language_switch_ignores_a_hostile_next(client, hostile):
    response = client.post(reverse("set_language"), {"language": "en", "next": hostile})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("hostile", ["//evil.example/", "https://evil.example/"])
def test_logout_ignores_a_hostile_next(client, resident, hostile):
    client.force_login(resident)
    response = client.post(reverse("logout") + "?next=" + hostile)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_and_language_switch_still_follow_a_next_of_this_site(client, resident):
    response = client.post(reverse("login"), {"username": resident.username,
                                              "password": "pass-word-123", "next": "/villages/"})
    assert response["Location"] == "/villages/"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/villages/?p=2"})
    assert response["Location"] == "/villages/?p=2"
    assert response.cookies["django_language"].value == "en"


def test_a_next_with_a_nul_byte_is_refused_before_any_view(client, resident):
    response = client.post(reverse("login"), {"username": resident.username,
                                              "password": "pass-word-123", "next": "/ok\x00"})
    assert response.status_code == 400
    assert not response.has_header("Location")
