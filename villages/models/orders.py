"""Checkouts, orders, their items and history, payments (claimed, confirmed, refunded),
how to pay a village, and the people who hand orders over at a pickup point."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy.core.i18n import in_active_language
from synergy.core.models import Community, Pairing, Village
from synergy.core.private_files import UnguessableName
from villages.models.listings import MONEY, Product
from villages.models.rounds import GroupBuyRound

PICKUP_CODE_LENGTH = 6


# --- Orders ----------------------------------------------------------------------------------


class Checkout(models.Model):
    """One press of "place order": the orders (one per village) it placed, all or none.

    `key` makes a retried checkout (a double tap, a resent request) return the same orders."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("buyer"))
    key = models.CharField(_("idempotency key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkouts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "key"], name="checkout_key_unique_per_buyer"),
        ]

    def __str__(self) -> str:
        return f"{self.buyer_id} · {self.key}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    CONFIRMED = "confirmed", _("Confirmed")  # its round formed: the village will deliver
    DELIVERED = "delivered", _("Delivered")
    COLLECTED = "collected", _("Collected")
    CANCELLED = "cancelled", _("Cancelled")


class Order(models.Model):
    """A resident's order from one village, picked up in their community."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="village_orders", verbose_name=_("buyer"))
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("village"))
    pickup_community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("pickup community"))
    pairing = models.ForeignKey(Pairing, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("pairing"))
    round = models.ForeignKey(GroupBuyRound, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="orders", verbose_name=_("group-buy round"))
    pickup_point = models.CharField(_("pickup point"), max_length=160)
    status = models.CharField(_("status"), max_length=12, choices=OrderStatus.choices,
                              default=OrderStatus.PLACED, db_index=True)
    total = models.DecimalField(_("total (CNY)"), **MONEY)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    checkout = models.ForeignKey(Checkout, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="orders", verbose_name=_("checkout"))
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # The reason in every language of the site (the beat task closing a round has no reader's
    # language); `cancel_reason` keeps the site's default for the admin and exports.
    cancel_reasons = models.JSONField(_("reason in each language"), default=dict, blank=True)
    # Shown only to the buyer; staff at the pickup point enter or scan it to hand the order over.
    pickup_code = models.CharField(_("pickup code"), max_length=PICKUP_CODE_LENGTH)
    collected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("handed over by"))
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_gte_0"),
            # A code typed at the pickup point names one order still to be collected there.
            models.UniqueConstraint(
                fields=["pickup_community", "pickup_code"],
                condition=Q(status__in=["placed", "confirmed", "delivered"]),
                name="order_pickup_code_unique_open"),
        ]
        indexes = [models.Index(fields=["pickup_community", "village", "status"])]

    def __str__(self) -> str:
        return _("Order %(id)s") % {"id": self.pk}

    @property
    def cancel_reason_text(self) -> str:
        """Why it was cancelled, in the reader's language where the reason was kept in each."""
        return in_active_language(self.cancel_reasons, self.cancel_reason)


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items",
                              verbose_name=_("order"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_items",
                                verbose_name=_("product"))
    product_name = models.CharField(_("product name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    line_total = models.DecimalField(_("line total"), **MONEY)

    class Meta:
        verbose_name = _("order item")
        verbose_name_plural = _("order items")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_item_quantity_gte_1"),
            # line_total = unit_price x quantity is computed in Decimal by the service; an equality
            # constraint would compare floats on SQLite (0.1 x 3 != 0.3), so only the sign is here.
            models.CheckConstraint(condition=Q(line_total__gte=0), name="order_item_line_total_gte_0"),
            models.UniqueConstraint(fields=["order", "product"], name="order_item_unique_product"),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} × {self.quantity}"


class OrderStatusChange(models.Model):
    """Who moved an order to which status, and when (the order's history)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="history",
                              verbose_name=_("order"))
    from_status = models.CharField(_("from"), max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=OrderStatus.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("order status change")
        verbose_name_plural = _("order status changes")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status or '-'} → {self.to_status}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    MOBILE = "mobile", _("Mobile transfer")


class Payment(models.Model):
    """A payment the coordinator received, recorded (not processed). One per order."""

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="payment",
                                 verbose_name=_("order"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The refund of a paid order that a coordinator cancelled: on the payment row, so the database
    # itself holds "one refund per order" and "never more than was paid" (see the constraints).
    refund_amount = models.DecimalField(_("refunded (CNY)"), null=True, blank=True, **MONEY)
    refund_method = models.CharField(_("refund method"), max_length=10,
                                     choices=PaymentMethod.choices, blank=True)
    refund_note = models.CharField(_("refund note"), max_length=200, blank=True)
    refunded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("refunded by"))
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_gte_0"),
            models.CheckConstraint(
                condition=Q(refund_amount__isnull=True, refunded_at__isnull=True, refund_method="")
                | Q(refund_amount__gt=0, refund_amount__lte=F("amount"),
                    refunded_at__isnull=False) & ~Q(refund_method=""),
                name="payment_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.get_method_display()} · {self.amount}"

    @property
    def refunded(self) -> bool:
        return self.refund_amount is not None


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the village to confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Not received")


class PaymentClaim(models.Model):
    """The buyer says "I have paid" (with a reference); the coordinator confirms or declines.

    Confirming records the order's Payment. One claim waits at a time per order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payment_claims",
                              verbose_name=_("order"))
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = models.DecimalField(_("amount (CNY)"), **MONEY)
    reference = models.CharField(_("reference"), max_length=80, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("claimed by"))
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices,
                              default=ClaimStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment claim")
        verbose_name_plural = _("payment claims")
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(status="pending"),
                                    name="payment_claim_one_pending"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_claim_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | ~Q(status="pending") & Q(decided_at__isnull=False),
                name="payment_claim_decided_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.get_status_display()} · {self.amount}"


class PaymentInstructions(models.Model):
    """How to pay a village: bank transfer details and WeChat Pay / Alipay collection QR images,
    kept by its coordinators and shown on every unpaid order of the village."""

    village = models.OneToOneField(Village, on_delete=models.CASCADE,
                                   related_name="payment_instructions", verbose_name=_("village"))
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    account_name = models.CharField(_("account name"), max_length=80, blank=True)
    account_number = models.CharField(_("account number"), max_length=40, blank=True)
    wechat_qr = models.ImageField(_("WeChat Pay collection QR"), upload_to=UnguessableName("villages/pay"),
                                  blank=True)
    alipay_qr = models.ImageField(_("Alipay collection QR"), upload_to=UnguessableName("villages/pay"),
                                  blank=True)
    note = models.TextField(_("note to buyers"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment instructions")
        verbose_name_plural = _("payment instructions")

    def __str__(self) -> str:
        return str(self.village_id)


class PickupStaff(models.Model):
    """Someone a community's manager names to hand orders over at the pickup point."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("community"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="pickup_duties", verbose_name=_("person"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 related_name="+", verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("pickup staff")
        verbose_name_plural = _("pickup staff")
        ordering = ["community_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="pickup_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} · {self.user_id}"
