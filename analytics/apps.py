from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    demo_seeder = "analytics.demo.seed"  # seed_demo calls it, in INSTALLED_APPS order
    desk_panels = "analytics.desk.panels"
    notification_kinds = "analytics.notifications.KINDS"  # /desk/ collects them, in INSTALLED_APPS order
    verbose_name = _("Analytics")
