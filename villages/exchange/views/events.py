"""Cultural events: list, detail, organising one, registering and cancelling."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core.filters import filtered_page
from synergy.core.web import ActionView, form_page
from villages.exchange import selectors, services
from villages.exchange.forms import EventForm
from villages.exchange.views._common import go


def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/event_list.html", {
        "events": filtered_page(request, lambda f: selectors.event_list(filters=f))})


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_get(pk=pk)
    organiser = selectors.user_organises_event(user=request.user, event=event)
    return render(request, "exchange/event_detail.html", {
        "event": event, "registration": selectors.registration_of(user=request.user, event=event),
        "registrations": (selectors.registration_list_for_organiser(viewer=request.user, event=event)
                          if organiser else None)})


class EventRegisterView(ActionView):
    done = gettext_lazy("You are registered.")

    def get_object(self, pk):
        return selectors.event_get(pk=pk)

    def default_next(self, event) -> str:
        return reverse("exchange:event-detail", args=[event.pk])

    def perform(self, event, data):
        return services.registration_create(person=self.request.user, event=event.pk)


class EventUnregisterView(ActionView):
    done = gettext_lazy("Registration cancelled.")

    def get_object(self, pk):
        return selectors.registration_get(pk=pk)

    def default_next(self, registration) -> str:
        return reverse("exchange:event-detail", args=[registration.event_id])

    def perform(self, registration, data):
        return services.registration_cancel(person=self.request.user, registration=registration)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    places = selectors.event_organiser_pairings(user=request.user)
    return form_page(
        request, form=EventForm(request.POST or None, request.FILES or None, places=places),
        template="exchange/form.html",
        save=lambda d: services.event_create(created_by=request.user, **d),
        on_success=lambda event: go(request, "exchange:event-detail", event.pk),
        done=_("Event published."),
        context={"title": _("Organise a cultural event"), "no_places": not places.exists()})
