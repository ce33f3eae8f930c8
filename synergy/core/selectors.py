"""Reads about people, roles and places. Every permission check is one call here."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from synergy.core.errors import NotAllowed
from synergy.core.filters import (
    CommunityFilter,
    MembershipApplicationFilter,
    PairingFilter,
    VillageFilter,
    apply_filters,
)
from synergy.core.models import (
    COMMUNITY_ROLES,
    Community,
    Invitation,
    Membership,
    MembershipStatus,
    Notification,
    Pairing,
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


DECIDER_ROLES = (Role.PROPERTY_MANAGER, Role.COORDINATOR, Role.ADMIN)


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
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-id")


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread (the badge in the navigation)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


# --- People and places shared by the apps ----------------------------------------------------


def village_coordinators(*, village: Village | int) -> QuerySet[User]:
    """The active coordinators of a village (whom its news and requests go to), by name."""
    return User.objects.filter(
        memberships__village=village, memberships__role=Role.COORDINATOR,
        memberships__status=MembershipStatus.ACTIVE,
    ).order_by("display_name", "username").distinct()


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


# --------------------------------------------------------------------------- the desk


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
