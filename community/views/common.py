"""What the community pages share."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect

from synergy.core.errors import DomainError
from synergy.core.web import show_domain_error


class PageAction:
    """One operation of a page with several forms (chosen by the POST's `action` field): its
    form, whether the viewer may use it, the service it calls and the sentence it ends with."""

    name = ""
    done = ""

    def allowed(self, page: dict) -> bool:
        return True

    def form(self, request, page: dict):
        raise NotImplementedError

    def save(self, request, page: dict, data: dict):
        raise NotImplementedError


def run_action(request, action: PageAction, page: dict, shown: dict):
    """Validate one action's form and save it in one transaction: the redirect back to the page
    on success, else None (the bound form, kept in `shown`, goes back with its errors and the
    service's refusal on the field it names)."""
    form = action.form(request, page)
    shown[action.name] = form
    if not form.is_valid():
        return None
    try:
        with transaction.atomic():
            action.save(request, page, form)
    except DomainError as exc:
        show_domain_error(request, exc, form)
        return None
    messages.success(request, action.done)
    return redirect(page["here"])
