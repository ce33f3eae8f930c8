"""The one way a list is filtered: a django-filter FilterSet (or a plain form) applied inside the
selector, for the API and the HTML page alike.

A value a filter cannot take is an `InvalidFilter`: the API answers 400 naming the parameter, a
page shows it on its filter form (`filtered_page`). Parameters a FilterSet does not declare
(`page`, `page_size`, a page's `date`) are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from synergy.core.errors import InvalidFilter
from synergy.core.models import Community, Membership, MembershipStatus, Pairing, Role, Village


def _raise_invalid(form_errors) -> None:
    errors = {name: [str(m) for m in problems] for name, problems in form_errors.items()}
    field, problems = next(iter(errors.items()))
    raise InvalidFilter(problems[0], field=field, errors=errors)


def apply_filters(filterset_class: type[django_filters.FilterSet], filters: Mapping | None,
                  queryset: QuerySet) -> QuerySet:
    """`queryset` narrowed by `filters` through `filterset_class`; InvalidFilter on a bad value."""
    if not filters:
        return queryset
    filterset = filterset_class(filters, queryset=queryset)
    if not filterset.is_valid():
        _raise_invalid(filterset.errors)
    return filterset.qs


def cleaned_filters(form_class: type[forms.Form], filters: Mapping | None, **kwargs) -> dict:
    """The cleaned values of a plain filter form (for lists that are not one queryset)."""
    form = form_class(filters or {}, **kwargs)
    if not form.is_valid():
        _raise_invalid(form.errors)
    return form.cleaned_data


def filtered_page(request, select: Callable[[Mapping | None], object], form=None):
    """`select(request.GET)` for a page. When a filter is refused, say why (on the page's filter
    form when it has that field, else as a message) and show the list unfiltered."""
    try:
        return select(request.GET)
    except InvalidFilter as exc:
        if form is not None and exc.field in form.fields:
            if exc.field not in form.errors:
                form.add_error(exc.field, exc.message)
        else:
            for problems in exc.errors.values():
                messages.error(request, " ".join(problems))
        return select(None)


class _IdField(forms.IntegerField):
    default_error_messages = {"invalid": _("A whole number is required.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)  # the schema's type, whatever the filter's method
class IdFilter(django_filters.Filter):
    """A record's id: a whole number from 1 (`village=abc` or `round=1;` is a 400)."""

    field_class = _IdField


class _FlagField(forms.Field):
    TRUE = {"1", "true", "yes", "on"}
    FALSE = {"0", "false", "no", "off"}
    default_error_messages = {"invalid": _("Use true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class FlagFilter(django_filters.Filter):
    """true/false, 1/0, yes/no, or a checkbox's `on`; empty means no filter."""

    field_class = _FlagField


# --- Places and pairings (the core's own lists) ----------------------------------------------


class SearchFilter(django_filters.CharFilter):
    """`search=` matches any of `fields` (case-insensitive, contains), like the search box of a
    list; blank means no filter."""

    def __init__(self, *, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.search_fields = fields

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        match = Q()
        for name in self.search_fields:
            match |= Q(**{f"{name}__icontains": value})
        return qs.filter(match)


class PlaceFilter(django_filters.FilterSet):
    province = django_filters.CharFilter(lookup_expr="exact")
    prefecture_city = django_filters.CharFilter(lookup_expr="exact")
    district = django_filters.CharFilter(lookup_expr="exact")


class CommunityFilter(PlaceFilter):
    search = SearchFilter(fields=("name", "district", "prefecture_city"))
    ordering = django_filters.OrderingFilter(fields=("name", "households"))

    class Meta:
        model = Community
        fields = ["province", "prefecture_city", "district"]


class VillageFilter(PlaceFilter):
    search = SearchFilter(fields=("name", "district", "prefecture_city", "description"))
    ordering = django_filters.OrderingFilter(fields=("name", "population"))

    class Meta:
        model = Village
        fields = ["province", "prefecture_city", "district"]


class PairingFilter(django_filters.FilterSet):
    community = IdFilter(field_name="community")
    village = IdFilter(field_name="village")
    active = FlagFilter()
    ordering = django_filters.OrderingFilter(fields=("distance_km", "created_at"))

    class Meta:
        model = Pairing
        fields = ["community", "village", "active"]


class MembershipApplicationFilter(django_filters.FilterSet):
    """The applications list: `status` (pending when not given), `role`, `community`, `village`."""

    status = django_filters.ChoiceFilter(choices=MembershipStatus.choices)
    role = django_filters.ChoiceFilter(choices=Role.choices)
    community = IdFilter(field_name="community")
    village = IdFilter(field_name="village")

    class Meta:
        model = Membership
        fields = ["status", "role", "community", "village"]
