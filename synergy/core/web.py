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


def safe_next(request, default: str) -> str:
    """The form's `next` if it is a path on this site, else `default` (a URL or a URL name).

    Only a path beginning with one "/" is taken: an absolute URL to elsewhere would be an open
    redirect, and a bare word would make `redirect()` look it up as a view name (a 500)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if (target.startswith("/") and not target.startswith(("//", "/\\"))
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target
    return default


def parse_id(raw, *, name: str = "id") -> int:
    """A record id sent by a form (ASCII digits, at most 18): else a 400 naming the field."""
    import re

    from django.core.exceptions import BadRequest
    from django.utils.translation import gettext as _

    text = "" if raw is None else str(raw).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise BadRequest(_("%(name)s must be the number of a record on this site.") % {"name": name})
    return int(text)
