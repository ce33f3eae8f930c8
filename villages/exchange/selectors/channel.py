"""The exchange's part of a community's rural channel (campaigns, volunteer needs, events)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core.models import Community, Village
from villages import selectors as village_selectors
from villages.exchange.models import (
    Campaign,
    Event,
    EventHost,
    OpenStatus,
    ReviewStatus,
    VolunteerNeed,
)

EXCHANGE_FEED_KINDS = ("campaign", "need", "event")


@dataclass(frozen=True)
class ExchangeFeedItem(village_selectors.FeedItem):
    """A campaign, volunteer need or event in a community's rural channel: the village node's
    `FeedItem`, with links to the exchange's pages."""

    @property
    def url(self) -> str:
        name = {"campaign": "exchange:campaign-detail", "need": "exchange:need-detail",
                "event": "exchange:event-detail"}[self.kind]
        return reverse(name, args=[self.id])


def _end_of_day(day: dt.date) -> dt.datetime:
    """A campaign takes donations until the end of its deadline day (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def channel_feed(
    *, community: Community | int, kinds: tuple[str, ...] | list[str] | None = None,
    village: Village | int | None = None, villages=None, limit: int = 20,
) -> list[ExchangeFeedItem]:
    """The exchange's part of a community's rural channel, in the village node's `FeedItem`
    shape and order (`villages.selectors.feed_sort_key`): open, approved campaigns of its paired villages
    (closing at their deadline), volunteer needs with a place left in a future slot (closing
    when the next such slot starts) and upcoming events (registration closes at the start;
    events of this community's pairings, and those a paired village hosts with any community).
    `villages` narrows to a set of village ids or a subquery of them. One query per kind."""
    kinds = tuple(kinds or EXCHANGE_FEED_KINDS)
    community_id = community.pk if isinstance(community, Community) else int(community)
    now = timezone.now()
    items: list[ExchangeFeedItem] = []
    if "campaign" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages)
        campaigns = (Campaign.objects.filter(scope, status=OpenStatus.OPEN,
                                             review_status=ReviewStatus.APPROVED,
                                             deadline__gte=timezone.localdate())
                     .annotate(vname=F("village__name"), vslug=F("village__slug"))
                     .order_by("deadline", "pk")[:limit])
        items += [ExchangeFeedItem(
            "campaign", c.pk, c.title, c.village_id, c.vname, c.vslug, _end_of_day(c.deadline),
            None, "", _("%(raised)s of %(goal)s CNY raised") % {"raised": c.raised, "goal": c.goal},
            "", c.created_at) for c in campaigns]
    if "need" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages)
        open_slot = Q(slots__starts_at__gt=now, slots__taken__lt=F("slots__capacity"))
        needs = (VolunteerNeed.objects.filter(scope, status=OpenStatus.OPEN)
                 .annotate(next_slot=Min("slots__starts_at", filter=open_slot),
                           open_slots=Count("slots", filter=open_slot),
                           vname=F("village__name"), vslug=F("village__slug"))
                 .filter(next_slot__isnull=False)
                 .order_by("next_slot", "pk")[:limit])
        items += [ExchangeFeedItem(
            "need", n.pk, n.title, n.village_id, n.vname, n.vslug, n.next_slot, None, "",
            _("%(category)s · %(n)d open slots") % {"category": n.get_category_display(),
                                                    "n": n.open_slots},
            "", n.created_at) for n in needs]
    if "event" in kinds:
        scope = village_selectors.feed_scope(community_id=community_id, village=village,
                                             villages=villages, field="pairing__village")
        events = (Event.objects.filter(scope, starts_at__gt=now)
                  .filter(Q(pairing__community_id=community_id) | Q(host=EventHost.VILLAGE))
                  .annotate(vid=F("pairing__village_id"), vname=F("pairing__village__name"),
                            vslug=F("pairing__village__slug"))
                  .order_by("starts_at", "pk")[:limit])
        items += [ExchangeFeedItem(
            "event", e.pk, e.title, e.vid, e.vname, e.vslug, e.starts_at, None, "",
            f"{e.get_kind_display()} · {e.place}", "", e.created_at) for e in events]
    items.sort(key=village_selectors.feed_sort_key)
    return items[:limit]
