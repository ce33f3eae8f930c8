from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "villages"
    demo_seeder = "villages.demo.seed"  # seed_demo calls it, in INSTALLED_APPS order
    desk_panels = "villages.desk.panels"  # /desk/ collects them, in INSTALLED_APPS order
    notification_kinds = "villages.notifications.KINDS"  # the core lists and labels them
    verbose_name = _("Village node")

    def ready(self):
        from villages import cache  # noqa: PLC0415

        cache.connect()  # every save/delete of what the cached pages show bumps their version
