"""Who the visitor is in one community: a member, its manager, a resident."""

from __future__ import annotations

from dataclasses import dataclass

from synergy.core import selectors as core
from synergy.core.models import Community, Role, User

MEMBER_ROLES = [Role.RESIDENT, Role.PROPERTY_MANAGER, Role.MERCHANT]


@dataclass(frozen=True)
class Standing:
    """What a visitor is in one community, as its pages ask it."""

    member: bool  # a resident, property manager or merchant here, or an administrator
    manages: bool  # core.user_manages_community
    resident: bool  # core.user_is_resident_of


def standing_in(*, user: User, community: Community | int) -> Standing:
    """The three questions a community page asks of its visitor, in one query."""
    roles = core.user_roles_in_community(user=user, community=community)
    return Standing(member=bool(roles & {*MEMBER_ROLES, Role.ADMIN}),
                    manages=bool(roles & {Role.PROPERTY_MANAGER, Role.ADMIN}),
                    resident=Role.RESIDENT in roles)


def user_is_member_of(*, user: User, community: Community | int) -> bool:
    """Residents, property managers and merchants of that community, and administrators. One query."""
    return standing_in(user=user, community=community).member
