"""A real Celery worker against Redis runs an analysis (CI has Redis; skipped without it)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from analytics import services
from analytics.models import AnalysisRun

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_broker(settings, transactional_db):
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        pytest.skip("CELERY_BROKER_URL not set: no Redis for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process needs a shared database (PostgreSQL)")
    from synergy.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield url
    app.conf.task_always_eager = True


@pytest.mark.worker
def test_a_real_worker_completes_a_run(real_broker, raw_dataset, analyst, settings, tmp_path):
    db = connection.settings_dict
    env = {**os.environ,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
                           f"{db['PORT'] or 5432}/{db['NAME']}",
           "CELERY_BROKER_URL": real_broker, "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DJANGO_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT)}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    log = (tmp_path / "w.log").open("w")  # closed in the finally below
    worker = subprocess.Popen(  # noqa: SIM115
        [sys.executable, "-m", "celery", "-A", "synergy", "worker", "--pool=solo",
         "--concurrency=1", "--loglevel=warning", "-n", f"analytics-test-{os.getpid()}@%h",
         "-Q", "celery"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
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
        assert run.progress == 100 and run.results["bootstrap"]["reps"] == 50
        assert run.started_at and run.finished_at
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
