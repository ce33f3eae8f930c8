"""Volunteer needs, slots, profiles, sign-ups (capacity-safe), and confirmed hours."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import COMMUNITY_ROLES, User, Village
from synergy.core.services import notify
from villages import cache as page_cache
from villages.exchange.errors import (
    AlreadyDone,
    HoursNotDue,
    NeedClosed,
    SlotFull,
    SlotOverlap,
    SlotStarted,
)
from villages.exchange.models import (
    OpenStatus,
    Signup,
    SignupStatus,
    VolunteerNeed,
    VolunteerProfile,
    VolunteerSlot,
)
from villages.exchange.services._common import (
    clean_skills,
    clean_weekdays,
)


@transaction.atomic
def volunteer_need_create(
    *, created_by: User, village: Village, title: str, category: str, description: str = "",
    skills: list[str] | None = None,
) -> VolunteerNeed:
    if not core_selectors.user_coordinates_village(user=created_by, village=village):
        raise NotAllowed(_("Only this village's coordinator can post volunteer needs."))
    return VolunteerNeed.objects.create(
        village=village, title=title, category=category, description=description,
        skills=clean_skills(skills), created_by=created_by)


@transaction.atomic
def volunteer_slot_create(*, created_by: User, need: VolunteerNeed, starts_at, ends_at,
                          capacity: int) -> VolunteerSlot:
    if not core_selectors.user_coordinates_village(user=created_by, village=need.village_id):
        raise NotAllowed(_("Only this village's coordinator can add time slots."))
    if starts_at <= timezone.now():
        raise Invalid(_("A slot cannot start in the past; choose a later start."),
                      field="starts_at")
    if ends_at <= starts_at:
        raise Invalid(_("A slot must end after it starts."), field="ends_at")
    if capacity < 1:
        raise Invalid(_("A slot needs at least one place."), field="capacity")
    return VolunteerSlot.objects.create(need=need, starts_at=starts_at, ends_at=ends_at,
                                        capacity=capacity)


def volunteer_profile_save(*, user: User, skills: list[str], weekdays: list[int],
                           bio: str = "") -> VolunteerProfile:
    profile, _created = VolunteerProfile.objects.update_or_create(
        user=user, defaults={"skills": clean_skills(skills), "weekdays": clean_weekdays(weekdays),
                             "bio": bio})
    return profile


@transaction.atomic
def signup_create(*, volunteer: User, slot: VolunteerSlot | int) -> Signup:
    """Take a place: lock the person, then the slot; check full, duplicate, overlap; then write."""
    if not core_selectors.user_has_role(user=volunteer, role=list(COMMUNITY_ROLES)):
        raise NotAllowed(_("Volunteers sign up through their community: join one first."))
    slot_id = slot if isinstance(slot, int) else slot.pk
    # Lock order: the person first (serialises their own overlapping sign-ups), then the slot.
    User.objects.select_for_update().filter(pk=volunteer.pk).first()
    locked = (VolunteerSlot.objects.select_for_update(of=("self",))
              .select_related("need").get(pk=slot_id))
    if locked.need.status != OpenStatus.OPEN:
        raise NeedClosed(_("This volunteer need is closed."))
    if locked.starts_at <= timezone.now():
        raise SlotStarted(_("This slot has already started; choose a later one."))
    if Signup.objects.filter(slot=locked, volunteer=volunteer, status=SignupStatus.ACTIVE).exists():
        raise AlreadyDone(_("You are already signed up for this slot."))
    clash = (Signup.objects.select_related("slot__need")
             .filter(volunteer=volunteer, status=SignupStatus.ACTIVE,
                     slot__starts_at__lt=locked.ends_at, slot__ends_at__gt=locked.starts_at)
             .first())
    if clash is not None:
        raise SlotOverlap(_("This slot overlaps “%(need)s” on %(when)s, which you already hold. "
                         "Cancel that one first if you prefer this.") % {
            "need": clash.slot.need.title,
            "when": timezone.localtime(clash.slot.starts_at).strftime("%Y-%m-%d %H:%M")})
    if locked.taken >= locked.capacity:
        raise SlotFull(_("This slot is full. Try another time."))
    try:
        with transaction.atomic():
            signup = Signup.objects.create(
                slot=locked, volunteer=volunteer,
                pairing=core_selectors.pairing_of_user_and_village(
                    user=volunteer, village=locked.need.village_id))
    except IntegrityError:
        raise AlreadyDone(_("You are already signed up for this slot.")) from None
    VolunteerSlot.objects.filter(pk=locked.pk).update(taken=F("taken") + 1)
    page_cache.channel_changed()  # the channel counts open slots
    for person in core_selectors.village_coordinators(village=locked.need.village_id):
        notify(recipient=person, kind="exchange.volunteer_signup",
               message=lambda: _("%(who)s signed up for “%(need)s” on %(when)s.") % {
                   "who": volunteer, "need": locked.need.title,
                   "when": timezone.localtime(locked.starts_at).strftime("%Y-%m-%d %H:%M")},
               url=reverse("exchange:need-detail", args=[locked.need_id]))
    return signup


@transaction.atomic
def signup_cancel(*, volunteer: User, signup: Signup | int) -> Signup:
    signup_id = signup if isinstance(signup, int) else signup.pk
    row = Signup.objects.select_related("slot").filter(pk=signup_id).first()
    if row is None or row.volunteer_id != volunteer.pk:
        raise NotAllowed(_("This sign-up is not yours."))
    VolunteerSlot.objects.select_for_update().filter(pk=row.slot_id).first()
    if row.slot.starts_at <= timezone.now():
        raise SlotStarted(_("This slot has already started and can no longer be cancelled."))
    if Signup.objects.filter(pk=row.pk, status=SignupStatus.ACTIVE).update(
            status=SignupStatus.CANCELLED) != 1:
        raise AlreadyDone(_("This sign-up is already cancelled."))
    VolunteerSlot.objects.filter(pk=row.slot_id).update(taken=F("taken") - 1)
    page_cache.channel_changed()
    row.status = SignupStatus.CANCELLED
    return row


@transaction.atomic
def signup_confirm_hours(*, confirmed_by: User, signup: Signup, hours: Decimal) -> Signup:
    """After the slot, the coordinator confirms the hours served (once)."""
    slot = signup.slot
    if not core_selectors.user_coordinates_village(user=confirmed_by, village=slot.need.village_id):
        raise NotAllowed(_("Only this village's coordinator can confirm hours."))
    if slot.ends_at > timezone.now():
        raise HoursNotDue(_("Hours can be confirmed once the slot has ended."))
    if hours <= 0 or hours > slot.hours:
        raise Invalid(_("Hours must be above zero and at most the slot's %(h)s hours.") % {
            "h": slot.hours}, field="hours")
    updated = Signup.objects.filter(
        pk=signup.pk, status=SignupStatus.ACTIVE, hours_confirmed__isnull=True,
    ).update(hours_confirmed=hours, confirmed_by=confirmed_by)
    if updated != 1:
        raise AlreadyDone(_("These hours were already confirmed, or the sign-up was cancelled."))
    signup.hours_confirmed = hours
    signup.confirmed_by = confirmed_by
    notify(recipient=signup.volunteer, kind="exchange.hours_confirmed",
           message=lambda: _("%(h)s volunteer hours for “%(need)s” were confirmed. Thank you!") % {
               "h": hours, "need": slot.need.title},
           url=reverse("exchange:my-volunteering"))
    return signup
