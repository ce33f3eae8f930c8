"""What the village node shows to other apps: the rural channel of a community, the stays beside
its housing, the ledger of a pairing and the analytics bridge's yearly flows.

Other apps call `channel_feed` (the community page's rural channel), `stay_list_for_community`
(stays beside its housing), `pairing_flows` (the public ledger of a pairing) and
`flows_city_year` (the analytics bridge, through the exchange); each runs a constant number of
queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.storage import default_storage
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from synergy.core.models import Community, Pairing, Village
from villages.models import (
    OVERNIGHT_KINDS,
    RELEASED_BOOKING_STATUSES,
    Booking,
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderStatus,
    Product,
    ProductPhoto,
    RoundPickup,
    RoundStatus,
    TourismOffer,
    TourismOfferPhoto,
)

# --- For other apps: the rural channel and the ledger of a pairing ----------------------------


@dataclass(frozen=True)
class FeedItem:
    kind: str                   # "round", "product" or "offer" (the exchange adds "campaign",
                                # "need", "event" in villages.exchange.selectors.channel_feed)
    id: int
    title: str
    village_id: int
    village_name: str
    village_slug: str
    closes_at: dt.datetime | None   # rounds: the order cut-off; None for products and offers
                                    # (campaigns: deadline; needs: next open slot; events: start)
    price: Decimal | None
    unit: str
    detail: str                 # the pickup point (rounds), the offer kind, the product category
    thumbnail: str              # storage name of the first photo's thumbnail, "" if none
    created_at: dt.datetime | None = None   # orders the items that do not close, newest first

    @property
    def url(self) -> str:
        """The public page of the item (a round shows on its village's page)."""
        if self.kind == "product":
            return reverse("villages:product_detail", args=[self.id])
        if self.kind == "offer":
            return reverse("villages:offer_detail", args=[self.id])
        return reverse("villages:village_detail", args=[self.village_slug])

    @property
    def thumbnail_url(self) -> str:
        return default_storage.url(self.thumbnail) if self.thumbnail else ""


FEED_KINDS = ("round", "product", "offer")


def feed_sort_key(item: FeedItem) -> tuple:
    """Closing-soonest first; items that do not close after them, newest first. Every feed that
    is merged with this one (the exchange's) sorts by the same key, so a merge of each feed's
    first `limit` items, sorted again and cut to `limit`, is the first `limit` of the union."""
    if item.closes_at is not None:
        return (0, item.closes_at.timestamp(), item.kind, item.id)
    created = item.created_at.timestamp() if item.created_at else 0.0
    return (1, -created, item.kind, -item.id)


def feed_scope(*, community_id: int, village=None, villages=None, field: str = "village") -> Q:
    """The villages a community's channel may show: actively paired ones, narrowed to one
    `village` and/or to `villages` (ids or a values() subquery, e.g. those a person follows)."""
    scope = Q(**{f"{field}__in": Pairing.objects.filter(community_id=community_id, active=True)
                 .values("village_id")})
    if village is not None:
        scope &= Q(**{field: village})
    if villages is not None:
        scope &= Q(**{f"{field}__in": villages})
    return scope


def _first_thumb(model, fk: str):
    return Subquery(model.objects.filter(**{fk: OuterRef("pk")}).order_by("position", "id")
                    .values("thumbnail")[:1])


def channel_feed(
    *, community: Community | int, kinds: tuple[str, ...] | list[str] | None = None,
    village: Village | int | None = None, villages=None, limit: int = 20,
) -> list[FeedItem]:
    """The rural channel of a community: open group-buy rounds delivering there, and published
    products and tourism offers of its paired villages; closing-soonest first (rounds by
    cut-off, then the rest newest first, see `feed_sort_key`). `villages` narrows to a set of
    village ids (or a subquery of them). At most one query per kind, however many villages."""
    kinds = tuple(kinds or FEED_KINDS)
    community_id = community.pk if isinstance(community, Community) else int(community)
    scope = feed_scope(community_id=community_id, village=village, villages=villages)
    items: list[FeedItem] = []
    if "round" in kinds:
        pickup = RoundPickup.objects.filter(round=OuterRef("pk"), community_id=community_id)
        rounds = (GroupBuyRound.objects.filter(scope, status=RoundStatus.OPEN,
                                               cutoff_at__gt=timezone.now())
                  .filter(Exists(pickup))
                  .annotate(pickup_point=Subquery(pickup.values("pickup_point")[:1]),
                            vname=F("village__name"), vslug=F("village__slug"))
                  .order_by("cutoff_at", "id")[:limit])
        items += [FeedItem("round", r.pk, r.title, r.village_id, r.vname, r.vslug, r.cutoff_at,
                           None, "", r.pickup_point, "", r.created_at) for r in rounds]
    if "product" in kinds:
        products = (Product.objects.filter(scope, status=ListingStatus.PUBLISHED, stock__gt=0)
                    .annotate(vname=F("village__name"), vslug=F("village__slug"),
                              thumb=_first_thumb(ProductPhoto, "product"))
                    .order_by("-created_at", "-id")[:limit])
        items += [FeedItem("product", p.pk, p.name, p.village_id, p.vname, p.vslug, None, p.price,
                           p.unit, p.get_category_display(), p.thumb or "", p.created_at)
                  for p in products]
    if "offer" in kinds:
        offers = (TourismOffer.objects.filter(scope, status=ListingStatus.PUBLISHED)
                  .annotate(vname=F("village__name"), vslug=F("village__slug"),
                            thumb=_first_thumb(TourismOfferPhoto, "offer"))
                  .order_by("-created_at", "-id")[:limit])
        items += [FeedItem("offer", o.pk, o.title, o.village_id, o.vname, o.vslug, None, o.price,
                           "", o.get_kind_display(), o.thumb or "", o.created_at)
                  for o in offers]
    items.sort(key=feed_sort_key)
    return items[:limit]


@dataclass(frozen=True)
class PairingFlow:
    community_id: int
    village_id: int
    orders: int
    amount: Decimal             # CNY of non-cancelled orders picked up in the community
    bookings: int
    guest_nights: int
    refunds: int = 0
    refunded: Decimal = Decimal("0.00")  # CNY refunded on paid orders the village cancelled


def pairing_flows(*, community: Community | int | None = None,
                  village: Village | int | None = None) -> list[PairingFlow]:
    """What flowed through each (community, village) pair: produce bought and stays booked.

    Two aggregate queries (orders; bookings), whatever the number of pairs.
    """
    orders = Order.objects.all()
    bookings = (Booking.objects.exclude(status__in=RELEASED_BOOKING_STATUSES)
                .filter(community__isnull=False))
    if community is not None:
        orders = orders.filter(pickup_community=community)
        bookings = bookings.filter(community=community)
    if village is not None:
        orders = orders.filter(village=village)
        bookings = bookings.filter(offer__village=village)
    totals: dict[tuple[int, int], dict] = defaultdict(
        lambda: {"orders": 0, "amount": Decimal("0.00"), "bookings": 0, "guest_nights": 0,
                 "refunds": 0, "refunded": Decimal("0.00")})
    live = ~Q(status=OrderStatus.CANCELLED)
    for row in (orders.values("pickup_community_id", "village_id")
                .annotate(n=Count("id", filter=live), amount=Sum("total", filter=live),
                          refunds=Count("payment__refund_amount"),
                          refunded=Sum("payment__refund_amount")).order_by()):
        if not (row["n"] or row["refunds"]):
            continue  # only cancelled orders without refunds: nothing flowed
        t = totals[(row["pickup_community_id"], row["village_id"])]
        t["orders"] = row["n"]
        t["amount"] = Decimal(row["amount"] or 0).quantize(Decimal("0.01"))
        t["refunds"] = row["refunds"]
        t["refunded"] = Decimal(row["refunded"] or 0).quantize(Decimal("0.01"))
    for row in (bookings.values("community_id", "offer__village_id")
                .annotate(n=Count("id"), nights=Sum(F("guests") * F("nights"))).order_by()):
        t = totals[(row["community_id"], row["offer__village_id"])]
        t["bookings"], t["guest_nights"] = row["n"], row["nights"] or 0
    return [PairingFlow(community_id=c, village_id=v, **t) for (c, v), t in sorted(totals.items())]


def flows_city_year() -> list[dict]:
    """Produce bought and stays booked per prefecture city (of the community) and year, for the
    analytics bridge: {"prefecture_city", "year", "produce_value" (CNY, Decimal), "stays"
    (bookings), "guest_nights"}. Orders count in the year they were placed, stays in the year
    they start; cancelled ones do not count. Two grouped queries."""
    rows: dict[tuple[str, int], dict] = {}

    def row(city: str, year: int) -> dict:
        return rows.setdefault((city, year), {
            "prefecture_city": city, "year": year, "produce_value": Decimal("0.00"),
            "stays": 0, "guest_nights": 0})

    for g in (Order.objects.exclude(status=OrderStatus.CANCELLED)
              .annotate(year=ExtractYear("created_at"))
              .values("pickup_community__prefecture_city", "year")
              .annotate(v=Sum("total")).order_by()):
        row(g["pickup_community__prefecture_city"], g["year"])["produce_value"] += Decimal(
            g["v"] or 0).quantize(Decimal("0.01"))
    for g in (Booking.objects.exclude(status__in=RELEASED_BOOKING_STATUSES)
              .filter(community__isnull=False)
              .annotate(year=ExtractYear("start_date"))
              .values("community__prefecture_city", "year")
              .annotate(n=Count("id"), nights=Sum(F("guests") * F("nights"))).order_by()):
        r = row(g["community__prefecture_city"], g["year"])
        r["stays"] += g["n"]
        r["guest_nights"] += g["nights"] or 0
    return [rows[k] for k in sorted(rows)]


def stay_list_for_community(*, community: Community | int, limit: int = 12) -> list[TourismOffer]:
    """Published overnight stays (farm stays, leisure-pension stays) of the community's actively
    paired villages, for its housing page: cheapest first, each with `village` and `thumb_url`
    (the first photo's thumbnail, "" if none). One query."""
    community_id = community.pk if isinstance(community, Community) else int(community)
    stays = list(
        TourismOffer.objects.filter(feed_scope(community_id=community_id),
                                    status=ListingStatus.PUBLISHED, kind__in=list(OVERNIGHT_KINDS))
        .select_related("village").annotate(thumb=_first_thumb(TourismOfferPhoto, "offer"))
        .order_by("price", "id")[:limit])
    for stay in stays:
        stay.thumb_url = default_storage.url(stay.thumb) if stay.thumb else ""
    return stays
