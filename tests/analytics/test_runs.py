"""Analysis runs: lifecycle, permission, idempotent delivery, readable failure."""

from __future__ import annotations

import pytest
from django.utils import translation

from analytics import services
from analytics.models import AnalysisRun
from analytics.tasks import run_execute_task
from synergy.celery import app

pytestmark = pytest.mark.django_db


def test_post_run_returns_202_and_the_run_completes(analyst, api_as, raw_dataset,
                                                    django_capture_on_commit_callbacks):
    client = api_as(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/v1/analytics/runs/",
                        {"kind": "fit", "dataset": raw_dataset.id,
                         "parameters": {"formula": "Dist ~ Dig + Isu"}}, format="json")
    assert r.status_code == 202
    assert r.json()["status"] in ("pending", "running", "succeeded")
    detail = client.get(f"/api/v1/analytics/runs/{r.json()['id']}/").json()
    assert detail["status"] == "succeeded" and detail["progress"] == 100
    assert detail["dataset_version"] == raw_dataset.version
    assert detail["parameters"]["formula"] == "Dist ~ Dig + Isu"
    res = detail["results"]
    assert res["kind"] == "fit" and set(res["models"]) == {"(1)"}  # a formula: one model
    summary = res["summary"]
    assert set(summary["params"]) == {"Dig", "Isu"} and summary["synthetic"] is True
    assert summary["nobs"] == 330


@pytest.mark.parametrize("who", ["resident", "outsider", None])
def test_runs_are_refused_to_everyone_else(request, who, api_as, raw_dataset):
    user = request.getfixturevalue(who) if who else None
    client = api_as(user)
    r = client.post("/api/v1/analytics/runs/", {"kind": "replicate"}, format="json")
    assert r.status_code in (401, 403)
    assert not AnalysisRun.objects.exists()
    run = services.run_start(user=None, kind="index", dataset=raw_dataset)
    assert client.get(f"/api/v1/analytics/runs/{run.id}/").status_code in (401, 403)


def test_admin_may_start_runs(admin_user, api_as, raw_dataset):
    r = api_as(admin_user).post("/api/v1/analytics/runs/",
                                {"kind": "index", "dataset": raw_dataset.id}, format="json")
    assert r.status_code == 202


def test_a_task_delivered_twice_runs_once(analyst, raw_dataset):
    run = AnalysisRun.objects.create(kind="index", dataset=raw_dataset,
                                     dataset_version=raw_dataset.version,
                                     parameters=services.KIND_DEFAULTS["index"])
    assert services.run_execute(run_id=run.id) is True
    run.refresh_from_db()
    first = (run.status, run.finished_at, run.results)
    assert services.run_execute(run_id=run.id) is False
    run.refresh_from_db()
    assert (run.status, run.finished_at, run.results) == first
    assert run.status == "succeeded" and "weights" in run.results["summary"]
    assert run.results["summary"]["kmo"] > 0


def test_a_failure_leaves_a_readable_error(analyst, raw_dataset):
    # A run recorded before its parameters were checked (run_start now refuses this one)
    # still fails at run time with a sentence: the methods check the names again.
    run = AnalysisRun.objects.create(
        kind="fit", dataset=raw_dataset, dataset_version=raw_dataset.version,
        parameters={**services.KIND_DEFAULTS["fit"], "formula": "Dist ~ no_such_column"})
    services.run_execute(run_id=run.id)
    run.refresh_from_db()
    assert run.status == "failed" and run.results is None
    assert "no_such_column" in run.error and "Traceback" not in run.error


def test_bad_parameters_are_refused_before_anything_is_written(analyst, api_as, raw_dataset):
    client = api_as(analyst)
    r = client.post("/api/v1/analytics/runs/",
                    {"kind": "replicate", "parameters": {"bootstrap": 10**7}}, format="json")
    assert r.status_code == 400
    r = client.post("/api/v1/analytics/runs/",
                    {"kind": "fit", "dataset": raw_dataset.id, "parameters": {"bogus": 1}},
                    format="json")
    assert r.status_code == 400
    r = client.post("/api/v1/analytics/runs/", {"kind": "fit"}, format="json")
    assert r.status_code == 400 and "dataset" in r.json()
    assert not AnalysisRun.objects.exists()


def test_replication_on_a_dataset_writes_tables_and_charts(analyst, raw_dataset,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(user=analyst, kind="replicate", dataset=raw_dataset,
                                 parameters={"bootstrap": 20})
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert {"table5.csv", "table5.xlsx", "coefficients.svg", "summary.json"} <= set(run.files)
    assert run.results["synthetic"] is True and run.results["nobs"] == 330
    assert (services.run_directory(run) / "coefficients.svg").read_bytes().lstrip().startswith(
        b"<?xml")


def test_run_list_query_count(analyst, api_as, raw_dataset, django_assert_num_queries):
    for _ in range(3):
        AnalysisRun.objects.create(kind="index", dataset=raw_dataset, dataset_version=1)
    client = api_as(analyst)
    # 1 role check by the permission class, 1 by the permission-aware selector,
    # 1 count for the page, 1 page of runs joined to their dataset and creator.
    with django_assert_num_queries(4):
        r = client.get("/api/v1/analytics/runs/")
    assert r.json()["count"] == 3


def test_an_unreachable_broker_fails_the_run_readably(analyst, raw_dataset, monkeypatch,
                                                      django_capture_on_commit_callbacks):
    def down(**kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(run_execute_task, "delay", down)
    app.conf.task_always_eager = False  # the autouse fixture sets it back for the next test
    try:
        with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(user=analyst, kind="index", dataset=raw_dataset)
    finally:
        app.conf.task_always_eager = True
    run.refresh_from_db()
    assert run.status == "failed" and "queue is unreachable" in run.error
