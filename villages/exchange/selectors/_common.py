"""Small helpers shared by the exchange's selectors."""

from __future__ import annotations

from django.http import Http404
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


def visible_or_404(obj, *, viewer: User | None):
    """A campaign or investment need: everyone sees an approved one; its village's coordinators
    and administrators see it whatever its review (Http404 for anyone else: a pending one is not
    public)."""
    if obj.is_public or (is_logged_in(viewer) and core_selectors.user_coordinates_village(
            user=viewer, village=obj.village_id)):
        return obj
    raise Http404
