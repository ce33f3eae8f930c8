"""A merchant's shop after it is listed: edit and remove the shop, its offers and coupons; redeem
residents' codes. A resident claims a coupon and finds their codes on "My coupons"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import forms, selectors, services
from synergy.core.errors import DomainError, NotAllowed
from synergy.core.web import form_page, show_domain_error


def _circle(business) -> str:
    return reverse("community:businesses", args=[business.community.slug])


def _owner_only(request, business) -> None:
    """The edit pages are the owner's (or the manager's): others get 403 before any form."""
    services.shops._check_owner(request.user, business)


def _edit_page(request, *, business, form, title: str, save, done: str) -> HttpResponse:
    _owner_only(request, business)
    return form_page(request, form=form, template="community/shop_edit.html", save=save,
                     on_success=lambda _obj: redirect(_circle(business)), done=done,
                     context={"community": business.community, "business": business,
                              "title": title, "back": _circle(business)})


@login_required
def shop_edit(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(pk=pk)
    initial = {f: getattr(business, f) for f in services.shops.BUSINESS_FIELDS}
    return _edit_page(
        request, business=business, title=_("Edit %(name)s") % {"name": business.name},
        form=forms.BusinessForm(request.POST or None, initial=initial),
        save=lambda data: services.business_update(actor=request.user, business=business, **data),
        done=_("Shop saved."))


@login_required
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(pk=pk)
    initial = {f: getattr(offer, f) for f in ("title", "price", "valid_until")}
    return _edit_page(
        request, business=offer.business, title=_("Edit the offer"),
        form=forms.OfferForm(request.POST or None, initial=initial),
        save=lambda data: services.offer_update(actor=request.user, offer=offer, **data),
        done=_("Offer saved."))


@login_required
def coupon_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coupon = selectors.coupon_get(pk=pk)
    initial = {f: getattr(coupon, f) for f in services.shops.COUPON_FIELDS}
    return _edit_page(
        request, business=coupon.business, title=_("Edit coupon %(code)s") % {"code": coupon.code},
        form=forms.CouponEditForm(request.POST or None, initial=initial),
        save=lambda data: services.coupon_update(actor=request.user, coupon=coupon, **data),
        done=_("Coupon saved."))


def _remove_page(request, *, business, what: str, sentence: str, remove, done: str) -> HttpResponse:
    """GET: a page that says what will go; POST: remove it and go back to the business circle."""
    _owner_only(request, business)
    if request.method == "POST":
        try:
            remove()
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, done)
        return redirect(_circle(business))
    return render(request, "community/shop_remove.html", {
        "community": business.community, "business": business, "what": what,
        "sentence": sentence, "back": _circle(business)})


@login_required
def shop_remove(request: HttpRequest, pk: int) -> HttpResponse:
    business = selectors.business_get(pk=pk)
    return _remove_page(
        request, business=business, what=business.name,
        sentence=_("The shop leaves the business circle: residents no longer see it, its offers "
                   "or its coupons."),
        remove=lambda: services.business_remove(actor=request.user, business=business),
        done=_("The shop was removed from the business circle."))


@login_required
def offer_remove(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get(pk=pk)
    return _remove_page(
        request, business=offer.business, what=offer.title,
        sentence=_("The offer is deleted: residents no longer see it."),
        remove=lambda: services.offer_remove(actor=request.user, offer=offer),
        done=_("Offer removed."))


@login_required
def coupon_remove(request: HttpRequest, pk: int) -> HttpResponse:
    coupon = selectors.coupon_get(pk=pk)
    return _remove_page(
        request, business=coupon.business, what=f"{coupon.code} · {coupon.title}",
        sentence=_("Nobody can claim this coupon any more. Codes already claimed can still be "
                   "redeemed until the coupon expires."),
        remove=lambda: services.coupon_remove(actor=request.user, coupon=coupon),
        done=_("Coupon withdrawn."))


@require_POST
@login_required
def coupon_claim(request: HttpRequest, pk: int) -> HttpResponse:
    coupon = selectors.coupon_get(pk=pk)
    try:
        claim = services.coupon_claim(user=request.user, coupon=coupon)
    except NotAllowed:
        raise
    except DomainError as exc:
        show_domain_error(request, exc)
        return redirect(_circle(coupon.business))
    messages.success(request, _("Coupon claimed: show the code %(code)s at the shop.")
                     % {"code": claim.code})
    return redirect("community:my_coupons")


@login_required
def my_coupons(request: HttpRequest) -> HttpResponse:
    return render(request, "community/my_coupons.html", {
        "claims": selectors.coupon_claims_for_user(user=request.user)[:200]})


@login_required
def shop_redeem(request: HttpRequest, pk: int) -> HttpResponse:
    """The till: the merchant types the resident's code; below, the claims on the shop's coupons."""
    business = selectors.business_get(pk=pk)
    claims = selectors.coupon_claims_for_business(user=request.user, business=business)
    here = reverse("community:shop_redeem", args=[business.pk])
    return form_page(
        request, form=forms.RedeemForm(request.POST or None), template="community/shop_redeem.html",
        save=lambda data: services.coupon_redeem(actor=request.user, business=business, **data),
        on_success=lambda claim: _redeemed(request, claim, here),
        context={"community": business.community, "business": business, "claims": claims[:200],
                 "back": _circle(business)})


def _redeemed(request, claim, here) -> HttpResponse:
    messages.success(request, _("Code %(code)s redeemed: %(discount)s for %(who)s.")
                     % {"code": claim.code, "discount": claim.coupon.discount, "who": claim.user})
    return redirect(here)
