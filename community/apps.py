from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    demo_seeder = "community.demo.seed"  # seed_demo calls it, in INSTALLED_APPS order
    desk_panels = "community.desk.panels"  # /desk/ collects them, in INSTALLED_APPS order
    notification_kinds = "community.notifications.KINDS"
    verbose_name = _("Community node")

    def ready(self):
        from community import cache  # noqa: PLC0415

        cache.connect()  # every save/delete of what the community's pages show bumps their version
