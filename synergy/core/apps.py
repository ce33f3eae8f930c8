from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "synergy.core"
    label = "core"
    desk_panels = "synergy.core.desk.core_panels"  # /desk/ collects every app's, in app order
    verbose_name = _("Platform core")

    def ready(self):
        from synergy.core import cache, validators  # noqa: PLC0415  (the app registry must be ready)

        validators.install()  # date and integer bounds on every form and serializer field
        cache.connect()  # saves of users, memberships, notifications bump the visitor's pages

