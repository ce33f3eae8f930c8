"""Who the visitor is in one community: a member, its manager, a resident."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from synergy.core import selectors as core
from synergy.core.models import Community, Membership, MembershipStatus, Role, User

MEMBER_ROLES = [Role.RESIDENT, Role.PROPERTY_MANAGER, Role.MERCHANT]


def user_is_member_of(*, user: User, community: Community | int) -> bool:
    """Residents, property managers and merchants of that community, and administrators. One query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    community_id = getattr(community, "pk", community)
    return Membership.objects.filter(
        Q(role__in=MEMBER_ROLES, community_id=community_id) | Q(role=Role.ADMIN),
        user=user, status=MembershipStatus.ACTIVE,
    ).exists()


@dataclass(frozen=True)
class Standing:
    """What a visitor is in one community, as its pages ask it."""

    member: bool  # user_is_member_of
    manages: bool  # core.user_manages_community
    resident: bool  # core.user_is_resident_of


def standing_in(*, user: User, community: Community | int) -> Standing:
    """The three questions a community page asks of its visitor, in one query."""
    roles = core.user_roles_in_community(user=user, community=community)
    return Standing(member=bool(roles & {*MEMBER_ROLES, Role.ADMIN}),
                    manages=bool(roles & {Role.PROPERTY_MANAGER, Role.ADMIN}),
                    resident=Role.RESIDENT in roles)
