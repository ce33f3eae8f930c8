"""Notices with read receipts; business circle, services, housing filters; village follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from community.models import HousingListing, Notice, NoticeRead, VillageFollow
from tests.community.factories import (
    BusinessFactory,
    CouponFactory,
    HousingFactory,
    NoticeFactory,
    OfferFactory,
    ServiceFactory,
)
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def test_manager_publishes_pinned_notice_with_attachment(api_as, manager, community):
    pdf = SimpleUploadedFile("water.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = api_as(manager).post(
        f"/api/v1/communities/{community.pk}/notices/",
        {"title": "Water cut", "body": "Tuesday 9–12", "pinned": True, "attachment": pdf},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    notice = Notice.objects.get()
    assert notice.pinned and notice.attachment.name.endswith(".pdf")


def test_attachment_of_unknown_type_is_refused(api_as, manager, community):
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = api_as(manager).post(f"/api/v1/communities/{community.pk}/notices/",
                                    {"title": "x", "body": "y", "attachment": exe}, format="multipart")
    assert response.status_code == 400 and "attachment" in response.json()
    assert not Notice.objects.exists()


def test_read_receipts_are_counted_once_per_reader(api_as, resident, neighbour, manager, community):
    notice = NoticeFactory(community=community)
    url = f"/api/v1/communities/{community.pk}/notices/{notice.pk}/read/"
    assert api_as(resident).post(url).json()["is_read"] is True
    api_as(resident).post(url)
    api_as(neighbour).post(url)
    rows = api_as(manager).get(f"/api/v1/communities/{community.pk}/notices/").json()["results"]
    assert rows[0]["read_count"] == 2
    assert NoticeRead.objects.count() == 2


def test_pinned_first_and_expired_hidden_from_residents(api_as, resident, manager, community):
    now = timezone.now()
    old = NoticeFactory(community=community, title="old", created_at=now - dt.timedelta(days=3))
    NoticeFactory(community=community, title="pinned", pinned=True,
                  created_at=now - dt.timedelta(days=5))
    Notice.objects.create(community=community, title="expired", body="-",
                          created_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(days=1))
    url = f"/api/v1/communities/{community.pk}/notices/"
    titles = [r["title"] for r in api_as(resident).get(url).json()["results"]]
    assert titles == ["pinned", "old"]
    assert "expired" in [r["title"] for r in api_as(manager).get(url).json()["results"]]
    assert old.pk


def test_notice_list_query_count(api_as, resident, community, django_assert_num_queries):
    NoticeFactory.create_batch(6, community=community)
    client = api_as(resident)
    # 1 the community, 2 is the caller a member, 3 do they manage it (resident: checks the
    # manager role, then 4 the admin role), 5 count, 6 the page with read counts and is_read.
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/communities/{community.pk}/notices/")
    assert response.json()["count"] == 6


def test_business_circle_lists_current_offers_and_coupons(api, community, merchant):
    shop = BusinessFactory(community=community, owner=merchant)
    OfferFactory(business=shop, title="Milk")
    OfferFactory(business=shop, title="Stale", valid_until=timezone.localdate() - dt.timedelta(days=1))
    CouponFactory(business=shop, code="WELCOME")
    body = api.get(f"/api/v1/communities/{community.pk}/businesses/").json()
    item = body["results"][0]
    assert item["opening_hours"] == "Mon–Sun 7:00–22:00"
    assert [o["title"] for o in item["offers"]] == ["Milk"]
    assert [c["code"] for c in item["coupons"]] == ["WELCOME"]


def test_business_list_query_count(api, community, merchant, django_assert_num_queries):
    for _ in range(4):
        shop = BusinessFactory(community=community, owner=merchant)
        OfferFactory(business=shop)
        CouponFactory(business=shop)
    # 1 community, 2 count, 3 shops, 4 their offers, 5 their coupons
    with django_assert_num_queries(5):
        assert api.get(f"/api/v1/communities/{community.pk}/businesses/").json()["count"] == 4


def test_merchant_adds_offer_and_coupon(api_as, merchant, community):
    created = api_as(merchant).post(f"/api/v1/communities/{community.pk}/businesses/",
                                    {"name": "张记便利店", "opening_hours": "7:00–23:00"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert api_as(merchant).post(f"/api/v1/businesses/{pk}/offers/", {"title": "Eggs -20%"},
                                 format="json").status_code == 201
    until = str(timezone.localdate() + dt.timedelta(days=7))
    coupon = {"code": "new10", "title": "New", "discount": "10% off", "valid_until": until}
    assert api_as(merchant).post(f"/api/v1/businesses/{pk}/coupons/", coupon,
                                 format="json").json()["code"] == "NEW10"
    assert api_as(merchant).post(f"/api/v1/businesses/{pk}/coupons/", coupon,
                                 format="json").status_code == 409


def test_services_directory_filter_by_kind(api, community):
    ServiceFactory(community=community, kind="delivery", name="Fast")
    ServiceFactory(community=community, kind="elderly_care", name="Care")
    body = api.get(f"/api/v1/communities/{community.pk}/services/", {"kind": "elderly_care"}).json()
    assert [s["name"] for s in body["results"]] == ["Care"]


def test_housing_filters_and_photos(api, api_as, resident, community, jpeg):
    HousingFactory(community=community, kind="rent", price=Decimal("1800"), rooms=1, title="small")
    HousingFactory(community=community, kind="rent", price=Decimal("3200"), rooms=3, title="big")
    HousingFactory(community=community, kind="sale", price=Decimal("1200000"), rooms=3, title="buy")
    url = f"/api/v1/communities/{community.pk}/housing/"
    titles = {r["title"] for r in api.get(url, {"kind": "rent", "max_price": "2000"}).json()["results"]}
    assert titles == {"small"}
    assert {r["title"] for r in api.get(url, {"min_rooms": 3}).json()["results"]} == {"big", "buy"}
    created = api_as(resident).post(url, {"kind": "rent", "title": "sunny", "price": "2600",
                                          "area_m2": "66.0", "rooms": 2, "photos": [jpeg(), jpeg()]},
                                    format="multipart")
    assert created.status_code == 201, created.content
    assert len(created.json()["photos"]) == 2


def test_housing_remove_by_poster_only(api_as, resident, neighbour, community):
    listing = HousingFactory(community=community, posted_by=resident)
    assert api_as(neighbour).delete(f"/api/v1/housing/{listing.pk}/").status_code == 403
    assert api_as(resident).delete(f"/api/v1/housing/{listing.pk}/").status_code == 204
    assert not HousingListing.objects.get(pk=listing.pk).active


def test_follow_paired_village_is_idempotent(api_as, resident, pairing, village):
    url = f"/api/v1/villages/{village.pk}/follow/"
    assert api_as(resident).post(url).status_code == 201
    assert api_as(resident).post(url).status_code == 200
    assert VillageFollow.objects.filter(user=resident, village=village).count() == 1
    assert api_as(resident).delete(url).status_code == 204
    assert api_as(resident).delete(url).status_code == 204
    assert not VillageFollow.objects.exists()


def test_cannot_follow_an_unpaired_village(api_as, resident, pairing):
    stranger = VillageFactory()
    assert api_as(resident).post(f"/api/v1/villages/{stranger.pk}/follow/").status_code == 403


def test_follow_is_unique_in_the_database(resident, village):
    VillageFollow.objects.create(user=resident, village=village)
    with pytest.raises(IntegrityError), transaction.atomic():
        VillageFollow.objects.create(user=resident, village=village)
