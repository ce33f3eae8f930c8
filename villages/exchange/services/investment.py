"""Investment needs and expressions of interest."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import COMMUNITY_ROLES, User, Village
from synergy.core.services import notify
from synergy.core.uploads import attachment_clean
from villages.exchange.errors import AlreadyDone, NeedClosed, NotReviewed
from villages.exchange.models import (
    InterestMessage,
    InterestStatus,
    InvestmentInterest,
    InvestmentModel,
    InvestmentNeed,
    OpenStatus,
    ReviewStatus,
)
from villages.exchange.services.review import back_to_review

NEED_FIELDS = {"title", "sector", "amount_sought", "use_of_funds", "model"}


@transaction.atomic
def investment_need_create(
    *, created_by: User, village: Village, title: str, sector: str, amount_sought: Decimal,
    use_of_funds: str, model: str, attachment=None,
) -> InvestmentNeed:
    if not core_selectors.user_coordinates_village(user=created_by, village=village):
        raise NotAllowed(_("Only this village's coordinator can post investment needs."))
    if amount_sought <= 0:
        raise Invalid(_("The amount sought must be more than zero."), field="amount_sought")
    if attachment:
        attachment = attachment_clean(attachment)  # type, content and size; photos re-encoded
    need = InvestmentNeed(village=village, title=title, sector=sector, amount_sought=amount_sought,
                          use_of_funds=use_of_funds, model=model, created_by=created_by)
    if attachment:
        need.attachment.save(attachment.name, attachment, save=False)
    need.save()
    return need


@transaction.atomic
def investment_need_update(*, by: User, need: InvestmentNeed, **values) -> InvestmentNeed:
    """The coordinator edits a need; any change to its text waits for review again."""
    if not core_selectors.user_coordinates_village(user=by, village=need.village_id):
        raise NotAllowed(_("Only this village's coordinator can edit the investment need."))
    unknown = set(values) - NEED_FIELDS
    if unknown:
        raise Invalid(_("This field cannot be changed here."), field=sorted(unknown)[0])
    if "amount_sought" in values and values["amount_sought"] <= 0:
        raise Invalid(_("The amount sought must be more than zero."), field="amount_sought")
    if "model" in values and values["model"] not in InvestmentModel.values:
        raise Invalid(_("Choose a proposed model."), field="model")
    locked = InvestmentNeed.objects.select_for_update().get(pk=need.pk)
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    for key in changed:
        setattr(locked, key, values[key])
    changed = back_to_review(locked, changed, NEED_FIELDS)
    if changed:
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def interest_express(*, investor: User, need: InvestmentNeed, amount_indicative: Decimal,
                     message: str, organisation: str = "") -> InvestmentInterest:
    if not core_selectors.user_has_role(user=investor, role=list(COMMUNITY_ROLES)):
        raise NotAllowed(_("Investors express interest through their community: join one first."))
    if need.review_status != ReviewStatus.APPROVED:
        raise NotReviewed(_("This investment need is waiting for review."))
    if need.status != OpenStatus.OPEN:
        raise NeedClosed(_("This investment need is closed."))
    try:
        with transaction.atomic():
            interest = InvestmentInterest.objects.create(
                need=need, investor=investor, amount_indicative=amount_indicative,
                message=message, organisation=organisation,
                pairing=core_selectors.pairing_of_user_and_village(user=investor, village=need.village_id))
    except IntegrityError:
        raise AlreadyDone(_("You have already expressed interest in this need.")) from None
    for person in core_selectors.village_coordinators(village=need.village_id):
        notify(recipient=person, kind="exchange.investment_interest",
               message=lambda: _("%(who)s is interested in “%(need)s” (about %(amount)s yuan).") % {
                   "who": investor, "need": need.title, "amount": amount_indicative},
               url=reverse("exchange:investment-detail", args=[need.pk]))
    return interest


ANSWER_STATUSES = (InterestStatus.ANSWERED, InterestStatus.IN_TALKS, InterestStatus.DECLINED,
                   InterestStatus.AGREED)
OPEN_STATUSES = (InterestStatus.SENT, InterestStatus.ANSWERED, InterestStatus.IN_TALKS)
MESSAGE_MAX = 4000


def _clean_text(text: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(_("Write a message."), field=field)
    if len(text) > MESSAGE_MAX:
        raise Invalid(_("Keep the message under %(n)s characters.") % {"n": MESSAGE_MAX},
                      field=field)
    return text


def _tell_the_other_side(interest: InvestmentInterest, author: User, text: str) -> None:
    """A new message reaches the other side: the investor, or the village's coordinators."""
    need = interest.need
    url = reverse("exchange:investment-detail", args=[need.pk])
    if author.pk == interest.investor_id:
        for person in core_selectors.village_coordinators(village=need.village_id):
            notify(recipient=person, kind="exchange.investment_reply", url=url,
                   message=lambda: _("%(who)s wrote about “%(need)s”: %(text)s") % {
                       "who": author, "need": need.title, "text": text[:120]})
    else:
        notify(recipient=interest.investor, kind="exchange.investment_reply", url=url,
               message=lambda: _("The village answered your interest in “%(need)s” (%(status)s): "
                                 "%(text)s") % {"need": need.title, "text": text[:120],
                                               "status": interest.get_status_display()})


@transaction.atomic
def interest_reply(*, replied_by: User, interest: InvestmentInterest, reply: str,
                   status: str) -> InvestmentInterest:
    """The village's coordinator answers: a new message in the thread (earlier ones stay) and
    a new status; the investor is told."""
    if not core_selectors.user_coordinates_village(user=replied_by, village=interest.need.village_id):
        raise NotAllowed(_("Only this village's coordinator can answer."))
    if status not in ANSWER_STATUSES:
        raise Invalid(_("Choose answered, in talks, declined or agreed."), field="status")
    text = _clean_text(reply, "reply")
    updated = InvestmentInterest.objects.filter(pk=interest.pk, status__in=OPEN_STATUSES).update(
        status=status, replied_at=timezone.now())
    if updated != 1:
        raise AlreadyDone(_("This expression of interest is already settled."))
    InterestMessage.objects.create(interest=interest, author=replied_by, text=text)
    interest.refresh_from_db()
    _tell_the_other_side(interest, replied_by, text)
    return interest


@transaction.atomic
def interest_message_post(*, by: User, interest: InvestmentInterest, text: str) -> InterestMessage:
    """The investor or one of the village's coordinators adds to the conversation (the status
    stays); the other side is told. A settled interest (declined, agreed) takes no more."""
    coordinates = core_selectors.user_coordinates_village(user=by, village=interest.need.village_id)
    if by.pk != interest.investor_id and not coordinates:
        raise NotAllowed(_("Only the investor and this village's coordinators take part in "
                           "this conversation."))
    text = _clean_text(text, "text")
    locked = InvestmentInterest.objects.select_for_update().select_related("need").get(
        pk=interest.pk)
    if locked.status not in OPEN_STATUSES:
        raise AlreadyDone(_("This expression of interest is already settled."))
    message = InterestMessage.objects.create(interest=locked, author=by, text=text)
    if by.pk != locked.investor_id:
        InvestmentInterest.objects.filter(pk=locked.pk).update(replied_at=message.created)
    _tell_the_other_side(locked, by, text)
    return message
