"""Celery entry points: load by id and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from analytics import recovery, services


# Late acknowledgement: a worker killed mid-run leaves the message to be redelivered (a second
# delivery of a run no longer pending does nothing); the reaper fails the orphaned run.
@shared_task(name="analytics.run_execute", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True, soft_time_limit=settings.ANALYTICS_RUN_TIME_LIMIT_SECONDS,
             time_limit=settings.ANALYTICS_RUN_TIME_LIMIT_SECONDS + 60)
def run_execute_task(*, run_id: int) -> bool:
    """Execute an analysis run; a second delivery of the same run does nothing."""
    return services.run_execute(run_id=run_id)


@shared_task(name="analytics.runs_reap", ignore_result=True, time_limit=120)
def runs_reap_task() -> dict[str, int]:
    """Periodic (CELERY_BEAT_SCHEDULE): fail runs whose worker stopped."""
    return recovery.run_reap()
