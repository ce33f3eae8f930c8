"""Group-buy rounds: the public round page (progress, countdown, share link and QR code, join
forms) and the coordinator's pages (open, edit before any order, detail, deliver, cancel)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from synergy.core import selectors as core_selectors
from synergy.core.errors import DomainError
from synergy.core.web import form_page, show_domain_error
from villages import forms, selectors, services
from villages.models import GroupBuyRound, ListingStatus
from villages.views._common import ConfirmedActionView, back_office


def qr_svg(text: str) -> str:
    """`text` as a QR code, an inline SVG drawn on the server (segno), big enough to scan
    from a phone screen."""
    svg = segno.make(text, error="m").svg_inline(scale=5, border=2, dark="#1b1b1b", light="#fff",
                                                  svgclass="qr", omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno writes only paths computed from the text


def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A round for residents: products at the group price, progress to the threshold, the
    cut-off countdown, a share link with its QR code, and a join form per product."""
    round_ = selectors.round_get_public(pk=pk)
    share_url = request.build_absolute_uri(reverse("villages:round_page", args=[round_.pk]))
    now = timezone.now()
    return render(request, "villages/round_page.html", {
        "round": round_, "offers": list(round_.offers.all()), "share_url": share_url,
        "qr": qr_svg(share_url), "now": now, "published": ListingStatus.PUBLISHED,
        "seconds_left": max(0, int((round_.cutoff_at - now).total_seconds())),
        "can_manage": core_selectors.user_coordinates_village(user=request.user,
                                                             village=round_.village_id),
    })


def _village_products(village):
    return list(selectors.product_list(village=village).prefetch_related(None).order_by("name", "pk"))


@back_office
def round_new(request: HttpRequest, village_id: int) -> HttpResponse:
    village = selectors.village_get_for_coordinator(user=request.user, pk=village_id)
    form = forms.RoundForm(request.POST or None, products=_village_products(village),
                           communities=core_selectors.paired_communities(village=village))
    return form_page(
        request, form=form, template="villages/form_page.html",
        save=lambda data: services.round_open(
            by=request.user, village=village, title=data["title"], cutoff_at=data["cutoff_at"],
            delivery_date=data["delivery_date"], note=data["note"], pickups=form.pickups(),
            min_units=data["min_units"], products=form.offers()),
        on_success=lambda round_: redirect("villages:round_detail", pk=round_.pk),
        done=_("Round opened."),
        context={"village": village, "title": _("Open a group-buy round")})


@back_office
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_coordinator(user=request.user, pk=pk)
    initial = {"title": round_.title, "note": round_.note, "min_units": round_.min_units}
    initial |= {f"price_{o.product_id}": o.group_price for o in round_.offers.all()}
    form = forms.RoundEditForm(request.POST or None, initial=initial,
                               products=_village_products(round_.village_id))
    return form_page(
        request, form=form, template="villages/form_page.html",
        save=lambda data: services.round_update(
            by=request.user, round=round_, title=data["title"], note=data["note"],
            min_units=data["min_units"], products=form.offers()),
        on_success=lambda saved: redirect("villages:round_detail", pk=round_.pk),
        done=_("Round saved."),
        context={"village": round_.village, "title": _("Edit “%(round)s”") % {"round": round_.title}})


@back_office
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_get_for_coordinator(user=request.user, pk=pk)
    return render(request, "villages/round_detail.html", {
        "round": round_, "demand": selectors.round_demand(viewer=request.user, round=round_),
        "orders": selectors.order_list_for_village(viewer=request.user, village=round_.village_id,
                                                   filters={"round": round_.pk}),
        "now": timezone.now(),
    })


@login_required
@require_POST
def round_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_object_or_404(GroupBuyRound, pk=pk)
    try:
        count = services.round_deliver(by=request.user, round=round_)
        messages.success(request, _("Round delivered: %(n)s orders ready for pickup.") % {"n": count})
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("villages:round_detail", pk=pk)


class RoundCancelView(ConfirmedActionView):
    """The coordinator calls off an open round; GET asks first, naming what is lost."""

    service = staticmethod(services.round_cancel)
    target = "round"
    done = gettext_lazy("Round cancelled: its orders are cancelled and the buyers told.")
    yes = gettext_lazy("Yes, cancel the round")
    no = gettext_lazy("No, keep it")

    def get_object(self, pk):
        return selectors.round_get_for_coordinator(user=self.request.user, pk=pk)

    def default_next(self, round_) -> str:
        return reverse("villages:round_detail", args=[round_.pk])

    def confirm_context(self, round_) -> dict:
        return {"title": _("Cancel this round?"),
                "question": _("Cancel “%(round)s”?") % {"round": round_.title},
                "details": [_("Every order in it is cancelled, its products go back on sale, paid "
                              "orders are refunded in full by the way they were paid, and the "
                              "buyers are told.")]}
