"""The notifications analytics sends (read by the core through
``AnalyticsConfig.notification_kinds``): the starter of a run hears when it has finished, so a
long run never needs its page kept open."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.models import AnalysisRun
from synergy.core.services import notify

KINDS = {
    "analytics.run_finished": gettext_lazy("An analysis I started has finished"),
}


def tell_run_finished(*, run_id: int) -> None:
    """Tell the run's starter that it succeeded or failed (system runs tell nobody)."""
    run = AnalysisRun.objects.select_related("created_by").filter(id=run_id).first()
    if run is None or run.created_by is None or not run.finished:
        return
    succeeded = run.status == AnalysisRun.Status.SUCCEEDED

    def message() -> str:
        values = {"kind": run.get_kind_display(), "id": run.pk}
        return (_("Your analysis “%(kind)s” #%(id)s has finished: open it to read the results.")
                if succeeded else
                _("Your analysis “%(kind)s” #%(id)s failed: open it to see why.")) % values

    notify(recipient=run.created_by, kind="analytics.run_finished", message=message,
           url=reverse("analytics:run_detail", args=[run.pk]))
