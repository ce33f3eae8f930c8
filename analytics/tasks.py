"""Celery entry points: load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from analytics import services


@shared_task(name="analytics.run_execute", acks_late=True, ignore_result=True)
def run_execute_task(*, run_id: int) -> bool:
    """Execute an analysis run; a second delivery of the same run does nothing."""
    return services.run_execute(run_id=run_id)
