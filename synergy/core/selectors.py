"""Reads about people, roles and places. Every permission check is one call here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import QuerySet

from synergy.core.filters import CommunityFilter, PairingFilter, VillageFilter, apply_filters
from synergy.core.models import (
    Community,
    Membership,
    MembershipStatus,
    Pairing,
    Role,
    User,
    Village,
)


def user_has_role(
    *,
    user: User,
    role: Role | str | Iterable[Role | str],
    community: Community | int | None = None,
    village: Village | int | None = None,
) -> bool:
    """True if `user` holds an active `role` (one of several, if given a list) in that scope.

    One query; none for anonymous users. Superusers hold every role everywhere.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = [role] if isinstance(role, str) else list(role)
    qs = Membership.objects.filter(user=user, role__in=roles, status=MembershipStatus.ACTIVE)
    if community is not None:
        qs = qs.filter(community=community)
    if village is not None:
        qs = qs.filter(village=village)
    return qs.exists()


def user_is_platform_admin(*, user: User) -> bool:
    return user_has_role(user=user, role=Role.ADMIN)


def user_can_view_analytics(*, user: User) -> bool:
    return user_has_role(user=user, role=[Role.ANALYST, Role.ADMIN])


def user_is_resident_of(*, user: User, community: Community | int) -> bool:
    return user_has_role(user=user, role=Role.RESIDENT, community=community)


def user_manages_community(*, user: User, community: Community | int) -> bool:
    """Property managers of that community, and platform administrators."""
    if user_has_role(user=user, role=Role.PROPERTY_MANAGER, community=community):
        return True
    return user_has_role(user=user, role=Role.ADMIN)


def user_coordinates_village(*, user: User, village: Village | int) -> bool:
    """Coordinators of that village, and platform administrators."""
    if user_has_role(user=user, role=Role.COORDINATOR, village=village):
        return True
    return user_has_role(user=user, role=Role.ADMIN)


def user_roles(*, user: User) -> set[str]:
    """The set of role names the user holds anywhere (for navigation). One query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    roles = set(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .values_list("role", flat=True)
        .distinct()
    )
    if user.is_superuser:
        roles.add(Role.ADMIN)
    return roles


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("community", "village")


def communities_of_user(
    *, user: User, role: Role | str | Iterable[Role | str] = Role.RESIDENT
) -> QuerySet[Community]:
    """Communities where the user holds `role` (or one of several roles), active."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    roles = [role] if isinstance(role, str) else list(role)
    return Community.objects.filter(
        memberships__user=user, memberships__role__in=roles,
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()


def villages_of_user(
    *, user: User, role: Role | str | Iterable[Role | str] = Role.COORDINATOR
) -> QuerySet[Village]:
    """Villages where the user holds `role` (or one of several roles), active."""
    if not getattr(user, "is_authenticated", False):
        return Village.objects.none()
    roles = [role] if isinstance(role, str) else list(role)
    return Village.objects.filter(
        memberships__user=user, memberships__role__in=roles,
        memberships__status=MembershipStatus.ACTIVE,
    ).distinct()


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


def notification_list(*, user: User, unread_only: bool = False):
    """The user's notifications, newest first (one query)."""
    from synergy.core.models import Notification

    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-id")
