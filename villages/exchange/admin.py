"""Admin views to inspect the exchange. Writes that carry rules go through the services."""

from django.contrib import admin

from synergy.core.admin import FileFieldsReadOnlyAdmin
from synergy.core.admin_site import SafeAdminMixin
from villages.exchange import models as m


class ExchangeAdmin(SafeAdminMixin, FileFieldsReadOnlyAdmin):
    """Skills and weekdays left empty are stored as [] (SafeAdminMixin)."""


@admin.register(m.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "village", "goal", "raised", "deadline", "status"]
    list_filter = ["status", "village"]
    readonly_fields = ["raised", "receipt_seq"]


@admin.register(m.Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ["receipt_label", "campaign", "donor", "amount", "anonymous", "pairing",
                    "created_at"]
    list_select_related = ["campaign", "donor", "pairing__community", "pairing__village"]

    def has_change_permission(self, request, obj=None):  # donations are a record: read only
        return False

    def has_add_permission(self, request):
        return False


@admin.register(m.VolunteerNeed)
class NeedAdmin(SafeAdminMixin, admin.ModelAdmin):
    list_display = ["title", "village", "category", "status"]


@admin.register(m.VolunteerSlot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["need", "starts_at", "ends_at", "capacity", "taken"]
    readonly_fields = ["taken"]


@admin.register(m.Signup)
class SignupAdmin(admin.ModelAdmin):
    list_display = ["volunteer", "slot", "status", "hours_confirmed", "pairing"]
    list_filter = ["status"]


for model in (m.BudgetLine, m.Spending, m.VolunteerProfile, m.InvestmentNeed,
              m.InvestmentInterest, m.LabourOffer, m.Job, m.JobApplication, m.Event,
              m.Registration):
    admin.site.register(model, ExchangeAdmin)
