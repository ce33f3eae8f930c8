"""Group-buy rounds: where each is picked up, and the products at their group price."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, Village
from villages.models.listings import MONEY, Product

# --- Group-buy rounds ------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    """open -> (at the cut-off) formed or failed; formed -> delivered. Cancelled by hand."""

    OPEN = "open", _("Open")
    FORMED = "formed", _("Formed")          # closed with enough units: its orders confirmed
    FAILED = "failed", _("Did not form")    # closed short of min_units: its orders cancelled
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class GroupBuyRound(models.Model):
    """A village's pre-order round for some paired communities, with a cut-off and delivery day."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="rounds",
                                verbose_name=_("village"))
    title = models.CharField(_("title"), max_length=120)
    note = models.TextField(_("note"), blank=True)
    cutoff_at = models.DateTimeField(_("order cut-off"))
    delivery_date = models.DateField(_("delivery date"))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices,
                              default=RoundStatus.OPEN, db_index=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+", verbose_name=_("opened by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("delivered by"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    # The threshold to form the group: units ordered across the round's products (0: none).
    min_units = models.PositiveIntegerField(_("units to form the group"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("group-buy round")
        verbose_name_plural = _("group-buy rounds")
        ordering = ["cutoff_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_at__isnull=False)
                | ~Q(status="delivered"), name="round_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["formed", "failed"], closed_at__isnull=False)
                | ~Q(status__in=["formed", "failed"]), name="round_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accepting_orders(self) -> bool:
        return self.status == RoundStatus.OPEN and timezone.now() < self.cutoff_at

    # Progress toward `min_units`. `units_ordered` is annotated by `villages.selectors.round_list`
    # (units of the round's non-cancelled orders); without it, one aggregate query.
    def _units(self) -> int:
        if getattr(self, "units_ordered", None) is None:
            self.units_ordered = (self.orders.exclude(status="cancelled")
                                  .aggregate(n=Sum("items__quantity"))["n"]) or 0
        return self.units_ordered

    @property
    def formed(self) -> bool:
        """Closed formed (or delivered since), or still open with enough units already."""
        if self.status in (RoundStatus.FORMED, RoundStatus.DELIVERED):
            return True
        return self.status == RoundStatus.OPEN and self._units() >= self.min_units

    @property
    def units_missing(self) -> int:
        return max(0, self.min_units - self._units())

    @property
    def progress_percent(self) -> int:
        if self.min_units == 0:
            return 100
        return min(100, self._units() * 100 // self.min_units)


class RoundPickup(models.Model):
    """Where the round's produce is picked up in one of its communities."""

    round = models.ForeignKey(GroupBuyRound, on_delete=models.CASCADE, related_name="pickups",
                              verbose_name=_("round"))
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("community"))
    pickup_point = models.CharField(_("pickup point"), max_length=160)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["community__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "community"], name="round_pickup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.pickup_point}"


class RoundProduct(models.Model):
    """A product offered in a round, at its group price (below the product's list price)."""

    round = models.ForeignKey(GroupBuyRound, on_delete=models.CASCADE, related_name="offers",
                              verbose_name=_("round"))
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="round_offers",
                                verbose_name=_("product"))
    group_price = models.DecimalField(_("group price (CNY)"), **MONEY)

    class Meta:
        verbose_name = _("round product")
        verbose_name_plural = _("round products")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "product"], name="round_product_unique"),
            models.CheckConstraint(condition=Q(group_price__gt=0), name="round_product_price_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.product_id} · {self.group_price}"
