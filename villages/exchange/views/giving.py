"""Donation campaigns: list, detail with the donation form, creation, spending, receipts and
the ledger of a pairing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.errors import DomainError
from synergy.core.filters import filtered_page
from synergy.core.web import ActionView, form_page, login_redirect, show_domain_error
from villages.exchange import selectors, services
from villages.exchange.errors import RepeatDonation
from villages.exchange.forms import CampaignForm, DonationForm, SpendingForm
from villages.exchange.views._common import go


def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/campaign_list.html", {
        "campaigns": filtered_page(request, lambda f: selectors.campaign_list(filters=f))})


def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.campaign_page(viewer=request.user, pk=pk)
    campaign, status = page.campaign, 200
    form = DonationForm(campaign_id=campaign.pk, user_id=request.user.pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_redirect(request)
        form = DonationForm(request.POST, campaign_id=campaign.pk, user_id=request.user.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                donation, created = services.donation_give(
                    donor=request.user, campaign=campaign.pk, amount=data["amount"],
                    anonymous=data["anonymous"], message=data["message"],
                    idempotency_key=data["idempotency_key"], confirm_repeat=data["confirm_repeat"])
            except RepeatDonation as exc:
                # Same form (same token) again, now with a box to tick: nothing was recorded.
                form = DonationForm(request.POST, campaign_id=campaign.pk, user_id=request.user.pk,
                                    ask_repeat=True)
                form.is_valid()
                form.add_error("confirm_repeat", exc.message)
            except DomainError as exc:
                # Keep what was typed, but with a fresh token: the old one is spent or refused.
                show_domain_error(request, exc)
                form = DonationForm(campaign_id=campaign.pk, user_id=request.user.pk, initial={
                    k: data[k] for k in ("amount", "anonymous", "message")})
            else:
                if not created:
                    messages.info(request, _("This form was already sent: your donation is "
                                             "recorded once."))
                return go(request, "exchange:donation-receipt", donation.pk)
        if form.errors:
            status = 400
    return render(request, "exchange/campaign_detail.html", {
        "campaign": campaign, "form": form,
        "lines": selectors.budget_lines_with_spending(campaign=campaign),
        "spendings": selectors.spending_list(campaign=campaign),
        "donations": selectors.donation_public_list(campaign=campaign),
        "is_coordinator": page.viewer_coordinates,
        "spending_form": SpendingForm(campaign=campaign) if page.viewer_coordinates else None,
    }, status=status)


class SpendingCreateView(ActionView):
    """The village's coordinator records money spent from a campaign (with a receipt photo)."""

    form_class = SpendingForm
    once = "spending"
    done = gettext_lazy("Spending recorded.")
    invalid = gettext_lazy("Please check the spending entry: %(e)s")

    def get_object(self, pk):
        return selectors.campaign_get(pk=pk, viewer=self.request.user)

    def default_next(self, campaign) -> str:
        return reverse("exchange:campaign-detail", args=[campaign.pk])

    def get_form(self, campaign):
        return SpendingForm(self.request.POST, self.request.FILES, campaign=campaign)

    def perform(self, campaign, data):
        return services.spending_record(recorded_by=self.request.user, campaign=campaign, **data)


@login_required
def donation_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    donation = selectors.donation_get_for_viewer(viewer=request.user, pk=pk)
    return render(request, "exchange/receipt.html", {"donation": donation})


def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = selectors.pairing_get(pk=pk)
    return render(request, "exchange/ledger.html", {
        "pairing": pairing, "ledger": selectors.pairing_ledger(pairing=pairing)})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    places = core_selectors.coordinated_villages(user=request.user)
    return form_page(
        request, form=CampaignForm(request.POST or None, request.FILES or None, places=places),
        template="exchange/form.html",
        save=lambda d: services.campaign_create(created_by=request.user, **d),
        on_success=lambda campaign: go(request, "exchange:campaign-detail", campaign.pk),
        done=_("Campaign started."),
        context={"title": _("Start a donation campaign"), "no_places": not places.exists()})
