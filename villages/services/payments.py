"""How a buyer pays a village: the village's payment instructions, the buyer's "I have paid"
claim and the coordinator's decision on it.

Money is recorded, not processed. Every payment lands through `payment_record` (on the locked
order row, one Payment per order held by the database): the coordinator recording cash on
delivery (`order_mark_paid`) and confirming a claim both call it. A payment provider would plug
in at the same two places: its callback, verified, would confirm the claim it created (or call
`payment_record` with the provider's reference), so pages, history and refunds stay as they are.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.images import image_clean
from synergy.core.models import User, Village
from synergy.core.templatetags.synergy_format import format_money
from villages.models import (
    ClaimStatus,
    Order,
    OrderStatus,
    Payment,
    PaymentClaim,
    PaymentInstructions,
    PaymentMethod,
)
from villages.notifications import tell, tell_coordinators

QR_MAX_SIDE = 1000  # a collection QR stays scannable; larger photos are scaled down


def _require_coordinator(user: User, village: Village | int) -> None:
    core_selectors.require_village_coordinator(user=user, village=village,
                                               message=_("Only this village's coordinators can do this."))


def _lock_order(order: Order | int) -> Order:
    pk = order.pk if isinstance(order, Order) else order
    return Order.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=pk)


def payment_record(*, by: User | None, order: Order, method: str, amount: Decimal,
                   reference: str = "") -> Payment:
    """Record the payment of `order` (locked by the caller, in its transaction); a claim still
    waiting is settled by it. Conflict if the order is cancelled or already paid."""
    if order.status == OrderStatus.CANCELLED:
        raise Conflict(_("A cancelled order cannot be paid."))
    try:
        with transaction.atomic():
            payment = Payment.objects.create(order=order, method=method, amount=amount,
                                             reference=reference.strip()[:80], recorded_by=by)
    except IntegrityError:
        raise Conflict(_("This order's payment is already recorded.")) from None
    PaymentClaim.objects.filter(order=order, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.CONFIRMED, decided_by=by, decided_at=payment.recorded_at)
    return payment


# --- Claims -------------------------------------------------------------------------------------


@transaction.atomic
def payment_claim_create(*, by: User, order: Order, method: str, reference: str = "",
                         amount: Decimal | None = None) -> PaymentClaim:
    """The buyer says they paid (how, with the transfer's reference); the village's
    coordinators are told. The amount is the order's total (a different one is refused)."""
    if order.buyer_id != by.pk:
        raise NotAllowed(_("Only the buyer can say this order is paid."))
    if method not in PaymentMethod.values:
        raise Invalid(_("Choose cash, bank transfer or mobile transfer."), field="method")
    locked = _lock_order(order)
    if locked.status == OrderStatus.CANCELLED:
        raise Conflict(_("This order is cancelled: there is nothing to pay."))
    if Payment.objects.filter(order=locked).exists():
        raise Conflict(_("This order's payment is already recorded."))
    if amount is not None and amount != locked.total:
        raise Invalid(_("Pay the order's total, %(total)s.")
                      % {"total": format_money(locked.total, exact=True)}, field="amount")
    reference = (reference or "").strip()[:80]
    if method != PaymentMethod.CASH and not reference:
        raise Invalid(_("Give the transfer's reference (its number, or the last digits), so the "
                        "village can find it."), field="reference")
    try:
        with transaction.atomic():
            claim = PaymentClaim.objects.create(order=locked, method=method, amount=locked.total,
                                                reference=reference, claimed_by=by)
    except IntegrityError:
        raise Conflict(_("You already said this order is paid; the village has not answered "
                         "yet.")) from None
    who = str(by)
    tell_coordinators(locked.village_id, kind="villages.payment_claimed", besides=by,
                      url=reverse("villages:order_detail", args=[locked.pk]),
                      message=lambda: _("%(who)s says order %(id)s is paid (%(amount)s by "
                                        "%(method)s, reference %(ref)s): please confirm.") % {
                          "who": who, "id": locked.pk, "amount": format_money(claim.amount, exact=True),
                          "method": claim.get_method_display(), "ref": claim.reference or "—"})
    return claim


@transaction.atomic
def payment_claim_confirm(*, by: User, claim: PaymentClaim) -> Payment:
    """The coordinator saw the money: the claim is confirmed and the Payment recorded. The
    order row is locked first (as `order_mark_paid` and `order_cancel` do), so two confirms at
    once record one payment; confirming again returns the same payment."""
    _require_coordinator(by, claim.order.village_id)
    locked = _lock_order(claim.order_id)
    current = PaymentClaim.objects.get(pk=claim.pk)  # read after the lock
    if current.status == ClaimStatus.CONFIRMED:
        return Payment.objects.get(order=locked)
    if current.status == ClaimStatus.DECLINED:
        raise Conflict(_("This claim was declined; the buyer can claim again."))
    existing = Payment.objects.filter(order=locked).first()
    if existing is not None:  # recorded another way meanwhile: the claim is settled by it
        PaymentClaim.objects.filter(pk=current.pk, status=ClaimStatus.PENDING).update(
            status=ClaimStatus.CONFIRMED, decided_by=by, decided_at=timezone.now())
        return existing
    payment = payment_record(by=by, order=locked, method=current.method, amount=current.amount,
                             reference=current.reference)
    tell([locked.buyer], kind="villages.payment_confirmed",
         url=reverse("villages:order_detail", args=[locked.pk]),
         message=lambda: _("The village confirmed your payment of %(amount)s for order %(id)s. "
                           "Thank you!") % {"amount": format_money(payment.amount, exact=True),
                                            "id": locked.pk})
    return payment


@transaction.atomic
def payment_claim_decline(*, by: User, claim: PaymentClaim, note: str) -> PaymentClaim:
    """The coordinator did not find the money: the claim is declined with a note the buyer
    reads; the buyer may claim again."""
    _require_coordinator(by, claim.order.village_id)
    note = (note or "").strip()[:200]
    if not note:
        raise Invalid(_("Say what is missing (for example: no transfer with this reference)."),
                      field="note")
    locked = _lock_order(claim.order_id)
    now = timezone.now()
    if PaymentClaim.objects.filter(pk=claim.pk, status=ClaimStatus.PENDING).update(
            status=ClaimStatus.DECLINED, decided_by=by, decided_at=now, decision_note=note) != 1:
        raise Conflict(_("This claim has already been answered."))
    tell([locked.buyer], kind="villages.payment_declined",
         url=reverse("villages:order_detail", args=[locked.pk]),
         message=lambda: _("The village has not received your payment for order %(id)s: "
                           "%(note)s") % {"id": locked.pk, "note": note})
    return PaymentClaim.objects.get(pk=claim.pk)


# --- Instructions -------------------------------------------------------------------------------



@transaction.atomic
def payment_instructions_set(
    *, by: User, village: Village, bank_name: str = "", account_name: str = "",
    account_number: str = "", note: str = "", wechat_qr=None, alipay_qr=None,
    clear_wechat_qr: bool = False, clear_alipay_qr: bool = False,
) -> PaymentInstructions:
    """The village's coordinator keeps how buyers pay it. QR images go through `image_clean`
    (a form or serializer field has already cleaned them, so nothing is re-encoded here while
    the row is locked); a replaced image file is deleted after commit."""
    _require_coordinator(by, village)
    wechat = image_clean(wechat_qr, field="wechat_qr", max_side=QR_MAX_SIDE) if wechat_qr else None
    alipay = image_clean(alipay_qr, field="alipay_qr", max_side=QR_MAX_SIDE) if alipay_qr else None
    instructions, _created = PaymentInstructions.objects.select_for_update().get_or_create(
        village=village)
    values = {"bank_name": bank_name, "account_name": account_name,
              "account_number": account_number, "note": note}
    for name, value in values.items():
        setattr(instructions, name, (value or "").strip())
    old_files = []
    for name, upload, clear in (("wechat_qr", wechat, clear_wechat_qr),
                                ("alipay_qr", alipay, clear_alipay_qr)):
        field = getattr(instructions, name)
        if (upload is not None or clear) and field:
            old_files.append((field.storage, field.name))
        if upload is not None:
            field.save(upload.name, upload, save=False)
        elif clear:
            setattr(instructions, name, "")
    instructions.updated_by = by
    instructions.save()
    for storage, name in old_files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
    return instructions


def claims_close_for_cancelled(*, order_ids: list[int], by: User | None) -> int:
    """Orders cancelled before their money was confirmed: a waiting "I have paid" is closed with
    the reason, so no one confirms money for a cancelled order; the buyer reads it in the
    payment history. Call inside the cancelling transaction, with the orders locked."""
    return PaymentClaim.objects.filter(order_id__in=order_ids, status=ClaimStatus.PENDING).update(
        status=ClaimStatus.DECLINED, decided_by=by, decided_at=timezone.now(),
        decision_note=_("The order was cancelled before the payment was confirmed; if you paid, "
                        "the village returns the money.")[:200])
