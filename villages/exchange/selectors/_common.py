"""Small helpers shared by the exchange's selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import User

get_or_404 = core_selectors.get_or_404


def is_logged_in(user: User | None) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def require_login(user: User | None) -> None:
    """NotAllowed for an anonymous caller (a page sends them to log in first)."""
    if not is_logged_in(user):
        raise NotAllowed(_("Log in first."))
