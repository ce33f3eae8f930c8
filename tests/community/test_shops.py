"""Shops, offers and coupons after listing: edit, remove, claim, redeem (and the race for the last
coupon)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from community import services
from community.models import Business, BusinessOffer, Coupon, CouponClaim
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Notification, Role
from tests.community.factories import BusinessFactory, CouponFactory, OfferFactory
from tests.factories import MembershipFactory
from tests.races import run_together

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture
def shop(community, merchant):
    return BusinessFactory(community=community, owner=merchant, name="Corner Tofu")


@pytest.fixture
def coupon(shop):
    return CouponFactory(business=shop, code="TOFU", discount="2 yuan off", valid_until=SOON,
                         quantity=2)


def _client(user):
    c = Client()
    c.force_login(user)
    c.cookies["django_language"] = "en"
    return c


# --------------------------------------------------------------------------- edit and remove


def test_merchant_edits_and_removes_shop_offer_and_coupon_by_api(api_as, merchant, shop, coupon):
    offer = OfferFactory(business=shop)
    client = api_as(merchant)
    r = client.patch(f"/api/v1/businesses/{shop.pk}/", {"phone": "0871-6543210"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["phone"] == "0871-6543210" and r.json()["name"] == "Corner Tofu"
    r = client.patch(f"/api/v1/offers/{offer.pk}/", {"title": "Tofu 3 for 2"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "Tofu 3 for 2"
    r = client.patch(f"/api/v1/coupons/{coupon.pk}/", {"quantity": 5}, format="json")
    assert r.status_code == 200 and r.json()["quantity"] == 5

    assert client.delete(f"/api/v1/offers/{offer.pk}/").status_code == 204
    assert not BusinessOffer.objects.filter(pk=offer.pk).exists()
    assert client.delete(f"/api/v1/coupons/{coupon.pk}/").status_code == 204
    assert Coupon.objects.get(pk=coupon.pk).active is False
    assert client.delete(f"/api/v1/businesses/{shop.pk}/").status_code == 204
    assert Business.objects.get(pk=shop.pk).active is False


def test_someone_else_cannot_edit_or_remove(api_as, resident, shop, coupon):
    client = api_as(resident)
    assert client.patch(f"/api/v1/businesses/{shop.pk}/", {"name": "Mine"},
                        format="json").status_code == 403
    assert client.delete(f"/api/v1/coupons/{coupon.pk}/").status_code == 403
    assert Business.objects.get(pk=shop.pk).name == "Corner Tofu"


def test_quantity_cannot_drop_below_claims(merchant, resident, neighbour, coupon):
    services.coupon_claim(user=resident, coupon=coupon)
    with pytest.raises(Invalid) as exc:
        services.coupon_update(actor=merchant, coupon=coupon, quantity=0)
    assert exc.value.field == "quantity"


def test_edit_pages_and_confirmed_removal(merchant, shop, coupon):
    offer = OfferFactory(business=shop, title="Milk")
    c = _client(merchant)
    assert c.get(f"/community/shops/{shop.pk}/edit/").status_code == 200
    r = c.post(f"/community/offers/{offer.pk}/edit/", {"title": "Milk 2 for 1"})
    assert r.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Milk 2 for 1"
    # Removing asks first: the GET shows the sentence and removes nothing.
    page = c.get(f"/community/offers/{offer.pk}/remove/")
    assert "residents no longer see it" in page.content.decode()
    assert BusinessOffer.objects.filter(pk=offer.pk).exists()
    c.post(f"/community/offers/{offer.pk}/remove/")
    assert not BusinessOffer.objects.filter(pk=offer.pk).exists()
    r = c.post(f"/community/coupons/{coupon.pk}/edit/", {"title": "Weekend", "discount": "3 off",
                                                         "valid_until": "2000-01-01"})
    assert r.status_code == 200  # back with the error, not saved
    assert "Something needs fixing" in r.content.decode()
    assert "already be expired" in r.content.decode()


def test_edit_page_refuses_others(resident, shop):
    assert _client(resident).get(f"/community/shops/{shop.pk}/edit/").status_code == 403


# --------------------------------------------------------------------------- claim and redeem


def test_claim_then_redeem_once_and_the_resident_is_told(api_as, merchant, resident, coupon):
    r = api_as(resident).post(f"/api/v1/coupons/{coupon.pk}/claim/")
    assert r.status_code == 201, r.content
    code = r.json()["code"]
    assert len(code) == 8 and r.json()["redeemed_at"] is None
    again = api_as(resident).post(f"/api/v1/coupons/{coupon.pk}/claim/")
    assert again.status_code == 409 and "already claimed" in again.json()["detail"]

    shop = coupon.business
    r = api_as(merchant).post(f"/api/v1/businesses/{shop.pk}/redeem/", {"code": code.lower()},
                              format="json")
    assert r.status_code == 200, r.content
    assert r.json()["redeemed_at"] is not None
    second = api_as(merchant).post(f"/api/v1/businesses/{shop.pk}/redeem/", {"code": code},
                                   format="json")
    assert second.status_code == 409 and "already redeemed" in second.json()["detail"]


def test_notifies_community_coupon_redeemed_only_the_claimer(
    merchant, resident, neighbour, coupon, mailoutbox, django_capture_on_commit_callbacks
):
    claim = services.coupon_claim(user=resident, coupon=coupon)
    services.coupon_claim(user=neighbour, coupon=coupon)
    with django_capture_on_commit_callbacks(execute=True):
        services.coupon_redeem(actor=merchant, business=coupon.business, code=claim.code)
    notes = Notification.objects.filter(kind="community.coupon_redeemed")
    assert [n.recipient_id for n in notes] == [resident.pk]
    assert "Corner Tofu" in notes[0].message and notes[0].url == "/community/my-coupons/"
    assert [m.to for m in mailoutbox] == [[resident.email]]


def test_claims_stop_when_none_left(resident, neighbour, community, coupon):
    third = MembershipFactory(role=Role.RESIDENT, community=community, unit="7-701").user
    services.coupon_claim(user=resident, coupon=coupon)
    services.coupon_claim(user=neighbour, coupon=coupon)
    with pytest.raises(Conflict, match="All of these coupons have been claimed"):
        services.coupon_claim(user=third, coupon=coupon)
    assert Coupon.objects.get(pk=coupon.pk).claimed_count == 2


def test_only_residents_claim_and_withdrawn_or_expired_coupons_refuse(
    merchant, resident, outsider, coupon
):
    with pytest.raises(NotAllowed):
        services.coupon_claim(user=outsider, coupon=coupon)
    with pytest.raises(Conflict, match="expired"):
        services.coupon_claim(user=resident, coupon=coupon, today=SOON + dt.timedelta(days=1))
    services.coupon_remove(actor=merchant, coupon=coupon)
    with pytest.raises(Conflict, match="withdrawn"):
        services.coupon_claim(user=resident, coupon=coupon)


def test_redeem_only_own_shop_codes(merchant, resident, community, coupon):
    claim = services.coupon_claim(user=resident, coupon=coupon)
    other_merchant = MembershipFactory(role=Role.MERCHANT, community=community, unit="").user
    other_shop = BusinessFactory(community=community, owner=other_merchant)
    with pytest.raises(Invalid) as exc:
        services.coupon_redeem(actor=other_merchant, business=other_shop, code=claim.code)
    assert exc.value.field == "code"
    with pytest.raises(NotAllowed):
        services.coupon_redeem(actor=resident, business=coupon.business, code=claim.code)


def test_pages_claim_show_code_and_redeem(merchant, resident, coupon):
    circle = f"/community/{coupon.business.community.slug}/businesses/"
    rc = _client(resident)
    assert "Claim" in rc.get(circle).content.decode()
    r = rc.post(f"/community/coupons/{coupon.pk}/claim/")
    assert r.status_code == 302 and r["Location"] == "/community/my-coupons/"
    claim = CouponClaim.objects.get(user=resident)
    assert claim.code in rc.get("/community/my-coupons/").content.decode()

    mc = _client(merchant)
    till = f"/community/shops/{coupon.business.pk}/redeem/"
    assert claim.code in mc.get(till).content.decode()
    assert mc.post(till, {"code": claim.code}).status_code == 302
    again = mc.post(till, {"code": claim.code}, follow=True)
    assert "already redeemed" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_last_coupon_race_exactly_one_wins(requires_postgres, community, merchant):
    """Two residents claim the last coupon at the same instant: one gets it, one gets 409."""
    shop = BusinessFactory(community=community, owner=merchant)
    for _ in range(5):
        coupon = CouponFactory(business=shop, valid_until=SOON, quantity=1)
        people = [MembershipFactory(role=Role.RESIDENT, community=community).user for _ in range(2)]

        def attempt(i, people=people, coupon=coupon):
            translation.activate("en")
            try:
                services.coupon_claim(user=people[i], coupon=coupon)
            except Conflict as exc:
                return f"409: {exc.message}"
            return "won"

        results = run_together(2, attempt)
        assert sorted(results) == ["409: All of these coupons have been claimed.", "won"], results
        assert Coupon.objects.get(pk=coupon.pk).claimed_count == 1
        assert CouponClaim.objects.filter(coupon=coupon).count() == 1
