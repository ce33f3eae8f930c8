"""Every read of the village node that a page, the API or another app uses.

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
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from synergy.core import selectors as core_selectors
from synergy.core.models import Community, MembershipStatus, Pairing, Role, User, Village
from villages.models import (
    OVERNIGHT_KINDS,
    RELEASED_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    GroupBuyRound,
    ListingStatus,
    OfferDay,
    Order,
    OrderItem,
    OrderStatus,
    Product,
    ProductPhoto,
    RoundPickup,
    RoundStatus,
    TourismOffer,
    TourismOfferPhoto,
    VillageIndustry,
    VillagePhoto,
)

# --- Villages --------------------------------------------------------------------------------


def village_list(*, region: str = "", industry: str = "", search: str = "") -> QuerySet[Village]:
    """Villages with profile and industries loaded (3 queries for a page: villages, industries,
    photos). `region` matches the province, prefecture city or district."""
    qs = Village.objects.select_related("profile").prefetch_related(
        "industries",
        Prefetch("photos", queryset=VillagePhoto.objects.order_by("position", "id")),
    )
    if region:
        qs = qs.filter(Q(province=region) | Q(prefecture_city=region) | Q(district=region))
    if industry:
        qs = qs.filter(Exists(VillageIndustry.objects.filter(village=OuterRef("pk"),
                                                             industry=industry)))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search)
                       | Q(profile__specialities__icontains=search))
    return qs.order_by("name")


def village_regions() -> list[str]:
    """Districts and counties that have villages (the region filter's choices)."""
    return list(Village.objects.order_by("district").values_list("district", flat=True).distinct())


def village_get(*, slug: str) -> Village:
    return village_list().get(slug=slug)


def village_coordinators(*, village: Village) -> QuerySet[User]:
    return User.objects.filter(
        memberships__village=village, memberships__role=Role.COORDINATOR,
        memberships__status=MembershipStatus.ACTIVE,
    ).order_by("display_name", "username").distinct()


# --- Products --------------------------------------------------------------------------------

PRODUCT_ORDERINGS = {
    "price": ("price", "id"), "-price": ("-price", "-id"),
    "name": ("name", "id"), "-name": ("-name", "-id"),
    "newest": ("-created_at", "-id"), "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"), "stock": ("stock", "id"), "-stock": ("-stock", "-id"),
}


def _photos_prefetch(model) -> Prefetch:
    return Prefetch("photos", queryset=model.objects.order_by("position", "id"))


def product_list(
    *, viewer: User | None = None, village: Village | int | None = None, category: str = "",
    search: str = "", min_price: Decimal | None = None, max_price: Decimal | None = None,
    in_stock: bool | None = None, ordering: str = "", statuses=(ListingStatus.PUBLISHED,),
) -> QuerySet[Product]:
    """Products with village and photos loaded: two queries per page, whatever its size
    (products joined to villages; photos), plus the count when paginated."""
    qs = (Product.objects.filter(status__in=list(statuses)).select_related("village")
          .prefetch_related(_photos_prefetch(ProductPhoto)))
    if village is not None:
        qs = qs.filter(village=village)
    if category:
        qs = qs.filter(category=category)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search)
                       | Q(village__name__icontains=search))
    if min_price is not None:
        qs = qs.filter(price__gte=min_price)
    if max_price is not None:
        qs = qs.filter(price__lte=max_price)
    if in_stock is True:
        qs = qs.filter(stock__gt=0)
    elif in_stock is False:
        qs = qs.filter(stock=0)
    return qs.order_by(*PRODUCT_ORDERINGS.get(ordering, ("-created_at", "-id")))


def product_get_for_viewer(*, viewer: User, pk: int) -> Product:
    """A published product, or any product of a village the viewer coordinates (or admin)."""
    product = product_list(statuses=ListingStatus.values).get(pk=pk)
    if product.status != ListingStatus.PUBLISHED and not core_selectors.user_coordinates_village(
            user=viewer, village=product.village_id):
        raise Product.DoesNotExist
    return product


def moderation_queue() -> dict[str, QuerySet]:
    return {
        "products": product_list(statuses=[ListingStatus.PENDING]).order_by("updated_at", "id"),
        "offers": offer_list(statuses=[ListingStatus.PENDING]).order_by("created_at", "id"),
    }


# --- Rounds ----------------------------------------------------------------------------------


def round_list(*, village: Village | int | None = None, community: Community | int | None = None,
               open_only: bool = False) -> QuerySet[GroupBuyRound]:
    qs = GroupBuyRound.objects.select_related("village").prefetch_related(
        Prefetch("pickups", queryset=RoundPickup.objects.select_related("community")))
    if village is not None:
        qs = qs.filter(village=village)
    if community is not None:
        qs = qs.filter(pickups__community=community)
    if open_only:
        qs = qs.filter(status=RoundStatus.OPEN, cutoff_at__gt=timezone.now())
    return qs.order_by("cutoff_at", "id")


def round_open_for_resident(*, user: User) -> list[GroupBuyRound]:
    """Open rounds that deliver to any community the user lives in."""
    communities = core_selectors.communities_of_user(user=user).values("pk")
    return list(round_list(open_only=True).filter(pickups__community__in=communities).distinct())


@dataclass
class RoundDemand:
    products: list[dict]        # product_id, name, unit, quantity, amount
    communities: list[dict]     # community_id, name, orders, amount
    cells: dict                 # (product_id, community_id) -> quantity
    orders: int
    amount: Decimal


def round_demand(*, round: GroupBuyRound) -> RoundDemand:
    """Demand totals of a round per product and per community (2 aggregate queries)."""
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


# --- Orders ----------------------------------------------------------------------------------


def _order_qs() -> QuerySet[Order]:
    return Order.objects.select_related("village", "pickup_community", "round", "payment",
                                        "payment__refunded_by", "buyer").prefetch_related("items")


def order_list_for_buyer(*, buyer: User) -> QuerySet[Order]:
    return _order_qs().filter(buyer=buyer).order_by("-created_at", "-id")


def order_list_for_village(*, village: Village | int, status: str = "",
                           round: GroupBuyRound | int | None = None) -> QuerySet[Order]:
    qs = _order_qs().filter(village=village)
    if status:
        qs = qs.filter(status=status)
    if round is not None:
        qs = qs.filter(round=round)
    return qs.order_by("-created_at", "-id")


def order_get_for_user(*, user: User, pk: int) -> Order:
    """The buyer's own order, or an order of a village the user coordinates; else DoesNotExist."""
    order = _order_qs().prefetch_related("history__changed_by").get(pk=pk)
    if order.buyer_id != user.pk and not core_selectors.user_coordinates_village(
            user=user, village=order.village_id):
        raise Order.DoesNotExist
    return order


# --- Tourism ---------------------------------------------------------------------------------


def offer_list(*, village: Village | int | None = None, kind: str = "",
               statuses=(ListingStatus.PUBLISHED,)) -> QuerySet[TourismOffer]:
    qs = (TourismOffer.objects.filter(status__in=list(statuses)).select_related("village")
          .prefetch_related(_photos_prefetch(TourismOfferPhoto)))
    if village is not None:
        qs = qs.filter(village=village)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("village__name", "title", "id")


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


def offer_get_for_viewer(*, viewer: User, pk: int) -> TourismOffer:
    offer = offer_list(statuses=ListingStatus.values).get(pk=pk)
    if offer.status != ListingStatus.PUBLISHED and not core_selectors.user_coordinates_village(
            user=viewer, village=offer.village_id):
        raise TourismOffer.DoesNotExist
    return offer


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    capacity: int
    booked: int

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)

    @property
    def full(self) -> bool:
        return self.remaining == 0


def offer_calendar(*, offer: TourismOffer, start: dt.date | None = None, days: int = 35) -> list[CalendarDay]:
    """Availability per date from `start` (default today) for `days` days. One query."""
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=days)
    stored = {d.date: d for d in OfferDay.objects.filter(offer=offer, date__gte=start, date__lt=end)}
    result = []
    for i in range(days):
        date = start + dt.timedelta(days=i)
        row = stored.get(date)
        result.append(CalendarDay(date=date, capacity=row.capacity if row else offer.capacity,
                                  booked=row.booked if row else 0))
    return result


def offers_on_date(*, offers: list[TourismOffer], date: dt.date) -> dict[int, int]:
    """Places left per offer on one date (one query for all offers)."""
    stored = dict(OfferDay.objects.filter(offer__in=offers, date=date)
                  .values_list("offer_id", F("capacity") - F("booked")))
    return {o.pk: max(0, stored.get(o.pk, o.capacity)) for o in offers}


def booking_list_for_guest(*, guest: User) -> QuerySet[Booking]:
    return (Booking.objects.filter(guest=guest).select_related("offer__village", "guest")
            .order_by("-start_date", "-id"))


def booking_list_for_village(*, village: Village | int) -> QuerySet[Booking]:
    return (Booking.objects.filter(offer__village=village).select_related("offer", "guest")
            .order_by("start_date", "id"))


def booking_holds_for_village(*, village: Village | int) -> QuerySet[Booking]:
    """Unconfirmed requests still holding places, soonest expiry first, with the holder."""
    return (Booking.objects.filter(offer__village=village, status=BookingStatus.REQUESTED,
                                   hold_expires_at__gt=timezone.now())
            .select_related("offer", "guest").order_by("hold_expires_at", "id"))


def booking_get_for_user(*, user: User, pk: int) -> Booking:
    booking = Booking.objects.select_related("offer__village", "guest").get(pk=pk)
    if booking.guest_id != user.pk and not core_selectors.user_coordinates_village(
            user=user, village=booking.offer.village_id):
        raise Booking.DoesNotExist
    return booking


# --- Coordinator ----------------------------------------------------------------------------


def coordinated_villages(*, user: User) -> QuerySet[Village]:
    """Villages the user coordinates (administrators: all of them)."""
    if core_selectors.user_is_platform_admin(user=user):
        return Village.objects.order_by("name")
    return core_selectors.villages_of_user(user=user, role=Role.COORDINATOR).order_by("name")


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


# --- Cart and checkout (pages) ----------------------------------------------------------------


@dataclass
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return (self.product.price * self.quantity).quantize(Decimal("0.01"))


def cart_lines(*, cart: dict[str, int]) -> list[CartLine]:
    """The cart's products (published ones only), in one query. Totals here are a preview; the
    order service computes the real ones."""
    ids = [int(k) for k in cart if str(k).isdigit()]
    products = Product.objects.filter(pk__in=ids, status=ListingStatus.PUBLISHED).select_related(
        "village").order_by("name")
    return [CartLine(product=p, quantity=int(cart[str(p.pk)])) for p in products]


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
