from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from synergy.core import services
from synergy.core.admin_site import SafeAdminMixin
from synergy.core.errors import DomainError
from synergy.core.models import Community, Membership, Pairing, User, Village


class MembershipInline(SafeAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["community", "village"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Synergy"), {"fields": ("display_name", "phone", "preferred_language")}),
    )
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "email", "phone"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SafeAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "community", "village", "unit", "status"]
    list_filter = ["role", "status", "community", "village"]
    search_fields = ["user__username", "user__display_name", "unit"]
    autocomplete_fields = ["user", "community", "village"]


class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "prefecture_city", "district"]
    list_filter = ["province", "prefecture_city"]
    search_fields = ["name", "district", "prefecture_city"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Community)
class CommunityAdmin(PlaceAdmin):
    list_display = PlaceAdmin.list_display + ["households"]


@admin.register(Village)
class VillageAdmin(PlaceAdmin):
    list_display = PlaceAdmin.list_display + ["population"]


@admin.register(Pairing)
class PairingAdmin(SafeAdminMixin, admin.ModelAdmin):
    list_display = ["community", "village", "distance_km", "active", "created_at"]
    list_filter = ["active", "community", "village"]
    search_fields = ["community__name", "village__name"]
    autocomplete_fields = ["community", "village"]
    readonly_fields = ["distance_km", "created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New pairings go through the service (distance, permission, uniqueness).
        try:
            created = services.pairing_create(
                created_by=request.user, community=obj.community, village=obj.village
            )
            obj.pk = created.pk
            obj.distance_km = created.distance_km
        except DomainError as exc:
            messages.error(request, exc.message)
