"""The API's filter backend: it documents the FilterSet that a selector applies."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend


class SelectorFilters(DjangoFilterBackend):
    """Puts the view's `filterset_class` in the OpenAPI schema and leaves the queryset alone:
    the selector has already filtered it with that FilterSet (`filters=request.query_params`,
    through `synergy.core.filters.apply_filters`)."""

    def filter_queryset(self, request, queryset, view):
        return queryset
