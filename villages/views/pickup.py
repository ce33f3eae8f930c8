"""The pickup point's pages: the counter (enter or scan a buyer's code, hand the order over),
the manager's list of pickup staff, and a round's picking list (page, CSV, XLSX)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from synergy.core import selectors as core_selectors
from synergy.core.errors import DomainError, NotAllowed
from synergy.core.exports import safe_row
from synergy.core.models import Community
from synergy.core.web import show_domain_error
from villages import forms, selectors, services
from villages.models import GroupBuyRound, PickupStaff
from villages.views._common import ActionView


def _counter_url(community_id: int) -> str:
    return reverse("villages:pickup_counter") + "?" + urlencode({"community": community_id})


@login_required
@require_http_methods(["GET", "POST"])
def pickup_counter(request: HttpRequest) -> HttpResponse:
    """Choose the community (if several), enter the code → the order → "hand over"."""
    communities = list(selectors.pickup_communities_for_user(user=request.user))
    if not communities:
        raise Http404
    by_id = {str(c.pk): c for c in communities}
    # The code is POSTed, never put in a URL (access logs, history); a wrong one counts a try.
    data = request.POST if request.method == "POST" else None
    community = by_id.get((data or request.GET).get("community", ""), communities[0])
    form = forms.PickupCodeForm(data)
    order, status = None, 200
    if form.is_bound:
        try:
            order = services.order_find_by_code(by=request.user, community=community,
                                                code=data.get("code", ""))
        except DomainError as exc:
            form = forms.PickupCodeForm(data)
            form.is_valid()
            show_domain_error(request, exc, form)
            status = 400
    return render(request, "villages/pickup_counter.html", {
        "communities": communities, "community": community, "form": form, "order": order,
        "code": order.pickup_code if order else "",
        "rounds": selectors.recent_rounds_for_community(community=community),
        "manages": community in selectors.managed_communities(user=request.user),
    }, status=status)


class PickupHandOverView(ActionView):
    """POST the code again to hand the order over (the service checks it on the locked row)."""

    service = staticmethod(services.order_collect)
    target = "order"
    form_class = forms.PickupCodeForm
    done = gettext_lazy("Handed over. The buyer has been told.")
    invalid = gettext_lazy("Please check the code: %(e)s")

    def get_object(self, pk):
        return selectors.order_get_for_pickup(user=self.request.user, pk=pk)

    def default_next(self, order) -> str:
        return _counter_url(order.pickup_community_id)


# --- Pickup staff ------------------------------------------------------------------------------


@login_required
def pickup_staff(request: HttpRequest, community_id: int) -> HttpResponse:
    community = get_object_or_404(Community, pk=community_id)
    try:
        staff = selectors.pickup_staff_list(viewer=request.user, community=community)
    except NotAllowed:
        raise Http404 from None
    form = forms.PickupStaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = selectors.user_find_by_login(login=form.cleaned_data["username"])
        if person is None:
            form.add_error("username", _("No account with this username or phone."))
        else:
            try:
                services.pickup_staff_add(by=request.user, community=community, user=person)
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("%(who)s can now hand orders over here.")
                                 % {"who": person})
                return redirect("villages:pickup_staff", community_id=community.pk)
    return render(request, "villages/pickup_staff.html", {
        "community": community, "staff": staff, "form": form})


class PickupStaffRemoveView(ActionView):
    service = staticmethod(services.pickup_staff_remove)
    target = "staff"
    done = gettext_lazy("Removed from the pickup staff.")

    def get_object(self, pk):
        return get_object_or_404(PickupStaff, pk=pk)

    def default_next(self, staff) -> str:
        return reverse("villages:pickup_staff", args=[staff.community_id])


# --- Picking list -------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [_("Order"), _("Buyer"), _("Items"), _("Total (CNY)"), _("Paid"), _("Status")]


def _cells(row) -> list:
    return [row.order_id, row.buyer, row.items, row.total, _("yes") if row.paid else _("no"),
            row.status]


@login_required
def picking_list(request: HttpRequest, pk: int, community_id: int) -> HttpResponse:
    round_ = get_object_or_404(GroupBuyRound.objects.select_related("village"), pk=pk)
    community = get_object_or_404(Community, pk=community_id)
    try:
        rows = selectors.picking_list(viewer=request.user, round=round_, community=community)
    except NotAllowed:
        raise Http404 from None
    fmt = request.GET.get("format", "")
    name = f"picking-round{round_.pk}-community{community.pk}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(safe_row(_headers()))
        for row in rows:
            writer.writerow(safe_row(_cells(row)))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = _("Picking list")[:31]
        sheet.append(safe_row(_headers()))
        for row in rows:
            sheet.append(safe_row(_cells(row)))  # the total stays a number, so the sheet sums it
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(data.getvalue(), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    return render(request, "villages/picking_list.html", {
        "round": round_, "community": community, "rows": rows,
        "coordinates": core_selectors.user_coordinates_village(user=request.user,
                                                               village=round_.village_id),
        "total": sum((r.total for r in rows), 0)})
