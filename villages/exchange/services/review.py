"""Review of what raises money: campaigns and investment needs are approved by a platform
administrator before they are public, or sent back with a note; the coordinator is told."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import User
from synergy.core.services import notify
from villages import cache as page_cache
from villages.exchange.models import Campaign, InvestmentNeed, ReviewStatus

NOTE_MAX = 300


def _require_admin(user: User) -> None:
    if not core_selectors.user_is_platform_admin(user=user):
        raise NotAllowed(_("Only platform administrators can review campaigns and investment "
                           "needs."))


def _recipients(obj: Campaign | InvestmentNeed) -> list[User]:
    """Who hears the decision: the coordinator who wrote it, or, if their account is gone, the
    village's coordinators."""
    if obj.created_by_id:
        return [obj.created_by]
    return list(core_selectors.village_coordinators(village=obj.village_id))


def _review(obj, *, by: User, approve: bool, note: str) -> None:
    _require_admin(by)
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        raise Invalid(_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    if not approve and not note:
        raise Invalid(_("Say what should change."), field="note")
    to = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
    now = timezone.now()
    updated = type(obj).objects.filter(pk=obj.pk, review_status=ReviewStatus.PENDING).update(
        review_status=to, review_note=note, reviewed_by=by, reviewed_at=now)
    if updated != 1:
        raise Conflict(_("This has already been reviewed; reload the page."))
    page_cache.channel_changed()
    obj.review_status, obj.review_note, obj.reviewed_by, obj.reviewed_at = to, note, by, now


def _tell(obj, *, kind: str, url: str, approved, sent_back) -> None:
    """The decision reaches whoever wrote it: `approved` or `sent_back` is a callable giving the
    sentence (rendered in each reader's language by notify)."""
    message = approved if obj.review_status == ReviewStatus.APPROVED else sent_back
    for person in _recipients(obj):
        notify(recipient=person, kind=kind, url=url, message=message)


@transaction.atomic
def campaign_review(*, by: User, campaign: Campaign, approve: bool, note: str = "") -> Campaign:
    """Pending -> approved (public) or rejected (with the note); tells the coordinator."""
    _review(campaign, by=by, approve=approve, note=note)
    words = {"title": campaign.title, "note": campaign.review_note}
    _tell(campaign, kind="exchange.campaign_reviewed",
          url=reverse("exchange:campaign-detail", args=[campaign.pk]),
          approved=lambda: (_("Your campaign “%(title)s” was approved and is public. "
                              "%(note)s") % words).strip(),
          sent_back=lambda: _("Your campaign “%(title)s” was sent back: %(note)s") % words)
    return campaign


@transaction.atomic
def investment_need_review(*, by: User, need: InvestmentNeed, approve: bool,
                           note: str = "") -> InvestmentNeed:
    """Pending -> approved (public) or rejected (with the note); tells the coordinator."""
    _review(need, by=by, approve=approve, note=note)
    words = {"title": need.title, "note": need.review_note}
    _tell(need, kind="exchange.investment_reviewed",
          url=reverse("exchange:investment-detail", args=[need.pk]),
          approved=lambda: (_("Your investment need “%(title)s” was approved and is "
                              "public. %(note)s") % words).strip(),
          sent_back=lambda: _("Your investment need “%(title)s” was sent back: %(note)s") % words)
    return need


def back_to_review(locked, changed: list[str], content_fields: set[str]) -> list[str]:
    """After an edit by the coordinator: an approved one whose text changed, or a rejected one
    changed at all, waits for review again (the old note stays in view until then)."""
    if not changed:
        return changed
    if (locked.review_status == ReviewStatus.APPROVED and content_fields & set(changed)) or \
            locked.review_status == ReviewStatus.REJECTED:
        locked.review_status = ReviewStatus.PENDING
        changed = [*changed, "review_status"]
    return changed
