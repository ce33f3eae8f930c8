"""Reads of donation campaigns, their budgets, spending and donations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from synergy.core import selectors as core_selectors
from synergy.core.filters import apply_filters
from synergy.core.models import Role, User, Village
from villages.exchange.models import (
    BudgetLine,
    Campaign,
    Donation,
    OpenStatus,
    ReviewStatus,
    Spending,
)
from villages.exchange.selectors._common import get_or_404, is_logged_in, visible_or_404
from villages.exchange.selectors.filters import CampaignFilter


def _budget_lines_with_spent() -> Prefetch:
    # Coalesce: a line with no spending yet has spent 0.00, not null.
    lines = BudgetLine.objects.annotate(
        spent=Coalesce(Sum("spendings__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    ).order_by("pk")
    return Prefetch("budget_lines", queryset=lines)


def campaign_list(*, village: Village | int | None = None, open_only: bool = False,
                  filters: Mapping | None = None, approved_only: bool = True) -> QuerySet[Campaign]:
    """Campaigns, closing soonest first, narrowed by `filters` (CampaignFilter: village, open).
    Only approved ones (the public) unless `approved_only=False` (a coordinator's own list)."""
    qs = Campaign.objects.select_related("village").prefetch_related(_budget_lines_with_spent())
    if approved_only:
        qs = qs.filter(review_status=ReviewStatus.APPROVED)
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN, deadline__gte=timezone.localdate())
    return apply_filters(CampaignFilter, filters, qs.order_by("deadline", "pk"))


def campaign_list_for_coordinator(*, user: User) -> QuerySet[Campaign]:
    """The campaigns of the villages the user coordinates (their dashboard), whatever their
    review."""
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return campaign_list(approved_only=False).filter(village__in=villages)


def _campaign_qs() -> QuerySet[Campaign]:
    return (Campaign.objects.select_related("village")
            .prefetch_related(_budget_lines_with_spent()).annotate(spent=Sum("spendings__amount")))


def campaign_get(*, pk: int, viewer: User | None = None) -> Campaign:
    """One campaign with its budget lines and what was spent; Http404 if there is none, or if
    it is not approved and the viewer does not coordinate its village."""
    return visible_or_404(get_or_404(_campaign_qs(), pk=pk), viewer=viewer)


def campaign_get_to_give(*, pk: int, viewer: User | None = None) -> Campaign:
    """The campaign's own row, for giving to it (no budget lines, no sums); Http404 as
    `campaign_get`."""
    return visible_or_404(get_or_404(Campaign.objects.all(), pk=pk), viewer=viewer)


def budget_lines_with_spending(*, campaign: Campaign):
    return campaign.budget_lines.annotate(
        spent=Coalesce(Sum("spendings__amount"), Value(Decimal("0.00")), output_field=DecimalField())
    ).order_by("pk")


def spending_list(*, campaign: Campaign) -> QuerySet[Spending]:
    return campaign.spendings.select_related("budget_line").order_by("-spent_on", "-pk")


def donation_public_list(*, campaign: Campaign, limit: int = 20) -> QuerySet[Donation]:
    """The campaign's recent donations; templates hide the donor when `anonymous`."""
    return campaign.donations.select_related("donor").order_by("-created_at", "-pk")[:limit]


@dataclass
class CampaignPage:
    """A campaign as a viewer sees it: its coordinators (and administrators) also get the
    spending form, its review status and the reviewer's note."""

    campaign: Campaign
    viewer_coordinates: bool


def campaign_page(*, viewer: User | None, pk: int) -> CampaignPage:
    campaign = campaign_get(pk=pk, viewer=viewer)
    return CampaignPage(campaign, core_selectors.user_coordinates_village(
        user=viewer, village=campaign.village_id))


def donation_get_for_viewer(*, viewer: User | None, pk: int) -> Donation:
    """A receipt: its donor, the village's coordinators and administrators may see it; Http404
    for anyone else (a receipt's existence is not revealed)."""
    donation = get_or_404(Donation.objects.select_related(
        "campaign", "campaign__village", "donor", "pairing"), pk=pk)
    if is_logged_in(viewer) and (donation.donor_id == viewer.pk
                                 or core_selectors.user_coordinates_village(
                                     user=viewer, village=donation.campaign.village_id)):
        return donation
    raise Http404


def donation_list_for_donor(*, user: User) -> QuerySet[Donation]:
    return Donation.objects.filter(donor=user).select_related("campaign", "campaign__village")
