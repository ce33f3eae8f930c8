"""Input and output shapes of the exchange API. No business logic here: services decide."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from synergy.core.models import Community, Pairing, Village
from synergy.core.upload_fields import ImageUploadSerializerField
from villages.exchange.models import (
    MAX_DONATION,
    BudgetLine,
    Campaign,
    Donation,
    Event,
    EventHost,
    EventKind,
    InterestMessage,
    InterestStatus,
    InvestmentInterest,
    InvestmentModel,
    InvestmentNeed,
    Job,
    JobApplication,
    JobKind,
    LabourOffer,
    NeedCategory,
    Registration,
    Signup,
    Skill,
    Spending,
    VolunteerNeed,
    VolunteerProfile,
    VolunteerSlot,
    Weekday,
)

SkillList = lambda: serializers.ListField(  # noqa: E731
    child=serializers.ChoiceField(choices=Skill.choices), required=False, default=list)
DayList = lambda: serializers.ListField(  # noqa: E731
    child=serializers.ChoiceField(choices=Weekday.choices), required=False, default=list)


# ---------------------------------------------------------------------------------- giving

class BudgetLineSerializer(serializers.ModelSerializer):
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, default=None)

    class Meta:
        model = BudgetLine
        fields = ["id", "label", "planned", "spent"]
        read_only_fields = ["id"]


class CampaignOutput(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    raised = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=True)
    budget_lines = BudgetLineSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "village", "village_name", "title", "purpose", "goal", "deadline", "status",
                  "raised", "progress_percent", "budget_lines", "review_status", "review_note",
                  "created_at"]


class CampaignInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    title = serializers.CharField(max_length=140)
    purpose = serializers.CharField()
    goal = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("1.00"))
    deadline = serializers.DateField()
    budget_lines = BudgetLineSerializer(many=True, required=False, default=list)


class DonationInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                      max_value=MAX_DONATION)
    anonymous = serializers.BooleanField(default=False)
    message = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    confirm_repeat = serializers.BooleanField(
        default=False, help_text="true to record a second gift of the same amount within minutes")


class DonationOutput(serializers.ModelSerializer):
    receipt = serializers.CharField(source="receipt_label", read_only=True)
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)

    class Meta:
        model = Donation
        fields = ["id", "campaign", "campaign_title", "amount", "anonymous", "message", "receipt",
                  "receipt_no", "pairing", "created_at"]


class SpendingInput(serializers.Serializer):
    budget_line = serializers.PrimaryKeyRelatedField(queryset=BudgetLine.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    description = serializers.CharField(max_length=300)
    spent_on = serializers.DateField()
    photo = ImageUploadSerializerField(required=False, allow_null=True)  # re-encoded, no EXIF
    receipt_no = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    over_budget_reason = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="",
        help_text="required when this entry takes its budget line over the planned amount")


class SpendingOutput(serializers.ModelSerializer):
    budget_line_label = serializers.CharField(source="budget_line.label", read_only=True)

    class Meta:
        model = Spending
        fields = ["id", "campaign", "budget_line", "budget_line_label", "amount", "description",
                  "spent_on", "photo", "receipt_no", "over_budget_reason", "created_at"]
        read_only_fields = ["photo"]  # output only; uploads go through SpendingInput


# ---------------------------------------------------------------------------- volunteering

class SlotOutput(serializers.ModelSerializer):
    class Meta:
        model = VolunteerSlot
        fields = ["id", "need", "starts_at", "ends_at", "capacity", "taken", "places_left"]


class SlotInput(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=1000)


class NeedOutput(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)

    class Meta:
        model = VolunteerNeed
        fields = ["id", "village", "village_name", "title", "category", "description", "skills",
                  "status", "created_at"]


class NeedDetailOutput(NeedOutput):
    slots = SlotOutput(many=True, read_only=True)

    class Meta(NeedOutput.Meta):
        fields = NeedOutput.Meta.fields + ["slots"]


class NeedInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    title = serializers.CharField(max_length=140)
    category = serializers.ChoiceField(choices=NeedCategory.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    skills = SkillList()


class ProfileSerializer(serializers.ModelSerializer):
    skills = SkillList()
    weekdays = DayList()

    class Meta:
        model = VolunteerProfile
        fields = ["skills", "weekdays", "bio"]
        extra_kwargs = {"bio": {"required": False, "allow_blank": True}}


class SignupOutput(serializers.ModelSerializer):
    slot = SlotOutput(read_only=True)
    need_title = serializers.CharField(source="slot.need.title", read_only=True)

    class Meta:
        model = Signup
        fields = ["id", "slot", "need_title", "status", "hours_confirmed", "pairing", "created_at"]


class HoursInput(serializers.Serializer):
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("0.25"))


class MatchSerializer(serializers.Serializer):
    score = serializers.FloatField()
    explanation = serializers.CharField()
    breakdown = serializers.DictField()


# ------------------------------------------------------------------------------ investment

class InvestmentNeedOutput(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = InvestmentNeed
        fields = ["id", "village", "village_name", "title", "sector", "amount_sought",
                  "use_of_funds", "model", "attachment", "status", "review_status", "review_note",
                  "created_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_attachment(self, need: InvestmentNeed) -> str | None:
        """The permission-checked download (the file is private), or null if there is none."""
        if not need.attachment:
            return None
        url = reverse("api-investment-attachment", args=[need.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class InvestmentNeedInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    title = serializers.CharField(max_length=140)
    sector = serializers.CharField(max_length=80)
    amount_sought = serializers.DecimalField(max_digits=14, decimal_places=2,
                                             min_value=Decimal("1.00"))
    use_of_funds = serializers.CharField()
    model = serializers.ChoiceField(choices=InvestmentModel.choices)
    attachment = serializers.FileField(required=False, allow_null=True)


class InterestInput(serializers.Serializer):
    amount_indicative = serializers.DecimalField(max_digits=14, decimal_places=2,
                                                 min_value=Decimal("1.00"))
    message = serializers.CharField()
    organisation = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                         default="")


class ReviewInput(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class InterestMessageOutput(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = InterestMessage
        fields = ["id", "interest", "author", "author_name", "text", "created"]

    def get_author_name(self, message: InterestMessage) -> str:
        return str(message.author) if message.author_id else ""


class InterestMessageInput(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


class InterestOutput(serializers.ModelSerializer):
    messages = InterestMessageOutput(many=True, read_only=True)

    class Meta:
        model = InvestmentInterest
        fields = ["id", "need", "organisation", "amount_indicative", "message", "status",
                  "messages", "replied_at", "pairing", "created_at"]


class InterestReplyInput(serializers.Serializer):
    reply = serializers.CharField(max_length=4000)
    status = serializers.ChoiceField(choices=InterestStatus.choices)  # "sent" is refused by the service


# ---------------------------------------------------------------------------- labour, jobs

class RegistrationOutput(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.__str__", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "event", "person", "person_name", "status", "created_at"]


class LabourOfferOutput(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.name", read_only=True)
    worker_name = serializers.CharField(source="worker.__str__", read_only=True)

    class Meta:
        model = LabourOffer
        fields = ["id", "worker", "worker_name", "village", "village_name", "title", "skills",
                  "weekdays", "expected_daily_pay", "description", "status", "created_at"]


class LabourOfferInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    title = serializers.CharField(max_length=140)
    skills = SkillList()
    weekdays = DayList()
    expected_daily_pay = serializers.DecimalField(max_digits=8, decimal_places=2,
                                                  min_value=Decimal("1.00"))
    description = serializers.CharField(required=False, allow_blank=True, default="")


class JobOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = Job
        fields = ["id", "community", "community_name", "title", "kind", "skills", "weekdays",
                  "daily_pay", "positions", "description", "status", "created_at"]


class JobInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    title = serializers.CharField(max_length=140)
    kind = serializers.ChoiceField(choices=JobKind.choices)
    skills = SkillList()
    weekdays = DayList()
    daily_pay = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=Decimal("1.00"))
    positions = serializers.IntegerField(min_value=1, max_value=500, default=1)
    description = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationInput(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationOutput(serializers.ModelSerializer):
    applicant_name = serializers.CharField(source="applicant.__str__", read_only=True)

    class Meta:
        model = JobApplication
        fields = ["id", "job", "applicant", "applicant_name", "message", "status", "pairing",
                  "decided_at", "created_at"]


class DecideInput(serializers.Serializer):
    accept = serializers.BooleanField()


# ---------------------------------------------------------------------------------- events

class EventOutput(serializers.ModelSerializer):
    community_name = serializers.CharField(source="pairing.community.name", read_only=True)
    village_name = serializers.CharField(source="pairing.village.name", read_only=True)

    class Meta:
        model = Event
        fields = ["id", "pairing", "community_name", "village_name", "host", "kind", "title",
                  "description", "place", "starts_at", "ends_at", "capacity", "taken",
                  "places_left"]


class EventInput(serializers.Serializer):
    pairing = serializers.PrimaryKeyRelatedField(queryset=Pairing.objects.all())
    host = serializers.ChoiceField(choices=EventHost.choices, default=EventHost.VILLAGE)
    kind = serializers.ChoiceField(choices=EventKind.choices)
    title = serializers.CharField(max_length=140)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=140)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField(min_value=1, max_value=10000)


# ---------------------------------------------------------------------------------- ledger

class LedgerRowOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    note = serializers.CharField()


class LedgerPairingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    community = serializers.CharField()
    village = serializers.CharField()
    distance_km = serializers.CharField()


class LedgerOutput(serializers.Serializer):
    pairing = LedgerPairingOutput()
    to_village = LedgerRowOutput(many=True)
    to_city = LedgerRowOutput(many=True)


class NeedRecommendedOutput(NeedOutput):
    match = MatchSerializer(read_only=True)

    class Meta(NeedOutput.Meta):
        fields = NeedOutput.Meta.fields + ["match"]


class JobRecommendedOutput(JobOutput):
    match = MatchSerializer(read_only=True)

    class Meta(JobOutput.Meta):
        fields = JobOutput.Meta.fields + ["match"]


class LabourRecommendedOutput(LabourOfferOutput):
    match = MatchSerializer(read_only=True)

    class Meta(LabourOfferOutput.Meta):
        fields = LabourOfferOutput.Meta.fields + ["match"]
