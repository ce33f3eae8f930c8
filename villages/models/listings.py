"""Village profiles, products and their photos, and the review states they share."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from synergy.core.models import Village

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
