"""Reads of investment needs, their attachments and the interest investors expressed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.filters import apply_filters
from synergy.core.models import Role, User, Village
from villages.exchange.models import (
    InterestMessage,
    InvestmentInterest,
    InvestmentNeed,
    OpenStatus,
    ReviewStatus,
)
from villages.exchange.selectors._common import get_or_404, is_logged_in, visible_or_404
from villages.exchange.selectors.filters import InvestmentNeedFilter


def investment_need_list(*, village: Village | int | None = None, open_only: bool = True,
                         filters: Mapping | None = None,
                         approved_only: bool = True) -> QuerySet[InvestmentNeed]:
    """Needs, newest first, with `interests_count`, narrowed by `filters`
    (InvestmentNeedFilter: village, model). Only approved ones (the public) unless
    `approved_only=False`."""
    qs = InvestmentNeed.objects.select_related("village").annotate(
        interests_count=Count("interests"))
    if approved_only:
        qs = qs.filter(review_status=ReviewStatus.APPROVED)
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return apply_filters(InvestmentNeedFilter, filters, qs.order_by("-created_at", "-pk"))


def investment_need_get(*, pk: int, viewer: User | None = None) -> InvestmentNeed:
    """One need; Http404 if there is none, or if it is not approved and the viewer does not
    coordinate its village."""
    return visible_or_404(get_or_404(InvestmentNeed.objects.select_related("village"), pk=pk),
                          viewer=viewer)


def investment_need_list_for_coordinator(*, user: User) -> QuerySet[InvestmentNeed]:
    """The needs of the villages the user coordinates, open or closed, whatever their review."""
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return investment_need_list(open_only=False, approved_only=False).filter(village__in=villages)


def investment_attachment_visible(*, user: User, need: InvestmentNeed) -> bool:
    """Who may open an investment need's attachment (a business plan, accounts): the need itself
    is public, its attachment is not. The village's coordinators, platform administrators, and
    people who have expressed interest in this need (the investors it was written for)."""
    if not is_logged_in(user):
        return False
    if core_selectors.user_is_platform_admin(user=user) or core_selectors.user_coordinates_village(
            user=user, village=need.village_id):
        return True
    return InvestmentInterest.objects.filter(need=need, investor=user).exists()


def investment_attachment_for_viewer(*, viewer: User | None, pk: int) -> InvestmentNeed:
    """The need whose attachment the viewer asks for: Http404 if there is no such need or it has
    no attachment; NotAllowed unless `investment_attachment_visible`."""
    need = investment_need_get(pk=pk, viewer=viewer)
    if not need.attachment:
        raise Http404
    if not investment_attachment_visible(user=viewer, need=need):
        raise NotAllowed(_("Express interest in this need to receive its attachment."))
    return need


def _thread() -> Prefetch:
    return Prefetch("messages", queryset=InterestMessage.objects.select_related("author")
                    .order_by("created", "pk"))


def _interests_of(need: InvestmentNeed) -> QuerySet[InvestmentInterest]:
    return (need.interests.select_related("investor").prefetch_related(_thread())
            .order_by("-created_at", "-pk"))


def interest_list_for_need(*, viewer: User | None, need: InvestmentNeed) -> QuerySet[InvestmentInterest]:
    """Every interest in a need, newest first: for the village's coordinators and
    administrators; NotAllowed for anyone else."""
    core_selectors.require_village_coordinator(
        user=viewer, village=need.village_id,
        message=_("Only this village's coordinators can see who is interested in its needs."))
    return _interests_of(need)


def interest_list_visible_for_need(*, viewer: User | None,
                                   need: InvestmentNeed) -> QuerySet[InvestmentInterest]:
    """What a need's page lists: every interest for the village's coordinators and
    administrators, the viewer's own for anyone else (none for an anonymous visitor)."""
    if core_selectors.user_coordinates_village(user=viewer, village=need.village_id):
        return _interests_of(need)
    if not is_logged_in(viewer):
        return InvestmentInterest.objects.none()
    return _interests_of(need).filter(investor=viewer)


def interest_get(*, pk: int) -> InvestmentInterest:
    """An interest with its need and investor (services decide who may answer it)."""
    return get_or_404(InvestmentInterest.objects.select_related("need", "investor")
                      .prefetch_related(_thread()), pk=pk)


def interest_get_for_viewer(*, viewer: User | None, pk: int) -> InvestmentInterest:
    """An interest with its conversation: for its investor, the village's coordinators and
    administrators; NotAllowed for anyone else."""
    interest = interest_get(pk=pk)
    if is_logged_in(viewer) and (viewer.pk == interest.investor_id
                                 or core_selectors.user_coordinates_village(
                                     user=viewer, village=interest.need.village_id)):
        return interest
    raise NotAllowed(_("Only the investor and the village's coordinators see this conversation."))


def interest_list_for_coordinator(*, user: User) -> QuerySet[InvestmentInterest]:
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return (InvestmentInterest.objects.filter(need__village__in=villages)
            .select_related("need", "investor").order_by("-created_at", "-pk"))


@dataclass
class InvestmentPage:
    """A need as a viewer sees it: the interests they may see, whether they coordinate its
    village (they answer), and whether they may open its attachment."""

    need: InvestmentNeed
    interests: QuerySet[InvestmentInterest]
    viewer_coordinates: bool
    attachment_visible: bool


def investment_page(*, viewer: User | None, pk: int) -> InvestmentPage:
    need = investment_need_get(pk=pk, viewer=viewer)
    return InvestmentPage(
        need, interest_list_visible_for_need(viewer=viewer, need=need),
        core_selectors.user_coordinates_village(user=viewer, village=need.village_id),
        investment_attachment_visible(user=viewer, need=need))
