"""Every kind of notification the exchange sends (registered on ExchangeConfig), with the label
a person sees when choosing which reach them by e-mail."""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "exchange.donation_received": _("A donation to a campaign of my village"),
    "exchange.donation_receipt": _("My donation receipt"),
    "exchange.campaign_reviewed": _("My campaign was approved or sent back"),
    "exchange.investment_reviewed": _("My investment need was approved or sent back"),
    "exchange.investment_interest": _("Interest in an investment need of my village"),
    "exchange.investment_reply": _("A new message about an investment interest"),
    "exchange.volunteer_signup": _("A volunteer signed up"),
    "exchange.hours_confirmed": _("My volunteer hours were confirmed"),
    "exchange.job_application": _("Someone applied for my job"),
    "exchange.application_decided": _("My job application was decided"),
    "exchange.application_withdrawn": _("An applicant withdrew their application"),
    "exchange.event_registration": _("Someone registered for my event"),
}
