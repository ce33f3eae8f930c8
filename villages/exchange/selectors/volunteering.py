"""Reads of volunteer needs, their slots, volunteer profiles and sign-ups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from synergy.core import selectors as core_selectors
from synergy.core.filters import apply_filters
from synergy.core.models import Role, User, Village
from villages.exchange.models import (
    OpenStatus,
    Signup,
    SignupStatus,
    VolunteerNeed,
    VolunteerProfile,
    VolunteerSlot,
)
from villages.exchange.selectors._common import get_or_404, is_logged_in
from villages.exchange.selectors.filters import VolunteerNeedFilter


def volunteer_need_list(*, village: Village | int | None = None, open_only: bool = True,
                        filters: Mapping | None = None) -> QuerySet[VolunteerNeed]:
    """Needs, newest first, each with its `upcoming_slots`, narrowed by `filters`
    (VolunteerNeedFilter: village, category, skill)."""
    upcoming = VolunteerSlot.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")
    qs = VolunteerNeed.objects.select_related("village").prefetch_related(
        Prefetch("slots", queryset=upcoming, to_attr="upcoming_slots"))
    if village is not None:
        qs = qs.filter(village=village)
    if open_only:
        qs = qs.filter(status=OpenStatus.OPEN)
    return apply_filters(VolunteerNeedFilter, filters, qs.order_by("-created_at", "-pk"))


def volunteer_need_get(*, pk: int) -> VolunteerNeed:
    """One need with all its slots; Http404 if there is none."""
    return get_or_404(VolunteerNeed.objects.select_related("village").prefetch_related(
        Prefetch("slots", queryset=VolunteerSlot.objects.order_by("starts_at"))), pk=pk)


def volunteer_slot_get(*, pk: int) -> VolunteerSlot:
    return get_or_404(VolunteerSlot.objects.select_related("need"), pk=pk)


@dataclass
class NeedPage:
    """A need as a viewer sees it: each slot with the viewer's active sign-up (or None); the
    village's coordinators also get the form to add slots."""

    need: VolunteerNeed
    slots: list[tuple[VolunteerSlot, Signup | None]]
    viewer_coordinates: bool


def need_page(*, viewer: User | None, pk: int) -> NeedPage:
    need = volunteer_need_get(pk=pk)
    mine = {}
    if is_logged_in(viewer):
        mine = {s.slot_id: s for s in signup_list_for_volunteer(user=viewer).filter(slot__need=need)}
    return NeedPage(need, [(slot, mine.get(slot.pk)) for slot in need.slots.all()],
                    core_selectors.user_coordinates_village(user=viewer, village=need.village_id))


def volunteer_profile_of(*, user: User) -> VolunteerProfile | None:
    if not is_logged_in(user):
        return None
    return VolunteerProfile.objects.filter(user=user).first()


def signup_list_for_volunteer(*, user: User, active_only: bool = True) -> QuerySet[Signup]:
    qs = Signup.objects.filter(volunteer=user).select_related("slot", "slot__need",
                                                              "slot__need__village")
    if active_only:
        qs = qs.filter(status=SignupStatus.ACTIVE)
    return qs.order_by("slot__starts_at", "pk")


def signup_get(*, pk: int) -> Signup:
    """A sign-up with its slot, need and volunteer (services decide who may act on it)."""
    return get_or_404(Signup.objects.select_related("slot__need", "volunteer"), pk=pk)


def signup_list_for_coordinator(*, user: User) -> QuerySet[Signup]:
    """Active sign-ups in the villages the user coordinates, soonest first."""
    villages = core_selectors.villages_of_user(user=user, role=Role.COORDINATOR)
    return (Signup.objects.filter(slot__need__village__in=villages, status=SignupStatus.ACTIVE)
            .select_related("volunteer", "slot", "slot__need").order_by("slot__starts_at", "pk"))


@dataclass
class CoordinatorSignups:
    to_confirm: list[Signup]
    upcoming: list[Signup]


def signups_for_coordinator_dashboard(*, user: User) -> CoordinatorSignups:
    """The coordinator's sign-ups split in two: ended slots whose hours are still to confirm,
    and slots still to come."""
    now = timezone.now()
    signups = list(signup_list_for_coordinator(user=user))
    return CoordinatorSignups(
        [s for s in signups if s.slot.ends_at <= now and s.hours_confirmed is None],
        [s for s in signups if s.slot.ends_at > now])


def signups_of_slots(*, slot_ids: list[int]) -> QuerySet[Signup]:
    return Signup.objects.filter(slot_id__in=slot_ids, status=SignupStatus.ACTIVE).select_related(
        "volunteer")
