"""The kinds of notification the community node sends (the core lists them and lets each person
choose which reach them by e-mail)."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "community.coupon_redeemed": _("Coupon redeemed"),
    "community.ticket_assigned": _("Repair assigned"),
    "community.ticket_started": _("Repair started"),
    "community.ticket_resolved": _("Repair resolved"),
}
