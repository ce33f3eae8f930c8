"""Small helpers shared by the village node's selectors."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import NotAllowed
from synergy.core.models import User


def photos_prefetch(model) -> Prefetch:
    return Prefetch("photos", queryset=model.objects.order_by("position", "id"))


def require_login(user: User | None) -> None:
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed(_("Log in first."))


require_coordinator = core_selectors.require_village_coordinator
get_or_404 = core_selectors.get_or_404
