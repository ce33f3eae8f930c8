"""API shapes of pickup and payments: codes, claims, instructions, the payment history. No
business rules here: services hold them."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from synergy.core.upload_fields import ImageUploadSerializerField
from villages.models import PaymentClaim, PaymentInstructions, PaymentMethod


class PaymentInstructionsOutput(serializers.ModelSerializer):
    wechat_qr = serializers.ImageField(read_only=True)
    alipay_qr = serializers.ImageField(read_only=True)

    class Meta:
        model = PaymentInstructions
        fields = ["village", "bank_name", "account_name", "account_number", "wechat_qr",
                  "alipay_qr", "note", "updated_at"]


class PaymentInstructionsInput(serializers.Serializer):
    bank_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    account_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    account_number = serializers.CharField(max_length=40, required=False, allow_blank=True,
                                           default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    wechat_qr = ImageUploadSerializerField(required=False, allow_null=True, default=None)
    alipay_qr = ImageUploadSerializerField(required=False, allow_null=True, default=None)
    clear_wechat_qr = serializers.BooleanField(required=False, default=False)
    clear_alipay_qr = serializers.BooleanField(required=False, default=False)


class PaymentClaimOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, confirmed or declined")

    class Meta:
        model = PaymentClaim
        fields = ["id", "order", "method", "amount", "reference", "claimed_by", "claimed_at",
                  "status", "decided_by", "decided_at", "decision_note"]


class PaymentClaimInput(serializers.Serializer):
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                                      required=False, allow_null=True, default=None,
                                      help_text="the order's total (another amount is refused)")


class ClaimDeclineInput(serializers.Serializer):
    note = serializers.CharField(max_length=200)


class CollectInput(serializers.Serializer):
    code = serializers.CharField(max_length=12, help_text="the buyer's six-digit pickup code")


class PaymentEventOutput(serializers.Serializer):
    kind = serializers.CharField(help_text="claimed, confirmed, declined, recorded or refunded")
    label = serializers.CharField()
    at = serializers.DateTimeField()
    who = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    method = serializers.CharField()
    reference = serializers.CharField()
    note = serializers.CharField()
