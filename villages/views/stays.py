"""Stays and tourism offers, booking one, a guest's bookings, one view per booking operation."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from synergy.core.filters import filtered_page
from synergy.core.templatetags.synergy_format import format_money
from synergy.core.web import form_page, login_redirect
from villages import forms, selectors, services
from villages.views._common import ActionView, ConfirmedActionView


def stay_list(request: HttpRequest) -> HttpResponse:
    form = forms.StayDateForm(request.GET or None)
    date = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    offers = list(filtered_page(request, lambda f: selectors.offer_list(filters=f), form))
    availability = selectors.offers_on_date(offers=offers, date=date)
    return render(request, "villages/stay_list.html", {
        "form": form, "date": date,
        "rows": [(o, availability[o.pk]) for o in offers],
    })


def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_get_for_viewer(viewer=request.user, pk=pk)
    calendar_form = forms.CalendarFromForm(request.GET)
    today = timezone.localdate()
    start = max((calendar_form.cleaned_data.get("from") if calendar_form.is_valid() else None)
                or today, today)
    if request.method == "POST" and not request.user.is_authenticated:
        return login_redirect(request)
    form = forms.BookingForm(request.POST or None, initial={
        "start_date": start + dt.timedelta(days=1),
        "end_date": start + dt.timedelta(days=1 + offer.min_nights if offer.overnight else 1)})
    return form_page(
        request, form=form, template="villages/offer_detail.html",
        save=lambda data: services.booking_create(guest=request.user, offer=offer, **data),
        on_success=lambda booking: redirect("villages:my_bookings"),
        done=_("Booking requested; the village will confirm it."),
        context={
            "offer": offer, "calendar": selectors.offer_calendar(offer=offer, start=start, days=28),
            "next_from": (start + dt.timedelta(days=28)).isoformat(),
            "prev_from": (start - dt.timedelta(days=28)).isoformat() if start > today else "",
        })


@login_required
def my_bookings(request: HttpRequest) -> HttpResponse:
    return render(request, "villages/my_bookings.html", {
        "bookings": selectors.booking_list_for_guest(guest=request.user)})


class _BookingAction(ActionView):
    target = "booking"

    def get_object(self, pk):
        return selectors.booking_get_for_user(user=self.request.user, pk=pk)

    def default_next(self, booking) -> str:
        return reverse("villages:my_bookings")


class BookingCancelView(_BookingAction, ConfirmedActionView):
    """GET: "Cancel your 14-night stay at …?" with the dates and amount; POST cancels."""

    service = staticmethod(services.booking_cancel)
    done = gettext_lazy("Booking cancelled.")
    yes = gettext_lazy("Yes, cancel it")
    no = gettext_lazy("No, keep it")

    def confirm_context(self, booking) -> dict:
        offer = booking.offer
        values = {"n": booking.nights, "offer": offer.title, "village": offer.village.name,
                  "who": booking.guest.get_full_name() or booking.guest.username}
        mine = booking.guest_id == self.request.user.pk
        if offer.overnight and mine:
            question = ngettext("Cancel your %(n)s-night stay at “%(offer)s”, %(village)s?",
                                "Cancel your %(n)s-night stay at “%(offer)s”, %(village)s?",
                                booking.nights) % values
        elif offer.overnight:
            question = ngettext("Cancel %(who)s's %(n)s-night stay at “%(offer)s”?",
                                "Cancel %(who)s's %(n)s-night stay at “%(offer)s”?",
                                booking.nights) % values
        elif mine:
            question = ngettext("Cancel your %(n)s-day booking of “%(offer)s”, %(village)s?",
                                "Cancel your %(n)s-day booking of “%(offer)s”, %(village)s?",
                                booking.nights) % values
        else:
            question = ngettext("Cancel %(who)s's %(n)s-day booking of “%(offer)s”?",
                                "Cancel %(who)s's %(n)s-day booking of “%(offer)s”?",
                                booking.nights) % values
        details = [
            _("%(start)s to %(end)s · %(guests)s guests · %(total)s") % {
                "start": formats.date_format(booking.start_date),
                "end": formats.date_format(booking.end_date),
                "guests": booking.guests, "total": format_money(booking.total, exact=True)},
            _("Its places go back on sale; booking again later may find them taken."),
        ]
        return {"title": _("Cancel this booking?"), "question": question, "details": details}


class BookingConfirmView(_BookingAction):
    service = staticmethod(services.booking_confirm)
    done = gettext_lazy("Booking confirmed.")
