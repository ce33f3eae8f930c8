"""Checkout: one order per village in one transaction, all or nothing, idempotent by key.

Every product of every village is locked in primary-key order (so two checkouts never wait on
each other in a cycle), stock is checked, then taken with conditional updates whose row counts
prove the units were there. A retried checkout (same buyer, same key) returns the orders of the
first one: the `checkout_key_unique_per_buyer` constraint holds that even for two at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Community, Pairing, User
from synergy.core.templatetags.synergy_format import format_money
from synergy.core.validators import money_fits
from villages import cache as page_cache
from villages.errors import OutOfStock, RoundClosed
from villages.models import (
    Checkout,
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderItem,
    OrderStatus,
    OrderStatusChange,
    Product,
    RoundPickup,
    RoundProduct,
)
from villages.notifications import tell_coordinators
from villages.services.pickup_codes import order_create_with_pickup_code

CENT = Decimal("0.01")
MAX_QUANTITY = 999
KEY_LENGTH = 64


def merge_items(items: Iterable[dict]) -> dict[int, int]:
    """{product_id: quantity} from [{product, quantity}], quantities of a repeated product summed."""
    merged: dict[int, int] = {}
    for item in items:
        product = item["product"]
        pid = product.pk if isinstance(product, Product) else int(product)
        qty = int(item["quantity"])
        if qty < 1 or qty > MAX_QUANTITY:
            raise Invalid(_("Each quantity must be between 1 and %(max)s.") % {"max": MAX_QUANTITY},
                          field="items")
        merged[pid] = merged.get(pid, 0) + qty
    if not merged:
        raise Invalid(_("Add at least one product."), field="items")
    return merged


def _as_rounds(round, rounds) -> dict[int, GroupBuyRound]:
    by_village: dict[int, GroupBuyRound] = {}
    for r in ([round] if round is not None else []) + list(rounds or ()):
        if r.village_id in by_village and by_village[r.village_id].pk != r.pk:
            raise Invalid(_("Only one round per village can be used in a checkout."), field="round")
        by_village[r.village_id] = r
    return by_village


def _existing(buyer: User, key: str) -> tuple[Checkout, list[Order]] | None:
    found = Checkout.objects.filter(buyer=buyer, key=key).first()
    if found is None:
        return None
    found.replayed = True
    return found, list(found.orders.order_by("village_id", "pk"))


def checkout_place(
    *, buyer: User, items: Iterable[dict], pickup_community: Community,
    round: GroupBuyRound | None = None, key: str = "", rounds: Iterable[GroupBuyRound] = (),
    one_village: bool = False,
) -> tuple[Checkout, list[Order]]:
    """Place one order per village of `items`, all in one transaction, or none of them.

    `round` (and `rounds`, one per village) applies to the items of its village: those must be
    among the round's offers and cost its group price. A repeated `key` returns the first
    checkout and its orders, with `checkout.replayed` set. `one_village`: refuse items of more
    than one village (Invalid), checked on the locked products. A new checkout's orders come with
    what OrderOutput shows (village, community, round, items), so nothing is read back. Raises
    OutOfStock / RoundClosed (409) naming the product or round, NotAllowed (403), Invalid (400,
    naming the field).
    """
    key = (key or "").strip()
    if len(key) > KEY_LENGTH:
        raise Invalid(_("The idempotency key is too long (at most %(n)s characters).")
                      % {"n": KEY_LENGTH}, field="key")
    if key and (done := _existing(buyer, key)) is not None:
        return done
    try:
        with transaction.atomic():
            return _place(buyer=buyer, wanted=merge_items(items), community=pickup_community,
                          rounds=_as_rounds(round, rounds), key=key or uuid.uuid4().hex,
                          one_village=one_village)
    except IntegrityError as exc:
        # Two requests with one key at once: the second waits on the unique index, then fails
        # here once the first committed; it answers with the first one's orders.
        if key and "checkout" in str(exc) and (done := _existing(buyer, key)) is not None:
            return done
        raise


def _place(*, buyer: User, wanted: dict[int, int], community: Community,
           rounds: dict[int, GroupBuyRound], key: str, one_village: bool
           ) -> tuple[Checkout, list[Order]]:
    if not core_selectors.user_is_resident_of(user=buyer, community=community):
        raise NotAllowed(_("Only residents of the pickup community can order for pickup there."))
    checkout = Checkout.objects.create(buyer=buyer, key=key)
    checkout.replayed = False

    # The rounds first, as `round_close` locks them (round, then products): an order placed at
    # the cut-off either commits before the close sees the round or finds it closed, never
    # lands "placed" in a round that already formed or failed. Read status and cut-off locked.
    if rounds:
        locked = {r.pk: r for r in GroupBuyRound.objects.select_for_update(no_key=True)
                  .filter(pk__in=[r.pk for r in rounds.values()]).order_by("pk")}
        rounds = {vid: locked[r.pk] for vid, r in rounds.items()}
    # Lock every product, across villages, in primary-key order.
    products = list(Product.objects.select_for_update(of=("self",))
                    .select_related("village", "village__payment_instructions")
                    .filter(pk__in=wanted).order_by("pk"))
    found = {p.pk for p in products}
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        raise Invalid(_("Product %(id)s does not exist.") % {"id": missing[0]}, field="items")
    for p in products:
        if p.status != ListingStatus.PUBLISHED:
            raise Invalid(_("%(name)s is no longer on sale; remove it to order the rest.")
                          % {"name": p.name}, field="items")

    by_village: dict[int, list[Product]] = {}
    for p in products:
        by_village.setdefault(p.village_id, []).append(p)
    if one_village and (len(by_village) > 1 or set(by_village) - set(rounds or by_village)):
        raise Invalid(_("Every product must come from the round's village.") if rounds else
                      _("One order holds products of one village; order the others separately."),
                      field="items")
    for vid, r in rounds.items():
        if vid not in by_village:
            raise Invalid(_("The round “%(round)s” has none of these products.") % {"round": r.title},
                          field="round")

    plans = []
    for vid in sorted(by_village):
        village = by_village[vid][0].village
        pairing = Pairing.objects.filter(community=community, village_id=vid, active=True).first()
        if pairing is None:
            raise Invalid(_("%(village)s is not paired with %(community)s: it cannot deliver "
                            "there.") % {"village": village.name, "community": community.name},
                          field="pickup_community")
        r = rounds.get(vid)
        prices = {p.pk: p.price for p in by_village[vid]}
        point = community.address or community.name
        if r is not None:
            if not r.accepting_orders:
                raise RoundClosed(_("The round “%(round)s” is closed: its order cut-off has "
                                    "passed.") % {"round": r.title})
            pickup = RoundPickup.objects.filter(round=r, community=community).first()
            if pickup is None:
                raise Invalid(_("The round “%(round)s” of %(village)s does not deliver to "
                                "%(community)s.") % {"round": r.title, "village": village.name,
                                                     "community": community.name},
                              field="pickup_community")
            point = pickup.pickup_point
            offers = dict(RoundProduct.objects.filter(round=r, product_id__in=prices)
                          .values_list("product_id", "group_price"))
            for p in by_village[vid]:
                if p.pk not in offers:
                    raise Invalid(_("%(name)s is not offered in the round “%(round)s”.")
                                  % {"name": p.name, "round": r.title}, field="items")
            prices = offers
        plans.append((vid, pairing, r, point, prices))

    for p in products:
        if p.stock < wanted[p.pk]:
            if p.stock == 0:
                raise OutOfStock(_("%(name)s is sold out.") % {"name": p.name})
            raise OutOfStock(_("Only %(n)s of %(name)s left; lower the quantity.")
                             % {"n": p.stock, "name": p.name})
    for p in products:
        # A conditional update as well as the lock: the row count proves the units were there.
        if Product.objects.filter(pk=p.pk, stock__gte=wanted[p.pk]).update(
                stock=F("stock") - wanted[p.pk]) != 1:  # pragma: no cover - the lock holds it
            raise OutOfStock(_("%(name)s is sold out.") % {"name": p.name})
    page_cache.stock_changed([(p.pk, p.stock, p.stock - wanted[p.pk]) for p in products],
                             round_orders=bool(rounds))

    now = timezone.now()
    orders = []
    for vid, pairing, r, point, prices in plans:
        lines, total = [], Decimal("0.00")
        for p in by_village[vid]:
            qty = wanted[p.pk]
            line_total = money_fits((prices[p.pk] * qty).quantize(CENT), field="quantity")
            total = money_fits(total + line_total, field="quantity")
            lines.append(OrderItem(product=p, product_name=p.name, unit=p.unit, quantity=qty,
                                   unit_price=prices[p.pk], line_total=line_total))
        order = order_create_with_pickup_code(
            buyer=buyer, village_id=vid, pickup_community=community, pairing=pairing, round=r,
            pickup_point=point, total=total, created_at=now, checkout=checkout)
        for line in lines:
            line.order = order
        OrderItem.objects.bulk_create(lines)
        OrderStatusChange.objects.create(order=order, to_status=OrderStatus.PLACED, changed_by=buyer,
                                         changed_at=now)
        _as_placed(order, village=by_village[vid][0].village, community=community, round=r,
                   items=lines)
        orders.append(order)

    who = buyer.get_full_name() or buyer.username
    for order in orders:
        tell_coordinators(order.village_id, kind="villages.order_placed", besides=buyer,
                          message=lambda order=order: _(
                              "New order %(id)s from %(who)s: %(total)s, pickup at %(point)s.") % {
                              "id": order.pk, "who": who, "point": order.pickup_point,
                              "total": format_money(order.total, exact=True)},
                          url=reverse("villages:order_detail", args=[order.pk]))
    return checkout, orders


def _as_placed(order: Order, *, village, community: Community, round, items: list[OrderItem]
               ) -> None:
    """Set on a new order what its response shows, as placed: no read back after commit."""
    order.village, order.pickup_community, order.round = village, community, round
    rows = order.items.get_queryset()  # as prefetch_related leaves it: .all() reads no rows
    rows._result_cache, rows._prefetch_done = items, True
    order._prefetched_objects_cache = {"items": rows}
    Order.payment.related.set_cached_value(order, None)  # a new order has no payment yet


def stock_return(*, order_ids: list[int]) -> None:
    """Put the units of cancelled orders back on sale: one UPDATE per product, in pk order (the
    order checkout locks them in). Call once per cancel, with the orders locked."""
    back = list(OrderItem.objects.filter(order_id__in=order_ids).values("product_id")
                .annotate(n=Sum("quantity")).order_by("product_id"))
    for row in back:
        Product.objects.filter(pk=row["product_id"]).update(stock=F("stock") + row["n"])
    # Stock before is unknown here (0 or not): a product may come back on sale, so the channel too.
    page_cache.products_changed([row["product_id"] for row in back], rounds=True)
