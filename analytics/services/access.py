"""Who may write analytics: analysts and administrators, or the system (``user=None``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import NotAllowed
from synergy.core.models import User
from synergy.core.selectors import user_can_view_analytics


def require_analyst(user: User | None) -> None:
    """Raise ``NotAllowed`` unless ``user`` may use analytics; ``None`` is the system (seed)."""
    if user is not None and not user_can_view_analytics(user=user):
        raise NotAllowed(_("Only analysts and administrators may do this."))
