"""Reads of payments: a village's payment instructions, the claims a coordinator has to answer,
and an order's payment history (claimed, confirmed or declined, recorded, refunded)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.models import User, Village
from villages.models import ClaimStatus, Order, OrderStatus, Payment, PaymentClaim, PaymentInstructions
from villages.selectors._common import get_or_404, require_coordinator, require_login


def payment_instructions_get(*, village: Village | int) -> PaymentInstructions | None:
    """How to pay the village (public to its buyers), or None if its coordinators gave none."""
    return PaymentInstructions.objects.filter(village=village).first()


def payment_instructions_get_for_coordinator(*, user: User | None, village: Village
                                             ) -> PaymentInstructions | None:
    require_coordinator(user=user, village=village,
                        message=_("Only this village's coordinators can edit how to pay it."))
    return payment_instructions_get(village=village)


def order_payment_instructions(order: Order) -> PaymentInstructions | None:
    """The instructions shown on an order: only while it is unpaid and not cancelled. Reads the
    village's instructions loaded with the order (`village__payment_instructions`)."""
    if order.status == OrderStatus.CANCELLED or _payment(order) is not None:
        return None
    return getattr(order.village, "payment_instructions", None)


def _payment(order: Order) -> Payment | None:
    try:
        return order.payment
    except Payment.DoesNotExist:
        return None


def order_pending_claim(order: Order) -> PaymentClaim | None:
    """The claim waiting for the coordinator (from the prefetched `payment_claims`)."""
    return next((c for c in order.payment_claims.all() if c.status == ClaimStatus.PENDING), None)


def claim_list_pending_for_coordinator(*, viewer: User) -> QuerySet[PaymentClaim]:
    """Claims waiting in the villages the viewer coordinates, oldest first."""
    villages = core_selectors.villages_of_user(user=viewer)
    return (PaymentClaim.objects.filter(status=ClaimStatus.PENDING, order__village__in=villages)
            .exclude(order__status=OrderStatus.CANCELLED)
            .select_related("order", "order__village", "claimed_by").order_by("claimed_at", "pk"))


def claim_get_for_coordinator(*, user: User | None, pk: int) -> PaymentClaim:
    """A claim of a village the user coordinates; Http404 for anyone else."""
    require_login(user)
    claim = get_or_404(PaymentClaim.objects.select_related("order", "order__village"), pk=pk)
    if not core_selectors.user_coordinates_village(user=user, village=claim.order.village_id):
        raise Http404
    return claim


@dataclass(frozen=True)
class PaymentEvent:
    kind: str  # claimed, confirmed, declined, recorded, refunded
    label: str
    at: dt.datetime
    who: str
    amount: Decimal | None
    method: str = ""
    reference: str = ""
    note: str = ""


def payment_history(order: Order) -> list[PaymentEvent]:
    """Every payment event of the order, oldest first, from what was loaded with it (its
    `payment` with `recorded_by` / `refunded_by`, and `payment_claims` with their people)."""
    events: list[PaymentEvent] = []
    claims = list(order.payment_claims.all())
    for c in claims:
        events.append(PaymentEvent("claimed", _("Buyer says paid"), c.claimed_at, str(c.claimed_by or "—"),
                                   c.amount, c.get_method_display(), c.reference))
        if c.status == ClaimStatus.CONFIRMED:
            events.append(PaymentEvent("confirmed", _("Payment confirmed"), c.decided_at,
                                       str(c.decided_by or "—"), c.amount, c.get_method_display()))
        elif c.status == ClaimStatus.DECLINED:
            events.append(PaymentEvent("declined", _("Payment not received"), c.decided_at,
                                       str(c.decided_by or "—"), c.amount, note=c.decision_note))
    payment = _payment(order)
    if payment is not None:
        if not any(c.status == ClaimStatus.CONFIRMED for c in claims):
            events.append(PaymentEvent("recorded", _("Payment recorded"), payment.recorded_at,
                                       str(payment.recorded_by or "—"), payment.amount,
                                       payment.get_method_display(), payment.reference))
        if payment.refunded:
            events.append(PaymentEvent("refunded", _("Refunded"), payment.refunded_at,
                                       str(payment.refunded_by or "—"), payment.refund_amount,
                                       payment.get_refund_method_display(), note=payment.refund_note))
    return sorted(events, key=lambda e: e.at)
