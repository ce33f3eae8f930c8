"""Orders: stock taken under row locks, history of every status change.

Payments are recorded, not processed: `order_mark_paid` is where a payment provider would plug
in later (it would call the provider, then record the same Payment row).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import Community, User, Village
from synergy.core.templatetags.synergy_format import format_money
from villages import cache as page_cache
from villages.models import (
    GroupBuyRound,
    Order,
    OrderStatus,
    OrderStatusChange,
    Payment,
    PaymentMethod,
)
from villages.notifications import tell, tell_coordinators
from villages.services.checkout import checkout_place, stock_return
from villages.services.payments import claims_close_for_cancelled, payment_record


def _require_coordinator(user: User, village: Village | int) -> None:
    core_selectors.require_village_coordinator(user=user, village=village,
                                               message=_("Only this village's coordinators can do this."))


# --- Orders ----------------------------------------------------------------------------------


def _record(order: Order, *, to: str, by: User | None, frm: str = "", at=None) -> None:
    OrderStatusChange.objects.create(order=order, from_status=frm, to_status=to, changed_by=by,
                                     changed_at=at or timezone.now())


def order_place(
    *, buyer: User, items: Iterable[dict], pickup_community: Community,
    round: GroupBuyRound | None = None,
) -> Order:
    """Place an order from one village: a one-village checkout (see `checkout_place`).

    Raises OutOfStock / RoundClosed (409), NotAllowed (403), Invalid (400).
    """
    _checkout, orders = checkout_place(buyer=buyer, pickup_community=pickup_community, round=round,
                                       items=items, one_village=True)
    return orders[0]


@transaction.atomic
def order_cancel(
    *, by: User, order: Order, refund_amount: Decimal | None = None, refund_method: str = "",
    refund_note: str = "",
) -> Order:
    """Cancel a placed order and return its stock, exactly once (a second cancel changes nothing).

    The buyer may cancel an unpaid order until the round's cut-off; the village's coordinator
    until delivery. A paid order only by the coordinator, who records the refund (amount up to
    what was paid, method) in the same transaction; the buyer is told after commit. The order row
    is locked first, as `order_mark_paid` does, so a payment and a cancel never cross.
    """
    is_buyer = order.buyer_id == by.pk
    is_coordinator = core_selectors.user_coordinates_village(user=by, village=order.village_id)
    if not (is_buyer or is_coordinator):
        raise NotAllowed(_("Only the buyer or the village's coordinator can cancel this order."))
    locked = Order.objects.select_for_update(of=("self",)).select_related("round").get(pk=order.pk)
    if locked.status == OrderStatus.CANCELLED:
        return locked  # already cancelled: nothing changes, stock is not returned twice
    if locked.status not in (OrderStatus.PLACED, OrderStatus.CONFIRMED):
        raise Conflict(_("This order has been delivered and can no longer be cancelled."))
    # Read after the lock: a payment committed while we waited is seen here.
    payment = Payment.objects.filter(order=locked).first()
    if payment is not None and not is_coordinator:
        raise Conflict(_("This order has been paid, so it cannot be cancelled here. Ask the "
                         "village's coordinator: they cancel it and record your refund."))
    if (not is_coordinator and locked.round is not None
            and timezone.now() >= locked.round.cutoff_at):
        raise Conflict(_("The round's cut-off has passed; ask the village's coordinator to cancel."))
    if payment is not None:
        _refund_check(payment, amount=refund_amount, method=refund_method)
    if Order.objects.filter(pk=locked.pk, status=locked.status).update(
            status=OrderStatus.CANCELLED) != 1:  # pragma: no cover - the row lock makes this hold
        return Order.objects.get(pk=locked.pk)
    page_cache.order_status_changed(locked)
    stock_return(order_ids=[locked.pk])
    _record(locked, frm=locked.status, to=OrderStatus.CANCELLED, by=by)
    claims_close_for_cancelled(order_ids=[locked.pk], by=by)
    locked.status = OrderStatus.CANCELLED
    if payment is not None:
        amount = payment.amount if refund_amount is None else refund_amount
        if Payment.objects.filter(pk=payment.pk, refund_amount__isnull=True).update(
                refund_amount=amount, refund_method=refund_method, refund_note=refund_note.strip()[:200],
                refunded_by=by, refunded_at=timezone.now()) != 1:  # pragma: no cover - order lock
            raise Conflict(_("This order's refund is already recorded."))
        _notify_refund(order_id=locked.pk)
    else:
        _notify_cancelled(locked, by=by)
    return locked


def _notify_cancelled(order: Order, *, by: User) -> None:
    """An unpaid order cancelled: the buyer cancelling tells the coordinators; anyone else
    (a coordinator) tells the buyer."""
    url = reverse("villages:order_detail", args=[order.pk])
    if by.pk == order.buyer_id:
        who = by.get_full_name() or by.username
        tell_coordinators(order.village_id, kind="villages.order_cancelled", besides=by, url=url,
                          message=lambda: _("%(who)s cancelled order %(id)s (%(total)s); its "
                                            "stock is back on sale.") % {
                              "who": who, "id": order.pk,
                              "total": format_money(order.total, exact=True)})
    else:
        tell([order.buyer], kind="villages.order_cancelled", url=url,
             message=lambda: _("Order %(id)s was cancelled by the village.") % {"id": order.pk})


def _refund_check(payment: Payment, *, amount: Decimal | None, method: str) -> None:
    if method not in PaymentMethod.values:
        raise Invalid(_("This order has been paid: record how the money goes back (cash, bank "
                        "transfer or mobile transfer) to cancel it."), field="refund_method")
    if amount is not None and not (Decimal("0") < amount <= payment.amount):
        raise Invalid(_("The refund must be more than zero and at most the %(paid)s yuan paid.")
                      % {"paid": payment.amount}, field="refund_amount")


def _notify_refund(*, order_id: int) -> None:
    """Tell the buyer their order was cancelled and what is refunded, how."""
    payment = Payment.objects.select_related("order__buyer").get(order_id=order_id)
    order = payment.order
    tell([order.buyer], kind="villages.order_refund",
           message=lambda: _("Order %(id)s was cancelled by the village; %(amount)s yuan is "
                             "refunded by %(method)s.") % {
               "id": order.pk, "amount": payment.refund_amount,
               "method": payment.get_refund_method_display()},
           url=reverse("villages:order_detail", args=[order.pk]))


def _advance(*, order: Order, by: User, frm: str, to: str, message: str) -> Order:
    if Order.objects.filter(pk=order.pk, status=frm).update(status=to) != 1:
        raise Conflict(message)
    page_cache.order_status_changed(order)
    _record(order, frm=frm, to=to, by=by)
    order.status = to
    return order


@transaction.atomic
def order_mark_delivered(*, by: User, order: Order) -> Order:
    """The coordinator hands over one order (orders of a round go with `round_deliver`)."""
    _require_coordinator(by, order.village_id)
    frm = OrderStatus.CONFIRMED if order.status == OrderStatus.CONFIRMED else OrderStatus.PLACED
    order = _advance(order=order, by=by, frm=frm, to=OrderStatus.DELIVERED,
                     message=_("Only a placed order can be marked delivered."))
    tell([order.buyer], kind="villages.order_delivered",
         message=lambda: _("Order %(id)s has arrived: pick it up at %(point)s.") % {
             "id": order.pk, "point": order.pickup_point},
         url=reverse("villages:order_detail", args=[order.pk]))
    return order


@transaction.atomic
def order_mark_paid(*, by: User, order: Order, method: str, reference: str = "") -> Payment:
    """Record a payment received on delivery (cash, bank or mobile transfer). Not processed;
    a claim the buyer made is settled by it (see `villages.services.payments`)."""
    _require_coordinator(by, order.village_id)
    if method not in PaymentMethod.values:
        raise Invalid(_("Choose cash, bank transfer or mobile transfer."), field="method")
    locked = Order.objects.select_for_update().get(pk=order.pk)
    payment = payment_record(by=by, order=locked, method=method, amount=locked.total,
                             reference=reference)
    tell([locked.buyer], kind="villages.order_paid",
         message=lambda: _("Your payment of %(amount)s for order %(id)s is recorded (%(method)s). "
                           "Thank you!") % {"amount": format_money(payment.amount, exact=True),
                                            "id": locked.pk, "method": payment.get_method_display()},
         url=reverse("villages:order_detail", args=[locked.pk]))
    return payment
