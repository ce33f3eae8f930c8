"""Donation campaigns: create, give (idempotent, exact totals, gapless receipts), spend."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.images import image_clean
from synergy.core.models import COMMUNITY_ROLES, User, Village
from synergy.core.services import notify, notify_many
from villages import cache as page_cache
from villages.exchange.errors import (
    CampaignClosed,
    IdempotencyKeyReused,
    NotReviewed,
    OverSpent,
    RepeatDonation,
)
from villages.exchange.models import (
    MAX_DONATION,
    BudgetLine,
    Campaign,
    Donation,
    OpenStatus,
    ReviewStatus,
    Spending,
)
from villages.exchange.services.review import back_to_review

CAMPAIGN_FIELDS = {"title", "purpose", "goal", "deadline"}
CAMPAIGN_CONTENT_FIELDS = {"title", "purpose", "goal"}


@transaction.atomic
def campaign_create(
    *, created_by: User, village: Village, title: str, purpose: str, goal: Decimal,
    deadline: datetime.date, budget_lines: list[dict] | None = None,
) -> Campaign:
    if not core_selectors.user_coordinates_village(user=created_by, village=village):
        raise NotAllowed(_("Only this village's coordinator can start a campaign."))
    if goal <= 0:
        raise Invalid(_("The goal must be more than zero."), field="goal")
    if deadline < timezone.localdate():
        raise Invalid(_("The deadline cannot be in the past."), field="deadline")
    planned = sum((Decimal(line["planned"]) for line in budget_lines or []), Decimal("0"))
    if planned > goal:
        raise Invalid(_("The budget lines add up to %(planned)s yuan, more than the goal of "
                        "%(goal)s yuan; lower them or raise the goal.")
                      % {"planned": planned, "goal": goal}, field="budget_lines")
    campaign = Campaign.objects.create(village=village, title=title, purpose=purpose, goal=goal,
                                       deadline=deadline, created_by=created_by)
    labels = set()
    for line in budget_lines or []:
        if line["label"] in labels:
            raise Invalid(_("Each budget line needs its own name."), field="budget_lines")
        labels.add(line["label"])
        BudgetLine.objects.create(campaign=campaign, label=line["label"], planned=line["planned"])
    return campaign


@transaction.atomic
def campaign_update(*, by: User, campaign: Campaign, **values) -> Campaign:
    """The coordinator edits a campaign; new text (or any change after it was sent back) waits
    for review again."""
    if not core_selectors.user_coordinates_village(user=by, village=campaign.village_id):
        raise NotAllowed(_("Only this village's coordinator can edit the campaign."))
    unknown = set(values) - CAMPAIGN_FIELDS
    if unknown:
        raise Invalid(_("This field cannot be changed here."), field=sorted(unknown)[0])
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if "goal" in values:
        planned = locked.budget_lines.aggregate(t=Sum("planned"))["t"] or Decimal("0")
        if values["goal"] <= 0:
            raise Invalid(_("The goal must be more than zero."), field="goal")
        if values["goal"] < planned:
            raise Invalid(_("The budget lines add up to %(planned)s yuan; the goal cannot be "
                            "lower.") % {"planned": planned}, field="goal")
    if "deadline" in values and values["deadline"] != locked.deadline \
            and values["deadline"] < timezone.localdate():
        raise Invalid(_("The deadline cannot be in the past."), field="deadline")
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    for key in changed:
        setattr(locked, key, values[key])
    changed = back_to_review(locked, changed, CAMPAIGN_CONTENT_FIELDS)
    if changed:
        locked.save(update_fields=changed)
    return locked


def donation_give(
    *, donor: User, campaign: Campaign | int, amount: Decimal, idempotency_key: str,
    anonymous: bool = False, message: str = "", confirm_repeat: bool = False,
) -> tuple[Donation, bool]:
    """Record a donation once per (campaign, donor, key). Returns (donation, created).

    A repeat with the same key, even a concurrent one, returns the first donation. The campaign
    row is locked while the receipt number and the `raised` counter move, so receipts have no gaps
    and `raised` is exactly the sum of the donations. Under the same lock, a gift of the same
    amount by the same donor within settings.DONATION_REPEAT_WINDOW_MINUTES under another key
    raises RepeatDonation unless `confirm_repeat`.
    """
    campaign_id = campaign if isinstance(campaign, int) else campaign.pk
    key = (idempotency_key or "").strip()
    if not key or len(key) > 80:
        raise Invalid(_("Send an Idempotency-Key header of 1 to 80 characters."),
                      field="Idempotency-Key")
    if amount is None or amount <= 0:
        raise Invalid(_("Give an amount above zero."), field="amount")
    if amount > MAX_DONATION:
        raise Invalid(_("Donations above 100,000 yuan are arranged with the village directly."),
                      field="amount")
    if not core_selectors.user_has_role(user=donor, role=list(COMMUNITY_ROLES)):
        raise NotAllowed(_("Join a community first: giving flows through its rural channel."))

    # Read before the lock (a campaign's village never changes), so the campaign row is held
    # only while the receipt number and `raised` move: every gift to it waits on that row.
    village_id = (campaign.village_id if isinstance(campaign, Campaign) else
                  Campaign.objects.values_list("village_id", flat=True).get(pk=campaign_id))
    pairing = core_selectors.pairing_of_user_and_village(user=donor, village=village_id)
    coordinators = list(core_selectors.village_coordinators(village=village_id))
    try:
        with transaction.atomic():
            locked = Campaign.objects.select_for_update().select_related("village").get(
                pk=campaign_id)
            # A repeat of this key: the first donation (read under the lock, so a request with
            # the same key that committed while we waited is found too).
            existing = _replay(campaign_id, donor, key, amount)
            if existing is not None:
                return existing, False
            if locked.review_status != ReviewStatus.APPROVED:
                raise NotReviewed(_("This campaign is waiting for review and takes no donations "
                                    "yet."))
            if locked.status != OpenStatus.OPEN or locked.deadline < timezone.localdate():
                raise CampaignClosed(_("This campaign is closed and no longer takes donations."))
            window = datetime.timedelta(minutes=settings.DONATION_REPEAT_WINDOW_MINUTES)
            if not confirm_repeat and window and Donation.objects.filter(
                    campaign=locked, donor=donor, amount=amount,
                    created_at__gte=timezone.now() - window).exists():
                raise RepeatDonation(
                    _("You gave %(amount)s yuan to this campaign a few minutes ago. Do you mean to "
                      "give the same amount again? Confirm to record a second donation.")
                    % {"amount": amount})
            receipt_no = locked.receipt_seq + 1
            donation = Donation.objects.create(
                campaign=locked, donor=donor, amount=amount, anonymous=anonymous,
                message=message, idempotency_key=key, receipt_no=receipt_no, pairing=pairing,
            )
            Campaign.objects.filter(pk=locked.pk).update(
                raised=F("raised") + amount, receipt_seq=receipt_no)
            page_cache.channel_changed()  # the channel shows what a campaign raised
            _notify(locked, donation, coordinators)
    except IntegrityError:
        # The unique key caught a duplicate that slipped past both checks: return the first.
        existing = _replay(campaign_id, donor, key, amount)
        if existing is None:
            raise
        return existing, False
    return donation, True


def _replay(campaign_id: int, donor: User, key: str, amount: Decimal) -> Donation | None:
    existing = (Donation.objects.select_related("campaign", "campaign__village", "donor")
                .filter(campaign_id=campaign_id, donor=donor, idempotency_key=key).first())
    if existing is not None and existing.amount != amount:
        raise IdempotencyKeyReused(_("This Idempotency-Key was already used for a donation of a "
                                     "different amount. Use a new key for a new donation."))
    return existing


def _notify(campaign: Campaign, donation: Donation, coordinators: list[User]) -> None:
    """The village's coordinators are told of the gift, the donor gets the receipt."""
    def who() -> str:
        return _("An anonymous donor") if donation.anonymous else str(donation.donor)

    notify_many(recipients=coordinators, kind="exchange.donation_received",  # one INSERT
                message=lambda: _("%(who)s gave %(amount)s yuan to “%(campaign)s”.") % {
                    "who": who(), "amount": donation.amount, "campaign": campaign.title},
                url=reverse("exchange:campaign-detail", args=[campaign.pk]))
    notify(recipient=donation.donor, kind="exchange.donation_receipt",
           message=lambda: _("Thank you! Receipt %(no)s for %(amount)s yuan is ready.") % {
               "no": donation.receipt_label, "amount": donation.amount},
           url=reverse("exchange:donation-receipt", args=[donation.pk]))


def _clean_receipt_no(value: str) -> str:
    return " ".join((value or "").split()).upper()[:60]


@transaction.atomic
def spending_record(
    *, recorded_by: User, campaign: Campaign, budget_line: BudgetLine, amount: Decimal,
    description: str, spent_on: datetime.date, photo=None, receipt_no: str = "",
    over_budget_reason: str = "",
) -> Spending:
    """The coordinator accounts for money spent. Total spending never exceeds what was raised; a
    budget line is exceeded only with a stated reason; never dated in the future; one receipt
    number once per campaign. The campaign row is locked while these are checked.

    The photo goes through the core image rule (re-encoded, EXIF and GPS stripped, size and
    pixel limits): the form and serializer already did it, and a `CleanImage` passes through;
    any other caller's upload is re-encoded here, before the campaign row is locked."""
    if not core_selectors.user_coordinates_village(user=recorded_by, village=campaign.village_id):
        raise NotAllowed(_("Only this village's coordinator can record spending."))
    if budget_line.campaign_id != campaign.pk:
        raise Invalid(_("Choose a budget line of this campaign."), field="budget_line")
    if amount <= 0:
        raise Invalid(_("The amount must be more than zero."), field="amount")
    if spent_on > timezone.localdate():
        raise Invalid(_("Spending cannot be dated in the future; give the day the money was "
                        "spent."), field="spent_on")
    if spent_on < datetime.date(1900, 1, 1):
        raise Invalid(_("Give the day the money was spent."), field="spent_on")
    receipt_no = _clean_receipt_no(receipt_no)
    reason = " ".join((over_budget_reason or "").split())[:300]
    if photo:
        photo = image_clean(photo, field="photo")
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    spent = locked.spendings.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if spent + amount > locked.raised:
        raise OverSpent(_("Spending would exceed what was raised (%(raised)s yuan, %(spent)s "
                          "already spent).") % {"raised": locked.raised, "spent": spent})
    line_spent = (Spending.objects.filter(budget_line=budget_line).aggregate(s=Sum("amount"))["s"]
                  or Decimal("0"))
    if line_spent + amount > budget_line.planned and not reason:
        raise Invalid(_("This would bring “%(line)s” to %(total)s yuan, over its budget of "
                        "%(planned)s yuan: say why in the reason field.")
                      % {"line": budget_line.label, "total": line_spent + amount,
                         "planned": budget_line.planned}, field="over_budget_reason")
    if receipt_no and Spending.objects.filter(campaign=locked,
                                              receipt_no__iexact=receipt_no).exists():
        raise Invalid(_("Receipt %(no)s is already recorded for this campaign; a receipt is "
                        "accounted for once.") % {"no": receipt_no}, field="receipt_no")
    entry = Spending(campaign=locked, budget_line=budget_line, amount=amount,
                     description=description, spent_on=spent_on, created_by=recorded_by,
                     receipt_no=receipt_no,
                     over_budget_reason=reason if line_spent + amount > budget_line.planned else "")
    if photo:
        entry.photo.save(photo.name, photo, save=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # pragma: no cover - checked under the lock; the constraint backs it
        raise Invalid(_("Receipt %(no)s is already recorded for this campaign.") % {
            "no": receipt_no}, field="receipt_no") from None
    return entry
