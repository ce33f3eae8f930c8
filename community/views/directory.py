"""Bills, the business circle, the services directory and housing pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import forms, selectors, services
from community.exports import bills_csv
from community.models import ServiceKind
from community.views.common import PageAction, run_action
from synergy.core import selectors as core
from synergy.core.filters import filtered_page
from synergy.core.models import Role
from synergy.core.web import form_page, login_redirect, parse_id
from villages import selectors as village_selectors


class IssueBill(PageAction):
    name, done = "bill", gettext_lazy("Bill issued.")

    def allowed(self, page):
        return page["manages"]

    def form(self, request, page):
        return forms.BillForm(request.POST, prefix="bill")

    def save(self, request, page, form):
        services.bill_create(created_by=request.user, community=page["community"], **form.cleaned_data)


class RecordPayment(PageAction):
    name, done = "payment", gettext_lazy("Payment recorded.")

    def allowed(self, page):
        return page["manages"]

    def form(self, request, page):
        return forms.PaymentForm(request.POST)

    def save(self, request, page, form):
        data = dict(form.cleaned_data)
        bill = selectors.bill_get_for_manager(user=request.user, pk=data.pop("bill"))
        services.payment_record(recorded_by=request.user, bill=bill, **data)


@login_required
def bills(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_bills(user=request.user, slug=slug)
    manages = core.user_manages_community(user=request.user, community=community)
    page = {"community": community, "manages": manages, "here": request.path}
    shown = {"bill": forms.BillForm(prefix="bill") if manages else None}
    if request.method == "POST" and manages:
        action = IssueBill() if "bill-unit" in request.POST else RecordPayment()
        if (done := run_action(request, action, page, shown)) is not None:
            return done
        if action.name == "payment" and not shown["payment"].is_valid():
            messages.error(request, _("Check the payment amount and date: %(e)s") % {
                "e": " ".join(str(e) for errs in shown["payment"].errors.values() for e in errs)})
    rows = filtered_page(request, lambda filters: selectors.bill_list(
        community=community, viewer=request.user, filters=filters))
    return render(request, "community/bills.html", {
        "community": community, "manages": manages,
        "unit": None if manages else selectors.resident_unit(user=request.user, community=community),
        "bills": rows[:200], "bill_form": shown["bill"], "today": timezone.localdate(),
        "arrears": selectors.arrears_report(community=community) if manages else None,
    })


@login_required
def bills_export(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_manager(user=request.user, slug=slug)
    return bills_csv(filtered_page(request, lambda filters: selectors.bill_list(
        community=community, viewer=request.user, filters=filters)))


class ListShop(PageAction):
    name, done = "shop", gettext_lazy("Your shop is listed.")

    def allowed(self, page):
        return page["is_merchant"]

    def form(self, request, page):
        return forms.BusinessForm(request.POST, prefix="shop")

    def save(self, request, page, form):
        services.business_create(owner=request.user, community=page["community"], **form.cleaned_data)


class AddToShop(PageAction):
    """An offer or a coupon for one of the viewer's shops (the service checks who owns it)."""

    def __init__(self, name, form_class, service, done):
        self.name, self.form_class, self.service, self.done = name, form_class, service, done

    def form(self, request, page):
        # The shop's id is checked first: a malformed one is a 400 naming it, whatever the form.
        form = self.form_class(request.POST, prefix=self.name)
        form.business_id = parse_id(request.POST.get("business"), name="business")
        return form

    def save(self, request, page, form):
        business = selectors.business_get(pk=form.business_id)
        self.service(actor=request.user, business=business, **form.cleaned_data)


BUSINESS_ACTIONS = {a.name: a for a in [
    ListShop(),
    AddToShop("offer", forms.OfferForm, services.offer_create, gettext_lazy("Offer added.")),
    AddToShop("coupon", forms.CouponForm, services.coupon_create, gettext_lazy("Coupon added.")),
]}


def businesses(request: HttpRequest, slug: str) -> HttpResponse:
    """The business circle; a merchant of the community lists a shop and adds offers and coupons."""
    community = selectors.community_get(slug=slug)
    is_merchant = core.user_has_role(user=request.user, role=Role.MERCHANT, community=community)
    page = {"community": community, "is_merchant": is_merchant, "here": request.path}
    shown = {"shop": forms.BusinessForm(prefix="shop") if is_merchant else None,
             "offer": forms.OfferForm(prefix="offer"), "coupon": forms.CouponForm(prefix="coupon")}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request)
        action = BUSINESS_ACTIONS.get(request.POST.get("form", ""))
        done = (run_action(request, action, page, shown)
                if action is not None and action.allowed(page) else None)
        if done is not None:
            return done
    return render(request, "community/businesses.html", {
        "community": community,
        "businesses": filtered_page(request, lambda filters: selectors.business_list(
            community=community, filters=filters)),
        "shop_form": shown["shop"], "offer_form": shown["offer"], "coupon_form": shown["coupon"],
        "blank_offer_form": forms.OfferForm(prefix="offer"),
        "blank_coupon_form": forms.CouponForm(prefix="coupon"),
        "is_resident": core.user_is_resident_of(user=request.user, community=community),
        "claimed": selectors.coupon_claimed_ids(user=request.user),
    })


def services_page(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    context = {
        "community": community, "kind": request.GET.get("kind") or None, "kinds": ServiceKind.choices,
        "services": filtered_page(request, lambda filters: selectors.service_list(
            community=community, filters=filters)),
    }
    if not core.user_manages_community(user=request.user, community=community):
        return render(request, "community/services.html", {**context, "form": None})
    return form_page(
        request, form=forms.ServiceForm(request.POST or None), template="community/services.html",
        save=lambda data: services.service_create(actor=request.user, community=community, **data),
        on_success=lambda _service: redirect("community:services", slug=slug),
        done=_("Service added."), context=context)


def housing(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    context = {
        "community": community, "filters": forms.HousingFilterForm(request.GET or None),
        "listings": filtered_page(request, lambda filters: selectors.housing_list(
            community=community, filters=filters))[:100],
        "stays": village_selectors.stay_list_for_community(community=community),
    }
    if not core.user_has_role(user=request.user, role=[Role.RESIDENT, Role.PROPERTY_MANAGER],
                              community=community):
        return render(request, "community/housing.html", {**context, "form": None})
    return form_page(
        request, form=forms.HousingForm(request.POST or None, request.FILES or None),
        template="community/housing.html",
        save=lambda data: services.housing_create(posted_by=request.user, community=community,
                                                  **data),
        on_success=lambda _listing: redirect("community:housing", slug=slug),
        done=_("Listing posted."), context=context)
