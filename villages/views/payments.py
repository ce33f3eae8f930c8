"""Paying a village: the coordinator's payment instructions page, the buyer's "I have paid",
the coordinator's confirm / decline, and what the order page shows of all that (and of the
pickup code, to the buyer only)."""

from __future__ import annotations

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core.web import form_page
from villages import forms, selectors, services
from villages.models import Order, OrderStatus
from villages.views._common import ActionView, back_office

PICKUP_WAITING = {OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.DELIVERED}


def pickup_code_qr(code: str) -> str:
    """The code as an inline SVG QR (segno: digits only, no external file); safe markup."""
    return mark_safe(segno.make(code, error="m", micro=False).svg_inline(  # noqa: S308 - segno's own SVG
        scale=8, border=2, dark="#111", light="#fff", title=code))


def order_page_context(request: HttpRequest, order: Order, *, is_coordinator: bool) -> dict:
    """What the order page shows of the pickup code and payments. The code and its QR only to
    the buyer (never to the coordinator), while the order waits to be collected."""
    is_buyer = order.buyer_id == request.user.pk
    show_code = is_buyer and order.status in PICKUP_WAITING
    pending = selectors.order_pending_claim(order)
    return {
        "is_buyer": is_buyer,
        "pickup_code": order.pickup_code if show_code else "",
        "pickup_qr": pickup_code_qr(order.pickup_code) if show_code else "",
        "instructions": selectors.order_payment_instructions(order),
        "pending_claim": pending,
        "payment_events": selectors.payment_history(order),
        "claim_form": forms.PaymentClaimForm() if is_buyer and not pending else None,
        "decline_form": forms.ClaimDeclineForm() if is_coordinator and pending else None,
    }


class OrderPaymentClaimView(ActionView):
    """The buyer: "I have paid", with how and the reference."""

    service = staticmethod(services.payment_claim_create)
    target = "order"
    form_class = forms.PaymentClaimForm
    done = gettext_lazy("Thank you: the village will confirm your payment.")
    invalid = gettext_lazy("Please check the payment: %(e)s")

    def get_object(self, pk):
        return selectors.order_get_for_user(user=self.request.user, pk=pk)

    def default_next(self, order) -> str:
        return reverse("villages:order_detail", args=[order.pk])


class _ClaimAction(ActionView):
    target = "claim"

    def get_object(self, pk):
        return selectors.claim_get_for_coordinator(user=self.request.user, pk=pk)

    def default_next(self, claim) -> str:
        return reverse("villages:order_detail", args=[claim.order_id])


class ClaimConfirmView(_ClaimAction):
    service = staticmethod(services.payment_claim_confirm)
    done = gettext_lazy("Payment confirmed; the buyer has been told.")


class ClaimDeclineView(_ClaimAction):
    service = staticmethod(services.payment_claim_decline)
    form_class = forms.ClaimDeclineForm
    done = gettext_lazy("Claim declined; the buyer has been told why.")
    invalid = gettext_lazy("Please say what is missing: %(e)s")


@back_office
def payment_instructions_edit(request: HttpRequest, village_id: int) -> HttpResponse:
    village = selectors.village_get_for_coordinator(user=request.user, pk=village_id)
    current = selectors.payment_instructions_get_for_coordinator(user=request.user, village=village)
    initial = {}
    if current is not None:
        initial = {k: getattr(current, k) for k in ("bank_name", "account_name", "account_number",
                                                   "note")}
    form = forms.PaymentInstructionsForm(request.POST or None, request.FILES or None, initial=initial)
    return form_page(
        request, form=form, template="villages/payment_instructions.html",
        save=lambda data: services.payment_instructions_set(by=request.user, village=village, **data),
        on_success=lambda saved: redirect("villages:manage", village_id=village.pk),
        done=_("Payment instructions saved: buyers see them on their unpaid orders."),
        context={"village": village, "current": current, "multipart": True,
                 "title": _("How buyers pay %(village)s") % {"village": village.name}})
