"""A product's demand in its past group-buy rounds, by community, and the forecast for its next
round (the maths is `villages.forecasting`, plain Python)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from synergy.core.models import User
from villages import forecasting
from villages.forecasting import Forecast
from villages.models import (
    GroupBuyRound,
    OrderItem,
    OrderStatus,
    Product,
    RoundPickup,
    RoundProduct,
    RoundStatus,
)
from villages.selectors._common import require_coordinator

# Rounds whose demand says nothing about the next one: cancelled by hand, or closed short of
# the threshold (their orders were all cancelled, so they would count as zero demand).
NOT_COUNTED = [RoundStatus.CANCELLED, RoundStatus.FAILED]


@dataclass
class DemandRound:
    round_id: int
    title: str
    cutoff_at: dt.datetime
    delivery_date: dt.date
    units: dict[int, int]        # community id -> units of the product (0 for a pickup without)
    total: int


@dataclass
class ProductDemand:
    product: Product
    rounds: list[DemandRound]                 # past rounds, oldest cut-off first
    communities: list[dict]                   # {"community_id", "name"}, by name
    target: dt.date                           # the day the forecast is for
    next_round: GroupBuyRound | None          # the open round offering the product, if any
    forecast: Forecast
    community_forecasts: dict[int, Forecast] = field(default_factory=dict)

    def community_rows(self) -> list[dict]:
        """Per community: its name, units in each past round (in `rounds` order), its forecast."""
        return [{**c, "units": [r.units.get(c["community_id"]) for r in self.rounds],
                 "forecast": self.community_forecasts[c["community_id"]]}
                for c in self.communities]


def forecast_method_label(forecast: Forecast) -> str:
    """The forecast's method in words, in the reader's language."""
    n = forecast.rounds_used
    if forecast.method == forecasting.SEASONAL:
        if forecast.season == forecasting.MONTH:
            return ngettext("seasonal average of %(n)d round in the same month of earlier years",
                            "seasonal average of %(n)d rounds in the same month of earlier years",
                            n) % {"n": n}
        return ngettext("seasonal average of %(n)d round in the same quarter of earlier years",
                        "seasonal average of %(n)d rounds in the same quarter of earlier years",
                        n) % {"n": n}
    if forecast.method == forecasting.RECENT:
        return ngettext("average of the last %(n)d round", "average of the last %(n)d rounds",
                        n) % {"n": n}
    return _("no past round to go on")


def product_demand_for_coordinator(*, viewer: User, product: Product,
                                   season: str = forecasting.QUARTER) -> ProductDemand:
    """Past rounds of `product` (rounds of its village that offered it or took orders for it,
    cut off already, not cancelled and not failed) with the units per pickup community from
    their non-cancelled orders, and the seasonal-average forecast for the next round, overall
    and per community. The village's coordinators only (NotAllowed otherwise).

    The next round is the earliest open round offering the product; the forecast is for its
    cut-off day, or for today if there is none. Queries: the coordinator check, the rounds with
    their pickups (2), the units (1), the next round (1)."""
    require_coordinator(user=viewer, village=product.village_id,
                        message=_("Only this village's coordinators can see its products' demand."))
    now = timezone.now()
    offered = RoundProduct.objects.filter(product=product).values("round_id")
    ordered = OrderItem.objects.filter(product=product).values("order__round_id")
    rounds = list(
        GroupBuyRound.objects.filter(village_id=product.village_id, cutoff_at__lte=now)
        .filter(Q(pk__in=offered) | Q(pk__in=ordered)).exclude(status__in=NOT_COUNTED)
        .prefetch_related(Prefetch("pickups", queryset=RoundPickup.objects.select_related(
            "community"))).order_by("cutoff_at", "id"))
    cells = (OrderItem.objects.filter(product=product, order__round__in=[r.pk for r in rounds])
             .exclude(order__status=OrderStatus.CANCELLED)
             .values("order__round_id", "order__pickup_community_id",
                     "order__pickup_community__name")
             .annotate(units=Sum("quantity")).order_by())
    names: dict[int, str] = {}
    units: dict[int, dict[int, int]] = {r.pk: {} for r in rounds}
    for r in rounds:
        for p in r.pickups.all():
            names[p.community_id] = p.community.name
            units[r.pk][p.community_id] = 0
    for c in cells:
        names[c["order__pickup_community_id"]] = c["order__pickup_community__name"]
        units[c["order__round_id"]][c["order__pickup_community_id"]] = c["units"]
    past = [DemandRound(round_id=r.pk, title=r.title, cutoff_at=r.cutoff_at,
                        delivery_date=r.delivery_date, units=units[r.pk],
                        total=sum(units[r.pk].values())) for r in rounds]

    next_round = (GroupBuyRound.objects.filter(status=RoundStatus.OPEN, cutoff_at__gt=now,
                                               offers__product=product)
                  .order_by("cutoff_at", "id").first())
    target = timezone.localdate(next_round.cutoff_at if next_round else now)
    when = {r.round_id: timezone.localdate(r.cutoff_at) for r in past}
    overall = forecasting.forecast_next_round([(when[r.round_id], r.total) for r in past],
                                              target=target, season=season)
    communities = sorted(({"community_id": pk, "name": name} for pk, name in names.items()),
                         key=lambda c: (c["name"], c["community_id"]))
    per_community = {
        c["community_id"]: forecasting.forecast_next_round(
            [(when[r.round_id], r.units[c["community_id"]]) for r in past
             if c["community_id"] in r.units], target=target, season=season)
        for c in communities}
    return ProductDemand(product=product, rounds=past, communities=communities, target=target,
                         next_round=next_round, forecast=overall,
                         community_forecasts=per_community)
