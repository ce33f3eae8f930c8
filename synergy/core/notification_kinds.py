"""The kinds of notification the platform sends, each with a label a person can choose by.

Each app registers its own on its AppConfig (`notification_kinds = "<app>.notifications.KINDS"`,
a dotted path to a dict of kind -> translatable label), as it does its demo seeder and its desk
panels; the core never names an app. The e-mail preferences page lists them, and a test checks
that every kind the code sends is registered.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# The core's own kinds (memberships are the core's records).
CORE_KINDS: dict[str, str] = {
    "membership_application": _("Someone asks to join a place I decide for"),
    "membership_decision": _("The decision on my application"),
    "invitation_used": _("Someone joined with my invitation"),
}


def notification_kinds() -> dict[str, str]:
    """kind -> label, the core's first, then each app's in INSTALLED_APPS order."""
    kinds = dict(CORE_KINDS)
    for config in apps.get_app_configs():
        path = getattr(config, "notification_kinds", None)
        if path:
            kinds.update(import_string(path))
    return kinds


def kind_label(kind: str) -> str:
    return str(notification_kinds().get(kind) or _("Other notices"))
