"""The desk: each person's work, one page per role they hold (issue 13, point 2).

A tiny registry. Each app's AppConfig names its panels as a dotted path, like `demo_seeder`:
`desk_panels = "community.desk.panels"`, a function `panels(*, user, role) -> list[Panel]` that
reads only its own app's selectors (and the core's), one or two queries per panel. The core
collects them in INSTALLED_APPS order; it never imports an app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy.core import selectors
from synergy.core.models import Role, User

# The order of the role tabs, and the first desk a person lands on.
ROLE_ORDER = [Role.RESIDENT, Role.PROPERTY_MANAGER, Role.MERCHANT, Role.COORDINATOR,
              Role.RURAL_WORKER, Role.AGRI_BUSINESS, Role.ADMIN, Role.ANALYST]
SESSION_KEY = "desk_role"


@dataclass
class Item:
    """One line of a panel: what it is, where it leads, and its state in a few words."""

    label: str
    url: str = ""
    status: str = ""


@dataclass
class Panel:
    title: str
    items: list[Item] = field(default_factory=list)
    see_all_url: str = ""
    see_all_label: str = gettext_lazy("See all")
    empty: str = gettext_lazy("Nothing here yet.")
    key: str = ""  # a stable id for the page and the tests: "orders", "moderation", ...


def url_or_empty(name: str, *args, **kwargs) -> str:
    """reverse(name), or "" when that page does not exist (yet) in this build."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def desk_roles(*, user: User) -> list[str]:
    """The roles the user holds, in tab order (one query)."""
    held = selectors.user_roles(user=user)
    return [role.value for role in ROLE_ORDER if role in held]


def role_label(role: str) -> str:
    return str(Role(role).label)


def registered_panel_functions() -> list[Callable]:
    """Each app's `desk_panels` (a dotted path on its AppConfig), in INSTALLED_APPS order."""
    return [import_string(config.desk_panels) for config in apps.get_app_configs()
            if getattr(config, "desk_panels", None)]


def desk_panels(*, user: User, role: str) -> list[Panel]:
    """Every app's panels for this user in this role. Panels of several apps with the same key
    make one panel (the first one's title and links, everyone's items): the administrators'
    moderation queue gathers every public kind that way."""
    panels: list[Panel] = []
    by_key: dict[str, Panel] = {}
    for collect in registered_panel_functions():
        for panel in collect(user=user, role=role):
            if panel.key and panel.key in by_key:
                by_key[panel.key].items += panel.items
                continue
            by_key[panel.key] = panel
            panels.append(panel)
    return panels


# --------------------------------------------------------------------------- the core's panels


def core_panels(*, user: User, role: str) -> list[Panel]:
    """Memberships and applications (everyone), pending applications (the people who decide
    them), pairings and memberships (administrators)."""
    panels = []
    if role == Role.RESIDENT:
        mine = list(selectors.membership_list(user=user).order_by("-created_at", "-pk")[:10])
        panels.append(Panel(
            key="my-memberships", title=_("My memberships and applications"),
            items=[Item(label=_membership_label(m), status=str(m.get_status_display()))
                   for m in mine],
            see_all_url=reverse("core:profile"), see_all_label=_("Apply on my profile"),
            empty=_("You have no membership yet: apply to your community on your profile.")))
    if role in (Role.PROPERTY_MANAGER, Role.COORDINATOR, Role.ADMIN):
        pending = selectors.pending_application_count(user=user, role=role)
        applications = url_or_empty("core:applications")
        panels.append(Panel(
            key="applications", title=_("Applications to decide"),
            items=[Item(label=_("Pending applications"), url=applications,
                        status=str(pending))] if pending else [],
            see_all_url=applications,
            empty=_("No application waits for you.")))
    if role == Role.ADMIN:
        pairings = list(selectors.pairing_list(active_only=False)[:8])
        panels.append(Panel(
            key="pairings", title=_("Pairings"),
            items=[Item(label=str(p), url=reverse("core:pairings"),
                        status=_("active") if p.active else _("paused")) for p in pairings],
            see_all_url=reverse("core:pairings"), see_all_label=_("Pair and unpair"),
            empty=_("No pairing yet.")))
        members = selectors.membership_counts()
        panels.append(Panel(
            key="memberships", title=_("Memberships"),
            items=[Item(label=role_label(r["role"]),
                        url=reverse("admin:core_membership_changelist") + f"?role={r['role']}",
                        status=_("%(active)s active · %(pending)s pending") % r)
                   for r in members],
            see_all_url=reverse("admin:core_membership_changelist"),
            empty=_("No membership yet.")))
    return panels


def _membership_label(m) -> str:
    place = m.community or m.village
    label = role_label(m.role)
    if place is not None:
        label = f"{label} · {place}"
    if m.unit:
        label = f"{label} · {m.unit}"
    return label

