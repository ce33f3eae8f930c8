from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import FileField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from synergy.core import services
from synergy.core.admin_site import SafeAdminMixin
from synergy.core.errors import DomainError
from synergy.core.models import Community, Invitation, Membership, Pairing, User, Village
from synergy.core.private_files import PrivateStorage


class MembershipInline(SafeAdminMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    exclude = ["decided_by"]
    autocomplete_fields = ["community", "village"]


@admin.register(User)
class UserAdmin(SafeAdminMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Synergy"), {"fields": ("display_name", "phone", "preferred_language")}),
    )
    list_display = ["username", "display_name", "email", "is_staff", "is_active"]
    search_fields = ["username", "display_name", "email", "phone"]
    inlines = [MembershipInline]
    actions = ["revoke_api_tokens"]

    @admin.action(description=_("Revoke all API tokens (log out every app)"))
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(services.api_tokens_revoke_all(user=user) for user in queryset)
        message = ngettext("%(count)d API token revoked.", "%(count)d API tokens revoked.", revoked)
        self.message_user(request, message % {"count": revoked}, messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(SafeAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "community", "village", "unit", "status", "decided_at"]
    list_filter = ["role", "status", "community", "village"]
    search_fields = ["user__username", "user__display_name", "unit"]
    autocomplete_fields = ["user", "community", "village"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(Invitation)
class InvitationAdmin(SafeAdminMixin, admin.ModelAdmin):
    """Invitations are made and used on the site (services); here they can be looked up."""

    list_display = ["code", "community", "unit", "created_by", "expires_at", "used_by", "used_at"]
    list_filter = ["community"]
    search_fields = ["code", "unit"]
    readonly_fields = ["code", "community", "unit", "created_by", "expires_at", "used_by",
                       "used_at"]

    def has_add_permission(self, request) -> bool:
        return False


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
    list_display = ["community", "village", "distance_km", "active", "started_on", "created_at"]
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
                created_by=request.user, community=obj.community, village=obj.village,
                started_on=obj.started_on)
            obj.pk = created.pk
            obj.distance_km = created.distance_km
        except DomainError as exc:
            messages.error(request, exc.message)


class FileFieldsReadOnlyAdmin(admin.ModelAdmin):
    """Uploads go through the pages and the API, which apply the core image and attachment rules
    (synergy.core.images, synergy.core.uploads); in the admin a public file is shown, never
    replaced, and a private one is left out (it has no public URL to show)."""

    def _file_fields(self, *, private: bool) -> list[str]:
        return [f.name for f in self.model._meta.fields if isinstance(f, FileField)
                and isinstance(f.storage, PrivateStorage) == private]

    def has_add_permission(self, request):
        # A record whose file is required cannot be made here (its file field is read-only):
        # adding one would store a photo row with no image, which every page showing it breaks on.
        if any(isinstance(f, FileField) and not f.blank for f in self.model._meta.fields):
            return False
        return super().has_add_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [n for n in self._file_fields(private=False) if n not in readonly]

    def get_exclude(self, request, obj=None):
        return list(super().get_exclude(request, obj) or []) + self._file_fields(private=True)
