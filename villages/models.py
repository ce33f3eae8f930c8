"""Village node: profiles, products, group-buy rounds, orders, tourism offers and bookings.

Rules live in services.py; every rule also has a database constraint here (stock >= 0,
booked <= capacity per offer and date, one payment per order, ...).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Community, Pairing, Village

MONEY = {"max_digits": 12, "decimal_places": 2}


class Industry(models.TextChoices):
    FRUIT = "fruit", _("Fruit growing")
    VEGETABLES = "vegetables", _("Vegetables")
    GRAIN = "grain", _("Grain and rice")
    TEA = "tea", _("Tea")
    FLOWERS = "flowers", _("Flowers")
    LIVESTOCK = "livestock", _("Livestock and poultry")
    BEEKEEPING = "beekeeping", _("Beekeeping")
    HANDICRAFTS = "handicrafts", _("Handicrafts")
    PROCESSING = "processing", _("Food processing")
    TOURISM = "tourism", _("Rural tourism")


class ListingStatus(models.TextChoices):
    """Products and tourism offers: draft -> pending review -> published -> archived."""

    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Photo(models.Model):
    """A re-encoded photo (no EXIF) and its thumbnail; made by synergy.core.images."""

    image = models.ImageField(_("photo"), upload_to="villages/photos/%Y/%m/",
                              width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to="villages/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


# --- Village profile -------------------------------------------------------------------------


class VillageProfile(models.Model):
    """What a village shows the city: features, industries, specialities, photos."""

    village = models.OneToOneField(Village, on_delete=models.CASCADE, related_name="profile",
                                   verbose_name=_("village"))
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    features = models.TextField(_("features"), blank=True,
                                help_text=_("Landscape, history, culture: what makes it worth a visit."))
    specialities = models.TextField(_("specialities"), blank=True,
                                    help_text=_("Local produce and crafts it is known for."))
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("village profile")
        verbose_name_plural = _("village profiles")

    def __str__(self) -> str:
        return str(self.village)


class VillageIndustry(models.Model):
    """One characteristic industry of a village (the village list filters on these)."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="industries",
                                verbose_name=_("village"))
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)

    class Meta:
        verbose_name = _("village industry")
        verbose_name_plural = _("village industries")
        ordering = ["industry"]
        constraints = [
            models.UniqueConstraint(fields=["village", "industry"], name="village_industry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.village} · {self.get_industry_display()}"


class VillagePhoto(Photo):
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("village"))

    class Meta(Photo.Meta):
        verbose_name = _("village photo")
        verbose_name_plural = _("village photos")


# --- Products --------------------------------------------------------------------------------


class ProductCategory(models.TextChoices):
    PRODUCE = "produce", _("Ecological produce")
    PROCESSED = "processed", _("Processed foods")
    HANDICRAFT = "handicraft", _("Handicrafts")


class Product(models.Model):
    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="products",
                                verbose_name=_("village"))
    name = models.CharField(_("name"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=ProductCategory.choices)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("e.g. 5 kg box, jar, piece"))
    price = models.DecimalField(_("price (CNY)"), **MONEY)
    stock = models.IntegerField(_("stock"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices,
                              default=ListingStatus.DRAFT, db_index=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_gte_0"),
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_gt_0"),
        ]
        indexes = [models.Index(fields=["status", "village"])]

    def __str__(self) -> str:
        return self.name

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class PendingProduct(Product):
    """The admin's moderation queue of products (a proxy: same table)."""

    class Meta:
        proxy = True
        verbose_name = _("product awaiting review")
        verbose_name_plural = _("moderation queue: products")


class ProductPhoto(Photo):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos",
                                verbose_name=_("product"))

    class Meta(Photo.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")


# --- Group-buy rounds ------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open")
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

    class Meta:
        verbose_name = _("group-buy round")
        verbose_name_plural = _("group-buy rounds")
        ordering = ["cutoff_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_at__isnull=False)
                | ~Q(status="delivered"), name="round_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def accepting_orders(self) -> bool:
        return self.status == RoundStatus.OPEN and timezone.now() < self.cutoff_at


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


# --- Orders ----------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
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

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_gte_0"),
        ]
        indexes = [models.Index(fields=["pickup_community", "village", "status"])]

    def __str__(self) -> str:
        return _("Order %(id)s") % {"id": self.pk}


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


# --- Tourism ---------------------------------------------------------------------------------


class OfferKind(models.TextChoices):
    DAY_TRIP = "day_trip", _("Eco-tourism day trip")
    FARM_STAY = "farm_stay", _("Farm stay")
    EXPERIENCE = "experience", _("Agricultural experience")
    LEISURE_PENSION = "leisure_pension", _("Leisure-pension stay")


OVERNIGHT_KINDS = {OfferKind.FARM_STAY, OfferKind.LEISURE_PENSION}


class TourismOffer(models.Model):
    """Something to book at a village: capacity is guests per date (per night for stays)."""

    village = models.ForeignKey(Village, on_delete=models.CASCADE, related_name="tourism_offers",
                                verbose_name=_("village"))
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    price = models.DecimalField(_("price per guest per night or day (CNY)"), **MONEY)
    capacity = models.PositiveIntegerField(_("guests per date"))
    min_nights = models.PositiveIntegerField(_("minimum nights or days"), default=1)
    max_nights = models.PositiveIntegerField(_("maximum nights or days"), default=14)
    status = models.CharField(_("status"), max_length=12, choices=ListingStatus.choices,
                              default=ListingStatus.DRAFT, db_index=True)
    review_note = models.CharField(_("review note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tourism offer")
        verbose_name_plural = _("tourism offers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offer_capacity_gte_1"),
            models.CheckConstraint(condition=Q(price__gte=0), name="offer_price_gte_0"),
            models.CheckConstraint(condition=Q(min_nights__gte=1, max_nights__gte=F("min_nights")),
                                   name="offer_nights_range"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def overnight(self) -> bool:
        return self.kind in OVERNIGHT_KINDS

    def occupied_dates(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Nights [start, end) for stays; days [start, end] for day trips and experiences."""
        last = end - dt.timedelta(days=1) if self.overnight else end
        return [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]


class TourismOfferPhoto(Photo):
    offer = models.ForeignKey(TourismOffer, on_delete=models.CASCADE, related_name="photos",
                              verbose_name=_("tourism offer"))

    class Meta(Photo.Meta):
        verbose_name = _("tourism offer photo")
        verbose_name_plural = _("tourism offer photos")


class OfferDay(models.Model):
    """Capacity and bookings of one offer on one date; the row each booking locks."""

    offer = models.ForeignKey(TourismOffer, on_delete=models.CASCADE, related_name="days",
                              verbose_name=_("tourism offer"))
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    booked = models.PositiveIntegerField(_("booked"), default=0)

    class Meta:
        verbose_name = _("offer date")
        verbose_name_plural = _("offer dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "date"], name="offer_day_unique"),
            models.CheckConstraint(condition=Q(booked__gte=0, booked__lte=F("capacity")),
                                   name="offer_day_booked_within_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id} {self.date}: {self.booked}/{self.capacity}"

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired (not confirmed in time)")


# Bookings that hold no places (left out of capacity, flows and the ledger).
RELEASED_BOOKING_STATUSES = (BookingStatus.CANCELLED, BookingStatus.EXPIRED)


class Booking(models.Model):
    offer = models.ForeignKey(TourismOffer, on_delete=models.PROTECT, related_name="bookings",
                              verbose_name=_("tourism offer"))
    guest = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="village_bookings", verbose_name=_("guest"))
    community = models.ForeignKey(Community, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("guest's community"))
    pairing = models.ForeignKey(Pairing, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("pairing"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    guests = models.PositiveIntegerField(_("guests"))
    nights = models.PositiveIntegerField(_("nights or days"))
    total = models.DecimalField(_("total (CNY)"), **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=BookingStatus.choices,
                              default=BookingStatus.REQUESTED, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+", verbose_name=_("cancelled by"))
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # An unconfirmed request holds its places until then (settings.BOOKING_HOLD_HOURS); the
    # periodic `booking_release_expired` frees them once.
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(guests__gte=1), name="booking_guests_gte_1"),
            models.CheckConstraint(condition=Q(nights__gte=1), name="booking_nights_gte_1"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")),
                                   name="booking_dates_ordered"),
            models.CheckConstraint(condition=Q(total__gte=Decimal("0")), name="booking_total_gte_0"),
            models.CheckConstraint(condition=~Q(status="requested") | Q(hold_expires_at__isnull=False),
                                   name="booking_request_has_hold_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.offer} · {self.start_date}–{self.end_date} · {self.guests}"
