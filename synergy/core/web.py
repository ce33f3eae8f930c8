"""Helpers shared by the HTML views of every app."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from synergy.core.errors import DomainError


def show_domain_error(request, exc: DomainError, form=None) -> None:
    """Show a service's refusal on the form field it names (an `Invalid` with a field the form
    has), else as a message at the top of the page."""
    field = getattr(exc, "field", None)
    if form is not None and field in form.fields:
        form.add_error(field, exc.message)
    else:
        messages.error(request, exc.message)


def safe_next(request, default: str) -> str:
    r"""The `next` URL the form or link sent (POST, else GET) if it is a page of this site, else
    `default` (a path or a URL name, as `redirect()` takes). Refused: other hosts (`//evil`,
    `\evil`, `/\evil`, `https://evil`, `http://us@evil`), other schemes (`javascript:`, `data:`),
    plain http from an https page, paths without a leading `/`, and control characters."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    if not target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    if not urlsplit(target).netloc and not target.startswith("/"):
        return default
    return target


def login_redirect(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to the login page, coming back to this page afterwards."""
    return redirect_to_login(request.get_full_path())


def form_page(
    request: HttpRequest,
    *,
    form,
    template: str,
    save: Callable[[dict], Any],
    on_success: Callable[[Any], HttpResponse],
    done: str = "",
    context: dict | None = None,
) -> HttpResponse:
    """The create/edit page every app uses: GET shows `form`; a valid POST calls
    `save(form.cleaned_data)` in one transaction (a service: everything it writes lands or none
    of it does); a service's refusal is shown on the form field it names; on success the page
    says `done` and answers `on_success(result)`, usually a redirect to the new record."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                result = save(form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            if done:
                messages.success(request, done)
            return on_success(result)
    return render(request, template, {"form": form, **(context or {})})


def parse_id(raw, *, name: str = "id") -> int:
    """A record id sent by a form (ASCII digits, at most 18): else a 400 naming the field."""
    text = "" if raw is None else str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise BadRequest(_("%(name)s must be the number of a record on this site.") % {"name": name})
    return int(text)
