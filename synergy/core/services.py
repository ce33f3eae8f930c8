"""Writes about people, roles and places."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from knox.models import AuthToken
from knox.settings import knox_settings

from synergy.core import selectors
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import (
    COMMUNITY_ROLES,
    PLATFORM_ROLES,
    VILLAGE_ROLES,
    Community,
    Membership,
    MembershipStatus,
    Notification,
    Pairing,
    Role,
    User,
    Village,
)
from synergy.core.notification_kinds import notification_kinds


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
    *, user: User, display_name: str, email: str, phone: str, preferred_language: str
) -> User:
    user.display_name = display_name
    user.email = email
    user.phone = phone
    user.preferred_language = preferred_language
    user.save(update_fields=["display_name", "email", "phone", "preferred_language"])
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
            membership, _created = Membership.objects.update_or_create(
                user=user, role=role, community=community, village=village,
                defaults={"unit": unit.strip(), "status": MembershipStatus.ACTIVE},
            )
    except IntegrityError:
        raise Conflict(_("This person already holds that role there.")) from None
    return membership


def membership_apply_as_resident(*, user: User, community: Community, unit: str) -> Membership:
    """A person asks to join a community as a resident; a property manager approves."""
    _check_scope(Role.RESIDENT, community, None, unit)
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user, role=Role.RESIDENT, community=community, unit=unit.strip(),
                status=MembershipStatus.PENDING,
            )
    except IntegrityError:
        raise Conflict(_("You have already applied to this community.")) from None


def membership_approve(*, approved_by: User, membership: Membership) -> Membership:
    if membership.community_id is None or not selectors.user_manages_community(
        user=approved_by, community=membership.community_id
    ):
        raise NotAllowed(_("Only this community's property manager can approve residents."))
    updated = Membership.objects.filter(
        pk=membership.pk, status=MembershipStatus.PENDING
    ).update(status=MembershipStatus.ACTIVE)
    if updated != 1:
        raise Conflict(_("This application has already been decided."))
    membership.status = MembershipStatus.ACTIVE
    return membership


def pairing_create(*, created_by: User | None, community: Community, village: Village) -> Pairing:
    """Open a rural channel between a community and a village (administrators only)."""
    if created_by is not None and not selectors.user_is_platform_admin(user=created_by):
        raise NotAllowed(_("Only platform administrators can pair communities and villages."))
    try:
        with transaction.atomic():
            return Pairing.objects.create(
                community=community, village=village, created_by=created_by,
                distance_km=selectors.distance_km(a=community, b=village),
            )
    except IntegrityError:
        raise Conflict(_("This community and village are already paired.")) from None


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
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                texts[code] = str(message())[:300]
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
    return qs.update(read_at=timezone.now())
