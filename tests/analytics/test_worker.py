"""A real Celery worker against Redis runs an analysis (CI has Redis; skipped without it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from analytics import recovery, services
from analytics.models import AnalysisRun
from synergy.celery import app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_broker(settings, transactional_db):
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        pytest.skip("CELERY_BROKER_URL not set: no Redis for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a shared database (PostgreSQL)")

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield url
    app.conf.task_always_eager = True


def _worker_env(real_broker, settings, **extra) -> dict:
    db = connection.settings_dict
    env = {**os.environ,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "CELERY_BROKER_URL": real_broker, "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
           **extra}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _start_worker(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "synergy", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=warning", "-n", f"analytics-test-{os.getpid()}@%h",
         "-Q", "celery"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)


def _wait(run: AnalysisRun, done, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if done(run):
            return
        time.sleep(0.2)


@pytest.mark.worker
def test_a_real_worker_completes_a_run(real_broker, raw_dataset, analyst, settings, tmp_path):
    env = _worker_env(real_broker, settings)
    log = (tmp_path / "w.log").open("w")  # noqa: SIM115 (closed in the finally below)
    worker = _start_worker(env, log)
    try:
        run = services.run_start(user=analyst, kind="mediate", dataset=raw_dataset,
                                 parameters={"bootstrap": 50})
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.finished:
                break
            time.sleep(0.5)
        assert run.status == AnalysisRun.Status.SUCCEEDED, (
            run.error or (tmp_path / "w.log").read_text()[-2000:])
        assert run.progress == 100 and run.results["summary"]["bootstrap"]["reps"] == 50
        assert run.started_at and run.finished_at
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


@pytest.mark.worker
def test_a_killed_worker_leaves_a_failed_run_that_runs_again(real_broker, raw_dataset,
                                                             analyst, settings, tmp_path):
    """SIGKILL a real worker mid-run: the reaper fails the run with a sentence within its
    staleness setting, and "Run again" on a fresh worker succeeds."""
    log = (tmp_path / "w.log").open("w")  # noqa: SIM115 (closed in the finally below)
    # The worker sleeps 5 s at each progress step (a test-only setting read from its env).
    slow = _start_worker(_worker_env(real_broker, settings,
                                     ANALYTICS_RUN_STEP_SLEEP_SECONDS="5"), log)
    fresh = None
    try:
        run = services.run_start(user=analyst, kind="fit", dataset=raw_dataset)
        _wait(run, lambda r: r.status == AnalysisRun.Status.RUNNING and r.stage == "load")
        assert (run.status, run.stage) == ("running", "load"), (tmp_path / "w.log").read_text()
        slow.send_signal(signal.SIGKILL)  # mid-run: the next step is 5 s away
        slow.wait(timeout=30)
        run.refresh_from_db()
        assert run.status == AnalysisRun.Status.RUNNING and run.heartbeat_at is not None
        time.sleep(1.5)  # let the heartbeat age past the 1 s staleness below
        call_command("runs_reap", "--stale-seconds", "1")
        run.refresh_from_db()
        assert run.status == AnalysisRun.Status.FAILED and run.error_code == "worker_lost"
        assert run.error == "The worker stopped while running this analysis; run it again."
        assert run.results is None and run.finished_at is not None

        fresh = _start_worker(_worker_env(real_broker, settings), log)
        again = recovery.run_again(user=analyst, run=run)
        _wait(again, lambda r: r.finished, seconds=90)
        assert again.status == AnalysisRun.Status.SUCCEEDED, (
            again.error or (tmp_path / "w.log").read_text()[-2000:])
        assert again.rerun_of_id == run.id and again.parameters == run.parameters
        full = again.results["models"]["(4)"]  # the defaults: Table 5's four stepwise columns
        assert set(full["params"]) == {"Dig", "Ur", "Stru", "lnexpense", "lnper_gdp"}
        run.refresh_from_db()
        assert run.status == AnalysisRun.Status.FAILED  # a late redelivery changes nothing
    finally:
        for w in (slow, fresh):
            if w is not None and w.poll() is None:
                w.terminate()
                w.wait(timeout=30)
        log.close()
