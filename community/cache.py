"""What the cached pages of the community node read, and the bumps that keep them fresh (issue 19).

The community's home page is kept whole per visitor (community.views.pages.home, with
synergy.core.pagecache.visitor_page). Besides the channel namespaces of villages.cache it reads:
- "communities": any community's record (name, address, place);
- "notices": the notices of every community (title, pinned, expiry);
- "user:<id>": what is the visitor's own, here the notices they have read and the villages they
  follow (the rest of "user:<id>" and "memberships" are synergy.core.cache's).

Every save() and delete() of these models bumps through `connect()`'s receivers, services or
the admin alike (the services here write them with save/create/get_or_create/delete).
"""

from __future__ import annotations

from synergy.core import pagecache


def _on_notice(sender, instance, **kwargs):
    pagecache.bump("notices")


def _on_own_row(sender, instance, **kwargs):
    pagecache.user_changed(instance.user_id)


def _on_community(sender, instance, **kwargs):
    pagecache.bump("communities")


def connect() -> None:
    """Called once from CommunityConfig.ready()."""
    from community.models import Notice, NoticeRead, VillageFollow  # noqa: PLC0415  (apps are loading)
    from synergy.core.models import Community  # noqa: PLC0415

    receivers = [(Notice, _on_notice), (NoticeRead, _on_own_row), (VillageFollow, _on_own_row),
                 (Community, _on_community)]
    pagecache.bump_on_save(receivers)
