"""Business circle, peripheral services, housing listings and village follows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import (
    Business,
    BusinessOffer,
    Coupon,
    HousingListing,
    HousingPhoto,
    PeripheralService,
    VillageFollow,
)
from community.selectors import user_can_follow_village
from synergy.core import selectors as core
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.images import image_clean
from synergy.core.models import Community, Role, User, Village

HOUSING_MAX_PHOTOS = 6


def business_create(
    *, owner: User, community: Community, name: str, category: str = "", description: str = "",
    address: str = "", phone: str = "", opening_hours: str = "",
) -> Business:
    """A merchant of the community opens their shop in the business circle."""
    if not core.user_has_role(user=owner, role=Role.MERCHANT, community=community):
        raise NotAllowed(_("Only merchants of this community can list a business here."))
    try:
        with transaction.atomic():
            return Business.objects.create(
                community=community, owner=owner, name=name.strip(), category=category,
                description=description, address=address, phone=phone, opening_hours=opening_hours,
            )
    except IntegrityError:
        raise Conflict(_("A business with this name is already listed in this community.")) from None


def _check_owner(user: User, business: Business) -> None:
    if business.owner_id != user.pk and not core.user_manages_community(
        user=user, community=business.community_id
    ):
        raise NotAllowed(_("Only the business owner or the property manager can change this shop."))


def offer_create(
    *, actor: User, business: Business, title: str, description: str = "",
    price: Decimal | None = None, valid_until: dt.date | None = None,
) -> BusinessOffer:
    _check_owner(actor, business)
    if valid_until is not None and valid_until < timezone.localdate():
        raise Invalid(_("The offer would already be over."), field="valid_until")
    return BusinessOffer.objects.create(business=business, title=title.strip(),
                                        description=description, price=price,
                                        valid_until=valid_until)


def coupon_create(
    *, actor: User, business: Business, code: str, title: str, discount: str, valid_until: dt.date,
    quantity: int = 100,
) -> Coupon:
    _check_owner(actor, business)
    if valid_until < timezone.localdate():
        raise Invalid(_("The coupon would already be expired."), field="valid_until")
    try:
        with transaction.atomic():
            return Coupon.objects.create(business=business, code=code.strip().upper(),
                                         title=title.strip(), discount=discount,
                                         valid_until=valid_until, quantity=quantity)
    except IntegrityError:
        raise Conflict(_("This shop already has a coupon with that code.")) from None


def service_create(
    *, actor: User, community: Community, kind: str, name: str, phone: str, description: str = "",
    contact_name: str = "", hours: str = "",
) -> PeripheralService:
    """The property manager keeps the directory of peripheral services."""
    if not core.user_manages_community(user=actor, community=community):
        raise NotAllowed(_("Only this community's property manager can edit the service directory."))
    try:
        with transaction.atomic():
            return PeripheralService.objects.create(
                community=community, kind=kind, name=name.strip(), phone=phone,
                description=description, contact_name=contact_name, hours=hours,
            )
    except IntegrityError:
        raise Conflict(_("A service with this name is already in the directory.")) from None


def housing_create(
    *, posted_by: User, community: Community, kind: str, title: str, price: Decimal,
    area_m2: Decimal, rooms: int = 1, description: str = "", contact_phone: str = "",
    photos: list | None = None,
) -> HousingListing:
    """Residents and the property manager post rent and sale listings; photos are re-encoded."""
    if not core.user_has_role(user=posted_by, role=[Role.RESIDENT, Role.PROPERTY_MANAGER],
                              community=community):
        raise NotAllowed(_("Only residents or the property manager of this community can post "
                           "housing here."))
    if price <= 0:
        raise Invalid(_("The price must be more than zero."), field="price")
    if area_m2 <= 0:
        raise Invalid(_("The area must be more than zero."), field="area_m2")
    photos = list(photos or [])
    if len(photos) > HOUSING_MAX_PHOTOS:
        raise Invalid(_("Attach at most %(n)d photos.") % {"n": HOUSING_MAX_PHOTOS}, field="photos")
    cleaned = [image_clean(p, field="photos") for p in photos]
    with transaction.atomic():
        listing = HousingListing.objects.create(
            community=community, posted_by=posted_by, kind=kind, title=title.strip(), price=price,
            area_m2=area_m2, rooms=rooms, description=description, contact_phone=contact_phone,
        )
        for content in cleaned:
            photo = HousingPhoto(listing=listing)
            photo.image.save(content.name, content, save=False)
            photo.save()
    return listing


def housing_deactivate(*, actor: User, listing: HousingListing) -> HousingListing:
    if listing.posted_by_id != actor.pk and not core.user_manages_community(
        user=actor, community=listing.community_id
    ):
        raise NotAllowed(_("Only the person who posted this listing or the manager can remove it."))
    HousingListing.objects.filter(pk=listing.pk).update(active=False)
    listing.active = False
    return listing


def village_follow(*, user: User, village: Village) -> tuple[VillageFollow, bool]:
    """Follow a village on the rural channel. Idempotent: (follow, created)."""
    if not user_can_follow_village(user=user, village=village):
        raise NotAllowed(_("Only residents of a community paired with this village can follow it."))
    with transaction.atomic():
        return VillageFollow.objects.get_or_create(user=user, village=village)


def village_unfollow(*, user: User, village: Village) -> bool:
    """Stop following. Idempotent: True if a follow was removed."""
    deleted, _detail = VillageFollow.objects.filter(user=user, village=village).delete()
    return deleted > 0
