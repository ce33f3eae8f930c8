"""A buyer's orders, and one view per operation on an order (the cart: `villages.views.cart`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.templatetags.synergy_format import format_money
from villages import forms, selectors, services
from villages.views._common import ActionView, ConfirmedActionView
from villages.views.payments import order_page_context


@login_required
def my_orders(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.order_list_for_buyer(buyer=request.user), 20).get_page(
        request.GET.get("page"))
    return render(request, "villages/my_orders.html", {"page": page})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    is_coordinator = core_selectors.user_coordinates_village(user=request.user,
                                                             village=order.village_id)
    return render(request, "villages/order_detail.html", {
        "order": order, "pay_form": forms.PaymentForm(),
        "refund_form": forms.RefundForm(initial={"refund_amount": getattr(
            getattr(order, "payment", None), "amount", None)}),
        "is_coordinator": is_coordinator,
        **order_page_context(request, order, is_coordinator=is_coordinator),
    })


# --- One view per operation on an order -------------------------------------------------------


class _OrderAction(ActionView):
    target = "order"

    def get_object(self, pk):
        return selectors.order_get_for_user(user=self.request.user, pk=pk)

    def default_next(self, order) -> str:
        return reverse("villages:order_detail", args=[order.pk])


class OrderCancelView(_OrderAction, ConfirmedActionView):
    """The buyer (or the village's coordinator) cancels an unpaid order; GET asks first."""

    service = staticmethod(services.order_cancel)
    done = gettext_lazy("Order cancelled.")
    yes = gettext_lazy("Yes, cancel the order")
    no = gettext_lazy("No, keep it")

    def confirm_context(self, order) -> dict:
        values = {"id": order.pk, "total": format_money(order.total, exact=True),
                  "village": order.village.name, "who": order.buyer.get_full_name() or order.buyer.username}
        if order.buyer_id == self.request.user.pk:
            question = _("Cancel your order %(id)s from %(village)s (%(total)s)?") % values
        else:
            question = _("Cancel %(who)s's order %(id)s (%(total)s)?") % values
        items = ", ".join(f"{i.product_name} × {i.quantity}" for i in order.items.all())
        return {"title": _("Cancel this order?"), "question": question,
                "details": [items, _("Its products go back on sale.")]}


class OrderRefundView(_OrderAction):
    """The village's coordinator cancels a paid order, recording the refund."""

    service = staticmethod(services.order_cancel)
    form_class = forms.RefundForm
    done = gettext_lazy("Order cancelled and refund recorded.")
    invalid = gettext_lazy("Please check the refund: %(e)s")


class OrderDeliverView(_OrderAction):
    service = staticmethod(services.order_mark_delivered)
    done = gettext_lazy("Marked as delivered.")


class OrderPayView(_OrderAction):
    service = staticmethod(services.order_mark_paid)
    form_class = forms.PaymentForm
    done = gettext_lazy("Payment recorded.")
    invalid = gettext_lazy("Please check the payment: %(e)s")
