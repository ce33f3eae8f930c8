"""Shops, offers and coupons after they are listed: the merchant edits and removes them;
residents claim a coupon (one each, while the quantity lasts) and the merchant redeems the code.

A claim locks the coupon row, then checks and counts (backed by `coupon_claimed_lte_quantity`
and `coupon_claim_once_per_person`); a redemption is a conditional UPDATE on the unredeemed claim,
so a second one touches nothing and gets a 409."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Business, BusinessOffer, Coupon, CouponClaim
from community.services.directory import _check_owner
from synergy.core import selectors as core
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import User
from synergy.core.services import notify

BUSINESS_FIELDS = {"name", "category", "description", "address", "phone", "opening_hours"}
OFFER_FIELDS = {"title", "description", "price", "valid_until"}
COUPON_FIELDS = {"title", "discount", "valid_until", "quantity"}
CLAIM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a till


def _apply(obj, allowed: set[str], changes: dict) -> list[str]:
    unknown = set(changes) - allowed
    if unknown:
        raise Invalid(_("This field cannot be changed here."), field=sorted(unknown)[0])
    for key, value in changes.items():
        setattr(obj, key, value.strip() if isinstance(value, str) else value)
    return sorted(changes)


def business_update(*, actor: User, business: Business, **changes) -> Business:
    _check_owner(actor, business)
    fields = _apply(business, BUSINESS_FIELDS, changes)
    if "name" in changes and not business.name:
        raise Invalid(_("A shop needs a name."), field="name")
    try:
        with transaction.atomic():
            business.save(update_fields=fields or None)
    except IntegrityError:
        raise Conflict(_("A business with this name is already listed in this community.")) from None
    return business


def business_remove(*, actor: User, business: Business) -> Business:
    """Take the shop out of the business circle (kept, inactive: claims and history stay)."""
    _check_owner(actor, business)
    Business.objects.filter(pk=business.pk).update(active=False)
    business.active = False
    return business


def offer_update(*, actor: User, offer: BusinessOffer, **changes) -> BusinessOffer:
    _check_owner(actor, offer.business)
    if changes.get("valid_until") is not None and changes["valid_until"] < timezone.localdate():
        raise Invalid(_("The offer would already be over."), field="valid_until")
    offer.save(update_fields=_apply(offer, OFFER_FIELDS, changes) or None)
    return offer


def offer_remove(*, actor: User, offer: BusinessOffer) -> None:
    _check_owner(actor, offer.business)
    BusinessOffer.objects.filter(pk=offer.pk).delete()


def coupon_update(*, actor: User, coupon: Coupon, **changes) -> Coupon:
    _check_owner(actor, coupon.business)
    if "valid_until" in changes and changes["valid_until"] < timezone.localdate():
        raise Invalid(_("The coupon would already be expired."), field="valid_until")
    with transaction.atomic():
        locked = Coupon.objects.select_for_update().get(pk=coupon.pk)
        if "quantity" in changes and changes["quantity"] < locked.claimed_count:
            raise Invalid(_("%(n)d residents have already claimed it: the quantity cannot be "
                            "less.") % {"n": locked.claimed_count}, field="quantity")
        fields = _apply(locked, COUPON_FIELDS, changes)
        locked.save(update_fields=fields or None)
    return locked


def coupon_remove(*, actor: User, coupon: Coupon) -> Coupon:
    """Withdraw a coupon: nobody can claim it any more; codes already claimed stay redeemable."""
    _check_owner(actor, coupon.business)
    Coupon.objects.filter(pk=coupon.pk).update(active=False)
    coupon.active = False
    return coupon


def _new_claim_code() -> str:
    return "".join(secrets.choice(CLAIM_ALPHABET) for _i in range(8))


def coupon_claim(*, user: User, coupon: Coupon, today: dt.date | None = None) -> CouponClaim:
    """A resident of the shop's community claims the coupon and gets a code of their own."""
    community_id = coupon.business.community_id
    if not core.user_is_resident_of(user=user, community=community_id):
        raise NotAllowed(_("Only residents of this community can claim its coupons."))
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = (Coupon.objects.select_for_update().select_related("business")
                  .get(pk=coupon.pk))
        if not locked.active or not locked.business.active:
            raise Conflict(_("This coupon has been withdrawn."))
        if locked.valid_until < today:
            raise Conflict(_("This coupon has expired."))
        if CouponClaim.objects.filter(coupon=locked, user=user).exists():
            raise Conflict(_("You have already claimed this coupon."))
        if locked.claimed_count >= locked.quantity:
            raise Conflict(_("All of these coupons have been claimed."))
        claim = CouponClaim.objects.create(coupon=locked, user=user, code=_new_claim_code())
        Coupon.objects.filter(pk=locked.pk).update(claimed_count=F("claimed_count") + 1)
    return claim


def coupon_redeem(*, actor: User, business: Business, code: str) -> CouponClaim:
    """The merchant takes a resident's code at the till: once only; the resident is told."""
    _check_owner(actor, business)
    code = code.strip().upper()
    claim = (CouponClaim.objects.select_related("coupon", "user")
             .filter(code=code, coupon__business=business).first())
    if claim is None:
        raise Invalid(_("No coupon of this shop has that code."), field="code")
    if claim.coupon.valid_until < timezone.localdate():
        raise Conflict(_("This coupon expired on %(date)s.")
                       % {"date": f"{claim.coupon.valid_until:%Y-%m-%d}"})
    now = timezone.now()
    with transaction.atomic():
        updated = CouponClaim.objects.filter(pk=claim.pk, redeemed_at__isnull=True).update(
            redeemed_at=now, redeemed_by=actor)
        if updated != 1:
            raise Conflict(_("This code was already redeemed."))
        coupon, shop = claim.coupon, business.name
        notify(recipient=claim.user, kind="community.coupon_redeemed",
               message=lambda: _("Your coupon “%(title)s” was redeemed at %(shop)s.")
               % {"title": coupon.title, "shop": shop},
               url=reverse("community:my_coupons"))
    claim.refresh_from_db()
    return claim
