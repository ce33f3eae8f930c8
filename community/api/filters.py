"""django-filter filter sets for the community API lists."""

import django_filters
from django.db.models import F

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


class BusinessFilter(django_filters.FilterSet):
    class Meta:
        model = Business
        fields = ["category"]


class ServiceFilter(django_filters.FilterSet):
    class Meta:
        model = PeripheralService
        fields = ["kind"]


class HousingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ListingKind.choices)
    min_price = django_filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(field_name="price", lookup_expr="lte")
    min_rooms = django_filters.NumberFilter(field_name="rooms", lookup_expr="gte")
    min_area = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte")

    class Meta:
        model = HousingListing
        fields = ["kind", "min_price", "max_price", "min_rooms", "min_area"]
