"""Analytics' desk panels (registered on AnalyticsConfig.desk_panels): datasets and runs, for
analysts (and administrators on their analyst desk)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from analytics import selectors
from synergy.core.desk import Item, Panel
from synergy.core.models import Role, User


def panels(*, user: User, role: str) -> list[Panel]:
    if role != Role.ANALYST:
        return []
    dashboard = reverse("analytics:dashboard")
    datasets = list(selectors.dataset_list()[:5])
    runs = list(selectors.run_list(user=user)[:5])
    return [
        Panel(key="datasets", title=_("Datasets"),
              items=[Item(label=f"{d.name} v{d.version}", url=dashboard,
                          status=_("%(rows)s rows") % {"rows": d.n_rows}) for d in datasets],
              see_all_url=dashboard, see_all_label=_("Upload or explore on the dashboard"),
              empty=_("No dataset yet: upload one on the analytics dashboard.")),
        Panel(key="runs", title=_("Analysis runs"),
              items=[Item(label=f"#{r.pk} · {r.get_kind_display()}",
                          url=reverse("analytics:run_detail", args=[r.pk]),
                          status=str(r.get_status_display())) for r in runs],
              see_all_url=dashboard, empty=_("No run yet: start one on the analytics dashboard.")),
    ]
