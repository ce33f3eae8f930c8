"""Reads of the pickup point: who hands orders over where, an order found by its code, and the
picking list of a round for one community (no pickup codes in it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import Community, Membership, MembershipStatus, Role, User
from villages.models import GroupBuyRound, Order, OrderStatus, Payment, PickupStaff, RoundPickup
from villages.selectors._common import get_or_404, require_login

WAITING = [OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.DELIVERED]


def user_hands_over_in(*, user: User | None, community: Community | int) -> bool:
    """Pickup staff of the community, its managers (and administrators). At most two queries."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if PickupStaff.objects.filter(user=user, community=community).exists():
        return True
    return core_selectors.user_manages_community(user=user, community=community)


def pickup_communities_for_user(*, user: User | None) -> QuerySet[Community]:
    """The communities where the user hands orders over (staff or property manager), by name."""
    if not getattr(user, "is_authenticated", False):
        return Community.objects.none()
    manages = Membership.objects.filter(community=OuterRef("pk"), user=user,
                                        role=Role.PROPERTY_MANAGER, status=MembershipStatus.ACTIVE)
    staff = PickupStaff.objects.filter(community=OuterRef("pk"), user=user)
    return Community.objects.filter(Q(Exists(manages)) | Q(Exists(staff))).order_by("name", "pk")


def managed_communities(*, user: User | None) -> QuerySet[Community]:
    """The communities the user manages (where they name the pickup staff)."""
    return core_selectors.communities_of_user(user=user, role=Role.PROPERTY_MANAGER).order_by("name")


def user_find_by_login(*, login: str) -> User | None:
    """The active account with this username (or, failing that, this phone number)."""
    login = (login or "").strip()
    if not login:
        return None
    found = User.objects.filter(is_active=True, username__iexact=login).first()
    if found is None:
        found = User.objects.filter(is_active=True, phone=login).order_by("pk").first()
    return found


def pickup_staff_list(*, viewer: User | None, community: Community) -> QuerySet[PickupStaff]:
    """A community's pickup staff, for its manager only (NotAllowed for anyone else)."""
    require_login(viewer)
    if not core_selectors.user_manages_community(user=viewer, community=community):
        raise NotAllowed(_("Only the community's manager can see its pickup staff."))
    return PickupStaff.objects.filter(community=community).select_related("user", "added_by")


def order_waiting_by_code(*, community: Community | int, code: str) -> Order | None:
    """The order still to be collected in `community` with this code (the database keeps it
    unique), with what the counter shows: buyer and items. Its caller checks who asks."""
    return (Order.objects.filter(pickup_community=community, pickup_code=code, status__in=WAITING)
            .select_related("buyer", "village", "round", "pickup_community")
            .prefetch_related("items").first())


def order_get_for_pickup(*, user: User | None, pk: int) -> Order:
    """An order as the pickup counter sees it (staff or manager of its pickup community);
    Http404 for anyone else."""
    require_login(user)
    order = get_or_404(Order.objects.select_related("buyer", "village", "round", "pickup_community")
                       .prefetch_related("items"), pk=pk)
    if not user_hands_over_in(user=user, community=order.pickup_community_id):
        raise Http404
    return order


def recent_rounds_for_community(*, community: Community | int, limit: int = 5) -> list[GroupBuyRound]:
    """The latest rounds delivering to a community (for its picking lists)."""
    return [p.round for p in RoundPickup.objects.filter(community=community)
            .select_related("round", "round__village").order_by("-round__cutoff_at")[:limit]]


# --- Picking list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PickingRow:
    order_id: int
    buyer: str
    items: str
    total: Decimal
    paid: bool
    status: str


def picking_list_access(*, viewer: User | None, round: GroupBuyRound, community: Community) -> None:
    """The round's coordinators, and the community's pickup staff and manager; NotAllowed else."""
    require_login(viewer)
    if core_selectors.user_coordinates_village(user=viewer, village=round.village_id):
        return
    if user_hands_over_in(user=viewer, community=community):
        return
    raise NotAllowed(_("Only the round's coordinators and the pickup staff can see this list."))


def picking_list(*, viewer: User | None, round: GroupBuyRound, community: Community) -> list[PickingRow]:
    """The round's non-cancelled orders picked up in `community`, by order number: buyer, items
    × quantity, total, paid or not. Two queries (orders with buyer and payment, their items)."""
    picking_list_access(viewer=viewer, round=round, community=community)
    orders = (Order.objects.filter(round=round, pickup_community=community)
              .exclude(status=OrderStatus.CANCELLED)
              .select_related("buyer").prefetch_related("items")
              .annotate(paid=Exists(Payment.objects.filter(order=OuterRef("pk"))))
              .order_by("pk"))
    return [PickingRow(order_id=o.pk, buyer=str(o.buyer),
                       items="; ".join(f"{i.product_name} × {i.quantity} {i.unit}" for i in o.items.all()),
                       total=o.total, paid=o.paid, status=str(o.get_status_display()))
            for o in orders]
