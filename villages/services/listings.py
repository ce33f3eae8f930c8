"""Village profiles, products and tourism offers: writing, photos, moderation."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.images import ProcessedImage, process_image
from synergy.core.models import User, Village
from villages import cache as page_cache
from villages.models import (
    ListingStatus,
    OfferDay,
    Product,
    ProductPhoto,
    TourismOffer,
    TourismOfferPhoto,
    VillageIndustry,
    VillagePhoto,
    VillageProfile,
)
from villages.notifications import tell_coordinators

PRODUCT_CONTENT_FIELDS = {"name", "category", "description", "unit"}
PRODUCT_FIELDS = PRODUCT_CONTENT_FIELDS | {"price", "stock"}
OFFER_CONTENT_FIELDS = {"kind", "title", "description"}
OFFER_FIELDS = OFFER_CONTENT_FIELDS | {"price", "capacity", "min_nights", "max_nights"}
MAX_PHOTOS = 8


def _require_coordinator(user: User, village: Village | int) -> None:
    core_selectors.require_village_coordinator(
        user=user, village=village,
        message=_("Only this village's coordinators can change its listings."))


def _require_admin(user: User) -> None:
    if not core_selectors.user_is_platform_admin(user=user):
        raise NotAllowed(_("Only platform administrators can review listings."))


# --- Profile ---------------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, by: User, village: Village, tagline: str = "", features: str = "", specialities: str = "",
    contact_phone: str = "", industries: list[str] | None = None, description: str | None = None,
) -> VillageProfile:
    _require_coordinator(by, village)
    profile, _created = VillageProfile.objects.select_for_update().get_or_create(village=village)
    profile.tagline, profile.features = tagline, features
    profile.specialities, profile.contact_phone = specialities, contact_phone
    profile.save()
    if description is not None and description != village.description:
        Village.objects.filter(pk=village.pk).update(description=description)
        page_cache.villages_changed()
        village.description = description
    if industries is not None:
        wanted = set(industries)
        VillageIndustry.objects.filter(village=village).exclude(industry__in=wanted).delete()
        VillageIndustry.objects.bulk_create(
            [VillageIndustry(village=village, industry=i) for i in sorted(wanted)],
            ignore_conflicts=True,
        )
    return profile


# --- Photos ----------------------------------------------------------------------------------


def photo_add(*, by: User, target: Village | Product | TourismOffer, upload=None, caption: str = "",
              field: str = "photo", processed: ProcessedImage | None = None):
    """Validate and re-encode `upload` (no lock held while resizing), then store it.

    A caller that already ran `process_image` (to refuse a bad file before creating anything)
    passes `processed` instead of `upload`."""
    if isinstance(target, Village):
        village_id, model, link = target.pk, VillagePhoto, {"village": target}
    elif isinstance(target, Product):
        village_id, model, link = target.village_id, ProductPhoto, {"product": target}
    elif isinstance(target, TourismOffer):
        village_id, model, link = target.village_id, TourismOfferPhoto, {"offer": target}
    else:  # pragma: no cover - a programming error
        raise TypeError(f"cannot attach a photo to {target!r}")
    _require_coordinator(by, village_id)
    if model.objects.filter(**link).count() >= MAX_PHOTOS:
        raise Conflict(_("At most %(n)s photos; delete one first.") % {"n": MAX_PHOTOS})
    if processed is None:
        processed = process_image(upload, field=field)
    photo = model(**link, caption=caption[:120], uploaded_by=by,
                  position=model.objects.filter(**link).count())
    photo.image.save(processed.image.name, processed.image, save=False)
    photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
    try:
        photo.save()
    except Exception:
        photo.image.delete(save=False)
        photo.thumbnail.delete(save=False)
        raise
    return photo


PHOTO_MODELS = {"village": VillagePhoto, "product": ProductPhoto, "offer": TourismOfferPhoto}


def _photo_village_id(photo) -> int:
    if isinstance(photo, VillagePhoto):
        return photo.village_id
    if isinstance(photo, ProductPhoto):
        return Product.objects.values_list("village_id", flat=True).get(pk=photo.product_id)
    return TourismOffer.objects.values_list("village_id", flat=True).get(pk=photo.offer_id)


def _siblings(photo):
    """The photos of the same village, product or offer, locked, in their shown order."""
    model = type(photo)
    link = {"village": "village_id", "product": "product_id", "offer": "offer_id"}
    key = next(k for k, m in PHOTO_MODELS.items() if m is model)
    return list(model.objects.select_for_update()
                .filter(**{link[key]: getattr(photo, link[key])}).order_by("position", "id"))


def _renumber(photos) -> None:
    for index, p in enumerate(photos):
        if p.position != index:
            type(p).objects.filter(pk=p.pk).update(position=index)
            p.position = index
            page_cache.photo_changed(p)


@transaction.atomic
def photo_delete(*, by: User, photo) -> None:
    """Remove a photo and its files (after commit); the others close the gap."""
    _require_coordinator(by, _photo_village_id(photo))
    rest = [p for p in _siblings(photo) if p.pk != photo.pk]
    image, thumb = photo.image.name, photo.thumbnail.name
    if type(photo).objects.filter(pk=photo.pk).delete()[0] == 0:
        return  # already deleted
    _renumber(rest)
    storage = photo.image.storage

    def remove_files() -> None:
        for name in (image, thumb):
            if name:
                storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def photo_move(*, by: User, photo, offset: int):
    """Move a photo earlier (offset -1) or later (+1) among its siblings; the first is the cover."""
    _require_coordinator(by, _photo_village_id(photo))
    if offset not in (-1, 1):
        raise Invalid(_("A photo moves one place at a time."), field="offset")
    photos = _siblings(photo)
    index = next((i for i, p in enumerate(photos) if p.pk == photo.pk), None)
    if index is None:
        raise Conflict(_("This photo has been deleted meanwhile; reload the page."))
    other = index + offset
    if 0 <= other < len(photos):
        photos[index], photos[other] = photos[other], photos[index]
    _renumber(photos)
    return next(p for p in photos if p.pk == photo.pk)


@transaction.atomic
def photo_caption_set(*, by: User, photo, caption: str):
    _require_coordinator(by, _photo_village_id(photo))
    caption = caption.strip()
    if len(caption) > 120:
        raise Invalid(_("A caption has at most 120 characters."), field="caption")
    type(photo).objects.filter(pk=photo.pk).update(caption=caption)
    page_cache.photo_changed(photo)
    photo.caption = caption
    return photo


# --- Products --------------------------------------------------------------------------------


def _check_product_values(values: dict) -> None:
    if "price" in values and (values["price"] is None or Decimal(values["price"]) <= 0):
        raise Invalid(_("The price must be more than zero."), field="price")
    if "stock" in values and (values["stock"] is None or int(values["stock"]) < 0):
        raise Invalid(_("Stock cannot be negative."), field="stock")
    if "name" in values and not str(values["name"]).strip():
        raise Invalid(_("Give the product a name."), field="name")


@transaction.atomic
def product_create(
    *, by: User, village: Village, name: str, category: str, unit: str, price: Decimal,
    stock: int = 0, description: str = "", submit: bool = True,
) -> Product:
    """A new listing, sent for review unless `submit=False` (then it stays a draft)."""
    _require_coordinator(by, village)
    values = {"name": name, "price": price, "stock": stock}
    _check_product_values(values)
    return Product.objects.create(
        village=village, name=name.strip(), category=category, unit=unit.strip(),
        price=Decimal(price).quantize(Decimal("0.01")), stock=stock, description=description,
        status=ListingStatus.PENDING if submit else ListingStatus.DRAFT, created_by=by,
    )


def _resubmit(locked, changed: list) -> None:
    """A draft (a rejected listing is one) or archived listing goes back to review."""
    if locked.status in (ListingStatus.DRAFT, ListingStatus.ARCHIVED):
        locked.status = ListingStatus.PENDING
        changed.append("status")


@transaction.atomic
def product_update(*, by: User, product: Product, submit: bool = False, **values) -> Product:
    """Change fields; a published listing whose text changes goes back to review, and so does
    a draft (one the reviewer rejected, say) with `submit=True`, its note kept for the reviewer.

    Stock is set under the row lock, so it never races with an order taking units.
    """
    _require_coordinator(by, product.village_id)
    unknown = set(values) - PRODUCT_FIELDS
    if unknown:
        raise Invalid(_("This field cannot be changed here."), field=sorted(unknown)[0])
    _check_product_values(values)
    locked = Product.objects.select_for_update().get(pk=product.pk)
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    for key in changed:
        setattr(locked, key, values[key])
    if locked.status == ListingStatus.PUBLISHED and PRODUCT_CONTENT_FIELDS & set(changed):
        locked.status = ListingStatus.PENDING
        changed.append("status")
    if submit:
        _resubmit(locked, changed)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


# --- Tourism offers --------------------------------------------------------------------------


def _check_offer_values(values: dict) -> None:
    if "price" in values and Decimal(values["price"]) < 0:
        raise Invalid(_("The price cannot be negative."), field="price")
    if "capacity" in values and int(values["capacity"]) < 1:
        raise Invalid(_("Capacity must be at least one guest."), field="capacity")
    lo, hi = values.get("min_nights"), values.get("max_nights")
    if lo is not None and lo < 1:
        raise Invalid(_("The minimum must be at least one."), field="min_nights")
    if lo is not None and hi is not None and hi < lo:
        raise Invalid(_("The maximum must not be below the minimum."), field="max_nights")


@transaction.atomic
def offer_create(
    *, by: User, village: Village, kind: str, title: str, price: Decimal, capacity: int,
    description: str = "", min_nights: int = 1, max_nights: int = 14, submit: bool = True,
) -> TourismOffer:
    _require_coordinator(by, village)
    _check_offer_values({"price": price, "capacity": capacity, "min_nights": min_nights,
                         "max_nights": max_nights})
    return TourismOffer.objects.create(
        village=village, kind=kind, title=title.strip(), description=description,
        price=Decimal(price).quantize(Decimal("0.01")), capacity=capacity,
        min_nights=min_nights, max_nights=max_nights, created_by=by,
        status=ListingStatus.PENDING if submit else ListingStatus.DRAFT,
    )


@transaction.atomic
def offer_update(*, by: User, offer: TourismOffer, submit: bool = False, **values) -> TourismOffer:
    """Change an offer. A new capacity applies to future dates (never below what is booked).

    Like products: changed text of a published offer goes back to review; a draft (a rejected
    offer is one, its reviewer's note kept) goes back with `submit=True`."""
    _require_coordinator(by, offer.village_id)
    unknown = set(values) - OFFER_FIELDS
    if unknown:
        raise Invalid(_("This field cannot be changed here."), field=sorted(unknown)[0])
    locked = TourismOffer.objects.select_for_update().get(pk=offer.pk)
    _check_offer_values({"min_nights": locked.min_nights, "max_nights": locked.max_nights, **values})
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    for key in changed:
        setattr(locked, key, values[key])
    if locked.status == ListingStatus.PUBLISHED and OFFER_CONTENT_FIELDS & set(changed):
        locked.status = ListingStatus.PENDING
        changed.append("status")
    if submit:
        _resubmit(locked, changed)
    if changed:
        locked.save(update_fields=changed)
    if "capacity" in changed:
        OfferDay.objects.filter(offer=locked, date__gte=timezone.localdate()).update(
            capacity=Greatest(F("booked"), Value(locked.capacity)))
    return locked


# --- Moderation (products and offers alike) --------------------------------------------------


def _transition(obj, *, from_statuses, to: str, **extra) -> None:
    model = type(obj)
    updated = model.objects.filter(pk=obj.pk, status__in=list(from_statuses)).update(status=to, **extra)
    if updated != 1:
        raise Conflict(_("This listing has already moved on; reload the page."))
    obj.status = to
    page_cache.listing_changed(obj)
    for key, value in extra.items():
        setattr(obj, key, value)


def listing_submit(*, by: User, listing: Product | TourismOffer) -> Product | TourismOffer:
    """Draft -> pending review (the coordinator asks an administrator to publish)."""
    _require_coordinator(by, listing.village_id)
    _transition(listing, from_statuses=[ListingStatus.DRAFT, ListingStatus.ARCHIVED],
                to=ListingStatus.PENDING)
    return listing


def _edit_url(listing: Product | TourismOffer) -> str:
    name = "villages:product_edit" if isinstance(listing, Product) else "villages:offer_edit"
    return reverse(name, args=[listing.pk])


@transaction.atomic
def listing_approve(*, by: User, listing: Product | TourismOffer) -> Product | TourismOffer:
    _require_admin(by)
    _transition(listing, from_statuses=[ListingStatus.PENDING], to=ListingStatus.PUBLISHED,
                reviewed_by=by, reviewed_at=timezone.now(), review_note="")
    name = str(listing)
    tell_coordinators(listing.village_id, kind="villages.listing_approved", url=_edit_url(listing),
                      message=lambda: _("“%(name)s” is approved and now public.") % {"name": name})
    return listing


@transaction.atomic
def listing_reject(*, by: User, listing: Product | TourismOffer, note: str) -> Product | TourismOffer:
    """Back to draft with a note the coordinator can act on (and is told, with the note)."""
    _require_admin(by)
    if not note.strip():
        raise Invalid(_("Say what should change."), field="note")
    _transition(listing, from_statuses=[ListingStatus.PENDING], to=ListingStatus.DRAFT,
                reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()[:300])
    name, said = str(listing), listing.review_note
    tell_coordinators(listing.village_id, kind="villages.listing_rejected", url=_edit_url(listing),
                      message=lambda: _("“%(name)s” was not approved. The reviewer says: %(note)s "
                                        "Edit it and send it for review again.")
                      % {"name": name, "note": said})
    return listing


def listing_archive(*, by: User, listing: Product | TourismOffer) -> Product | TourismOffer:
    _require_coordinator(by, listing.village_id)
    _transition(listing, from_statuses=[ListingStatus.DRAFT, ListingStatus.PENDING,
                                        ListingStatus.PUBLISHED], to=ListingStatus.ARCHIVED)
    return listing
