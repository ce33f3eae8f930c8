"""Community node: notices, repair tickets, property fees, business circle, services, housing.

Fields and constraints only; every write lives in services.py, every read in selectors.py.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.validators import COMMENT_MAX, DESCRIPTION_MAX, NOTICE_BODY_MAX, validate_phone
from synergy.core.models import Community, Village
from synergy.core.private_files import UnguessableName, private_storage

USER = settings.AUTH_USER_MODEL


def text_at_most(field: str, limit: int, name: str) -> models.CheckConstraint:
    """The database behind a free-text field's length limit (forms and serializers cut there)."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


# --------------------------------------------------------------------------- notices


class Notice(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("community"))
    title = models.CharField(_("title"), max_length=140)
    body = models.TextField(_("text"), max_length=NOTICE_BODY_MAX)
    pinned = models.BooleanField(_("pinned"), default=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # Private: served by community:notice-attachment to the notice's readers only.
    attachment = models.FileField(_("attachment"), upload_to=UnguessableName("community/notices"),
                                  storage=private_storage, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("published by"))
    created_at = models.DateTimeField(_("published at"), default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-pinned", "-created_at"]
        indexes = [models.Index(fields=["community", "-pinned", "-created_at"])]
        constraints = [
            text_at_most("body", NOTICE_BODY_MAX, "notice_body_length"),
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True) | Q(expires_at__gt=models.F("created_at")),
                name="notice_expires_after_created",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class NoticeRead(models.Model):
    """A read receipt: one per reader and notice."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads",
                               verbose_name=_("notice"))
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="notice_reads",
                             verbose_name=_("reader"))
    read_at = models.DateTimeField(_("read at"), default=timezone.now)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice}"


# --------------------------------------------------------------------------- repair tickets


class TicketCategory(models.TextChoices):
    PLUMBING = "plumbing", _("Plumbing and leaks")
    ELECTRICAL = "electrical", _("Electrical")
    LIFT = "lift", _("Lift")
    DOORS = "doors", _("Doors, windows and locks")
    PUBLIC_AREA = "public_area", _("Public areas and greenery")
    OTHER = "other", _("Other")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class RepairTicket(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="repair_tickets",
                                  verbose_name=_("community"))
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="repair_tickets",
                                 verbose_name=_("reported by"))
    category = models.CharField(_("category"), max_length=20, choices=TicketCategory.choices)
    unit = models.CharField(_("flat or unit"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True,
                                help_text=_("Where in the community, if not inside a flat."))
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX)
    status = models.CharField(_("status"), max_length=12, choices=TicketStatus.choices,
                              default=TicketStatus.OPEN)
    # The assignee is either a person of the community (staff) or a paired village's labour team.
    assignee_user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="assigned_tickets", verbose_name=_("assigned staff"))
    assignee_village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="assigned_tickets",
                                         verbose_name=_("assigned village labour team"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["community", "status", "created_at"])]
        constraints = [
            text_at_most("description", DESCRIPTION_MAX, "ticket_description_length"),
            text_at_most("rating_comment", COMMENT_MAX, "ticket_comment_length"),
            models.CheckConstraint(
                name="ticket_one_assignee_at_most",
                condition=Q(assignee_user__isnull=True) | Q(assignee_village__isnull=True),
            ),
            models.CheckConstraint(
                name="ticket_assignee_matches_status",
                condition=(
                    Q(status=TicketStatus.OPEN, assignee_user__isnull=True,
                      assignee_village__isnull=True)
                    | (~Q(status=TicketStatus.OPEN)
                       & (Q(assignee_user__isnull=False) | Q(assignee_village__isnull=False)))
                ),
            ),
            models.CheckConstraint(
                name="ticket_rating_1_to_5",
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
            ),
            models.CheckConstraint(
                name="ticket_rated_only_when_done",
                condition=Q(rating__isnull=True)
                | Q(status__in=[TicketStatus.RESOLVED, TicketStatus.CLOSED]),
            ),
            models.CheckConstraint(
                name="ticket_has_unit_or_location", condition=~Q(unit="") | ~Q(location=""),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_category_display()}"

    @property
    def assignee_label(self) -> str:
        if self.assignee_user_id:
            return str(self.assignee_user)
        if self.assignee_village_id:
            return str(self.assignee_village)
        return ""

    @property
    def place_label(self) -> str:
        return " · ".join(p for p in (self.unit, self.location) if p)


class TicketPhoto(models.Model):
    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("ticket"))
    # Private: a photo of someone's flat, served by community:ticket-photo to those who see the ticket.
    image = models.ImageField(_("photo"), upload_to=UnguessableName("community/tickets"),
                              storage=private_storage)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket photo")
        verbose_name_plural = _("ticket photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class TicketEvent(models.Model):
    """The history: one row per transition, with who and when."""

    ticket = models.ForeignKey(RepairTicket, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("ticket"))
    from_status = models.CharField(_("from"), max_length=12, choices=TicketStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=TicketStatus.choices)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket history entry")
        verbose_name_plural = _("ticket history")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.from_status or '∅'} → {self.to_status}"


# --------------------------------------------------------------------------- property fees

period_validator = RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$", _("Use the form YYYY-MM."))


class Bill(models.Model):
    """A property-fee bill for one flat and one period (a month)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="bills",
                                  verbose_name=_("community"))
    unit = models.CharField(_("flat or unit"), max_length=40)
    period = models.CharField(_("period"), max_length=7, validators=[period_validator],
                              help_text=_("YYYY-MM"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_amount = models.DecimalField(_("paid"), max_digits=10, decimal_places=2,
                                      default=Decimal("0.00"))
    due_date = models.DateField(_("due date"))
    description = models.CharField(_("description"), max_length=140, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-period", "unit"]
        indexes = [models.Index(fields=["community", "unit", "period"]),
                   models.Index(fields=["community", "due_date"])]
        constraints = [
            models.UniqueConstraint(fields=["community", "unit", "period"], name="bill_unique_unit_period"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bill_amount_gt_0"),
            models.CheckConstraint(condition=Q(paid_amount__gte=0), name="bill_paid_gte_0"),
            models.CheckConstraint(condition=Q(paid_amount__lte=models.F("amount")),
                                   name="bill_paid_lte_amount"),
            models.CheckConstraint(condition=Q(period__regex=r"^\d{4}-(0[1-9]|1[0-2])$"),
                                   name="bill_period_format"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid_amount

    @property
    def status(self) -> str:
        if self.paid_amount >= self.amount:
            return "paid"
        if self.due_date < timezone.localdate():
            return "overdue"
        return "due"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    MOBILE = "mobile", _("Mobile payment")


class Payment(models.Model):
    """A payment recorded by the property manager (recorded, not processed)."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments",
                             verbose_name=_("bill"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices,
                              default=PaymentMethod.MOBILE)
    note = models.CharField(_("note"), max_length=140, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_gt_0")]

    def __str__(self) -> str:
        return f"{self.bill} · {self.amount}"


# --------------------------------------------------------------------------- business circle


class Business(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="businesses",
                                  verbose_name=_("community"))
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="businesses",
                              verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True,
                                     help_text=_("For example: Mon–Sun 7:00–22:00"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("business")
        verbose_name_plural = _("businesses")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="business_unique_name"),
            text_at_most("description", DESCRIPTION_MAX, "business_description_length"),
        ]

    def __str__(self) -> str:
        return self.name


class BusinessOffer(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="offers",
                                 verbose_name=_("business"))
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2, null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0),
                                   name="business_offer_price_gte_0"),
            text_at_most("description", DESCRIPTION_MAX, "business_offer_description_length"),
        ]

    def __str__(self) -> str:
        return self.title


class Coupon(models.Model):
    business = models.ForeignKey(Business, on_delete=models.CASCADE, related_name="coupons",
                                 verbose_name=_("business"))
    code = models.CharField(_("code"), max_length=30)
    title = models.CharField(_("title"), max_length=140)
    discount = models.CharField(_("discount"), max_length=60,
                                help_text=_("For example: 20 yuan off orders over 100"))
    valid_until = models.DateField(_("valid until"))
    quantity = models.PositiveIntegerField(_("how many"), default=100,
                                           help_text=_("How many residents can claim it."))
    claimed_count = models.PositiveIntegerField(_("claimed"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["valid_until"]
        constraints = [
            models.UniqueConstraint(fields=["business", "code"], name="coupon_unique_code"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="coupon_quantity_gte_1"),
            models.CheckConstraint(condition=Q(claimed_count__lte=models.F("quantity")),
                                   name="coupon_claimed_lte_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def left(self) -> int:
        return max(self.quantity - self.claimed_count, 0)


class CouponClaim(models.Model):
    """A resident's claim on a coupon: one per person and coupon, with its own code that the
    merchant redeems once."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="claims",
                               verbose_name=_("coupon"))
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="coupon_claims",
                             verbose_name=_("claimed by"))
    code = models.CharField(_("code"), max_length=16, unique=True)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)
    redeemed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("redeemed by"))

    class Meta:
        verbose_name = _("coupon claim")
        verbose_name_plural = _("coupon claims")
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["coupon", "user"], name="coupon_claim_once_per_person"),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True, redeemed_by__isnull=True)
                | Q(redeemed_at__isnull=False, redeemed_by__isnull=False),
                name="coupon_claim_redeemed_with_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.coupon}"


# --------------------------------------------------------------------------- peripheral services


class ServiceKind(models.TextChoices):
    HOUSEKEEPING = "housekeeping", _("Housekeeping")
    DELIVERY = "delivery", _("Delivery")
    REPAIRS = "repairs", _("Repairs")
    ELDERLY_CARE = "elderly_care", _("Elderly care")
    OTHER = "other", _("Other")


class PeripheralService(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="services",
                                  verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX)
    contact_name = models.CharField(_("contact"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=32, validators=[validate_phone])
    hours = models.CharField(_("hours"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("peripheral service")
        verbose_name_plural = _("peripheral services")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="service_unique_name"),
            text_at_most("description", DESCRIPTION_MAX, "service_description_length"),
        ]

    def __str__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- housing


class ListingKind(models.TextChoices):
    RENT = "rent", _("For rent")
    SALE = "sale", _("For sale")


class HousingListing(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="housing_listings",
                                  verbose_name=_("community"))
    posted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="housing_listings",
                                  verbose_name=_("posted by"))
    kind = models.CharField(_("kind"), max_length=4, choices=ListingKind.choices)
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True, max_length=DESCRIPTION_MAX)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2,
                                help_text=_("Monthly rent, or the asking price for a sale (yuan)."))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=7, decimal_places=1)
    rooms = models.PositiveSmallIntegerField(_("rooms"), default=1)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True,
                                     validators=[validate_phone])
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("housing listing")
        verbose_name_plural = _("housing listings")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["community", "kind", "active", "price"])]
        constraints = [
            text_at_most("description", DESCRIPTION_MAX, "housing_description_length"),
            models.CheckConstraint(condition=Q(price__gt=0), name="housing_price_gt_0"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="housing_area_gt_0"),
        ]

    def __str__(self) -> str:
        return self.title


class HousingPhoto(models.Model):
    listing = models.ForeignKey(HousingListing, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("listing"))
    image = models.ImageField(_("photo"), upload_to=UnguessableName("community/housing"))  # public
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("housing photo")
        verbose_name_plural = _("housing photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


# --------------------------------------------------------------------------- rural channel


class VillageFollow(models.Model):
    """A resident follows a village on the rural channel (the feed filters by it)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="village_follows",
                             verbose_name=_("user"))
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="followers",
                                verbose_name=_("village"))
    created_at = models.DateTimeField(_("followed at"), default=timezone.now)

    class Meta:
        verbose_name = _("village follow")
        verbose_name_plural = _("village follows")
        constraints = [models.UniqueConstraint(fields=["user", "village"], name="village_follow_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.village}"
