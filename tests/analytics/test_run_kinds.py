"""Every analysis kind on its own, from the API with only kind + dataset (issue 17.1), its
results contract and reproduce lines, and runs that never block the submit (issue 17.6)."""

from __future__ import annotations

import io
import json
import runpy
import shlex
import threading

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import translation

from analytics import demo, services
from analytics.methods.pipeline import DIG_INDICATORS, raw_columns
from analytics.models import AnalysisRun
from analytics.services import runs
from analytics.services.run_kinds import stepwise_controls

pytestmark = pytest.mark.django_db

CONTROLS = ["Ur", "Stru", "lnexpense", "lnper_gdp"]
N_CITIES, N_YEARS = 282, 11


@pytest.fixture
def demo_dataset(db):
    return demo.demo_dataset()


def _post(client, kind, dataset, capture, **parameters):
    body = {"kind": kind, "dataset": dataset.id}
    if parameters:
        body["parameters"] = parameters
    with capture(execute=True):
        return client.post("/api/v1/analytics/runs/", body, format="json")


def test_the_demo_dataset_is_raw_indicators_listed_by_the_api(analyst, api_as, demo_dataset):
    assert set(raw_columns()) <= set(demo_dataset.variables)
    assert not {"Dist", "Dig"} & set(demo_dataset.variables)  # built by every run, not stored
    assert demo.demo_dataset().id == demo_dataset.id  # idempotent
    listed = api_as(analyst).get("/api/v1/analytics/datasets/").json()["results"]
    row = next(d for d in listed if d["name"] == demo.DEMO_DATASET)
    assert row["synthetic"] is True and row["labels"] == {}
    assert row["n_rows"] == N_CITIES * N_YEARS


def test_every_kind_runs_with_only_kind_and_dataset(analyst, api_as, demo_dataset,
                                                    django_capture_on_commit_callbacks):
    client = api_as(analyst)
    done = {}
    for kind in AnalysisRun.Kind.values:
        r = _post(client, kind, demo_dataset, django_capture_on_commit_callbacks)
        assert r.status_code == 202, (kind, r.content)
        detail = client.get(f"/api/v1/analytics/runs/{r.json()['id']}/").json()
        assert detail["status"] == "succeeded", (kind, detail["error"])
        assert detail["parameters"] == services.KIND_DEFAULTS[kind]
        res = detail["results"]
        assert res["kind"] == kind and {"models", "summary", "reproduce"} <= set(res)
        assert res["reproduce"]["cli"].startswith("python manage.py analytics ")
        assert {"reproduce.sh", "reproduce.py", "summary.json"} <= set(detail["files"])
        done[kind] = res

    fit = done["fit"]["models"]  # Table 5: the controls enter as (2) Ur, (3) Stru, (4) logs
    assert [fit[c]["regressors"] for c in ("(1)", "(2)", "(3)", "(4)")] == [
        ["Dig"], ["Dig", "Ur"], ["Dig", "Ur", "Stru"], ["Dig", *CONTROLS]]
    assert all(m["nobs"] == N_CITIES * N_YEARS for m in fit.values())
    assert "CRV1 by city" in fit["(4)"]["se_convention"]
    assert done["fit"]["summary"]["params"] == fit["(4)"]["params"]

    iv = done["iv"]  # Table 7: Dig instrumented by its second lag, so two years fewer
    first, second = iv["models"]["(1)"], iv["models"]["(2)"]
    assert second["nobs"] == first["nobs"] == N_CITIES * (N_YEARS - 2)
    assert second["first_stage"]["instruments"] == ["Dig_lag2"]
    np.testing.assert_allclose(first["params"]["Dig_lag2"],
                               second["first_stage"]["coefficients"]["Dig_lag2"], rtol=1e-8)
    assert [c["role"] for c in iv["columns"]] == ["first_stage", "second_stage"]

    med = done["mediate"]
    assert med["summary"]["bootstrap"]["reps"] == 499
    np.testing.assert_allclose(med["models"]["(3)"]["params"]["Isu"], med["summary"]["b"],
                               rtol=1e-8)
    np.testing.assert_allclose(med["models"]["(2)"]["params"]["Dig"], med["summary"]["a"],
                               rtol=1e-8)

    het = done["heterogeneity"]
    assert het["summary"]["levels"] == ["east", "central", "west"]
    nobs = {c: m["nobs"] for c, m in het["models"].items()}
    assert nobs["(1)"] == nobs["(2)"] + nobs["(3)"] + nobs["(4)"] == N_CITIES * N_YEARS
    assert [c.get("sample", {}).get("value") for c in het["columns"]] == [
        None, "east", "central", "west"]

    rob = done["robustness"]
    assert "Dig_entropy" in rob["models"]["(2)"]["params"]
    assert "Dig" not in rob["models"]["(2)"]["params"]
    assert rob["summary"]["same_sign"] in (True, False)

    idx = done["index"]["summary"]
    assert idx["method"] == "pca" and idx["columns"] == DIG_INDICATORS
    np.testing.assert_allclose(sum(idx["weights"].values()), 1.0, rtol=1e-9)

    rep = done["replicate"]
    assert rep["summary"]["nobs"] == N_CITIES * N_YEARS and rep["comparison_with_paper"]
    assert set(rep["models"]) == {"(1)", "(2)", "(3)", "(4)"}


def _run(kind, dataset, capture, **parameters) -> AnalysisRun:
    with capture(execute=True):
        run = services.run_start(user=None, kind=kind, dataset=dataset, parameters=parameters)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


@pytest.mark.parametrize(("kind", "parameters"), [
    ("fit", {}), ("iv", {}), ("heterogeneity", {}), ("robustness", {}),
    ("mediate", {"bootstrap": 20}),
])
def test_the_python_snippet_reproduces_the_models(kind, parameters, raw_dataset, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    run = _run(kind, raw_dataset, django_capture_on_commit_callbacks, **parameters)
    monkeypatch.chdir(services.run_directory(run))
    namespace = runpy.run_path("reproduce.py", run_name="reproduce")
    models = run.results["models"]
    if kind == "mediate":
        got, want = namespace["summary"], run.results["summary"]
        np.testing.assert_allclose([got["indirect"], *got["bootstrap"]["ci"]],
                                   [want["indirect"], *want["bootstrap"]["ci"]], rtol=1e-8)
    assert set(namespace["models"]) == set(models)
    # Compared by name: PostgreSQL's jsonb keeps a stored dict's keys in its own order.
    for label, est in namespace["models"].items():
        stored = models[label]
        assert set(est.params) == set(stored["params"])
        np.testing.assert_allclose(list(est.params.values()),
                                   [stored["params"][k] for k in est.params], rtol=1e-8)
        np.testing.assert_allclose(list(est.std_errors.values()),
                                   [stored["std_errors"][k] for k in est.std_errors], rtol=1e-8)


@pytest.mark.parametrize(("kind", "parameters"), [
    ("fit", {}),
    ("iv", {"lag": 1}),
    ("heterogeneity", {}),
    ("mediate", {"bootstrap": 20}),
    ("index", {"method": "entropy", "negative": ["info_emp_share"]}),
])
def test_the_cli_lines_reproduce_the_stored_results(kind, parameters, raw_dataset, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    run = _run(kind, raw_dataset, django_capture_on_commit_callbacks, **parameters)
    monkeypatch.chdir(services.run_directory(run))
    printed = []
    for line in run.results["reproduce"]["cli"].splitlines():
        out = io.StringIO()
        call_command(*shlex.split(line)[2:], stdout=out)  # drop "python manage.py"
        printed.append(json.loads(out.getvalue()))
    # In the run's column order (a list), not the stored dict's (jsonb reorders keys).
    models = [run.results["models"][c["label"]] for c in run.results["columns"]]
    if kind == "mediate":  # the mediation summary first, then its three regressions
        np.testing.assert_allclose(printed.pop(0)["indirect"], run.results["summary"]["indirect"],
                                   rtol=1e-8)
    if kind == "index":
        assert len(printed) == 1
        got, want = printed[0]["weights"], run.results["summary"]["weights"]
        assert set(got) == set(want)
        np.testing.assert_allclose([got[k] for k in want], list(want.values()), rtol=1e-8)
        return
    assert len(printed) == len(models)
    for got, want in zip(printed, models, strict=True):
        assert set(got["params"]) == set(want["params"])
        np.testing.assert_allclose([got["params"][k] for k in want["params"]],
                                   list(want["params"].values()), rtol=1e-8)
        assert got["nobs"] == want["nobs"]


@pytest.mark.parametrize(("kind", "parameters", "named"), [
    ("iv", {"lag": 9}, "lag"),
    ("iv", {"instrument": "Dig"}, "instrument"),
    ("heterogeneity", {"group": "no_such_column"}, "group"),
    ("heterogeneity", {"order": "east"}, "order"),
    ("robustness", {"alternative": "Dig + 1"}, "alternative"),
    ("fit", {"controls": ["Ur", "Dig"]}, "controls"),
    ("fit", {"stepwise": "yes"}, "stepwise"),
    ("fit", {"se": "robust", "cluster": "entity"}, "cluster"),
    ("fit", {"effects": "city"}, "effects"),
    ("mediate", {"mediator": "nope"}, "mediator"),
    ("index", {"columns": ["Ur", "Stru"], "negative": ["Isu"]}, "negative"),
])
def test_bad_parameters_are_400_naming_the_parameter(kind, parameters, named, analyst, api_as,
                                                     raw_dataset):
    with translation.override("en"):
        r = api_as(analyst).post("/api/v1/analytics/runs/",
                                 {"kind": kind, "dataset": raw_dataset.id,
                                  "parameters": parameters}, format="json")
    assert r.status_code == 400
    assert named in json.dumps(r.json()["parameters"])
    assert not AnalysisRun.objects.exists()


def test_stepwise_adds_the_two_economic_controls_together():
    assert stepwise_controls(CONTROLS) == [["Ur"], ["Stru"], ["lnexpense", "lnper_gdp"]]
    assert stepwise_controls(["lnexpense", "Ur", "lnper_gdp"]) == [
        ["lnexpense"], ["Ur"], ["lnper_gdp"]]
    assert stepwise_controls([]) == []


def test_a_run_records_its_starters_language(raw_dataset):
    with translation.override("en"):
        assert services.run_start(user=None, kind="index", dataset=raw_dataset).language == "en"
    with translation.override("zh-hans"):
        run = services.run_start(user=None, kind="index", dataset=raw_dataset)
    assert run.language == "zh-hans"


@pytest.mark.django_db(transaction=True)
def test_in_thread_mode_the_submit_returns_before_the_run_finishes(
        analyst, api_as, raw_dataset, settings, monkeypatch):
    settings.ANALYTICS_RUN_IN_THREAD = True
    release, finished = threading.Event(), threading.Event()
    ran_in = []
    execute = runs.run_execute

    # The run waits until the test has seen the submit return, and says when it is done: the
    # test's in-memory SQLite refuses (not waits for) a table another connection is writing.
    def gated(*, run_id):
        ran_in.append(threading.current_thread().name)
        try:
            assert release.wait(timeout=30)
            return execute(run_id=run_id)
        finally:
            finished.set()

    monkeypatch.setattr(runs, "run_execute", gated)
    r = api_as(analyst).post("/api/v1/analytics/runs/",
                             {"kind": "index", "dataset": raw_dataset.id}, format="json")
    assert r.status_code == 202 and r.json()["status"] == "pending"
    run = AnalysisRun.objects.get(id=r.json()["id"])
    assert run.status == "pending" and run.results is None
    release.set()
    assert finished.wait(timeout=30)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert run.results["summary"]["method"] == "pca"
    assert ran_in == [f"analytics-run-{run.id}"]  # not the request's thread


def test_a_run_queued_with_the_older_fit_parameters_still_runs(raw_dataset):
    # Parameters as runs stored them before issue 17: one formula, effects as a list.
    older = {"formula": "Dist ~ Dig + Ur", "effects": ["entity", "time"], "cluster": "entity",
             "se": "stata", "iv": None}
    run = AnalysisRun.objects.create(kind="fit", dataset=raw_dataset,
                                     dataset_version=raw_dataset.version, parameters=older)
    assert services.run_execute(run_id=run.id) is True
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert list(run.results["models"]) == ["(1)"]
    assert run.results["models"]["(1)"]["regressors"] == ["Dig", "Ur"]
    assert run.parameters == older  # the stored parameters are not rewritten
