"""Who holds which role where: every permission check of the platform is one call here."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from synergy.core.errors import NotAllowed
from synergy.core.models import (
    Community,
    Membership,
    MembershipStatus,
    Role,
    User,
    Village,
)


def get_or_404(source: type[models.Model] | QuerySet, **lookup) -> models.Model:
    """The record matching `lookup` in a model or a (selector's) queryset, else Http404.

    A malformed id (not a number) is also a 404, never a 500.
    """
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def require_village_coordinator(*, user: User | None, village: Village | int, message: str) -> None:
    """NotAllowed(message) unless `user` coordinates `village` (administrators do every one)."""
    if not user_coordinates_village(user=user, village=village):
        raise NotAllowed(message)


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


def user_roles_in_community(*, user: User, community: Community | int) -> set[str]:
    """The roles `user` holds actively in `community`, plus "admin" if they administer the
    platform, in one query (a page asking several role questions of one community asks this
    once). Superusers hold every role; anonymous and inactive users none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role.values)
    return set(
        Membership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .filter(models.Q(community=community) | models.Q(role=Role.ADMIN))
        .values_list("role", flat=True)
        .distinct()
    )


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
