"""The FilterSets of the village node's lists, applied inside the selectors.

The API and the HTML pages pass their query parameters (or any dict) to the same selector, which
filters through one of these; a value a filter cannot take is an `InvalidFilter` (400 naming the
parameter in the API; shown on the filter form in a page). Parameters a FilterSet does not
declare (`page`, `page_size`, a page's `date`) are ignored.
"""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from synergy.core.filters import FlagFilter, IdFilter
from synergy.core.models import Village
from villages.models import (
    GroupBuyRound,
    Industry,
    OfferKind,
    Order,
    OrderStatus,
    Product,
    ProductCategory,
    RoundPickup,
    RoundStatus,
    TourismOffer,
    VillageIndustry,
)

# --- Villages --------------------------------------------------------------------------------


class VillageFilter(django_filters.FilterSet):
    """`region` matches the province, prefecture city or district; `q` searches the name,
    description and specialities."""

    region = django_filters.CharFilter(method="filter_region")
    industry = django_filters.ChoiceFilter(choices=Industry.choices, method="filter_industry")
    q = django_filters.CharFilter(method="filter_search", max_length=100)

    class Meta:
        model = Village
        fields: list[str] = []

    def filter_region(self, qs, name, value):
        return qs.filter(Q(province=value) | Q(prefecture_city=value) | Q(district=value))

    def filter_industry(self, qs, name, value):
        return qs.filter(Exists(VillageIndustry.objects.filter(village=OuterRef("pk"),
                                                               industry=value)))

    def filter_search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(description__icontains=value)
                         | Q(profile__specialities__icontains=value))


# --- Products --------------------------------------------------------------------------------

PRODUCT_ORDERINGS = {
    "price": ("price", "id"), "-price": ("-price", "-id"),
    "name": ("name", "id"), "-name": ("-name", "-id"),
    "-created_at": ("-created_at", "-id"), "created_at": ("created_at", "id"),
    "stock": ("stock", "id"), "-stock": ("-stock", "-id"),
}
PRODUCT_DEFAULT_ORDERING = ("-created_at", "-id")


class ProductFilter(django_filters.FilterSet):
    """The catalogue's filters. The page's form names two of them differently: `q` is `search`
    and `sort` is `ordering` (both names work everywhere)."""

    village = IdFilter(field_name="village")
    category = django_filters.ChoiceFilter(choices=ProductCategory.choices)
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    q = django_filters.CharFilter(method="filter_search", max_length=100)
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    in_stock = FlagFilter(method="filter_in_stock")
    ordering = django_filters.ChoiceFilter(choices=[(k, k) for k in PRODUCT_ORDERINGS],
                                           method="filter_ordering")
    sort = django_filters.ChoiceFilter(choices=[(k, k) for k in PRODUCT_ORDERINGS],
                                       method="filter_ordering")

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_search(self, qs, name, value):
        return qs.filter(Q(name__icontains=value) | Q(description__icontains=value)
                         | Q(village__name__icontains=value))

    def filter_in_stock(self, qs, name, value):
        return qs.filter(stock__gt=0) if value else qs.filter(stock=0)

    def filter_ordering(self, qs, name, value):
        return qs.order_by(*PRODUCT_ORDERINGS[value])


# --- Tourism offers --------------------------------------------------------------------------


class OfferFilter(django_filters.FilterSet):
    village = IdFilter(field_name="village")
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices)

    class Meta:
        model = TourismOffer
        fields: list[str] = []


# --- Rounds ----------------------------------------------------------------------------------


class RoundFilter(django_filters.FilterSet):
    """`community`: rounds delivering there (an EXISTS, so a round never comes twice);
    `open`: only those still taking orders."""

    village = IdFilter(field_name="village")
    community = IdFilter(method="filter_community")
    open = FlagFilter(method="filter_open")

    class Meta:
        model = GroupBuyRound
        fields: list[str] = []

    def filter_community(self, qs, name, value):
        return qs.filter(Exists(RoundPickup.objects.filter(round=OuterRef("pk"),
                                                           community_id=value)))

    def filter_open(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(status=RoundStatus.OPEN, cutoff_at__gt=timezone.now())


# --- Orders ----------------------------------------------------------------------------------


class OrderFilter(django_filters.FilterSet):
    """A village's orders: by `status`, by `round`."""

    status = django_filters.ChoiceFilter(choices=OrderStatus.choices)
    round = IdFilter(field_name="round")

    class Meta:
        model = Order
        fields: list[str] = []
