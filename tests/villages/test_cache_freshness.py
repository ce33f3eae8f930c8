"""The page cache is never stale (issue 19): for each cached page, load it, change stock, price or
status through the service, load it again: the change shows. Each test first proves the page is
really served from the cache (a write that bypasses the services and the bumps does not show),
so a green test means "cached and fresh", not "not cached at all"."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.test import Client

from synergy.core.models import Village
from tests.villages.exchange.factories import CampaignFactory
from villages import services
from villages.exchange.services import donation_give
from villages.models import Product

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

CATALOGUE = "/api/v1/products/?page_size=50"


def _row(client, product):
    body = client.get(CATALOGUE).json()
    return next((r for r in body["results"] if r["id"] == product.pk), None)


def _sneak(product, **values):
    """A write behind the services' back: no bump, so a cached page keeps the old value."""
    Product.objects.filter(pk=product.pk).update(**values)


def _order(resident, community, product, qty=1, *, capture):
    with capture(execute=True):
        services.order_place(buyer=resident, items=[{"product": product.pk, "quantity": qty}],
                             pickup_community=community)


# --------------------------------------------------------------------------- catalogue API


def test_catalogue_shows_stock_price_and_status_changes_at_once(
        product, resident, community, coordinator, django_capture_on_commit_callbacks):
    client = Client()
    assert _row(client, product)["stock"] == 10
    _sneak(product, stock=7)
    assert _row(client, product)["stock"] == 10  # served from the cache

    _order(resident, community, product, capture=django_capture_on_commit_callbacks)
    assert _row(client, product)["stock"] == 6  # 7 - 1: rebuilt from the database

    product.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_update(by=coordinator, product=product, price=Decimal("23.45"))
    assert _row(client, product)["price"] == "23.45"

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_archive(by=coordinator, listing=product)
    assert _row(client, product) is None


def test_catalogue_answers_304_to_its_etag_until_it_changes(
        product, resident, community, django_capture_on_commit_callbacks):
    client = Client()
    first = client.get(CATALOGUE)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    again = client.get(CATALOGUE, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""

    _order(resident, community, product, capture=django_capture_on_commit_callbacks)
    changed = client.get(CATALOGUE, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert next(r for r in changed.json()["results"] if r["id"] == product.pk)["stock"] == 9


def test_catalogue_cache_keeps_the_same_json_shape(product):
    client = Client()
    built, cached = client.get(CATALOGUE).json(), client.get(CATALOGUE).json()
    assert built == cached
    assert set(built) == {"count", "next", "previous", "results"}
    assert set(built["results"][0]) == {
        "id", "village", "village_name", "name", "category", "description", "unit", "price",
        "stock", "status", "review_note", "photos", "created_at", "updated_at"}


# --------------------------------------------------------------------------- villages API


def test_village_list_shows_a_renamed_village(village):
    client = Client()
    assert village.name in [v["name"] for v in client.get("/api/v1/villages/").json()["results"]]
    Village.objects.filter(pk=village.pk).update(name="Sneaked")
    assert "Sneaked" not in [v["name"] for v in client.get("/api/v1/villages/").json()["results"]]
    village.refresh_from_db()
    village.name = "Renamed village"
    village.save()
    names = [v["name"] for v in client.get("/api/v1/villages/").json()["results"]]
    assert "Renamed village" in names


# --------------------------------------------------------------------------- product page


def test_product_page_shows_stock_price_and_status_changes(
        product, resident, community, coordinator, django_capture_on_commit_callbacks):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = f"/villages/products/{product.pk}/"
    assert "10 left" in client.get(url).content.decode()
    _sneak(product, stock=8)
    assert "10 left" in client.get(url).content.decode()  # cached

    _order(resident, community, product, qty=2, capture=django_capture_on_commit_callbacks)
    assert "6 left" in client.get(url).content.decode()

    product.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.product_update(by=coordinator, product=product, price=Decimal("31.50"))
    assert "31.50" in client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.listing_archive(by=coordinator, listing=product)
    assert client.get(url).status_code == 404  # archived: not for visitors any more


def test_product_page_gives_each_visitor_their_own_csrf_token(product):
    url = f"/villages/products/{product.pk}/"
    first, second = Client(), Client()
    a, b = first.get(url), second.get(url)
    for response in (a, b):
        html = response.content.decode()
        assert "csrf-token-placeholder" not in html
        assert 'name="csrfmiddlewaretoken"' in html
    assert a.cookies["csrftoken"].value != b.cookies["csrftoken"].value


def test_product_page_is_per_language(product):
    url = f"/villages/products/{product.pk}/"
    en = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(url).content.decode()
    assert "Add to cart" in en and "Add to cart" not in zh


# --------------------------------------------------------------------------- rural channel


def _channel(client, community, query=""):
    return client.get(f"/community/{community.slug}/{query}").content.decode()


def _resident_client(resident):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)
    return client


def test_channel_drops_a_sold_out_product_and_shows_a_new_one(
        product, resident, community, coordinator, village, django_capture_on_commit_callbacks):
    client = _resident_client(resident)
    assert product.name in _channel(client, community)
    _sneak(product, name="Sneaked name")
    assert "Sneaked name" not in _channel(client, community)  # cached

    _order(resident, community, product, qty=10, capture=django_capture_on_commit_callbacks)
    assert product.name not in _channel(client, community)  # sold out: off the channel
    assert "Sneaked name" not in _channel(client, community)

    with django_capture_on_commit_callbacks(execute=True):
        new = services.product_create(by=coordinator, village=village, name="Fresh honey",
                                      category="produce", unit="jar", price=Decimal("40.00"),
                                      stock=3, submit=False)
    assert "Fresh honey" not in _channel(client, community)  # a draft: rebuilt, not shown
    Product.objects.filter(pk=new.pk).update(status="published")  # published behind the back
    assert "Fresh honey" not in _channel(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        services.product_update(by=coordinator, product=Product.objects.get(pk=new.pk),
                                price=Decimal("41.00"))
    html = _channel(client, community)
    assert "Fresh honey" in html and "41.00" in html


def test_channel_shows_what_a_campaign_raised_after_a_donation(
        village, pairing, resident, community, django_capture_on_commit_callbacks):
    campaign = CampaignFactory(village=village, raised=Decimal("0.00"))
    client = _resident_client(resident)
    assert "0.00 of" in _channel(client, community)
    with django_capture_on_commit_callbacks(execute=True):
        donation_give(donor=resident, campaign=campaign, amount=Decimal("12.34"),
                      idempotency_key=uuid.uuid4().hex)
    assert "12.34 of" in _channel(client, community)


def test_channel_part_is_shared_but_the_page_is_not(product, resident, community, pairing):
    """The feed is shared; notices, the follow buttons and the language stay each visitor's."""
    member = _resident_client(resident)
    visitor = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    mine = _channel(member, community)
    theirs = _channel(visitor, community)
    assert product.name in mine and product.name in theirs
    assert 'id="notices"' in mine and 'id="notices"' not in theirs
    assert "Rural channel" in mine and "Rural channel" not in theirs  # zh-hans for the visitor
    assert 'action="/community/villages/' in mine and 'action="/community/villages/' not in theirs


def test_followed_filter_is_never_served_from_the_shared_part(
        product, resident, community, pairing):
    client = _resident_client(resident)
    assert product.name in _channel(client, community)
    assert product.name not in _channel(client, community, "?followed=on")  # follows nothing
