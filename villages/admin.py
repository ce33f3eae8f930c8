"""Admin: the moderation queue (approve / send back), plus read-mostly views of orders and bookings.

Actions call the services, so the admin follows the same rules as the pages and the API.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from synergy.core.admin import FileFieldsReadOnlyAdmin
from synergy.core.admin_site import SafeAdminMixin
from synergy.core.errors import DomainError
from villages import services
from villages.models import (
    Booking,
    GroupBuyRound,
    ListingStatus,
    OfferDay,
    Order,
    OrderItem,
    OrderStatusChange,
    Payment,
    PendingProduct,
    Product,
    ProductPhoto,
    RoundPickup,
    TourismOffer,
    TourismOfferPhoto,
    VillageIndustry,
    VillagePhoto,
    VillageProfile,
)


def _run(modeladmin, request, queryset, fn):
    done = 0
    for listing in queryset:
        try:
            fn(listing)
            done += 1
        except DomainError as exc:
            modeladmin.message_user(request, f"{listing}: {exc.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, ngettext("%(n)d listing updated.", "%(n)d listings updated.",
                                                  done) % {"n": done}, messages.SUCCESS)


@admin.action(description=_("Approve and publish"))
def approve(modeladmin, request, queryset):
    _run(modeladmin, request, queryset,
         lambda listing: services.listing_approve(by=request.user, listing=listing))


@admin.action(description=_("Send back to draft (needs changes)"))
def reject(modeladmin, request, queryset):
    note = str(_("Rejected by an administrator; see the platform rules."))
    _run(modeladmin, request, queryset,
         lambda listing: services.listing_reject(by=request.user, listing=listing, note=note))


class ModeratedAdmin(admin.ModelAdmin):
    actions = [approve, reject]
    list_filter = ["status", "village"]
    readonly_fields = ["status", "reviewed_by", "reviewed_at", "created_by", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("village")


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["image", "thumbnail", "caption", "position"]
    readonly_fields = ["image", "thumbnail"]


@admin.register(Product)
class ProductAdmin(ModeratedAdmin):
    list_display = ["name", "village", "category", "price", "stock", "status", "updated_at"]
    list_filter = ["status", "category", "village"]
    search_fields = ["name", "description", "village__name"]
    inlines = [ProductPhotoInline]


@admin.register(PendingProduct)
class PendingProductAdmin(ProductAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=ListingStatus.PENDING)


@admin.register(TourismOffer)
class TourismOfferAdmin(ModeratedAdmin):
    list_display = ["title", "village", "kind", "price", "capacity", "status"]
    list_filter = ["status", "kind", "village"]
    search_fields = ["title", "description", "village__name"]


class RoundPickupInline(admin.TabularInline):
    model = RoundPickup
    extra = 0


@admin.register(GroupBuyRound)
class GroupBuyRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "village", "cutoff_at", "delivery_date", "status"]
    list_filter = ["status", "village"]
    inlines = [RoundPickupInline]
    readonly_fields = ["status", "delivered_by", "delivered_at", "opened_by"]


class OrderItemInline(admin.TabularInline):
    model = OrderItem
    extra = 0
    can_delete = False
    readonly_fields = ["product", "product_name", "unit", "quantity", "unit_price", "line_total"]


class OrderHistoryInline(admin.TabularInline):
    model = OrderStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "changed_by", "changed_at"]


@admin.register(Order)
class OrderAdmin(SafeAdminMixin, admin.ModelAdmin):
    """Orders change only through the services (pages, API); the admin shows them. The reason in
    each language left empty is stored as {} (SafeAdminMixin)."""

    list_display = ["id", "buyer", "village", "pickup_community", "round", "total", "status",
                    "created_at"]
    list_filter = ["status", "village", "pickup_community"]
    search_fields = ["buyer__username", "buyer__display_name"]
    inlines = [OrderItemInline, OrderHistoryInline]
    list_select_related = ["buyer", "village", "pickup_community", "round"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["order", "method", "amount", "recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["offer", "guest", "start_date", "end_date", "guests", "status"]
    list_filter = ["status", "offer__village"]
    list_select_related = ["offer", "guest"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(OfferDay)
class OfferDayAdmin(admin.ModelAdmin):
    list_display = ["offer", "date", "capacity", "booked"]
    list_filter = ["offer__village"]
    readonly_fields = ["booked"]


class VillageIndustryInline(admin.TabularInline):
    model = VillageIndustry
    extra = 0
    fk_name = "village"


@admin.register(VillageProfile)
class VillageProfileAdmin(admin.ModelAdmin):
    list_display = ["village", "tagline", "updated_at"]


admin.site.register(VillagePhoto, FileFieldsReadOnlyAdmin)
admin.site.register(TourismOfferPhoto, FileFieldsReadOnlyAdmin)
