"""Input and output shapes of the community API. No business logic: services decide."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.models import (
    Bill,
    Business,
    BusinessOffer,
    Coupon,
    CouponClaim,
    HousingListing,
    ListingKind,
    Notice,
    PaymentMethod,
    PeripheralService,
    RepairTicket,
    ServiceKind,
    TicketCategory,
    TicketEvent,
)
from community.validators import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTICE_BODY_MAX,
    validate_near_date,
    validate_period,
    validate_phone,
)
from synergy.core.models import User, Village
from synergy.core.validators import validate_date_range

# --------------------------------------------------------------------------- notices


class NoticeOutput(serializers.ModelSerializer):
    attachment = serializers.SerializerMethodField()
    created_by_name = serializers.CharField(source="created_by", default="", read_only=True)
    read_count = serializers.IntegerField(read_only=True)
    is_read = serializers.BooleanField(read_only=True)
    is_expired = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notice
        fields = ["id", "community", "title", "body", "pinned", "expires_at", "is_expired",
                  "attachment", "created_by_name", "created_at", "read_count", "is_read"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_attachment(self, notice: Notice) -> str | None:
        """The permission-checked download (the file itself is private), or null."""
        if not notice.attachment:
            return None
        return _absolute(self, reverse("community_api:notice-attachment",
                                       args=[notice.community_id, notice.pk]))


def _absolute(serializer, url: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(url) if request else url


class NoticeInput(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    body = serializers.CharField(max_length=NOTICE_BODY_MAX)
    pinned = serializers.BooleanField(default=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    attachment = serializers.FileField(required=False, allow_null=True)


# --------------------------------------------------------------------------- tickets


class TicketEventOutput(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor", read_only=True)

    class Meta:
        model = TicketEvent
        fields = ["from_status", "to_status", "actor", "actor_name", "note", "at"]


class TicketOutput(serializers.ModelSerializer):
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    reporter_name = serializers.CharField(source="reporter", read_only=True)
    assignee_label = serializers.CharField(read_only=True)
    age_hours = serializers.SerializerMethodField()

    class Meta:
        model = RepairTicket
        fields = ["id", "community", "category", "category_label", "unit", "location",
                  "description", "status", "status_label", "reporter", "reporter_name",
                  "assignee_user", "assignee_village", "assignee_label", "rating",
                  "rating_comment", "created_at", "assigned_at", "resolved_at", "closed_at",
                  "age_hours"]

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_age_hours(self, ticket: RepairTicket) -> Decimal:
        end = ticket.closed_at or ticket.resolved_at or timezone.now()
        return Decimal((end - ticket.created_at).total_seconds() / 3600).quantize(Decimal("0.1"))


class TicketDetailOutput(TicketOutput):
    photos = serializers.SerializerMethodField()
    history = TicketEventOutput(source="events", many=True, read_only=True)

    class Meta(TicketOutput.Meta):
        fields = TicketOutput.Meta.fields + ["photos", "history"]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, ticket: RepairTicket) -> list[str]:
        """Permission-checked URLs: ticket photos are private."""
        return [_absolute(self, reverse("community_api:ticket-photo", args=[ticket.pk, p.pk]))
                for p in ticket.photos.all()]


class TicketCreateInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=TicketCategory.choices)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=DESCRIPTION_MAX)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class TicketAssignInput(serializers.Serializer):
    assignee_user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                                       allow_null=True, default=None)
    assignee_village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all(),
                                                          required=False, allow_null=True,
                                                          default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TicketNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class TicketRateInput(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True,
                                    default="")


# --------------------------------------------------------------------------- bills


class BillOutput(serializers.ModelSerializer):
    outstanding = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Bill
        fields = ["id", "community", "unit", "period", "amount", "paid_amount", "outstanding",
                  "due_date", "status", "description"]


class BillInput(serializers.Serializer):
    unit = serializers.CharField(max_length=40)
    period = serializers.CharField(max_length=7, validators=[validate_period])
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    due_date = serializers.DateField(validators=[validate_date_range, validate_near_date])
    description = serializers.CharField(max_length=140, required=False, allow_blank=True, default="")


class BillPaymentInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = serializers.DateField(validators=[validate_date_range, validate_near_date])
    method = serializers.ChoiceField(choices=PaymentMethod.choices, default=PaymentMethod.MOBILE)
    note = serializers.CharField(max_length=140, required=False, allow_blank=True, default="")


class PaymentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    paid_on = serializers.DateField()
    method = serializers.CharField()
    bill = BillOutput()


class ArrearsRowOutput(serializers.Serializer):
    unit = serializers.CharField()
    bills = serializers.IntegerField()
    owed = serializers.DecimalField(max_digits=12, decimal_places=2)
    oldest_due = serializers.DateField()


class ArrearsOutput(serializers.Serializer):
    as_of = serializers.DateField()
    flats = serializers.IntegerField()
    bills = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    rows = ArrearsRowOutput(many=True)


# --------------------------------------------------------------------------- business circle


class OfferOutput(serializers.ModelSerializer):
    class Meta:
        model = BusinessOffer
        fields = ["id", "title", "description", "price", "valid_until"]


class CouponOutput(serializers.ModelSerializer):
    class Meta:
        model = Coupon
        fields = ["id", "code", "title", "discount", "valid_until", "quantity", "claimed_count"]


class CouponClaimOutput(serializers.ModelSerializer):
    coupon = CouponOutput(read_only=True)

    class Meta:
        model = CouponClaim
        fields = ["id", "code", "coupon", "user", "claimed_at", "redeemed_at"]


class BusinessOutput(serializers.ModelSerializer):
    offers = OfferOutput(many=True, read_only=True)
    coupons = CouponOutput(many=True, read_only=True)

    class Meta:
        model = Business
        fields = ["id", "community", "name", "category", "description", "address", "phone",
                  "opening_hours", "offers", "coupons"]


class BusinessInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    category = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False,
                                        allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="",
                                  validators=[validate_phone])
    opening_hours = serializers.CharField(max_length=200, required=False, allow_blank=True,
                                          default="")


class OfferInput(serializers.Serializer):
    title = serializers.CharField(max_length=140)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False,
                                        allow_blank=True, default="")
    price = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=Decimal("0"),
                                     required=False, allow_null=True, default=None)
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)


class CouponInput(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    title = serializers.CharField(max_length=140)
    discount = serializers.CharField(max_length=60)
    valid_until = serializers.DateField()
    quantity = serializers.IntegerField(min_value=1, max_value=100000, required=False, default=100)


class CouponUpdateInput(serializers.Serializer):
    """PATCH: any of these; the code stays (residents were shown it)."""

    title = serializers.CharField(max_length=140, required=False)
    discount = serializers.CharField(max_length=60, required=False)
    valid_until = serializers.DateField(required=False)
    quantity = serializers.IntegerField(min_value=1, max_value=100000, required=False)


class RedeemInput(serializers.Serializer):
    code = serializers.CharField(max_length=16)


# --------------------------------------------------------------------------- services, housing


class ServiceOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PeripheralService
        fields = ["id", "community", "kind", "kind_label", "name", "description", "contact_name",
                  "phone", "hours"]


class ServiceInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices)
    name = serializers.CharField(max_length=120)
    phone = serializers.CharField(max_length=32, validators=[validate_phone])
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False,
                                        allow_blank=True, default="")
    contact_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    hours = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class HousingOutput(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    photos = serializers.SerializerMethodField()

    class Meta:
        model = HousingListing
        fields = ["id", "community", "kind", "kind_label", "title", "description", "price",
                  "area_m2", "rooms", "contact_phone", "created_at", "photos"]

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, listing: HousingListing) -> list[str]:
        request = self.context.get("request")
        urls = [p.image.url for p in listing.photos.all()]
        return [request.build_absolute_uri(u) for u in urls] if request else urls


class HousingInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ListingKind.choices)
    title = serializers.CharField(max_length=140)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False,
                                        allow_blank=True, default="")
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    area_m2 = serializers.DecimalField(max_digits=7, decimal_places=1, min_value=Decimal("0.1"))
    rooms = serializers.IntegerField(min_value=0, max_value=50, default=1)
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True,
                                          default="", validators=[validate_phone])
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class FollowOutput(serializers.Serializer):
    village = serializers.IntegerField()
    following = serializers.BooleanField()


# --------------------------------------------------------------------------- rural channel


class ChannelItemOutput(serializers.Serializer):
    """One item of the rural channel. `closes_at`: a round's order cut-off, a campaign's
    deadline, a volunteer need's next open slot, an event's start; null for products and stays."""

    kind = serializers.CharField(help_text="round, product, offer, campaign, need or event")
    id = serializers.IntegerField()
    title = serializers.CharField()
    village_id = serializers.IntegerField()
    village_name = serializers.CharField()
    closes_at = serializers.DateTimeField(allow_null=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    thumbnail_url = serializers.CharField()
