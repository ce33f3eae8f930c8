"""Admin: browse and correct records. Workflow changes (ticket transitions, payments) go through
the pages or the API, which call the services; so those models are read-only here."""

from django.contrib import admin

from community import models
from synergy.core.admin import FileFieldsReadOnlyAdmin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Notice)
class NoticeAdmin(FileFieldsReadOnlyAdmin):
    list_display = ["title", "community", "pinned", "expires_at", "created_at"]
    list_filter = ["community", "pinned"]
    search_fields = ["title", "body"]


@admin.register(models.RepairTicket)
class RepairTicketAdmin(ReadOnlyAdmin):
    list_display = ["pk", "community", "category", "status", "reporter", "created_at"]
    list_filter = ["community", "status", "category"]


@admin.register(models.TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "from_status", "to_status", "actor", "at"]


@admin.register(models.Bill)
class BillAdmin(ReadOnlyAdmin):
    list_display = ["community", "unit", "period", "amount", "paid_amount", "due_date"]
    list_filter = ["community", "period"]
    search_fields = ["unit"]


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["bill", "amount", "paid_on", "method", "recorded_by"]


@admin.register(models.Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "owner", "active"]
    list_filter = ["community", "active"]


admin.site.register([models.BusinessOffer, models.Coupon, models.PeripheralService,
                     models.HousingListing, models.VillageFollow])
