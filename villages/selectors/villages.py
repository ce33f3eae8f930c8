"""Reads about villages: the directory, a village's page, the villages a person coordinates."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import apply_filters
from synergy.core.models import User, Village
from villages.models import VillagePhoto
from villages.selectors._common import get_or_404, require_coordinator
from villages.selectors.filters import VillageFilter


def village_list(*, filters: Mapping | None = None) -> QuerySet[Village]:
    """Villages with profile and industries loaded (3 queries for a page: villages, industries,
    photos), narrowed by `filters` (VillageFilter: region, industry, q)."""
    qs = Village.objects.select_related("profile").prefetch_related(
        "industries",
        Prefetch("photos", queryset=VillagePhoto.objects.order_by("position", "id")),
    ).order_by("name")
    return apply_filters(VillageFilter, filters, qs)


def village_regions() -> list[str]:
    """Districts and counties that have villages (the region filter's choices)."""
    return list(Village.objects.order_by("district").values_list("district", flat=True).distinct())


def village_get(*, slug: str) -> Village:
    """A village's public page; Http404 if there is none."""
    return get_or_404(village_list(), slug=slug)


def coordinated_villages_for_back_office(*, user: User) -> list[Village]:
    """The villages whose back office `user` may open; NotAllowed if none."""
    villages = list(core_selectors.coordinated_villages(user=user))
    if not villages:
        raise NotAllowed(_("Only village coordinators have a back office."))
    return villages


def village_get_for_coordinator(*, user: User, pk: int) -> Village:
    """A village (profile and photos loaded) for its back office: Http404 if there is none,
    NotAllowed unless `user` coordinates it."""
    village = get_or_404(village_list(), pk=pk)
    require_coordinator(user=user, village=village,
                        message=_("Only this village's coordinators can manage it."))
    return village
