"""`manage.py runs_reap`: fail analysis runs whose worker stopped (what beat runs each minute)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from analytics.recovery import run_reap


class Command(BaseCommand):
    help = "Mark failed the runs with a stale heartbeat or pending for too long."

    def add_arguments(self, parser):
        parser.add_argument("--stale-seconds", type=int, default=None,
                            help="heartbeat age (default ANALYTICS_RUN_STALE_SECONDS)")
        parser.add_argument("--pending-seconds", type=int, default=None,
                            help="pending age (default ANALYTICS_RUN_PENDING_SECONDS)")

    def handle(self, *args, **opts):
        counts = run_reap(stale_seconds=opts["stale_seconds"],
                          pending_seconds=opts["pending_seconds"])
        self.stdout.write(f"worker_lost={counts['worker_lost']} "
                          f"never_started={counts['never_started']}")
