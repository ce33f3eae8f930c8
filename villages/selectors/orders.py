"""Reads of orders, the cart and checkout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.filters import apply_filters
from synergy.core.models import Community, User, Village
from villages.models import GroupBuyRound, Order, PaymentClaim, RoundPickup, RoundStatus
from villages.selectors._common import get_or_404, require_coordinator, require_login
from villages.selectors.filters import OrderFilter


def _order_qs() -> QuerySet[Order]:
    return Order.objects.select_related("village", "pickup_community", "round", "payment",
                                        "payment__refunded_by", "buyer",
                                        "village__payment_instructions").prefetch_related("items")


def order_list_for_buyer(*, buyer: User | None) -> QuerySet[Order]:
    """The caller's own orders, newest first; NotAllowed for an anonymous caller."""
    require_login(buyer)
    return _order_qs().filter(buyer=buyer).order_by("-created_at", "-id")


def order_list_for_village(*, viewer: User | None, village: Village | int,
                           filters: Mapping | None = None) -> QuerySet[Order]:
    """A village's orders for its coordinators (NotAllowed for anyone else), newest first,
    narrowed by `filters` (OrderFilter: status, round)."""
    require_coordinator(user=viewer, village=village,
                        message=_("Only this village's coordinators can see its orders."))
    qs = _order_qs().filter(village=village).order_by("-created_at", "-id")
    return apply_filters(OrderFilter, filters, qs)


def order_get_for_user(*, user: User | None, pk: int) -> Order:
    """The buyer's own order, or an order of a village the user coordinates, with its history;
    NotAllowed for an anonymous caller, Http404 for anyone else (an order's existence is not
    revealed)."""
    require_login(user)
    order = get_or_404(_order_qs().select_related("payment__recorded_by", "collected_by")
                       .prefetch_related("history__changed_by", Prefetch(
                           "payment_claims", queryset=PaymentClaim.objects.select_related(
                               "claimed_by", "decided_by"))), pk=pk)
    if order.buyer_id != user.pk and not core_selectors.user_coordinates_village(
            user=user, village=order.village_id):
        raise Http404
    return order


# --- Cart and checkout (pages) ----------------------------------------------------------------


@dataclass(frozen=True)
class PickupOption:
    value: str
    community: Community
    round: GroupBuyRound | None
    pickup_point: str


def checkout_options(*, user: User, village_id: int) -> list[PickupOption]:
    """Where the buyer can pick up an order from this village: each open round of the village
    that delivers to one of their communities, and plain pickup in each paired community."""
    communities = list(core_selectors.communities_of_user(user=user).filter(
        pairings__village_id=village_id, pairings__active=True).order_by("name"))
    if not communities:
        return []
    pickups = (RoundPickup.objects.filter(
        community__in=communities, round__village_id=village_id, round__status=RoundStatus.OPEN,
        round__cutoff_at__gt=timezone.now()).select_related("round", "community")
        .order_by("round__cutoff_at", "community__name"))
    options = [PickupOption(f"c{p.community_id}-r{p.round_id}", p.community, p.round, p.pickup_point)
               for p in pickups]
    options += [PickupOption(f"c{c.pk}-r0", c, None, c.address or c.name) for c in communities]
    return options
