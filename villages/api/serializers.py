"""Input and output shapes of the village API. No business rules here: services hold them."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from synergy.core.models import Community, Village
from villages.api import payment_serializers as ps
from villages.models import (
    Booking,
    GroupBuyRound,
    Industry,
    OfferKind,
    Order,
    OrderItem,
    OrderStatusChange,
    Payment,
    PaymentMethod,
    Product,
    ProductCategory,
    TourismOffer,
)
from villages.selectors.payments import order_payment_instructions, payment_history


class PhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    image = serializers.ImageField(read_only=True)
    thumbnail = serializers.ImageField(read_only=True)
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    caption = serializers.CharField()


class PhotoInput(serializers.Serializer):
    photo = serializers.FileField(allow_empty_file=False)
    caption = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


# --- Villages --------------------------------------------------------------------------------


class VillageProfileOutput(serializers.Serializer):
    village = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    tagline = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()
    specialities = serializers.SerializerMethodField()
    industries = serializers.SerializerMethodField()
    photos = PhotoOutput(many=True)

    def _profile(self, obj, field):
        profile = getattr(obj, "profile", None)  # a missing one-to-one raises AttributeError
        return getattr(profile, field, "") if profile else ""

    def get_tagline(self, obj) -> str:
        return self._profile(obj, "tagline")

    def get_features(self, obj) -> str:
        return self._profile(obj, "features")

    def get_specialities(self, obj) -> str:
        return self._profile(obj, "specialities")

    def get_industries(self, obj) -> list[str]:
        return [i.industry for i in obj.industries.all()]


class VillageProfileInput(serializers.Serializer):
    tagline = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True)
    features = serializers.CharField(required=False, allow_blank=True, default="")
    specialities = serializers.CharField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    industries = serializers.ListField(child=serializers.ChoiceField(choices=Industry.choices),
                                       required=False)


# --- Products --------------------------------------------------------------------------------


class ProductOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="draft, pending, published or archived")
    village_name = serializers.CharField(source="village.name", read_only=True)
    photos = PhotoOutput(many=True, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "village", "village_name", "name", "category", "description", "unit",
                  "price", "stock", "status", "review_note", "photos", "created_at", "updated_at"]


class ProductCreateInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    name = serializers.CharField(max_length=120)
    category = serializers.ChoiceField(choices=ProductCategory.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    unit = serializers.CharField(max_length=30)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    stock = serializers.IntegerField(min_value=0, max_value=10_000_000, default=0)
    submit = serializers.BooleanField(default=True)


class ProductUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    category = serializers.ChoiceField(choices=ProductCategory.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(max_length=30, required=False)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                     required=False)
    stock = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False)


class RejectInput(serializers.Serializer):
    note = serializers.CharField(max_length=300)


# --- Rounds ----------------------------------------------------------------------------------


class PickupOutput(serializers.Serializer):
    community = serializers.IntegerField(source="community_id")
    community_name = serializers.CharField(source="community.name")
    pickup_point = serializers.CharField()


class RoundProductOutput(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    name = serializers.CharField(source="product.name")
    unit = serializers.CharField(source="product.unit")
    price = serializers.DecimalField(source="product.price", max_digits=12, decimal_places=2,
                                     help_text="the list price")
    group_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class RoundOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True,
                                   help_text="open, formed, failed, delivered or cancelled")
    village_name = serializers.CharField(source="village.name", read_only=True)
    pickups = PickupOutput(many=True, read_only=True)
    accepting_orders = serializers.BooleanField(read_only=True)
    units_ordered = serializers.IntegerField(read_only=True,
                                             help_text="units of the round's non-cancelled orders")
    formed = serializers.BooleanField(read_only=True)
    products = RoundProductOutput(source="offers", many=True, read_only=True)

    class Meta:
        model = GroupBuyRound
        fields = ["id", "village", "village_name", "title", "note", "cutoff_at", "delivery_date",
                  "status", "accepting_orders", "min_units", "units_ordered", "formed",
                  "closed_at", "products", "pickups", "delivered_at"]


class PickupInput(serializers.Serializer):
    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    pickup_point = serializers.CharField(max_length=160)


class RoundProductInput(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    group_price = serializers.DecimalField(max_digits=12, decimal_places=2)


class RoundCreateInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    title = serializers.CharField(max_length=120)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    cutoff_at = serializers.DateTimeField()
    delivery_date = serializers.DateField()
    pickups = PickupInput(many=True, allow_empty=False)
    min_units = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False, default=0)
    products = RoundProductInput(many=True, allow_empty=False)


class DemandOutput(serializers.Serializer):
    orders = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    products = serializers.ListField(child=serializers.DictField())
    communities = serializers.ListField(child=serializers.DictField())


# --- Orders ----------------------------------------------------------------------------------


class OrderItemInput(serializers.Serializer):
    product = serializers.IntegerField(min_value=1)
    quantity = serializers.IntegerField(min_value=1, max_value=999)


class OrderCreateInput(serializers.Serializer):
    items = OrderItemInput(many=True, allow_empty=False)
    pickup_community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    round = serializers.PrimaryKeyRelatedField(queryset=GroupBuyRound.objects.all(),
                                               allow_null=True, required=False, default=None)


class OrderItemOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderItem
        fields = ["product", "product_name", "unit", "quantity", "unit_price", "line_total"]


class PaymentOutput(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["method", "amount", "reference", "recorded_by", "recorded_at", "refund_amount",
                  "refund_method", "refund_note", "refunded_by", "refunded_at"]


class OrderStatusChangeOutput(serializers.ModelSerializer):
    from_status = serializers.CharField(read_only=True, help_text="empty for the first entry")
    to_status = serializers.CharField(read_only=True)

    class Meta:
        model = OrderStatusChange
        fields = ["from_status", "to_status", "changed_by", "changed_at"]


class OrderOutput(serializers.ModelSerializer):
    """An order. `pickup_code` is the buyer's alone: null for anyone else, and for a caller
    the view did not name (serialise with `context={"request": request}`)."""

    status = serializers.CharField(read_only=True,
                                   help_text="placed, confirmed, delivered, collected or cancelled")
    village_name = serializers.CharField(source="village.name", read_only=True)
    cancel_reason = serializers.CharField(source="cancel_reason_text", read_only=True,
                                          help_text="why it was cancelled, in the caller's language")
    pickup_community_name = serializers.CharField(source="pickup_community.name", read_only=True)
    items = OrderItemOutput(many=True, read_only=True)
    payment = serializers.SerializerMethodField()
    pickup_code = serializers.SerializerMethodField(help_text="the buyer only; null for others")
    payment_instructions = serializers.SerializerMethodField(
        help_text="how to pay the village, while the order is unpaid and not cancelled")

    class Meta:
        model = Order
        fields = ["id", "status", "village", "village_name", "pickup_community",
                  "pickup_community_name", "pickup_point", "round", "total", "items", "payment",
                  "created_at", "pickup_code", "payment_instructions", "collected_by",
                  "collected_at", "cancel_reason"]

    def get_payment(self, obj) -> dict | None:
        try:
            return PaymentOutput(obj.payment).data
        except Payment.DoesNotExist:
            return None

    def get_pickup_code(self, obj) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and obj.buyer_id == user.pk:
            return obj.pickup_code
        return None

    def get_payment_instructions(self, obj) -> dict | None:
        instructions = order_payment_instructions(obj)
        return ps.PaymentInstructionsOutput(instructions, context=self.context).data \
            if instructions else None


class OrderDetailOutput(OrderOutput):
    history = OrderStatusChangeOutput(many=True, read_only=True)
    payment_claims = ps.PaymentClaimOutput(many=True, read_only=True)
    payment_history = serializers.SerializerMethodField()

    class Meta(OrderOutput.Meta):
        fields = OrderOutput.Meta.fields + ["history", "payment_claims", "payment_history"]

    def get_payment_history(self, obj) -> list[dict]:
        return ps.PaymentEventOutput(payment_history(obj), many=True).data


class OrderCancelInput(serializers.Serializer):
    """Only for a paid order (the coordinator): the refund recorded with the cancel."""

    refund_amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False,
                                             allow_null=True, default=None,
                                             help_text="defaults to the amount paid")
    refund_method = serializers.ChoiceField(choices=PaymentMethod.choices, required=False,
                                            allow_blank=True, default="")
    refund_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class PaymentInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


# --- Tourism ---------------------------------------------------------------------------------


class TourismOfferOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="draft, pending, published or archived")
    village_name = serializers.CharField(source="village.name", read_only=True)
    photos = PhotoOutput(many=True, read_only=True)

    class Meta:
        model = TourismOffer
        fields = ["id", "village", "village_name", "kind", "title", "description", "price",
                  "capacity", "min_nights", "max_nights", "status", "review_note", "photos",
                  "created_at"]


class TourismOfferCreateInput(serializers.Serializer):
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    kind = serializers.ChoiceField(choices=OfferKind.choices)
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"))
    capacity = serializers.IntegerField(min_value=1, max_value=10_000)
    min_nights = serializers.IntegerField(min_value=1, max_value=366, default=1)
    max_nights = serializers.IntegerField(min_value=1, max_value=366, default=14)
    submit = serializers.BooleanField(default=True)


class TourismOfferUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OfferKind.choices, required=False)
    title = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"),
                                     required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    min_nights = serializers.IntegerField(min_value=1, max_value=366, required=False)
    max_nights = serializers.IntegerField(min_value=1, max_value=366, required=False)


class CalendarQueryInput(serializers.Serializer):
    start = serializers.DateField(required=False)
    days = serializers.IntegerField(min_value=1, max_value=366, default=35)


class CalendarDayOutput(serializers.Serializer):
    date = serializers.DateField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    remaining = serializers.IntegerField()


class CapacityInput(serializers.Serializer):
    date = serializers.DateField()
    capacity = serializers.IntegerField(min_value=0, max_value=10_000)


class BookingCreateInput(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    guests = serializers.IntegerField(min_value=1, max_value=10_000)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class BookingOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True,
                                   help_text="requested, confirmed, cancelled or expired")
    guest_name = serializers.CharField(source="guest.username", read_only=True)
    offer_title = serializers.CharField(source="offer.title", read_only=True)
    village = serializers.IntegerField(source="offer.village_id", read_only=True)

    class Meta:
        model = Booking
        fields = ["id", "offer", "offer_title", "village", "start_date", "end_date", "guests",
                  "nights", "total", "status", "community", "note", "created_at", "confirmed_at",
                  "cancelled_at", "hold_expires_at", "guest_name"]


class CheckoutCreateInput(serializers.Serializer):
    items = OrderItemInput(many=True, allow_empty=False)
    pickup_community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())
    round = serializers.PrimaryKeyRelatedField(queryset=GroupBuyRound.objects.all(),
                                               allow_null=True, required=False, default=None)
    key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                help_text="idempotency key; or the Idempotency-Key header")
