"""Volunteer needs: list, detail, creation, time slots; sign-ups, confirmed hours, and the
volunteer's own page and calendar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors as core_selectors
from synergy.core.filters import filtered_page
from synergy.core.web import ActionView, form_page
from villages.exchange import ics, selectors, services
from villages.exchange.forms import HoursForm, NeedForm, SlotForm, VolunteerProfileForm
from villages.exchange.views._common import go


def need_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/need_list.html", {
        "needs": filtered_page(request, lambda f: selectors.volunteer_need_list(filters=f)),
        "recommended": selectors.volunteer_need_recommended(user=request.user, limit=5)})


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.need_page(viewer=request.user, pk=pk)
    return render(request, "exchange/need_detail.html", {
        "need": page.need, "slots": page.slots, "now": timezone.now(),
        "slot_form": SlotForm() if page.viewer_coordinates else None})


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    places = core_selectors.coordinated_villages(user=request.user)
    return form_page(
        request, form=NeedForm(request.POST or None, request.FILES or None, places=places),
        template="exchange/form.html",
        save=lambda d: services.volunteer_need_create(created_by=request.user, **d),
        on_success=lambda need: go(request, "exchange:need-detail", need.pk),
        done=_("Volunteer need posted; now add time slots."),
        context={"title": _("Post a volunteer need"), "no_places": not places.exists()})


class SlotCreateView(ActionView):
    """The village's coordinator adds a time slot to a need."""

    form_class = SlotForm
    done = gettext_lazy("Time slot added.")
    invalid = gettext_lazy("Please check the time slot: %(e)s")

    def get_object(self, pk):
        return selectors.volunteer_need_get(pk=pk)

    def default_next(self, need) -> str:
        return reverse("exchange:need-detail", args=[need.pk])

    def perform(self, need, data):
        return services.volunteer_slot_create(created_by=self.request.user, need=need, **data)


class SignupCreateView(ActionView):
    """A community member takes a place in a slot; then their own volunteering page."""

    done = gettext_lazy("You are signed up. See you there!")

    def get_object(self, pk):
        return selectors.volunteer_slot_get(pk=pk)

    def default_next(self, slot) -> str:
        return reverse("exchange:need-detail", args=[slot.need_id])

    def success_next(self, slot, signup) -> str:
        return reverse("exchange:my-volunteering")

    def perform(self, slot, data):
        return services.signup_create(volunteer=self.request.user, slot=slot.pk)


class SignupCancelView(ActionView):
    """The volunteer gives their place back (the service refuses anyone else's sign-up)."""

    done = gettext_lazy("Sign-up cancelled; the place is free again.")

    def get_object(self, pk):
        return pk  # the service refuses a sign-up that is not the caller's, or none at all

    def default_next(self, pk) -> str:
        return reverse("exchange:my-volunteering")

    def perform(self, pk, data):
        return services.signup_cancel(volunteer=self.request.user, signup=pk)


class SignupHoursView(ActionView):
    """The village's coordinator confirms the hours a volunteer served."""

    form_class = HoursForm
    done = gettext_lazy("Hours confirmed.")
    invalid = gettext_lazy("Enter the hours served.")

    def get_object(self, pk):
        return selectors.signup_get(pk=pk)

    def default_next(self, signup) -> str:
        return reverse("exchange:dashboard")

    def perform(self, signup, data):
        return services.signup_confirm_hours(confirmed_by=self.request.user, signup=signup,
                                             hours=data["hours"])


@login_required
def my_volunteering(request: HttpRequest) -> HttpResponse:
    profile = selectors.volunteer_profile_of(user=request.user)
    initial = {"skills": profile.skills, "weekdays": profile.weekdays,
               "bio": profile.bio} if profile else {}
    return form_page(
        request, form=VolunteerProfileForm(request.POST or None, initial=initial),
        template="exchange/my_volunteering.html",
        save=lambda d: services.volunteer_profile_save(user=request.user, **d),
        on_success=lambda _profile: go(request, "exchange:my-volunteering"),
        done=_("Volunteer profile saved."),
        context={
            "signups": selectors.signup_list_for_volunteer(user=request.user, active_only=False),
            "donations": selectors.donation_list_for_donor(user=request.user)})


@login_required
def my_slots_ics(request: HttpRequest) -> HttpResponse:
    body = ics.calendar_for(signups=selectors.signup_list_for_volunteer(user=request.user),
                            request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="volunteering.ics"'
    return response
