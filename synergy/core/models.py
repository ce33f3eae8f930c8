"""The shared ground: users, their scoped memberships, and places (communities, villages, pairings).

`villages` and `community` both build on these models and never import each other.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy.core.i18n import in_active_language


class User(AbstractUser):
    """A person. What they may do comes from their memberships, not from flags on the user."""

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    # The kinds of notification this person does not want by e-mail (they still see them here).
    email_off_kinds = models.JSONField(_("no e-mail for"), default=list, blank=True)
    # Large type and high contrast on every page (the header's toggle; a cookie when logged out).
    large_type = models.BooleanField(_("large type and high contrast"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Place(models.Model):
    """Location fields shared by communities and villages."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    province = models.CharField(_("province"), max_length=40)
    prefecture_city = models.CharField(_("prefecture city"), max_length=60, db_index=True)
    district = models.CharField(_("district or county"), max_length=60)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def location_label(self) -> str:
        return f"{self.province} · {self.prefecture_city} · {self.district}"


def _coordinate_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__gte=-90, latitude__lte=90), name=f"{prefix}_latitude_range"
        ),
        models.CheckConstraint(
            condition=Q(longitude__gte=-180, longitude__lte=180), name=f"{prefix}_longitude_range"
        ),
    ]


class Community(Place):
    """A residential community (小区) with its property-management platform."""

    address = models.CharField(_("address"), max_length=200, blank=True)
    households = models.PositiveIntegerField(_("households"), default=0)

    class Meta(Place.Meta):
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = _coordinate_constraints("community")


class Village(Place):
    """A village link point; its offers live in the `villages` app."""

    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta(Place.Meta):
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = _coordinate_constraints("village")


class Pairing(models.Model):
    """A community's rural channel to one village. Every exchange flows through one pairing."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("community")
    )
    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("village")
    )
    distance_km = models.DecimalField(_("distance (km)"), max_digits=7, decimal_places=1)
    active = models.BooleanField(_("active"), default=True)
    # When the channel began (it may be recorded after the fact): the first of a city's
    # pairings dates the city's treatment in the analytics' difference-in-differences.
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["community__name", "distance_km"]
        constraints = [
            models.UniqueConstraint(fields=["community", "village"], name="pairing_unique"),
            models.CheckConstraint(condition=Q(distance_km__gte=0), name="pairing_distance_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.community} ↔ {self.village}"


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    PROPERTY_MANAGER = "property_manager", _("Property manager")
    MERCHANT = "merchant", _("Merchant")
    COORDINATOR = "coordinator", _("Village coordinator")
    RURAL_WORKER = "rural_worker", _("Rural worker")
    AGRI_BUSINESS = "agri_business", _("Agricultural business")
    ADMIN = "admin", _("Platform administrator")
    ANALYST = "analyst", _("Analyst")


COMMUNITY_ROLES = (Role.RESIDENT, Role.PROPERTY_MANAGER, Role.MERCHANT)
VILLAGE_ROLES = (Role.COORDINATOR, Role.RURAL_WORKER, Role.AGRI_BUSINESS)
PLATFORM_ROLES = (Role.ADMIN, Role.ANALYST)


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Rejected")


class Membership(models.Model):
    """One role of one person, scoped to a community, a village, or the whole platform."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("community"),
    )
    village = models.ForeignKey(
        Village, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name=_("village"),
    )
    unit = models.CharField(_("flat or unit"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True,
                              help_text=_("Why the application was rejected."))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__username", "role"]
        constraints = [
            # The scope must match the role: community roles name a community, and so on.
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(role__in=COMMUNITY_ROLES, community__isnull=False, village__isnull=True)
                    | Q(role__in=VILLAGE_ROLES, village__isnull=False, community__isnull=True)
                    | Q(role__in=PLATFORM_ROLES, community__isnull=True, village__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="membership_resident_has_unit",
                condition=~Q(role=Role.RESIDENT) | ~Q(unit=""),
            ),
            models.CheckConstraint(
                name="membership_rejection_has_reason",
                condition=~Q(status="rejected") | ~Q(reason=""),
            ),
            # One live (pending or active) row per person, role and scope; rejected rows stay
            # as history, so a person can apply again after a rejection.
            models.UniqueConstraint(
                fields=["user", "role", "community"],
                condition=Q(community__isnull=False) & ~Q(status="rejected"),
                name="membership_unique_community_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "village"],
                condition=Q(village__isnull=False) & ~Q(status="rejected"),
                name="membership_unique_village_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(community__isnull=True, village__isnull=True) & ~Q(status="rejected"),
                name="membership_unique_platform_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "role", "status"])]

    def __str__(self) -> str:
        scope = self.community or self.village or _("platform")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class Invitation(models.Model):
    """A one-time code (or its link) a property manager gives for one flat: the registered person
    who opens it becomes an active resident of the community, once, until it expires."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("community")
    )
    unit = models.CharField(_("flat or unit"), max_length=40)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("used by"),
    )
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(name="invitation_has_unit", condition=~Q(unit="")),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.unit} · {self.code}"


class Notification(models.Model):
    """A message to one person (sign-ups, applications, donations, replies); also e-mailed."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=40)
    message = models.CharField(_("message"), max_length=300)  # in the recipient's language
    # The same sentence in every language of the site ({"zh-hans": ..., "en": ...}), so the list
    # shows it in the language the reader has chosen now, not the one they had when it was sent.
    messages = models.JSONField(_("message in each language"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def text(self) -> str:
        """The sentence in the active language (else the recipient's language at sending)."""
        return in_active_language(self.messages, self.message)


class SubmissionKey(models.Model):
    """A key a person's device made for one form it sent (an offline draft, a retried upload):
    the first request with the key creates the record, a repeat gets that same record back.
    One row per (user, key), held by the unique constraint even against concurrent repeats."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    key = models.CharField(_("idempotency key"), max_length=64)
    kind = models.CharField(_("kind"), max_length=40)  # what the form creates: "product", ...
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     null=True, related_name="+")
    object_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission key")
        verbose_name_plural = _("submission keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.key}"
