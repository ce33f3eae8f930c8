"""Small helpers shared by the village node's selectors."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import User, Village


def photos_prefetch(model) -> Prefetch:
    return Prefetch("photos", queryset=model.objects.order_by("position", "id"))


def require_login(user: User | None) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in first."))


def require_coordinator(*, user: User | None, village: Village | int, message: str) -> None:
    """NotAllowed unless `user` coordinates `village` (administrators do every village)."""
    if not getattr(user, "is_authenticated", False) or not core_selectors.user_coordinates_village(
            user=user, village=village):
        raise NotAllowed(message)


def get_or_404(queryset, **lookup):
    """The one record matching `lookup`, else Http404 (a malformed id too)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
