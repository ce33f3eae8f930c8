"""Writes about people, roles and places."""

from __future__ import annotations

import datetime
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from synergy.core import pagecache, selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.i18n import in_every_language
from synergy.core.models import (
    COMMUNITY_ROLES,
    PLATFORM_ROLES,
    VILLAGE_ROLES,
    Community,
    Invitation,
    Membership,
    MembershipStatus,
    Notification,
    Pairing,
    Role,
    User,
    Village,
)
from synergy.core.notification_kinds import notification_kinds
from synergy.core.sheet_rows import SheetRejected, sheet_rows


@transaction.atomic
def user_register(
    *, username: str, password: str, email: str = "", display_name: str = "",
    preferred_language: str = "zh-hans",
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(_("That username is already taken."), field="username")
    user = User(username=username, email=email, display_name=display_name,
                preferred_language=preferred_language)
    user.set_password(password)
    user.save()
    return user


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for one device; only its hash is stored, so the text is returned once.
    It expires after REST_KNOX["TOKEN_TTL"] (API_TOKEN_TTL_DAYS); the user's expired ones go."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def api_token_revoke(*, token: AuthToken) -> None:
    """Log one device out: the token stops working at once."""
    AuthToken.objects.filter(pk=token.pk).delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """Log every device of this user out; returns how many tokens were revoked."""
    count, _per_model = AuthToken.objects.filter(user=user).delete()
    return count


def user_update_profile(
    *, user: User, display_name: str, email: str, phone: str, preferred_language: str,
    large_type: bool | None = None,
) -> User:
    user.display_name = display_name
    user.email = email
    user.phone = phone
    user.preferred_language = preferred_language
    fields = ["display_name", "email", "phone", "preferred_language"]
    if large_type is not None:  # also the header's toggle (synergy.core.display)
        user.large_type = large_type
        fields.append("large_type")
    user.save(update_fields=fields)
    return user


def _check_scope(role: str, community: Community | None, village: Village | None, unit: str):
    if role in COMMUNITY_ROLES and (community is None or village is not None):
        raise Invalid(_("This role belongs to a community: choose one."), field="community")
    if role in VILLAGE_ROLES and (village is None or community is not None):
        raise Invalid(_("This role belongs to a village: choose one."), field="village")
    if role in PLATFORM_ROLES and (community is not None or village is not None):
        raise Invalid(_("This role covers the whole platform: leave community and village empty."),
                      field="role")
    if role == Role.RESIDENT and not unit.strip():
        raise Invalid(_("A resident needs a flat or unit."), field="unit")


def membership_grant(
    *, granted_by: User | None, user: User, role: str, community: Community | None = None,
    village: Village | None = None, unit: str = "",
) -> Membership:
    """Give a role. Administrators may grant anything; `granted_by=None` is the system (seed)."""
    if granted_by is not None and not selectors.user_is_platform_admin(user=granted_by):
        raise NotAllowed(_("Only platform administrators can grant roles."))
    _check_scope(role, community, village, unit)
    try:
        with transaction.atomic():
            membership, _created = Membership.objects.exclude(
                status=MembershipStatus.REJECTED
            ).update_or_create(
                user=user, role=role, community=community, village=village,
                defaults={"unit": unit.strip(), "status": MembershipStatus.ACTIVE},
            )
    except IntegrityError:
        raise Conflict(_("This person already holds that role there.")) from None
    return membership


APPLICABLE_ROLES = (Role.RESIDENT, Role.RURAL_WORKER, Role.AGRI_BUSINESS)


def _applications_url() -> str:
    return reverse("core:applications")


def _my_applications_url() -> str:
    return reverse("core:profile") + "#applications"


@transaction.atomic
def membership_apply(
    *, user: User, role: str, community: Community | None = None, village: Village | None = None,
    unit: str = "",
) -> Membership:
    """A person asks to join: a resident of a community (with their flat), or a rural worker or
    agri-business of a village. The scope's deciders are told once the request is saved."""
    if role not in APPLICABLE_ROLES:
        raise Invalid(_("You can apply as a resident, a rural worker or an agricultural business."),
                      field="role")
    _check_scope(role, community, village, unit)
    live = Membership.objects.filter(user=user, role=role, community=community, village=village)
    existing = live.exclude(status=MembershipStatus.REJECTED).first()
    if existing is not None:
        if existing.status == MembershipStatus.ACTIVE:
            raise Conflict(_("You already hold this role there."))
        raise Conflict(_("You have already applied there; wait for the decision or withdraw it."))
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                user=user, role=role, community=community, village=village,
                unit=unit.strip() if role == Role.RESIDENT else "",
                status=MembershipStatus.PENDING,
            )
    except IntegrityError:
        raise Conflict(_("You have already applied there; wait for the decision or withdraw it.")
                       ) from None
    deciders = list(selectors.membership_deciders(membership=membership))
    place = community or village

    def tell_deciders() -> None:
        for person in deciders:
            notify(recipient=person, kind="membership_application",
                   message=lambda: _("%(who)s asks to join %(place)s as %(role)s.") % {
                       "who": user, "place": place, "role": membership.get_role_display()},
                   url=_applications_url())

    transaction.on_commit(tell_deciders)
    return membership


def _decide(*, decided_by: User, membership: Membership, status: str, reason: str) -> Membership:
    if not selectors.user_may_decide_membership(user=decided_by, membership=membership):
        raise NotAllowed(_("Only this place's property manager or coordinator, or an "
                           "administrator, can decide on this application."))
    now = timezone.now()
    updated = Membership.objects.filter(
        pk=membership.pk, status=MembershipStatus.PENDING
    ).update(status=status, decided_by=decided_by, decided_at=now, reason=reason)
    pagecache.memberships_changed()  # update() sends no post_save
    if updated != 1:
        raise Conflict(_("This application has already been decided or withdrawn."))
    membership.status, membership.decided_by, membership.decided_at = status, decided_by, now
    membership.reason = reason
    applicant = membership.user
    place = membership.community or membership.village

    def message() -> str:
        if status == MembershipStatus.ACTIVE:
            return _("Welcome! You are now %(role)s of %(place)s.") % {
                "role": membership.get_role_display(), "place": place}
        return _("Your application to %(place)s was not accepted: %(reason)s") % {
            "place": place, "reason": reason}

    def tell_applicant() -> None:
        notify(recipient=applicant, kind="membership_decision", message=message,
               url=_my_applications_url())

    transaction.on_commit(tell_applicant)
    return membership


@transaction.atomic
def membership_approve(*, decided_by: User, membership: Membership) -> Membership:
    """The scope's property manager (village: coordinator) or an administrator lets them in."""
    return _decide(decided_by=decided_by, membership=membership,
                   status=MembershipStatus.ACTIVE, reason="")


@transaction.atomic
def membership_reject(*, decided_by: User, membership: Membership, reason: str) -> Membership:
    """As approve, but the application is refused, saying why (the applicant may apply again)."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say why the application is rejected."), field="reason")
    return _decide(decided_by=decided_by, membership=membership,
                   status=MembershipStatus.REJECTED, reason=reason[:300])


@transaction.atomic
def membership_withdraw(*, user: User, membership: Membership) -> None:
    """The applicant takes back an application that is still pending."""
    if membership.user_id != user.pk:
        raise NotAllowed(_("Only the person who applied can withdraw this application."))
    deleted, _per_model = Membership.objects.filter(
        pk=membership.pk, user=user, status=MembershipStatus.PENDING).delete()
    if not deleted:
        raise Conflict(_("This application has already been decided or withdrawn."))


INVITATION_DAYS = 14
INVITATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over a phone


def _invitation_code() -> str:
    return "".join(secrets.choice(INVITATION_ALPHABET) for _i in range(8))


def invitation_create(*, created_by: User, community: Community, unit: str) -> Invitation:
    """A one-time code for one flat, valid INVITATION_DAYS (the community's manager or an admin)."""
    if not selectors.user_manages_community(user=created_by, community=community):
        raise NotAllowed(_("Only this community's property manager can invite residents."))
    unit = (unit or "").strip()
    if not unit:
        raise Invalid(_("A resident needs a flat or unit."), field="unit")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invitation.objects.create(
                    code=_invitation_code(), community=community, unit=unit,
                    created_by=created_by,
                    expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
        except IntegrityError:  # the code was taken: draw another
            continue
    raise Conflict(_("No invitation code could be made; please try again."))


FLAT_COLUMNS = {"unit": ("flat", "房号", "unit", "单元", "门牌")}


def invitations_import(*, created_by: User, community: Community, upload) -> list[Invitation]:
    """One invitation per flat of a CSV or XLSX sheet (the column `flat` or `房号`; others ignored).
    All or nothing: every row is checked first, and a `SheetRejected` lists each problem by row and
    column; then the invitations are made in one transaction."""
    if not selectors.user_manages_community(user=created_by, community=community):
        raise NotAllowed(_("Only this community's property manager can invite residents."))
    rows = sheet_rows(upload, columns=FLAT_COLUMNS, required=("unit",))
    errors, seen = [], {}
    unit_field = Invitation._meta.get_field("unit")
    for number, values in rows:
        unit = values.get("unit", "")
        if not unit:
            errors.append({"row": number, "column": FLAT_COLUMNS["unit"][0],
                           "message": _("A flat or unit is required.")})
        elif len(unit) > unit_field.max_length:
            errors.append({"row": number, "column": FLAT_COLUMNS["unit"][0],
                           "message": _("At most %(n)d characters.") % {"n": unit_field.max_length}})
        elif unit in seen:
            errors.append({"row": number, "column": FLAT_COLUMNS["unit"][0],
                           "message": _("The same flat as row %(r)d.") % {"r": seen[unit]}})
        else:
            seen[unit] = number
    if errors:
        raise SheetRejected(_("Nothing was imported: %(n)d problem(s) in the sheet.")
                            % {"n": len(errors)}, errors=errors)
    if not rows:
        raise Invalid(_("The sheet has no flats under its header."), field="file")
    with transaction.atomic():
        return [invitation_create(created_by=created_by, community=community, unit=values["unit"])
                for _number, values in rows]


@transaction.atomic
def invitation_accept(*, user: User, code: str) -> Membership:
    """The registered person who opens the code becomes an active resident of its flat. The code
    works once and until it expires; a pending application of theirs there is approved by it."""
    invitation = (Invitation.objects.select_for_update().select_related("community")
                  .filter(code=(code or "").strip().upper()).first())
    if invitation is None:
        raise Invalid(_("No invitation has this code: check it with your property manager."),
                      field="code")
    if invitation.used_at is not None:
        raise Conflict(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation has expired: ask your property manager for a new one."))
    community = invitation.community
    live = Membership.objects.select_for_update().filter(
        user=user, role=Role.RESIDENT, community=community,
    ).exclude(status=MembershipStatus.REJECTED).first()
    if live is not None and live.status == MembershipStatus.ACTIVE:
        raise Conflict(_("You are already a resident of this community."))
    now = timezone.now()
    used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        used_by=user, used_at=now)
    if used != 1:
        raise Conflict(_("This invitation has already been used."))
    decided = {"status": MembershipStatus.ACTIVE, "unit": invitation.unit,
               "decided_by": invitation.created_by, "decided_at": now}
    if live is not None:
        Membership.objects.filter(pk=live.pk).update(**decided)
        pagecache.memberships_changed()  # update() sends no post_save
        live.refresh_from_db()
        membership = live
    else:
        membership = Membership.objects.create(user=user, role=Role.RESIDENT, community=community,
                                               **decided)
    inviter = invitation.created_by
    if inviter is not None:
        def tell_inviter() -> None:
            notify(recipient=inviter, kind="invitation_used",
                   message=lambda: _("%(who)s joined %(place)s (%(unit)s) with your invitation.") % {
                       "who": user, "place": community, "unit": invitation.unit},
                   url=_applications_url())

        transaction.on_commit(tell_inviter)
    return membership


def pairing_create(*, created_by: User | None, community: Community, village: Village,
                   started_on: datetime.date | None = None) -> Pairing:
    """Open a rural channel between a community and a village (administrators only).
    ``started_on`` (default today) records when the channel began; it may lie in the past."""
    if created_by is not None and not selectors.user_is_platform_admin(user=created_by):
        raise NotAllowed(_("Only platform administrators can pair communities and villages."))
    started_on = started_on or timezone.localdate()
    if started_on > timezone.localdate():
        raise Invalid(_("A pairing cannot start in the future."), field="started_on")
    try:
        with transaction.atomic():
            return Pairing.objects.create(
                community=community, village=village, created_by=created_by,
                distance_km=selectors.distance_km(a=community, b=village), started_on=started_on,
            )
    except IntegrityError:
        raise Conflict(_("This community and village are already paired.")) from None


def pairing_set_started_on(*, changed_by: User, pairing: Pairing,
                           started_on: datetime.date) -> Pairing:
    """Correct when a pairing began (it dates the city's treatment in the analytics)."""
    if not selectors.user_is_platform_admin(user=changed_by):
        raise NotAllowed(_("Only platform administrators can change pairings."))
    if started_on > timezone.localdate():
        raise Invalid(_("A pairing cannot start in the future."), field="started_on")
    pairing.started_on = started_on
    pairing.save(update_fields=["started_on"])
    return pairing


def pairing_set_active(*, changed_by: User, pairing: Pairing, active: bool) -> Pairing:
    if not selectors.user_is_platform_admin(user=changed_by):
        raise NotAllowed(_("Only platform administrators can change pairings."))
    pairing.active = active
    pairing.save(update_fields=["active"])
    return pairing


def notify(*, recipient: User, kind: str, message, url: str = "") -> Notification:
    """Write an in-app notification now; e-mail it after the surrounding transaction commits,
    unless the recipient has turned e-mail off for this `kind`.

    `message` is a string, or a callable returning one (`lambda: _("%(who)s applied") % {...}`):
    it is then rendered in every language of the site, so the list shows it in the language the
    reader chooses, and the e-mail goes in the recipient's preferred language.
    """
    texts: dict[str, str] = {}
    if callable(message):
        texts = in_every_language(message, limit=300)
        with translation.override(recipient.preferred_language or None):
            message = str(message())
    note = Notification.objects.create(recipient=recipient, kind=kind, message=str(message)[:300],
                                       messages=texts, url=url)
    email = recipient.email
    if email and kind not in (recipient.email_off_kinds or []):
        def send() -> None:
            send_mail(subject=note.message[:78], message=note.message + (f"\n\n{url}" if url else ""),
                      from_email=None, recipient_list=[email], fail_silently=True)

        transaction.on_commit(send)
    return note


def notify_many(*, recipients, kind: str, message, url: str = "") -> int:
    """`notify` each of `recipients` (once each) in one INSERT, the sentence rendered once per
    language rather than once per recipient; e-mails after commit as `notify` sends them.
    Returns how many were notified."""
    people = list({u.pk: u for u in recipients}.values())
    if not people:
        return 0
    texts: dict[str, str] = in_every_language(message, limit=300) if callable(message) else {}

    def text_for(user: User) -> str:
        if not callable(message):
            return str(message)[:300]
        lang = user.preferred_language or settings.LANGUAGE_CODE
        if lang in texts:
            return texts[lang]
        with translation.override(user.preferred_language or None):
            return str(message())[:300]

    notes = Notification.objects.bulk_create([
        Notification(recipient=u, kind=kind, message=text_for(u), messages=texts, url=url)
        for u in people])
    pagecache.user_changed(*(u.pk for u in people))  # bulk_create sends no post_save
    mails = [(note.message, u.email) for note, u in zip(notes, people, strict=True)
             if u.email and kind not in (u.email_off_kinds or [])]
    if mails:
        def send() -> None:
            for text, email in mails:
                send_mail(subject=text[:78], message=text + (f"\n\n{url}" if url else ""),
                          from_email=None, recipient_list=[email], fail_silently=True)

        transaction.on_commit(send)
    return len(people)


def notification_email_choices_set(*, user: User, email_kinds: list[str]) -> User:
    """Which kinds of notification reach `user` by e-mail: every registered kind not chosen is
    turned off (kinds registered later start on)."""
    known = notification_kinds()
    unknown = [k for k in email_kinds if k not in known]
    if unknown:
        raise Invalid(_("Unknown kind of notification: %(k)s.") % {"k": ", ".join(unknown)},
                      field="email_kinds")
    user.email_off_kinds = sorted(k for k in known if k not in email_kinds)
    user.save(update_fields=["email_off_kinds"])
    return user


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the user's notifications read; returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(pk=notification_id, recipient=user).exists():
            raise NotAllowed(_("This notification is not yours."))
        qs = qs.filter(pk=notification_id)
    pagecache.user_changed(user.pk)  # the unread count in the menu
    return qs.update(read_at=timezone.now())
