"""Communities, villages, pairings and what the apps share about people and places."""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from django.db.models import Min, Q, QuerySet

from synergy.core.filters import (
    CommunityFilter,
    PairingFilter,
    VillageFilter,
    apply_filters,
)
from synergy.core.models import (
    COMMUNITY_ROLES,
    Community,
    Membership,
    MembershipStatus,
    Pairing,
    Role,
    User,
    Village,
)
from synergy.core.selectors.access import (
    user_coordinates_village,
    user_is_platform_admin,
    user_manages_community,
    villages_of_user,
)

DECIDER_ROLES = (Role.PROPERTY_MANAGER, Role.COORDINATOR, Role.ADMIN)


def community_list(*, filters: Mapping | None = None) -> QuerySet[Community]:
    """Communities by name, narrowed by `filters` (CommunityFilter: place, search, ordering)."""
    return apply_filters(CommunityFilter, filters, Community.objects.order_by("name"))


def village_list(*, filters: Mapping | None = None) -> QuerySet[Village]:
    """Villages by name, narrowed by `filters` (VillageFilter: place, search, ordering)."""
    return apply_filters(VillageFilter, filters, Village.objects.order_by("name"))


def pairing_list(
    *, community: Community | int | None = None, village: Village | int | None = None,
    active_only: bool = True, filters: Mapping | None = None,
) -> QuerySet[Pairing]:
    qs = Pairing.objects.select_related("community", "village")
    if active_only:
        qs = qs.filter(active=True)
    if community is not None:
        qs = qs.filter(community=community)
    if village is not None:
        qs = qs.filter(village=village)
    qs = qs.order_by("community__name", "distance_km", "village__name")
    return apply_filters(PairingFilter, filters, qs)


def pairing_first_year_by_city() -> dict[str, int]:
    """The first year one of each prefecture city's communities began a pairing, by city name
    ("昆明市": 2019): the treatment timing of the analytics' difference-in-differences. Paused
    pairings count from their start, as the treatment is absorbing (a city once paired stays
    treated). One grouped query."""
    rows = (Pairing.objects.values("community__prefecture_city")
            .annotate(first=Min("started_on")).order_by())
    return {r["community__prefecture_city"]: r["first"].year for r in rows}


def paired_villages(*, community: Community | int) -> QuerySet[Village]:
    """The villages on a community's rural channel, nearest first."""
    return Village.objects.filter(
        pairings__community=community, pairings__active=True
    ).order_by("pairings__distance_km", "name")


def paired_communities(*, village: Village | int) -> QuerySet[Community]:
    return Community.objects.filter(
        pairings__village=village, pairings__active=True
    ).order_by("pairings__distance_km", "name")


def pairing_exists(*, community: Community | int, village: Village | int) -> bool:
    return Pairing.objects.filter(community=community, village=village, active=True).exists()


def village_coordinators(*, village: Village | int) -> QuerySet[User]:
    """The active coordinators of a village (whom its news and requests go to), by name."""
    # A subquery rather than a join: no DISTINCT over every column of the user (it was the
    # costliest query of placing an order).
    return User.objects.filter(pk__in=Membership.objects.filter(
        village=village, role=Role.COORDINATOR, status=MembershipStatus.ACTIVE,
    ).values("user_id")).order_by("display_name", "username")


def coordinated_villages(*, user: User) -> QuerySet[Village]:
    """Villages the user coordinates (administrators: all of them), by name."""
    if user_is_platform_admin(user=user):
        return Village.objects.order_by("name")
    return villages_of_user(user=user, role=Role.COORDINATOR).order_by("name")


def pairing_of_user_and_village(*, user: User, village: Village | int) -> Pairing | None:
    """The active pairing between one of the user's communities and the village, nearest first
    (what a donation, a sign-up or an interest is counted under); None if there is none."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Pairing.objects.filter(
            village=village, active=True,
            community__memberships__user=user,
            community__memberships__role__in=COMMUNITY_ROLES,
            community__memberships__status=MembershipStatus.ACTIVE,
        ).order_by("distance_km", "pk").first()
    )


def distance_km(*, a: Community | Village, b: Community | Village) -> Decimal:
    """Great-circle distance (haversine) between two places, rounded to 0.1 km."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude))
    )
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return Decimal(str(round(2 * 6371.0 * math.asin(math.sqrt(h)), 1)))


def distances_km(*, communities: list[Community], villages: list[Village]) -> dict:
    """(community id, village id) -> km: the pairing's distance where paired, else haversine.
    One query."""
    known = {
        (c, v): d for c, v, d in Pairing.objects.filter(
            community__in=[c.pk for c in communities], village__in=[v.pk for v in villages],
        ).values_list("community_id", "village_id", "distance_km")}
    return {(c.pk, v.pk): known.get((c.pk, v.pk)) or distance_km(a=c, b=v)
            for c in communities for v in villages}


def event_organiser_pairings(*, user: User) -> QuerySet[Pairing]:
    """The active pairings the user may organise an event for: those whose village they
    coordinate or whose community they manage (administrators: every active pairing)."""
    qs = Pairing.objects.filter(active=True).select_related("community", "village")
    if user_is_platform_admin(user=user):
        return qs.order_by("community__name", "village__name")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    mine = Q(village__memberships__user=user, village__memberships__role=Role.COORDINATOR,
             village__memberships__status=MembershipStatus.ACTIVE) | Q(
        community__memberships__user=user,
        community__memberships__role=Role.PROPERTY_MANAGER,
        community__memberships__status=MembershipStatus.ACTIVE)
    return qs.filter(mine).distinct().order_by("community__name", "village__name")


def user_may_organise_event(*, user: User, pairing: Pairing) -> bool:
    """The one rule for events: the village's coordinators, the community's property managers
    and administrators (each of the two checks lets administrators through)."""
    return (user_coordinates_village(user=user, village=pairing.village_id)
            or user_manages_community(user=user, community=pairing.community_id))
