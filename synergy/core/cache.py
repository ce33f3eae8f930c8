"""The bumps that keep every visitor's cached pages fresh (synergy.core.pagecache.viewer_names).

- "user:<id>": the user's own record (name, staff, large type) and inbox (the unread count in
  the menu); `notify_many` and `notification_mark_read` write with bulk_create and update(), so
  they bump it themselves;
- "memberships": any membership (the menu by roles, the count of applications to decide, who
  is a resident or manages a community); `_decide` and the invitation redeem write with
  update() and bump it themselves.
"""

from __future__ import annotations

from synergy.core import pagecache


def _on_user(sender, instance, **kwargs):
    pagecache.user_changed(instance.pk)


def _on_membership(sender, instance, **kwargs):
    pagecache.memberships_changed()


def _on_notification(sender, instance, **kwargs):
    pagecache.user_changed(instance.recipient_id)


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    from synergy.core.models import Membership, Notification, User  # noqa: PLC0415  (apps are loading)

    receivers = [(User, _on_user), (Membership, _on_membership), (Notification, _on_notification)]
    pagecache.bump_on_save(receivers)
