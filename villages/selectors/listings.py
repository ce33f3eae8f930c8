"""Reads of the listings: products, tourism offers, their calendars, the moderation queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import apply_filters
from synergy.core.models import User, Village
from villages.models import ListingStatus, OfferDay, Product, ProductPhoto, TourismOffer, TourismOfferPhoto
from villages.selectors._common import get_or_404, photos_prefetch, require_coordinator
from villages.selectors.filters import (
    PRODUCT_DEFAULT_ORDERING,
    OfferFilter,
    ProductFilter,
)

# --- Products --------------------------------------------------------------------------------


def product_list(
    *, viewer: User | None = None, filters: Mapping | None = None,
    village: Village | int | None = None, statuses=(ListingStatus.PUBLISHED,),
) -> QuerySet[Product]:
    """Products with village and photos loaded: two queries per page, whatever its size
    (products joined to villages; photos), plus the count when paginated. `filters` are the
    catalogue's (ProductFilter: village, category, search/q, min_price, max_price, in_stock,
    ordering/sort); newest first unless they say otherwise."""
    qs = (Product.objects.filter(status__in=list(statuses)).select_related("village")
          .prefetch_related(photos_prefetch(ProductPhoto)).order_by(*PRODUCT_DEFAULT_ORDERING))
    if village is not None:
        qs = qs.filter(village=village)
    return apply_filters(ProductFilter, filters, qs)


def _visible(listing, viewer: User | None):
    """A published listing, or any listing of a village the viewer coordinates (or admin);
    Http404 otherwise, so a draft's existence is not revealed."""
    if listing.status != ListingStatus.PUBLISHED and not (
            getattr(viewer, "is_authenticated", False)
            and core_selectors.user_coordinates_village(user=viewer, village=listing.village_id)):
        raise Http404
    return listing


def product_get_for_viewer(*, viewer: User | None, pk: int) -> Product:
    return _visible(get_or_404(product_list(statuses=ListingStatus.values), pk=pk), viewer)


def product_get_for_coordinator(*, user: User, pk: int) -> Product:
    """Any product, for its village's coordinators: Http404 if none, NotAllowed otherwise."""
    product = get_or_404(product_list(statuses=ListingStatus.values), pk=pk)
    require_coordinator(user=user, village=product.village_id,
                        message=_("Only this village's coordinators can edit its products."))
    return product


def moderation_queue(*, viewer: User) -> dict[str, QuerySet]:
    """What waits for review; only administrators may see it."""
    if not (getattr(viewer, "is_authenticated", False)
            and core_selectors.user_is_platform_admin(user=viewer)):
        raise NotAllowed(_("Only platform administrators review listings."))
    return {
        "products": product_list(statuses=[ListingStatus.PENDING]).order_by("updated_at", "id"),
        "offers": offer_list(statuses=[ListingStatus.PENDING]).order_by("created_at", "id"),
    }


# --- Tourism offers --------------------------------------------------------------------------


def offer_list(*, filters: Mapping | None = None, village: Village | int | None = None,
               statuses=(ListingStatus.PUBLISHED,)) -> QuerySet[TourismOffer]:
    """Offers with village and photos loaded, narrowed by `filters` (OfferFilter: village,
    kind)."""
    qs = (TourismOffer.objects.filter(status__in=list(statuses)).select_related("village")
          .prefetch_related(photos_prefetch(TourismOfferPhoto)).order_by("village__name", "title", "id"))
    if village is not None:
        qs = qs.filter(village=village)
    return apply_filters(OfferFilter, filters, qs)


def offer_get_for_viewer(*, viewer: User | None, pk: int) -> TourismOffer:
    return _visible(get_or_404(offer_list(statuses=ListingStatus.values), pk=pk), viewer)


def offer_get_for_coordinator(*, user: User, pk: int) -> TourismOffer:
    """Any offer, for its village's coordinators: Http404 if none, NotAllowed otherwise."""
    offer = get_or_404(offer_list(statuses=ListingStatus.values), pk=pk)
    require_coordinator(user=user, village=offer.village_id,
                        message=_("Only this village's coordinators can edit its offers."))
    return offer


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    capacity: int
    booked: int

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def full(self) -> bool:
        return self.remaining == 0


def offer_calendar(*, offer: TourismOffer, start: dt.date | None = None, days: int = 35) -> list[CalendarDay]:
    """Availability per date from `start` (default today) for `days` days. One query."""
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=days)
    stored = {d.date: d for d in OfferDay.objects.filter(offer=offer, date__gte=start, date__lt=end)}
    result = []
    for i in range(days):
        date = start + dt.timedelta(days=i)
        row = stored.get(date)
        result.append(CalendarDay(date=date, capacity=row.capacity if row else offer.capacity,
                                  booked=row.booked if row else 0))
    return result


def offers_on_date(*, offers: list[TourismOffer], date: dt.date) -> dict[int, int]:
    """Places left per offer on one date (one query for all offers)."""
    stored = dict(OfferDay.objects.filter(offer__in=offers, date=date)
                  .values_list("offer_id", F("capacity") - F("booked")))
    return {o.pk: max(0, stored.get(o.pk, o.capacity)) for o in offers}
