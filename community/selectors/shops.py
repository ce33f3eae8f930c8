"""The business circle's reads: shops with their current offers and coupons, a resident's
claimed coupons, and the claims on a shop's coupons (for its owner or the manager)."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from community import errors
from community import filters as f
from community.models import Business, BusinessOffer, Coupon, CouponClaim
from synergy.core import selectors as core
from synergy.core.filters import apply_filters
from synergy.core.models import Community, User


def business_list(*, community: Community | int, filters=None) -> QuerySet[Business]:
    """Active shops with their current offers and coupons. Three queries."""
    today = timezone.localdate()
    offers = BusinessOffer.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    coupons = Coupon.objects.filter(valid_until__gte=today, active=True)
    qs = (Business.objects.filter(community=community, active=True)
          .select_related("owner")
          .prefetch_related(Prefetch("offers", queryset=offers),
                            Prefetch("coupons", queryset=coupons))
          .order_by("name"))
    return apply_filters(f.BusinessFilter, filters, qs)


def business_get(*, pk: int) -> Business:
    business = Business.objects.select_related("community", "owner").filter(pk=pk).first()
    if business is None:
        raise Http404("No such business.")
    return business


def business_list_for_owner(*, user: User) -> QuerySet[Business]:
    """The shops a merchant owns, with their current offers and coupons. Three queries."""
    if not getattr(user, "is_authenticated", False):
        return Business.objects.none()
    today = timezone.localdate()
    offers = BusinessOffer.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    coupons = Coupon.objects.filter(valid_until__gte=today, active=True)
    return (Business.objects.filter(owner=user).select_related("community")
            .prefetch_related(Prefetch("offers", queryset=offers),
                              Prefetch("coupons", queryset=coupons))
            .order_by("name", "pk"))


def offer_get(*, pk: int) -> BusinessOffer:
    offer = BusinessOffer.objects.select_related("business__community").filter(pk=pk).first()
    if offer is None:
        raise Http404("No such offer.")
    return offer


def coupon_get(*, pk: int) -> Coupon:
    coupon = Coupon.objects.select_related("business__community").filter(pk=pk).first()
    if coupon is None:
        raise Http404("No such coupon.")
    return coupon


def coupon_claims_for_user(*, user: User) -> QuerySet[CouponClaim]:
    """The coupons a resident claimed, newest first, with their coupon and shop. One query."""
    if not user.is_authenticated:
        return CouponClaim.objects.none()
    return (CouponClaim.objects.filter(user=user)
            .select_related("coupon__business__community").order_by("-claimed_at"))


def coupon_claimed_ids(*, user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(CouponClaim.objects.filter(user=user).values_list("coupon_id", flat=True))


def coupon_claims_for_business(*, user: User, business: Business) -> QuerySet[CouponClaim]:
    """The claims on a shop's coupons, for its owner or the property manager (else NotAllowed)."""
    if business.owner_id != user.pk and not core.user_manages_community(
        user=user, community=business.community_id
    ):
        raise errors.CommunityRefused(_("Only the business owner or the property manager can see "
                                        "this."))
    return (CouponClaim.objects.filter(coupon__business=business)
            .select_related("coupon", "user", "redeemed_by").order_by("-claimed_at"))
