"""Administrators review campaigns and investment needs (the exchange's part of the moderation
queue); coordinators edit theirs, which sends new text back to review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core.web import ActionView, form_page
from villages.exchange import selectors, services
from villages.exchange.forms import CampaignEditForm, InvestmentNeedEditForm, ReviewForm
from villages.exchange.views._common import go

REVIEW_KINDS = {
    "campaign": (selectors.campaign_get, services.campaign_review, "campaign"),
    "investment": (selectors.investment_need_get, services.investment_need_review, "need"),
}


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    queue = selectors.review_queue(viewer=request.user)
    return render(request, "exchange/review.html", {
        "campaigns": queue.campaigns, "needs": queue.needs, "review_form": ReviewForm()})


class ReviewView(ActionView):
    """An administrator approves a campaign or investment need, or sends it back with a note."""

    form_class = ReviewForm
    done = gettext_lazy("Decision recorded; the coordinator is told.")
    invalid = gettext_lazy("Please check the decision: %(e)s")

    def get_object(self, pk):
        kind = self.kwargs["kind"]
        if kind not in REVIEW_KINDS:
            raise Http404
        return REVIEW_KINDS[kind][0](pk=pk, viewer=self.request.user)

    def default_next(self, obj) -> str:
        return reverse("exchange:review")

    def perform(self, obj, data):
        _get, service, target = REVIEW_KINDS[self.kwargs["kind"]]
        return service(by=self.request.user, **{target: obj},
                       approve=data["decision"] == "approve", note=data["note"])


@login_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.campaign_page(viewer=request.user, pk=pk)
    if not page.viewer_coordinates:
        raise Http404
    campaign = page.campaign
    form = CampaignEditForm(request.POST or None, initial={
        "title": campaign.title, "purpose": campaign.purpose, "goal": campaign.goal,
        "deadline": campaign.deadline})
    return form_page(
        request, form=form, template="exchange/form.html",
        save=lambda d: services.campaign_update(by=request.user, campaign=campaign, **d),
        on_success=lambda saved: go(request, "exchange:campaign-detail", saved.pk),
        done=_("Campaign saved."),
        context={"title": _("Edit the campaign"), "record": campaign})


@login_required
def investment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.investment_page(viewer=request.user, pk=pk)
    if not page.viewer_coordinates:
        raise Http404
    need = page.need
    form = InvestmentNeedEditForm(request.POST or None, initial={
        "title": need.title, "sector": need.sector, "amount_sought": need.amount_sought,
        "use_of_funds": need.use_of_funds, "model": need.model})
    return form_page(
        request, form=form, template="exchange/form.html",
        save=lambda d: services.investment_need_update(by=request.user, need=need, **d),
        on_success=lambda saved: go(request, "exchange:investment-detail", saved.pk),
        done=_("Investment need saved."),
        context={"title": _("Edit the investment need"), "record": need})
