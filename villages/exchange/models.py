"""The two-way exchange: giving, volunteering, investment, labour and jobs, cultural events.

Every record that flows between a community and a village names the `core.Pairing` it flows
through (nullable where the person has no paired community: such records still count for the
village but appear on no pairing's ledger).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, Pairing, Village
from synergy.core.private_files import UnguessableName, private_storage

MAX_DONATION = Decimal("100000.00")


class Skill(models.TextChoices):
    """One shared vocabulary, so needs, profiles, labour offers and jobs can be matched."""

    TEACHING = "teaching", _("Teaching")
    ENGLISH = "english", _("English")
    MUSIC_ART = "music_art", _("Music and art")
    MEDICINE = "medicine", _("Medicine and nursing")
    TECHNOLOGY = "technology", _("Computers and technology")
    ECOMMERCE = "ecommerce", _("E-commerce and marketing")
    PHOTOGRAPHY = "photography", _("Photography and video")
    AGRICULTURE = "agriculture", _("Farming")
    COOKING = "cooking", _("Cooking")
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security")
    REPAIRS = "repairs", _("Repairs and maintenance")
    CONSTRUCTION = "construction", _("Construction")
    DRIVING = "driving", _("Driving and delivery")
    CARE = "care", _("Child and elder care")
    ACCOUNTING = "accounting", _("Accounting")


class Weekday(models.IntegerChoices):
    MON = 0, _("Monday")
    TUE = 1, _("Tuesday")
    WED = 2, _("Wednesday")
    THU = 3, _("Thursday")
    FRI = 4, _("Friday")
    SAT = 5, _("Saturday")
    SUN = 6, _("Sunday")


class OpenStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ReviewStatus(models.TextChoices):
    """What raises money (campaigns, investment needs) is reviewed before it is public, like the
    village node's products and stays: pending -> approved, or rejected with a note; editing
    the text of an approved or rejected one sends it back to pending."""

    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Reviewed(models.Model):
    review_status = models.CharField(_("review"), max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PENDING)
    review_note = models.CharField(_("reviewer's note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.review_status == ReviewStatus.APPROVED


def review_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=Q(review_status__in=ReviewStatus.values),
                               name=f"{prefix}_review_status_valid"),
        models.CheckConstraint(condition=~Q(review_status=ReviewStatus.REJECTED) | ~Q(review_note=""),
                               name=f"{prefix}_rejected_has_note"),
    ]


# ---------------------------------------------------------------------------------------- giving

class Campaign(Reviewed):
    """A village asks for donations towards a goal, spent along budget lines."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="campaigns",
                                verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=140)
    purpose = models.TextField(_("purpose"))
    goal = models.DecimalField(_("goal (CNY)"), max_digits=12, decimal_places=2)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=OpenStatus.choices,
                              default=OpenStatus.OPEN)
    # Both counters change only under a row lock on the campaign (services.donation_give).
    raised = models.DecimalField(_("raised (CNY)"), max_digits=14, decimal_places=2,
                                 default=Decimal("0.00"))
    receipt_seq = models.PositiveIntegerField(_("last receipt number"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation campaign")
        verbose_name_plural = _("donation campaigns")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_gt_0"),
            models.CheckConstraint(condition=Q(raised__gte=0), name="campaign_raised_gte_0"),
            *review_constraints("campaign"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def progress_percent(self) -> int:
        return min(100, int(self.raised * 100 / self.goal)) if self.goal else 0


class BudgetLine(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="budget_lines",
                                 verbose_name=_("campaign"))
    label = models.CharField(_("budget line"), max_length=120)
    planned = models.DecimalField(_("planned (CNY)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned__gt=0), name="budgetline_planned_gt_0"),
            models.UniqueConstraint(fields=["campaign", "label"], name="budgetline_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Donation(models.Model):
    """Recorded, not charged. One per (campaign, donor, idempotency key)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="donations",
                                 verbose_name=_("campaign"))
    donor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="donations", verbose_name=_("donor"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="donations", verbose_name=_("pairing"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    anonymous = models.BooleanField(_("give anonymously"), default=False)
    message = models.CharField(_("message"), max_length=300, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=80)
    receipt_no = models.PositiveIntegerField(_("receipt number"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=MAX_DONATION), name="donation_amount_range"
            ),
            models.UniqueConstraint(fields=["campaign", "donor", "idempotency_key"],
                                    name="donation_unique_idempotency_key"),
            models.UniqueConstraint(fields=["campaign", "receipt_no"],
                                    name="donation_unique_receipt_no"),
        ]

    def __str__(self) -> str:
        return self.receipt_label

    @property
    def receipt_label(self) -> str:
        return f"C{self.campaign_id}-{self.receipt_no:05d}"


class Spending(models.Model):
    """The coordinator accounts for donated money against a budget line, with a photo."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="spendings",
                                 verbose_name=_("campaign"))
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="spendings",
                                    verbose_name=_("budget line"))
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what was bought or paid"), max_length=300)
    spent_on = models.DateField(_("spent on"))
    # Public ledger content: shown to everyone on the campaign page as proof of spending, so it
    # stays under MEDIA_ROOT; re-encoded without EXIF by synergy.core.images (no GPS position).
    photo = models.ImageField(_("photo"), upload_to=UnguessableName("exchange/spending"), blank=True)
    receipt_no = models.CharField(_("receipt or invoice number"), max_length=60, blank=True)
    over_budget_reason = models.CharField(_("reason for exceeding the budget line"),
                                          max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spending entry")
        verbose_name_plural = _("spending entries")
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spending_amount_gt_0"),
            # A receipt accounts for money once per campaign (case and spaces do not matter:
            # the service normalises the number before saving).
            models.UniqueConstraint(F("campaign"), Upper("receipt_no"),
                                    condition=~Q(receipt_no=""), name="spending_unique_receipt_no"),
            models.CheckConstraint(condition=Q(spent_on__gte=datetime.date(1900, 1, 1)),
                                   name="spending_spent_on_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line} · {self.amount}"


# ---------------------------------------------------------------------------------- volunteering

class NeedCategory(models.TextChoices):
    TEACHING = "teaching", _("Teaching")
    CULTURE = "culture", _("Culture")
    HEALTH = "health", _("Health")
    TECHNOLOGY = "technology", _("Technology")


class VolunteerNeed(models.Model):
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="volunteer_needs",
                                verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=140)
    category = models.CharField(_("category"), max_length=20, choices=NeedCategory.choices)
    description = models.TextField(_("description"), blank=True)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OpenStatus.choices,
                              default=OpenStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer need")
        verbose_name_plural = _("volunteer needs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class VolunteerSlot(models.Model):
    need = models.ForeignKey(VolunteerNeed, on_delete=models.CASCADE, related_name="slots",
                             verbose_name=_("need"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    # Changes only under a row lock on the slot (services.signup_create / signup_cancel).
    taken = models.PositiveIntegerField(_("places taken"), default=0)

    class Meta:
        verbose_name = _("volunteer slot")
        verbose_name_plural = _("volunteer slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="slot_capacity_gt_0"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="slot_taken_lte_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.need} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return self.capacity - self.taken

    @property
    def hours(self) -> Decimal:
        return Decimal(str(round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)))


class VolunteerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="volunteer_profile", verbose_name=_("user"))
    skills = models.JSONField(_("skills"), default=list, blank=True)
    weekdays = models.JSONField(_("available weekdays"), default=list, blank=True)
    bio = models.TextField(_("about me"), blank=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return str(self.user)


class SignupStatus(models.TextChoices):
    ACTIVE = "active", _("Signed up")
    CANCELLED = "cancelled", _("Cancelled")


class Signup(models.Model):
    slot = models.ForeignKey(VolunteerSlot, on_delete=models.CASCADE, related_name="signups",
                             verbose_name=_("slot"))
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="volunteer_signups", verbose_name=_("volunteer"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="signups", verbose_name=_("pairing"))
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices,
                              default=SignupStatus.ACTIVE)
    hours_confirmed = models.DecimalField(_("hours confirmed"), max_digits=5, decimal_places=2,
                                          null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("confirmed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "volunteer"], condition=Q(status="active"),
                                    name="signup_unique_active_per_slot"),
            models.CheckConstraint(
                condition=Q(hours_confirmed__isnull=True) | Q(hours_confirmed__gt=0),
                name="signup_hours_gt_0",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.slot}"


# ------------------------------------------------------------------------------------ investment

class InvestmentModel(models.TextChoices):
    LOAN = "loan", _("Loan")
    EQUITY = "equity", _("Equity")
    COOP_SHARE = "coop_share", _("Cooperative share")
    PURCHASE = "purchase", _("Purchase agreement")


class InvestmentNeed(Reviewed):
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="investment_needs",
                                verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=140)
    sector = models.CharField(_("sector"), max_length=80)
    amount_sought = models.DecimalField(_("amount sought (CNY)"), max_digits=14, decimal_places=2)
    use_of_funds = models.TextField(_("use of funds"))
    model = models.CharField(_("proposed model"), max_length=20, choices=InvestmentModel.choices)
    # Private: business plans and accounts, for the village's coordinators and interested investors.
    attachment = models.FileField(_("attachment"), upload_to=UnguessableName("exchange/investment"),
                                  storage=private_storage, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OpenStatus.choices,
                              default=OpenStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("investment need")
        verbose_name_plural = _("investment needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_sought__gt=0), name="investment_amount_gt_0"),
            *review_constraints("investmentneed"),
        ]

    def __str__(self) -> str:
        return self.title


class InterestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    IN_TALKS = "in_talks", _("In talks")
    DECLINED = "declined", _("Declined")
    AGREED = "agreed", _("Agreed")


class InvestmentInterest(models.Model):
    need = models.ForeignKey(InvestmentNeed, on_delete=models.CASCADE, related_name="interests",
                             verbose_name=_("investment need"))
    investor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="investment_interests", verbose_name=_("investor"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="investment_interests", verbose_name=_("pairing"))
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    amount_indicative = models.DecimalField(_("indicative amount (CNY)"), max_digits=14,
                                            decimal_places=2)
    message = models.TextField(_("message"))
    status = models.CharField(_("status"), max_length=10, choices=InterestStatus.choices,
                              default=InterestStatus.SENT)
    # The conversation is InterestMessage (the village's answers and the investor's follow-ups);
    # replied_at is when the village last answered.
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "investor"], name="interest_unique_per_investor"),
            models.CheckConstraint(condition=Q(amount_indicative__gt=0), name="interest_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.investor} · {self.need}"

class InterestMessage(models.Model):
    """One message of the conversation between an investor and the village's coordinators."""

    interest = models.ForeignKey(InvestmentInterest, on_delete=models.CASCADE,
                                 related_name="messages", verbose_name=_("expression of interest"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("message"), max_length=4000)
    created = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("interest message")
        verbose_name_plural = _("interest messages")
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="interestmessage_text_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.interest}"


# ---------------------------------------------------------------------------------- labour, jobs

class LabourOffer(models.Model):
    """A rural worker offers their labour to the city."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="labour_offers", verbose_name=_("worker"))
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="labour_offers",
                                verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=140)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    weekdays = models.JSONField(_("available weekdays"), default=list, blank=True)
    expected_daily_pay = models.DecimalField(_("expected pay per day (CNY)"), max_digits=8,
                                             decimal_places=2)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OpenStatus.choices,
                              default=OpenStatus.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("labour offer")
        verbose_name_plural = _("labour offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(expected_daily_pay__gt=0), name="labour_pay_gt_0"),
        ]

    def __str__(self) -> str:
        return self.title


class JobKind(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    SECURITY = "security", _("Security")
    SEASONAL = "seasonal", _("Seasonal help")
    REPAIRS = "repairs", _("Repairs")
    OTHER = "other", _("Other")


class Job(models.Model):
    """A merchant or property manager of a community needs hands."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="jobs",
                                  verbose_name=_("community"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="jobs_posted", verbose_name=_("posted by"))
    title = models.CharField(_("title"), max_length=140)
    kind = models.CharField(_("kind of work"), max_length=20, choices=JobKind.choices)
    skills = models.JSONField(_("skills wanted"), default=list, blank=True)
    weekdays = models.JSONField(_("working weekdays"), default=list, blank=True)
    daily_pay = models.DecimalField(_("pay per day (CNY)"), max_digits=8, decimal_places=2)
    positions = models.PositiveIntegerField(_("positions"), default=1)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OpenStatus.choices,
                              default=OpenStatus.OPEN)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(daily_pay__gt=0), name="job_pay_gt_0"),
            models.CheckConstraint(condition=Q(positions__gt=0), name="job_positions_gt_0"),
        ]

    def __str__(self) -> str:
        return self.title


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class JobApplication(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications",
                            verbose_name=_("job"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="job_applications", verbose_name=_("applicant"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="job_applications", verbose_name=_("pairing"))
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "applicant"], name="application_unique_per_job"),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.job}"


# ---------------------------------------------------------------------------------------- events

class EventKind(models.TextChoices):
    HARVEST = "harvest", _("Harvest festival")
    STUDY_VISIT = "study_visit", _("Study visit")
    PERFORMANCE = "performance", _("Performance")
    OTHER = "other", _("Other")


class EventHost(models.TextChoices):
    VILLAGE = "village", _("The village hosts (city people visit)")
    COMMUNITY = "community", _("The community hosts (villagers come to the city)")


class Event(models.Model):
    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="events",
                                verbose_name=_("pairing"))
    host = models.CharField(_("host"), max_length=10, choices=EventHost.choices,
                            default=EventHost.VILLAGE)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), blank=True)
    place = models.CharField(_("place"), max_length=140)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("places taken"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cultural event")
        verbose_name_plural = _("cultural events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_gt_0"),
            models.CheckConstraint(condition=Q(taken__lte=F("capacity")), name="event_taken_lte_capacity"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return self.capacity - self.taken


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations",
                              verbose_name=_("event"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="event_registrations", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=10, choices=SignupStatus.choices,
                              default=SignupStatus.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], condition=Q(status="active"),
                                    name="registration_unique_active"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.event}"
