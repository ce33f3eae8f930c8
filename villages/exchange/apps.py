from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """Two-way exchange with the city: giving, volunteering, investment, labour and jobs, events."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "villages.exchange"
    label = "exchange"
    demo_seeder = "villages.exchange.demo.seed"  # seed_demo calls it, in INSTALLED_APPS order
    desk_panels = "villages.exchange.desk.panels"  # /desk/ collects them, in app order
    notification_kinds = "villages.exchange.notifications.KINDS"  # the core lists them
    verbose_name = _("Two-way exchange")
