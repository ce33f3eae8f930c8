"""Demo history of group buying: the home village's past rounds, one a quarter over the last two
years, delivered and collected, so a product's "Demand and harvest plan" page has something to
show (called by `villages.demo.seed`).

The past cannot go through the services (they refuse a cut-off in the past), so these rows are
written directly, as a record of what happened: rounds delivered, orders collected (so they
hold no open pickup code), stock untouched. Buyers are a few neighbours in each paired
community. Idempotent: nothing is written if the village has a round with `HISTORY_NOTE`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from synergy.core import services as core_services
from synergy.core.demo import DEMO_PASSWORD
from synergy.core.models import Membership, Pairing, Role
from villages.models import (
    GroupBuyRound,
    OrderItem,
    OrderStatus,
    Product,
    RoundPickup,
    RoundProduct,
    RoundStatus,
)
from villages.services.pickup_codes import order_create_with_pickup_code

HISTORY_NOTE = "往期团购（演示数据）"
QUARTERS_BACK = 8
# Units a round of each product asks for in the first community, by calendar quarter (1-4).
SEASONAL_UNITS = {
    "呈贡宝珠梨": {1: 6, 2: 4, 3: 16, 4: 12},
    "古法梨膏": {1: 9, 2: 5, 3: 4, 4: 10},
    "梨花蜜": {1: 4, 2: 10, 3: 6, 4: 5},
}
COMMUNITY_SHARE = [Decimal("1"), Decimal("0.6"), Decimal("0.8")]  # by community, in world order
NEIGHBOURS = 2  # demo buyers per community


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 10)


def _neighbours(community, index: int) -> list:
    users = []
    for n in range(1, NEIGHBOURS + 1):
        username = f"neighbour-{index + 1}-{n}"
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = get_user_model()(username=username, display_name=f"{community.name}邻居{n}",
                                    email=f"{username}@example.com")
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not Membership.objects.filter(user=user, community=community).exists():
            core_services.membership_grant(granted_by=None, user=user, role=Role.RESIDENT,
                                           community=community, unit=f"{n}栋10{n}")
        users.append(user)
    return users


@transaction.atomic
def seed_history(world) -> None:
    home = world.village
    if GroupBuyRound.objects.filter(village=home, note=HISTORY_NOTE).exists():
        return
    products = list(Product.objects.filter(village=home, name__in=SEASONAL_UNITS))
    communities = [c for c in world.communities
                   if Pairing.objects.filter(community=c, village=home).exists()]
    pairings = {p.community_id: p for p in Pairing.objects.filter(village=home)}
    buyers = {c.pk: _neighbours(c, i) for i, c in enumerate(communities)}
    coordinator = world.users["coordinator"]
    today = timezone.localdate()
    for k in range(QUARTERS_BACK, 0, -1):
        day = _months_back(today, 3 * k)
        quarter = (day.month - 1) // 3 + 1
        growth = Decimal("1.2") if k <= 4 else Decimal("1")  # the second year sells more
        cutoff = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 20, 0))
        delivered = cutoff + dt.timedelta(days=2)
        round_ = GroupBuyRound.objects.create(
            village=home, title=f"宝珠梨团购（{day.year}年{day.month}月）", note=HISTORY_NOTE,
            cutoff_at=cutoff, delivery_date=delivered.date(), status=RoundStatus.DELIVERED,
            opened_by=coordinator, delivered_by=coordinator, delivered_at=delivered,
            closed_at=cutoff)
        GroupBuyRound.objects.filter(pk=round_.pk).update(created_at=cutoff - dt.timedelta(days=7))
        RoundPickup.objects.bulk_create([RoundPickup(round=round_, community=c,
                                                     pickup_point=f"{c.name}物业服务中心")
                                         for c in communities])
        prices = {p.pk: (p.price * Decimal("0.9")).quantize(Decimal("0.01")) for p in products}
        RoundProduct.objects.bulk_create([RoundProduct(round=round_, product=p,
                                                       group_price=prices[p.pk])
                                          for p in products])
        for ci, community in enumerate(communities):
            share = COMMUNITY_SHARE[ci % len(COMMUNITY_SHARE)] * growth
            for bi, buyer in enumerate(buyers[community.pk]):
                lines = []
                for p in products:
                    units = int(SEASONAL_UNITS[p.name][quarter] * share)
                    mine = units // NEIGHBOURS + (units % NEIGHBOURS if bi == 0 else 0)
                    if mine:
                        lines.append((p, mine))
                if not lines:
                    continue
                placed = cutoff - dt.timedelta(days=3, hours=bi)
                order = order_create_with_pickup_code(
                    buyer=buyer, village=home, pickup_community=community,
                    pairing=pairings[community.pk], round=round_,
                    pickup_point=f"{community.name}物业服务中心", status=OrderStatus.COLLECTED,
                    total=sum((prices[p.pk] * q for p, q in lines), Decimal("0")),
                    created_at=placed, collected_at=delivered + dt.timedelta(hours=5))
                OrderItem.objects.bulk_create([
                    OrderItem(order=order, product=p, product_name=p.name, unit=p.unit,
                              quantity=q, unit_price=prices[p.pk], line_total=prices[p.pk] * q)
                    for p, q in lines])
