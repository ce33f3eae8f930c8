"""Memberships, applications to join and invitations: who may decide them, and the lists."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from synergy.core.errors import NotAllowed
from synergy.core.filters import (
    MembershipApplicationFilter,
    apply_filters,
)
from synergy.core.models import (
    Community,
    Invitation,
    Membership,
    MembershipStatus,
    Role,
    User,
)
from synergy.core.selectors.access import (
    communities_of_user,
    get_or_404,
    user_coordinates_village,
    user_is_platform_admin,
    user_manages_community,
    villages_of_user,
)
from synergy.core.selectors.places import DECIDER_ROLES


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("community", "village")


def _decider_scope(*, user: User) -> tuple[bool, set[int], set[int]]:
    """(is administrator, managed community ids, coordinated village ids). One query; none for
    anonymous users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False, set(), set()
    rows = Membership.objects.filter(
        user=user, role__in=DECIDER_ROLES, status=MembershipStatus.ACTIVE,
    ).values_list("role", "community_id", "village_id")
    is_admin = user.is_superuser
    communities, villages = set(), set()
    for role, community_id, village_id in rows:
        if role == Role.ADMIN:
            is_admin = True
        elif role == Role.PROPERTY_MANAGER:
            communities.add(community_id)
        else:
            villages.add(village_id)
    return is_admin, communities, villages


def user_may_decide_memberships(*, user: User) -> bool:
    """True if the user decides applications anywhere (for the navigation). One query."""
    is_admin, communities, villages = _decider_scope(user=user)
    return is_admin or bool(communities or villages)


def user_may_decide_membership(*, user: User, membership: Membership) -> bool:
    """The community's property managers (a village's: its coordinators) and administrators."""
    if membership.community_id is not None:
        return user_manages_community(user=user, community=membership.community_id)
    if membership.village_id is not None:
        return user_coordinates_village(user=user, village=membership.village_id)
    return user_is_platform_admin(user=user)


def membership_deciders(*, membership: Membership) -> QuerySet[User]:
    """Whom a new application goes to: the scope's property managers or coordinators; when the
    place has none yet, the platform administrators. One query."""
    admins = Q(memberships__role=Role.ADMIN, memberships__status=MembershipStatus.ACTIVE)
    if membership.community_id is not None:
        local = Q(memberships__role=Role.PROPERTY_MANAGER,
                  memberships__community=membership.community_id)
    elif membership.village_id is not None:
        local = Q(memberships__role=Role.COORDINATOR, memberships__village=membership.village_id)
    else:
        local = admins
    local &= Q(memberships__status=MembershipStatus.ACTIVE)
    has_local = Membership.objects.filter(
        role__in=[Role.PROPERTY_MANAGER, Role.COORDINATOR], status=MembershipStatus.ACTIVE,
        community=membership.community_id, village=membership.village_id)
    return User.objects.filter(is_active=True).filter(
        local | (admins & ~models.Exists(has_local))
    ).exclude(pk=membership.user_id).distinct().order_by("pk")


def membership_get(*, id) -> Membership:
    """One membership by id, with what the deciding services and their answer need (404 if none)."""
    return get_or_404(
        Membership.objects.select_related("user", "community", "village", "decided_by"), pk=id)


def membership_applications_for(
    *, viewer: User, filters: Mapping | None = None
) -> QuerySet[Membership]:
    """The applications `viewer` may decide: those of the communities they manage and the
    villages they coordinate (administrators: all), pending unless `filters` asks for another
    `status` (MembershipApplicationFilter). NotAllowed for people who decide nowhere.

    Queries: one for the viewer's scope, then the list itself (applicant, place and decider
    joined in, so no query per row)."""
    is_admin, communities, villages = _decider_scope(user=viewer)
    if not (is_admin or communities or villages):
        raise NotAllowed(_("Only property managers, village coordinators and administrators "
                           "decide on applications."))
    qs = Membership.objects.select_related("user", "community", "village", "decided_by")
    if not is_admin:
        qs = qs.filter(Q(community__in=communities) | Q(village__in=villages))
    filters = dict(filters.items()) if filters else {}
    if not filters.get("status"):
        filters["status"] = MembershipStatus.PENDING
    qs = qs.order_by("created_at", "pk")
    return apply_filters(MembershipApplicationFilter, filters, qs)


def communities_managed_by(*, user: User) -> QuerySet[Community]:
    """The communities whose residents the user may invite: those they manage (admins: all)."""
    if user_is_platform_admin(user=user):
        return Community.objects.order_by("name")
    return communities_of_user(user=user, role=Role.PROPERTY_MANAGER).order_by("name")


def invitation_list_for(*, viewer: User) -> QuerySet[Invitation]:
    """The invitations of the communities the viewer manages, newest first (one query after the
    scope check; NotAllowed for people who manage none)."""
    is_admin, communities, _villages = _decider_scope(user=viewer)
    if not (is_admin or communities):
        raise NotAllowed(_("Only property managers and administrators invite residents."))
    qs = Invitation.objects.select_related("community", "used_by", "created_by")
    if not is_admin:
        qs = qs.filter(community__in=communities)
    return qs.order_by("-created_at", "-pk")


def invitation_by_code(*, code: str) -> Invitation | None:
    """The invitation with this code (case and spaces ignored), its community joined; or None."""
    return Invitation.objects.select_related("community").filter(
        code=(code or "").strip().upper()).first()


def pending_applications_decidable(*, user: User, role: str) -> QuerySet[Membership]:
    """Pending memberships this person decides in that role: a property manager's communities,
    a coordinator's villages, everything for an administrator."""
    pending = Membership.objects.filter(status=MembershipStatus.PENDING)
    if role == Role.ADMIN and user_is_platform_admin(user=user):
        return pending
    if role == Role.PROPERTY_MANAGER:
        return pending.filter(community__in=communities_of_user(
            user=user, role=Role.PROPERTY_MANAGER).values("pk"))
    if role == Role.COORDINATOR:
        return pending.filter(village__in=villages_of_user(
            user=user, role=Role.COORDINATOR).values("pk"))
    return Membership.objects.none()


def pending_application_count(*, user: User, role: str) -> int:
    return pending_applications_decidable(user=user, role=role).count()


def membership_counts() -> list[dict]:
    """Per role: how many memberships are active and pending (one query)."""
    rows = (Membership.objects.values("role")
            .annotate(active=models.Count("pk", filter=Q(status=MembershipStatus.ACTIVE)),
                      pending=models.Count("pk", filter=Q(status=MembershipStatus.PENDING)))
            .order_by("role"))
    return list(rows)
