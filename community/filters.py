"""The filters of the community lists, applied inside the selectors for the API and the pages
alike (django-filter FilterSets, and a plain form for the rural channel, which is not a queryset)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q

from community.models import (
    Bill,
    Business,
    HousingListing,
    ListingKind,
    Notice,
    PeripheralService,
    RepairTicket,
)


class NoticeFilter(django_filters.FilterSet):
    class Meta:
        model = Notice
        fields = ["pinned"]


class TicketFilter(django_filters.FilterSet):
    class Meta:
        model = RepairTicket
        fields = ["status", "category"]


class MyTicketFilter(django_filters.FilterSet):
    class Meta:
        model = RepairTicket
        fields = ["status", "category", "community", "assignee_village"]


class BillFilter(django_filters.FilterSet):
    unpaid = django_filters.BooleanFilter(method="filter_unpaid", label="unpaid")

    class Meta:
        model = Bill
        fields = ["period", "unit"]

    def filter_unpaid(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(paid_amount__lt=F("amount")) if value else queryset.filter(
            paid_amount__gte=F("amount"))


def _search(*fields):
    def search(queryset, name, value):
        if not value:
            return queryset
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)
    return search


class BusinessFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method=_search("name", "description", "category"),
                                       label="search")

    class Meta:
        model = Business
        fields = ["category"]


class ServiceFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method=_search("name", "description"), label="search")

    class Meta:
        model = PeripheralService
        fields = ["kind"]


class HousingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ListingKind.choices)
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    min_rooms = django_filters.NumberFilter(field_name="rooms", lookup_expr="gte")
    min_area = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte")
    ordering = django_filters.OrderingFilter(fields=["price", "area_m2", "created_at"])

    class Meta:
        model = HousingListing
        fields = ["kind", "min_price", "max_price", "min_rooms", "min_area"]


class ChannelQuery(forms.Form):
    """The rural channel's filters (query parameters of the API and the community page)."""

    kind = forms.MultipleChoiceField(required=False, choices=[])
    village = forms.IntegerField(required=False, min_value=1)
    followed = forms.BooleanField(required=False)
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, k) for k in kinds]
