"""Run recovery (issue 11.10): the reaper fails runs whose worker died, and "Run again".

Writes, like ``analytics.services``; conditional updates so a run that finishes while the
reaper looks is never overwritten.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from analytics.errors import RunNotFinished
from analytics.models import RUN_ERRORS, AnalysisRun
from analytics.services import run_start
from synergy.core.models import User


def _english(code: str) -> str:
    with translation.override("en"):
        return str(RUN_ERRORS[code])


def run_reap(*, stale_seconds: int | None = None, pending_seconds: int | None = None
             ) -> dict[str, int]:
    """Mark failed every running run whose heartbeat is older than ``stale_seconds`` and every
    pending run older than ``pending_seconds`` (defaults from settings). Returns the counts."""
    now = timezone.now()
    stale = now - timedelta(seconds=stale_seconds or settings.ANALYTICS_RUN_STALE_SECONDS)
    waited = now - timedelta(seconds=pending_seconds or settings.ANALYTICS_RUN_PENDING_SECONDS)
    lost = AnalysisRun.objects.filter(
        status=AnalysisRun.Status.RUNNING, heartbeat_at__lt=stale).update(
        status=AnalysisRun.Status.FAILED, error_code="worker_lost",
        error=_english("worker_lost"), finished_at=now)
    never = AnalysisRun.objects.filter(
        status=AnalysisRun.Status.PENDING, created_at__lt=waited).update(
        status=AnalysisRun.Status.FAILED, error_code="never_started",
        error=_english("never_started"), finished_at=now)
    return {"worker_lost": lost, "never_started": never}


def run_again(*, user: User | None, run: AnalysisRun) -> AnalysisRun:
    """A new pending run with the same kind, dataset version and parameters as ``run``."""
    if not run.finished:
        raise RunNotFinished()
    return run_start(user=user, kind=run.kind, dataset=run.dataset,
                     parameters=dict(run.parameters), rerun_of=run)
