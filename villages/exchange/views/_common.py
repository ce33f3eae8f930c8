"""What the exchange's pages share."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from synergy.core.web import safe_next


def go(request, name: str, *args) -> HttpResponse:
    """Redirect to the page `name` (with `args`), or to the `next` this site's page sent."""
    return redirect(safe_next(request, reverse(name, args=args)))
