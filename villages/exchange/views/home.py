"""The exchange's front page and the coordinator's dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from synergy.core import selectors as core_selectors
from synergy.core.models import Role
from villages.exchange import selectors
from villages.exchange.forms import HoursForm, ReplyForm


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/index.html", {
        "campaigns": selectors.campaign_list(open_only=True)[:6],
        "needs": selectors.volunteer_need_list()[:6],
        "investment_needs": selectors.investment_need_list()[:6],
        "jobs": selectors.job_list()[:6],
        "offers": selectors.labour_offer_list()[:6],
        "events": selectors.event_list()[:6],
        "pairings": core_selectors.pairing_list(),
    })


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's exchange sections: campaigns, hours to confirm, interests to answer."""
    signups = selectors.signups_for_coordinator_dashboard(user=request.user)
    return render(request, "exchange/dashboard.html", {
        "villages": core_selectors.villages_of_user(user=request.user, role=Role.COORDINATOR),
        "campaigns": selectors.campaign_list_for_coordinator(user=request.user),
        "investment_needs": selectors.investment_need_list_for_coordinator(user=request.user),
        "to_confirm": signups.to_confirm,
        "upcoming": signups.upcoming,
        "interests": selectors.interest_list_for_coordinator(user=request.user),
        "hours_form": HoursForm(), "reply_form": ReplyForm(),
    })
