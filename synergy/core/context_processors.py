"""Navigation that fits the user's roles: one query per page (selectors.user_roles), and for the
people who decide applications one more for the count on the Applications link."""

from django.utils.functional import SimpleLazyObject

from synergy.core import selectors
from synergy.core.display import large_type_of
from synergy.core.errors import NotAllowed


def _pending_applications(user) -> int:
    try:
        return selectors.membership_applications_for(viewer=user).count()
    except NotAllowed:
        return 0


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "large_type": large_type_of(request),
        "user_roles": SimpleLazyObject(lambda: selectors.user_roles(user=user) if user else set()),
        # Counted only when a template shows it (one query).
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.notification_unread_count(user=user) if user else 0),
        "pending_applications": SimpleLazyObject(
            lambda: _pending_applications(user) if user else 0),
    }
