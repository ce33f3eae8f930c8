"""Celery entry points of the village node: thin, they call a service."""

from celery import shared_task

from villages.services import booking_release_expired, rounds_close_due


@shared_task(name="villages.tasks.bookings_release_expired_task", ignore_result=True)
def bookings_release_expired_task() -> int:
    """Periodic (settings.CELERY_BEAT_SCHEDULE): free the places of expired booking holds."""
    return booking_release_expired()


@shared_task(name="villages.tasks.rounds_close_due_task", ignore_result=True)
def rounds_close_due_task() -> int:
    """Periodic (settings.CELERY_BEAT_SCHEDULE): close the rounds past their cut-off, each once."""
    return rounds_close_due()
