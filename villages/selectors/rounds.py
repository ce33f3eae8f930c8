"""Reads of group-buy rounds and their demand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.filters import apply_filters
from synergy.core.models import User, Village
from villages.models import (
    GroupBuyRound,
    Order,
    OrderItem,
    OrderStatus,
    RoundPickup,
    RoundProduct,
    RoundStatus,
)
from villages.selectors._common import get_or_404, require_coordinator
from villages.selectors.filters import RoundFilter


def round_list(*, filters: Mapping | None = None, village: Village | int | None = None,
               open_only: bool = False, statuses=None) -> QuerySet[GroupBuyRound]:
    """Rounds with village, pickups and offers (with their products) loaded and `units_ordered`
    annotated (a subquery), soonest cut-off first, narrowed by `filters` (RoundFilter: village,
    community, open). Each round once, without DISTINCT: three queries for any number."""
    qs = (GroupBuyRound.objects.select_related("village")
          .annotate(units_ordered=_units_ordered())
          .prefetch_related(
              Prefetch("pickups", queryset=RoundPickup.objects.select_related("community")),
              Prefetch("offers", queryset=RoundProduct.objects.select_related("product")
                       .order_by("id"))))
    if village is not None:
        qs = qs.filter(village=village)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if open_only:
        qs = qs.filter(status=RoundStatus.OPEN, cutoff_at__gt=timezone.now())
    return apply_filters(RoundFilter, filters, qs.order_by("cutoff_at", "id"))


def _units_ordered():
    """Units of a round's non-cancelled orders (the contract's `units_ordered`), 0 for none."""
    units = (OrderItem.objects.filter(order__round=OuterRef("pk"))
             .exclude(order__status=OrderStatus.CANCELLED)
             .values("order__round").annotate(n=Sum("quantity")).values("n")[:1])
    return Coalesce(Subquery(units), 0)


def round_get_public(*, pk: int) -> GroupBuyRound:
    """Any round, for its public page (Http404 if none)."""
    return get_or_404(round_list(), pk=pk)


def round_list_for_resident(*, user: User) -> QuerySet[GroupBuyRound]:
    """Open rounds still taking orders that deliver to one of the user's communities."""
    communities = core_selectors.communities_of_user(user=user).values("pk")
    return round_list(open_only=True).filter(Exists(RoundPickup.objects.filter(
        round=OuterRef("pk"), community__in=communities)))


def open_offers_by_product(*, product_ids) -> dict[int, RoundProduct]:
    """{product id: its offer in a round still taking orders (the soonest cut-off)}: one query,
    for the catalogue's "group buy" badges."""
    offers = (RoundProduct.objects.select_related("round")
              .filter(product_id__in=list(product_ids), round__status=RoundStatus.OPEN,
                      round__cutoff_at__gt=timezone.now())
              .order_by("-round__cutoff_at", "-id"))
    return {o.product_id: o for o in offers}  # the last written wins: the soonest cut-off


def round_get_for_coordinator(*, user: User, pk: int) -> GroupBuyRound:
    """A round for its village's back office: Http404 if none, NotAllowed otherwise."""
    round_ = get_or_404(round_list(), pk=pk)
    require_coordinator(user=user, village=round_.village_id,
                        message=_("Only this village's coordinators can manage its rounds."))
    return round_


@dataclass
class RoundDemand:
    products: list[dict]        # product_id, name, unit, quantity, amount
    communities: list[dict]     # community_id, name, orders, amount
    cells: dict                 # (product_id, community_id) -> quantity
    orders: int
    amount: Decimal


def round_demand(*, viewer: User, round: GroupBuyRound) -> RoundDemand:
    """Demand totals of a round per product and per community (2 aggregate queries), for the
    village's coordinators only (NotAllowed otherwise)."""
    require_coordinator(user=viewer, village=round.village_id,
                        message=_("Only this village's coordinators can see the round's demand."))
    live = ~Q(order__status=OrderStatus.CANCELLED)
    rows = (OrderItem.objects.filter(live, order__round=round)
            .values("product_id", "product_name", "unit", "order__pickup_community_id",
                    "order__pickup_community__name")
            .annotate(quantity=Sum("quantity"), amount=Sum("line_total"))
            .order_by("product_name", "order__pickup_community__name"))
    per_community = (Order.objects.filter(round=round).exclude(status=OrderStatus.CANCELLED)
                     .values("pickup_community_id", "pickup_community__name")
                     .annotate(orders=Count("id"), amount=Sum("total"))
                     .order_by("pickup_community__name"))
    products: dict[int, dict] = {}
    cells = {}
    for r in rows:
        p = products.setdefault(r["product_id"], {"product_id": r["product_id"], "name":
                                r["product_name"], "unit": r["unit"], "quantity": 0,
                                "amount": Decimal("0")})
        p["quantity"] += r["quantity"]
        p["amount"] += r["amount"]
        cells[(r["product_id"], r["order__pickup_community_id"])] = r["quantity"]
    communities = [{"community_id": c["pickup_community_id"], "name": c["pickup_community__name"],
                    "orders": c["orders"], "amount": c["amount"]} for c in per_community]
    return RoundDemand(products=list(products.values()), communities=communities, cells=cells,
                       orders=sum(c["orders"] for c in communities),
                       amount=sum((c["amount"] for c in communities), Decimal("0")))
