"""Issue 11.10: heartbeats, the reaper and "Run again" (the real killed worker is in
test_worker.py)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from analytics import recovery, services
from analytics.models import AnalysisRun
from analytics.services import runs

pytestmark = pytest.mark.django_db

SENTENCE = "The worker stopped while running this analysis; run it again."


def _run(dataset, **kw) -> AnalysisRun:
    defaults = {"kind": "index", "dataset": dataset, "dataset_version": dataset.version,
                "parameters": dict(services.KIND_DEFAULTS["index"])}
    return AnalysisRun.objects.create(**{**defaults, **kw})


def test_reaper_fails_running_runs_with_a_stale_heartbeat_only(raw_dataset, settings):
    settings.ANALYTICS_RUN_STALE_SECONDS = 300
    now = timezone.now()
    stale = _run(raw_dataset, status="running", started_at=now - timedelta(hours=1),
                 heartbeat_at=now - timedelta(minutes=6))
    alive = _run(raw_dataset, status="running", started_at=now - timedelta(hours=1),
                 heartbeat_at=now - timedelta(minutes=1))
    done = _run(raw_dataset, status="succeeded", finished_at=now - timedelta(hours=1),
                heartbeat_at=now - timedelta(hours=2))
    out = io.StringIO()
    call_command("runs_reap", stdout=out)
    assert "worker_lost=1" in out.getvalue()
    stale.refresh_from_db(), alive.refresh_from_db(), done.refresh_from_db()
    assert (stale.status, stale.error, stale.error_code) == ("failed", SENTENCE, "worker_lost")
    assert stale.finished_at is not None
    assert alive.status == "running" and done.status == "succeeded"


def test_reaper_fails_runs_pending_too_long(raw_dataset, settings):
    settings.ANALYTICS_RUN_PENDING_SECONDS = 600
    old = _run(raw_dataset)
    AnalysisRun.objects.filter(id=old.id).update(created_at=timezone.now() - timedelta(hours=1))
    fresh = _run(raw_dataset)
    assert recovery.run_reap() == {"worker_lost": 0, "never_started": 1}
    old.refresh_from_db(), fresh.refresh_from_db()
    assert old.status == "failed" and old.error_code == "never_started"
    assert fresh.status == "pending"


def test_the_reaper_sentence_is_shown_in_the_readers_language(raw_dataset, analyst, client,
                                                              api_as):
    run = _run(raw_dataset, status="running", heartbeat_at=timezone.now() - timedelta(days=1))
    recovery.run_reap()
    with translation.override("zh-hans"):
        zh = AnalysisRun.objects.get(id=run.id).error_text
    assert zh != SENTENCE and "重新运行" in zh
    client.force_login(analyst)
    page = client.get(f"/analytics/runs/{run.id}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh in page.content.decode()
    r = api_as(analyst).get(f"/api/v1/analytics/runs/{run.id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.json()["error"] == SENTENCE and r.json()["error_code"] == "worker_lost"


def test_the_task_beats_at_every_progress_step(raw_dataset, analyst, monkeypatch,
                                               django_capture_on_commit_callbacks):
    beats = []
    real = runs.run_set_progress

    def spy(**kw):
        real(**kw)
        beats.append(AnalysisRun.objects.get(id=kw["run_id"]).heartbeat_at)

    monkeypatch.setattr(runs, "run_set_progress", spy)  # where run_execute looks it up
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(user=analyst, kind="mediate", dataset=raw_dataset,
                                 parameters={"bootstrap": 20})
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert len(beats) >= 3 and all(b is not None for b in beats)
    assert beats == sorted(beats) and run.heartbeat_at >= beats[-1]


def test_run_again_from_the_run_page(raw_dataset, analyst, client,
                                     django_capture_on_commit_callbacks):
    run = _run(raw_dataset, status="running", heartbeat_at=timezone.now() - timedelta(days=1))
    recovery.run_reap()
    client.force_login(analyst)
    page = client.get(f"/analytics/runs/{run.id}/").content.decode()
    assert f'action="/analytics/runs/{run.id}/again/"' in page  # the button, no typed URL
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/analytics/runs/{run.id}/again/")
    new = AnalysisRun.objects.exclude(id=run.id).get()
    assert r.status_code == 302 and r["Location"] == f"/analytics/runs/{new.id}/"
    assert (new.kind, new.dataset_id, new.parameters, new.rerun_of_id) == (
        run.kind, run.dataset_id, run.parameters, run.id)
    assert new.status == "succeeded", new.error


def test_run_again_through_the_api_and_its_refusals(raw_dataset, analyst, outsider, api_as):
    running = _run(raw_dataset, status="running", heartbeat_at=timezone.now())
    r = api_as(analyst).post(f"/api/v1/analytics/runs/{running.id}/again/",
                             HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 409 and "not finished" in r.json()["detail"]
    failed = _run(raw_dataset, status="failed", error="x", finished_at=timezone.now())
    assert api_as(outsider).post(f"/api/v1/analytics/runs/{failed.id}/again/").status_code == 403
    assert api_as(analyst).post("/api/v1/analytics/runs/999999/again/").status_code == 404
    r = api_as(analyst).post(f"/api/v1/analytics/runs/{failed.id}/again/")
    assert r.status_code == 202 and r.json()["rerun_of"] == failed.id
    assert AnalysisRun.objects.count() == 3


def test_a_running_run_always_has_a_heartbeat_in_the_database(raw_dataset):
    with pytest.raises(IntegrityError), transaction.atomic():
        _run(raw_dataset, status="running", heartbeat_at=None)
