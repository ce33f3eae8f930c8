"""Repair ticket pages: the community's list, reporting one, and a ticket's page, whose forms are
one `PageAction` class per operation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community import forms, selectors, services
from community.models import TicketStatus
from community.views.common import PageAction
from synergy.core import selectors as core
from synergy.core.errors import DomainError
from synergy.core.filters import filtered_page
from synergy.core.private_files import private_file_response
from synergy.core.web import form_page, show_domain_error


@login_required
def tickets(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_member(user=request.user, slug=slug)
    rows = list(filtered_page(request, lambda filters: selectors.ticket_list(
        community=community, viewer=request.user, filters=filters)))
    now = timezone.now()
    for t in rows:
        t.age = selectors.ticket_age(t, now=now)
    return render(request, "community/tickets.html", {
        "community": community, "tickets": rows, "status": request.GET.get("status") or None,
        "manages": core.user_manages_community(user=request.user, community=community),
        "is_resident": core.user_is_resident_of(user=request.user, community=community),
        "statuses": TicketStatus.choices,
    })


@login_required
def ticket_new(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get(slug=slug)
    unit = selectors.resident_unit_get(user=request.user, community=community)
    return form_page(
        request,
        form=forms.TicketForm(request.POST or None, request.FILES or None, initial={"unit": unit}),
        template="community/ticket_new.html",
        save=lambda data: services.repair_ticket_create(reporter=request.user, community=community,
                                                        **data),
        on_success=lambda ticket: _reported(request, ticket), once="ticket",
        context={"community": community})


def _reported(request, ticket) -> HttpResponse:
    messages.success(request, _("Thank you: your repair request #%(n)d was sent.") % {"n": ticket.pk})
    return redirect("community:ticket", pk=ticket.pk)


@login_required
def ticket_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A ticket's photo, to those who may see the ticket (the same selector as its page)."""
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    photo = next((p for p in ticket.photos.all() if p.pk == photo_pk), None)
    if photo is None:
        raise Http404
    return private_file_response(request, photo.image)


class AssignAction(PageAction):
    name, done = "assign", gettext_lazy("Ticket assigned.")

    def allowed(self, page):
        return page["manages"]

    def form(self, request, page):
        ticket = page["ticket"]
        return forms.AssignForm(request.POST,
                                staff=selectors.community_staff(community=ticket.community_id),
                                villages=core.paired_villages(community=ticket.community_id))

    def save(self, request, page, form):
        services.repair_ticket_assign(actor=request.user, ticket=page["ticket"],
                                      note=form.cleaned_data["note"], **form.assignee_kwargs())


class ReassignAction(AssignAction):
    name, done = "reassign", gettext_lazy("Ticket reassigned.")

    def save(self, request, page, form):
        services.repair_ticket_reassign(actor=request.user, ticket=page["ticket"],
                                        note=form.cleaned_data["note"], **form.assignee_kwargs())


class RateAction(PageAction):
    name, done = "rate", gettext_lazy("Thank you for your rating.")

    def allowed(self, page):
        return page["is_reporter"]

    def form(self, request, page):
        return forms.RateForm(request.POST)

    def save(self, request, page, form):
        services.repair_ticket_rate(actor=request.user, ticket=page["ticket"],
                                    rating=form.cleaned_data["rating"],
                                    comment=form.cleaned_data["comment"])


class NoteAction(PageAction):
    """Start, resolve, close, reopen: a status change with an optional note."""

    done = gettext_lazy("Ticket updated.")

    def __init__(self, name, service):
        self.name, self.service = name, service

    def form(self, request, page):
        return forms.NoteForm({"note": request.POST.get("note", "")[:300]})

    def save(self, request, page, form):
        self.service(actor=request.user, ticket=page["ticket"], note=form.cleaned_data["note"])


TICKET_ACTIONS = {a.name: a for a in [
    AssignAction(), ReassignAction(), RateAction(),
    NoteAction("start", services.repair_ticket_start),
    NoteAction("resolve", services.repair_ticket_resolve),
    NoteAction("close", services.repair_ticket_close),
    NoteAction("reopen", services.repair_ticket_reopen),
]}


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, pk=pk)
    manages = core.user_manages_community(user=request.user, community=ticket.community_id)
    page = {"ticket": ticket, "manages": manages, "is_reporter": ticket.reporter_id == request.user.pk}
    can_assign = manages and ticket.status in (TicketStatus.OPEN, TicketStatus.ASSIGNED,
                                               TicketStatus.IN_PROGRESS)
    assign_form = (forms.AssignForm(staff=selectors.community_staff(community=ticket.community_id),
                                    villages=core.paired_villages(community=ticket.community_id))
                   if can_assign else None)
    rate_form = forms.RateForm() if page["is_reporter"] else None
    action = TICKET_ACTIONS.get(request.POST.get("action", "")) if request.method == "POST" else None
    if action is not None and action.allowed(page):
        form = action.form(request, page)
        if form.is_valid():
            try:
                action.save(request, page, form)
            except DomainError as exc:
                show_domain_error(request, exc)
                return redirect("community:ticket", pk=pk)
            messages.success(request, action.done)
            return redirect("community:ticket", pk=pk)
        assign_form = form if action.name in ("assign", "reassign") else assign_form
        rate_form = form if action.name == "rate" else rate_form
    return render(request, "community/ticket_detail.html", {
        "ticket": ticket, "community": ticket.community, "manages": manages,
        "assign_form": assign_form, "rate_form": rate_form, "is_reporter": page["is_reporter"],
        "can_work": selectors.user_can_work_on_ticket(user=request.user, ticket=ticket),
        "age": selectors.ticket_age(ticket),
    })
