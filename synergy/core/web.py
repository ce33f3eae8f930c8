"""Helpers shared by the HTML views of every app."""

from __future__ import annotations

from django.contrib import messages

from synergy.core.errors import DomainError


def show_domain_error(request, exc: DomainError, form=None) -> None:
    """Show a service's refusal on the form field it names (an `Invalid` with a field the form
    has), else as a message at the top of the page."""
    field = getattr(exc, "field", None)
    if form is not None and field in form.fields:
        form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)
