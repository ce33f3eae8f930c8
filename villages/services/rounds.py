"""Group-buy rounds: open (threshold and group prices), edit before any order, cancel, close at
the cut-off (formed: orders confirmed; failed: orders cancelled, stock back, refunds recorded),
deliver.

Locks: the round row first (`FOR NO KEY UPDATE`, so an order inserted meanwhile only waits on
its foreign-key check and never deadlocks with us), then its orders in pk order, then the
products in pk order. Every status change is a conditional UPDATE with a row count, so a round
closes exactly once however many closers run at the same time.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid
from synergy.core.i18n import in_every_language
from synergy.core.models import Community, Pairing, User, Village
from villages import cache as page_cache
from villages.models import (
    GroupBuyRound,
    ListingStatus,
    Order,
    OrderItem,
    OrderStatus,
    OrderStatusChange,
    Payment,
    Product,
    RoundPickup,
    RoundProduct,
    RoundStatus,
)
from villages.notifications import tell, tell_coordinators
from villages.services.checkout import stock_return
from villages.services.payments import claims_close_for_cancelled

MAX_MIN_UNITS = 1_000_000
LIVE = ~Q(status=OrderStatus.CANCELLED)


def _require_coordinator(user: User, village: Village | int) -> None:
    core_selectors.require_village_coordinator(user=user, village=village,
                                               message=_("Only this village's coordinators can do this."))


def _clean_min_units(min_units) -> int:
    try:
        value = int(min_units)
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= MAX_MIN_UNITS:
        raise Invalid(_("The number of units to form the group must be a whole number, 0 or more."),
                      field="min_units")
    return value


def _clean_products(village_id: int, products: Iterable[tuple[Product | int, Decimal]]
                    ) -> dict[int, Decimal]:
    """{product id: group price}: published products of the village, each group price above
    zero and below the product's list price. Invalid (field `products`) otherwise."""
    wanted: OrderedDict[int, Decimal] = OrderedDict()
    for product, price in products:
        pid = product.pk if isinstance(product, Product) else int(product)
        try:
            wanted[pid] = Decimal(price).quantize(Decimal("0.01"))
        except (TypeError, ValueError, ArithmeticError):
            raise Invalid(_("Give every product of the round a group price in yuan."),
                          field="products") from None
    if not wanted:
        raise Invalid(_("Choose at least one product, with its group price."), field="products")
    found = {p.pk: p for p in Product.objects.filter(pk__in=wanted, village_id=village_id,
                                                     status=ListingStatus.PUBLISHED)}
    for pid, price in wanted.items():
        product = found.get(pid)
        if product is None:
            raise Invalid(_("A round can only offer this village's products on sale."),
                          field="products")
        if not Decimal("0") < price < product.price:
            raise Invalid(_("The group price of %(name)s must be above zero and below its list "
                            "price of %(price)s yuan.") % {"name": product.name,
                                                           "price": product.price},
                          field="products")
    return wanted


@transaction.atomic
def round_open(
    *, by: User, village: Village, title: str, cutoff_at: dt.datetime, delivery_date: dt.date,
    pickups: Iterable[tuple[Community | int, str]], note: str = "", min_units: int = 0,
    products: Iterable[tuple[Product | int, Decimal]] = (),
) -> GroupBuyRound:
    """Open a pre-order round for some paired communities, each with its pickup point, offering
    some of the village's products at a group price; it forms with `min_units` units (0: any)."""
    _require_coordinator(by, village)
    if cutoff_at <= timezone.now():
        raise Invalid(_("The cut-off must be in the future."), field="cutoff_at")
    if delivery_date < timezone.localtime(cutoff_at).date():
        raise Invalid(_("Delivery cannot be before the cut-off."), field="delivery_date")
    min_units = _clean_min_units(min_units)
    wanted = OrderedDict()
    for community, point in pickups:
        cid = community.pk if isinstance(community, Community) else int(community)
        if not (point or "").strip():
            raise Invalid(_("Give a pickup point for every community."), field="pickups")
        wanted[cid] = point.strip()
    if not wanted:
        raise Invalid(_("Choose at least one community."), field="pickups")
    paired = set(Pairing.objects.filter(village=village, active=True, community_id__in=wanted)
                 .values_list("community_id", flat=True))
    if paired != set(wanted):
        raise Invalid(_("A round can only serve communities paired with this village."),
                      field="pickups")
    prices = _clean_products(village.pk, products)
    round_ = GroupBuyRound.objects.create(
        village=village, title=title.strip(), note=note, cutoff_at=cutoff_at,
        delivery_date=delivery_date, opened_by=by, min_units=min_units,
    )
    RoundPickup.objects.bulk_create(
        [RoundPickup(round=round_, community_id=cid, pickup_point=p) for cid, p in wanted.items()]
    )
    RoundProduct.objects.bulk_create(
        [RoundProduct(round=round_, product_id=pid, group_price=p) for pid, p in prices.items()]
    )
    return round_


def _lock_open(round: GroupBuyRound, **extra) -> GroupBuyRound | None:
    return (GroupBuyRound.objects.select_for_update(no_key=True)
            .filter(pk=round.pk, status=RoundStatus.OPEN, **extra).first())


@transaction.atomic
def round_update(
    *, by: User, round: GroupBuyRound, title: str | None = None, note: str | None = None,
    min_units: int | None = None, products: Iterable[tuple[Product | int, Decimal]] | None = None,
) -> GroupBuyRound:
    """Change an open round's title, note, threshold or group prices, before anyone ordered."""
    _require_coordinator(by, round.village_id)
    locked = _lock_open(round)
    if locked is None:
        raise Conflict(_("Only an open round can be changed."))
    if Order.objects.filter(LIVE, round=locked).exists():
        raise Conflict(_("Residents have ordered in this round already: it can no longer be "
                         "changed. Cancel it and open a new one if you must."))
    fields = []
    if title is not None:
        if not title.strip():
            raise Invalid(_("Give the round a title."), field="title")
        locked.title = title.strip()
        fields.append("title")
    if note is not None:
        locked.note = note
        fields.append("note")
    if min_units is not None:
        locked.min_units = _clean_min_units(min_units)
        fields.append("min_units")
    if fields:
        locked.save(update_fields=fields)
    if products is not None:
        prices = _clean_products(locked.village_id, products)
        RoundProduct.objects.filter(round=locked).exclude(product_id__in=prices).delete()
        kept = set(RoundProduct.objects.filter(round=locked).values_list("product_id", flat=True))
        for pid, price in prices.items():
            if pid in kept:
                RoundProduct.objects.filter(round=locked, product_id=pid).update(group_price=price)
        page_cache.rounds_changed()
        RoundProduct.objects.bulk_create([RoundProduct(round=locked, product_id=pid, group_price=p)
                                          for pid, p in prices.items() if pid not in kept])
    return locked


def _units_ordered(round_id: int) -> int:
    return (OrderItem.objects.filter(order__round_id=round_id)
            .exclude(order__status=OrderStatus.CANCELLED)
            .aggregate(n=Sum("quantity"))["n"]) or 0


def _cancel_orders(round: GroupBuyRound, *, reason: Callable[[], str], by: User | None, kind: str,
                   message) -> int:
    """Cancel the round's placed orders (locked in pk order) with `reason`: stock back once (the
    conditional update's row count), a paid order's refund recorded (all of it, by the same
    method), each buyer told. Returns how many orders."""
    now = timezone.now()
    orders = list(Order.objects.select_for_update(of=("self",)).select_related("buyer")
                  .filter(round=round, status=OrderStatus.PLACED).order_by("pk"))
    ids = [o.pk for o in orders]
    reasons = in_every_language(reason, limit=200)
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(reason())[:200]  # the site's default, for the admin and the refund note
    # The rows are locked: the conditional update changes each of them, once.
    if not ids or Order.objects.filter(pk__in=ids, status=OrderStatus.PLACED).update(
            status=OrderStatus.CANCELLED, cancel_reason=reason, cancel_reasons=reasons) != len(ids):
        return 0
    page_cache.rounds_changed()
    claims_close_for_cancelled(order_ids=ids, by=by)
    stock_return(order_ids=ids)
    OrderStatusChange.objects.bulk_create([
        OrderStatusChange(order_id=pk, from_status=OrderStatus.PLACED,
                          to_status=OrderStatus.CANCELLED, changed_by=by, changed_at=now)
        for pk in ids])
    paid = {p.order_id: p for p in Payment.objects.filter(order_id__in=ids,
                                                         refund_amount__isnull=True, amount__gt=0)}
    for payment in paid.values():
        Payment.objects.filter(pk=payment.pk, refund_amount__isnull=True).update(
            refund_amount=payment.amount, refund_method=payment.method, refund_note=reason[:200],
            refunded_by=by, refunded_at=now)
    for order in orders:
        payment = paid.get(order.pk)
        tell([order.buyer], kind=kind, url=reverse("villages:order_detail", args=[order.pk]),
             message=lambda order=order, payment=payment: message(order, payment))
    return len(ids)


def _refund_sentence(payment: Payment | None) -> str:
    if payment is None:
        return ""
    return " " + _("The %(amount)s yuan you paid is refunded by %(method)s.") % {
        "amount": payment.amount, "method": payment.get_method_display()}


@transaction.atomic
def round_close(*, round: GroupBuyRound) -> str | None:
    """Close a due open round exactly once: FORMED (its placed orders confirmed) when its units
    reach `min_units`, else FAILED (its placed orders cancelled with the reason, stock back,
    refunds recorded). Returns the new status, or None when there was nothing to close (not open,
    not yet due, or another closer got there first)."""
    now = timezone.now()
    locked = _lock_open(round, cutoff_at__lte=now)
    if locked is None:
        return None
    units = _units_ordered(locked.pk)
    formed = units >= locked.min_units
    status = RoundStatus.FORMED if formed else RoundStatus.FAILED
    if GroupBuyRound.objects.filter(pk=locked.pk, status=RoundStatus.OPEN).update(
            status=status, closed_at=now) != 1:  # pragma: no cover - the row lock makes this hold
        return None
    page_cache.rounds_changed()
    round.status, round.closed_at = status, now
    title = locked.title
    if formed:
        _confirm_orders(locked, now=now)
        tell_coordinators(locked.village_id, kind="villages.round_formed",
                          url=reverse("villages:round_detail", args=[locked.pk]),
                          message=lambda: _("“%(round)s” formed with %(n)s units: deliver on "
                                            "%(date)s.") % {"round": title, "n": units,
                                                            "date": locked.delivery_date})
        return status
    need = locked.min_units

    def sentence(order, payment):
        return _("“%(round)s” did not form (%(n)s of %(m)s units): order %(id)s is cancelled.") % {
            "round": title, "n": units, "m": need, "id": order.pk} + _refund_sentence(payment)

    _cancel_orders(locked, reason=lambda: _("The group did not form: %(n)s of %(m)s units") % {
                       "n": units, "m": need},
                   by=None, kind="villages.round_failed", message=sentence)
    tell_coordinators(locked.village_id, kind="villages.round_failed",
                      url=reverse("villages:round_detail", args=[locked.pk]),
                      message=lambda: _("“%(round)s” did not form (%(n)s of %(m)s units): its "
                                        "orders are cancelled.") % {"round": title, "n": units,
                                                                    "m": need})
    return status


def _confirm_orders(round: GroupBuyRound, *, now) -> None:
    orders = list(Order.objects.select_for_update(of=("self",)).select_related("buyer")
                  .filter(round=round, status=OrderStatus.PLACED).order_by("pk"))
    ids = [o.pk for o in orders]
    Order.objects.filter(pk__in=ids, status=OrderStatus.PLACED).update(status=OrderStatus.CONFIRMED)
    page_cache.rounds_changed()
    OrderStatusChange.objects.bulk_create([
        OrderStatusChange(order_id=pk, from_status=OrderStatus.PLACED,
                          to_status=OrderStatus.CONFIRMED, changed_by=None, changed_at=now)
        for pk in ids])
    title, day = round.title, round.delivery_date
    for order in orders:
        tell([order.buyer], kind="villages.round_formed",
             url=reverse("villages:order_detail", args=[order.pk]),
             message=lambda order=order: _("“%(round)s” formed: order %(id)s is confirmed and "
                                           "will be delivered on %(date)s.") % {
                 "round": title, "id": order.pk, "date": day})


def rounds_close_due() -> int:
    """Close every open round whose cut-off has passed, each in its own transaction (the
    periodic task and `manage.py rounds_close_due`). Returns how many this call closed."""
    due = list(GroupBuyRound.objects.filter(status=RoundStatus.OPEN, cutoff_at__lte=timezone.now())
               .order_by("cutoff_at", "pk"))
    return sum(1 for r in due if round_close(round=r) is not None)


@transaction.atomic
def round_cancel(*, by: User, round: GroupBuyRound) -> GroupBuyRound:
    """The coordinator calls off an open round: its orders cancelled with the reason, stock back,
    refunds recorded, buyers told."""
    _require_coordinator(by, round.village_id)
    locked = _lock_open(round)
    if locked is None:
        raise Conflict(_("Only an open round can be cancelled."))
    GroupBuyRound.objects.filter(pk=locked.pk, status=RoundStatus.OPEN).update(
        status=RoundStatus.CANCELLED)
    page_cache.rounds_changed()
    round.status = locked.status = RoundStatus.CANCELLED
    title = locked.title

    def sentence(order, payment):
        return _("The village cancelled “%(round)s”: order %(id)s is cancelled.") % {
            "round": title, "id": order.pk} + _refund_sentence(payment)

    _cancel_orders(locked, reason=lambda: _("The village cancelled the round."), by=by,
                   kind="villages.round_cancelled", message=sentence)
    return round


def round_deliver(*, by: User, round: GroupBuyRound) -> int:
    """A formed round's confirmed orders delivered. An open round past its cut-off is closed
    first, in its own transaction: a round that did not form stays closed (failed) although
    there is nothing to deliver. Returns how many orders."""
    _require_coordinator(by, round.village_id)
    if round.status == RoundStatus.OPEN and timezone.now() < round.cutoff_at:
        raise Conflict(_("The round is still taking orders; mark it delivered after the cut-off."))
    round_close(round=round)
    return _deliver_formed(by=by, round=round)


@transaction.atomic
def _deliver_formed(*, by: User, round: GroupBuyRound) -> int:
    now = timezone.now()
    current = GroupBuyRound.objects.filter(pk=round.pk).values_list("status", flat=True).first()
    if current == RoundStatus.FAILED:
        raise Conflict(_("This round did not form: there is nothing to deliver."))
    updated = GroupBuyRound.objects.filter(pk=round.pk, status=RoundStatus.FORMED).update(
        status=RoundStatus.DELIVERED, delivered_by=by, delivered_at=now)
    if updated != 1:
        raise Conflict(_("This round has already been marked delivered or cancelled."))
    page_cache.rounds_changed()
    round.status, round.delivered_by, round.delivered_at = RoundStatus.DELIVERED, by, now
    orders = list(Order.objects.select_for_update(of=("self",)).select_related("buyer")
                  .filter(round=round, status=OrderStatus.CONFIRMED).order_by("pk"))
    ids = [o.pk for o in orders]
    Order.objects.filter(pk__in=ids).update(status=OrderStatus.DELIVERED)
    OrderStatusChange.objects.bulk_create([
        OrderStatusChange(order_id=pk, from_status=OrderStatus.CONFIRMED,
                          to_status=OrderStatus.DELIVERED, changed_by=by, changed_at=now)
        for pk in ids
    ])
    for order in orders:
        tell([order.buyer], kind="villages.round_delivered",
             message=lambda order=order: _("“%(round)s” has arrived: order %(id)s is ready to pick "
                                           "up at %(point)s.") % {
                 "round": round.title, "id": order.pk, "point": order.pickup_point},
             url=reverse("villages:order_detail", args=[order.pk]))
    return len(ids)
