"""Notices: a property manager publishes; residents read; read receipts are counted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Notice, NoticeRead
from synergy.core import selectors as core
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Community, User
from synergy.core.uploads import attachment_clean


def notice_publish(
    *, author: User, community: Community, title: str, body: str, pinned: bool = False,
    expires_at: dt.datetime | None = None, attachment=None,
) -> Notice:
    if not core.user_manages_community(user=author, community=community):
        raise NotAllowed(_("Only this community's property manager can publish notices."))
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise Invalid(_("The expiry must be in the future."), field="expires_at")
    if attachment is not None:
        attachment = attachment_clean(attachment)  # type, content and size; photos re-encoded
    notice = Notice(community=community, title=title.strip(), body=body.strip(), pinned=pinned,
                    expires_at=expires_at, created_by=author, created_at=now)
    if attachment is not None:
        notice.attachment.save(attachment.name, attachment, save=False)
    notice.save()
    return notice


def notice_mark_read(*, user: User, notice: Notice) -> bool:
    """Record that `user` read `notice` (once). True if this was the first read."""
    if not core.user_has_role(user=user, role=["resident", "property_manager", "merchant"],
                              community=notice.community_id):
        return False  # administrators reading do not count as residents reading
    with transaction.atomic():
        _receipt, created = NoticeRead.objects.get_or_create(notice=notice, user=user)
    return created
