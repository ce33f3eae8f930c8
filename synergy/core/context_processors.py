"""Navigation that fits the user's roles: one query per page (selectors.user_roles)."""

from django.utils.functional import SimpleLazyObject

from synergy.core import selectors


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "user_roles": SimpleLazyObject(lambda: selectors.user_roles(user=user) if user else set()),
        # Counted only when a template shows it (one query).
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.notification_unread_count(user=user) if user else 0),
    }
