"""A person's notifications."""

from __future__ import annotations

from synergy.core.models import (
    Notification,
    User,
)


def notification_list(*, user: User, unread_only: bool = False):
    """The user's notifications, newest first (one query)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created", "-id")


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread (the badge in the navigation)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
