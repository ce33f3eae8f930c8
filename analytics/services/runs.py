"""Writes for analysis runs: start, execute, progress.

Long work (a regression, a bootstrap) runs in ``run_execute``, outside any transaction and
without row locks; status changes are conditional updates.
"""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.methods.jsonfloat import jsonable
from analytics.models import RUN_ERRORS, AnalysisRun, Dataset
from analytics.run_checks import run_parameters_check
from analytics.selectors import dataset_frame
from synergy.core.errors import Invalid
from synergy.core.models import User

from .access import require_analyst

log = logging.getLogger(__name__)

MAX_BOOTSTRAP = 5000

KIND_DEFAULTS: dict[str, dict] = {
    AnalysisRun.Kind.REPLICATE: {"seed": 20240521, "bootstrap": 999},
    AnalysisRun.Kind.FIT: {"formula": "Dist ~ Dig + Ur + Stru + lnexpense + lnper_gdp",
                           "effects": ["entity", "time"], "cluster": "entity", "se": "stata",
                           "iv": None},
    AnalysisRun.Kind.MEDIATE: {"y": "Dist", "x": "Dig", "mediator": "Isu",
                               "controls": ["Ur", "Stru", "lnexpense", "lnper_gdp"],
                               "effects": ["entity", "time"], "cluster": "entity",
                               "se": "stata", "bootstrap": 499, "seed": 12345},
    AnalysisRun.Kind.INDEX: {"method": "pca", "columns": None, "negative": [],
                             "normalise": "minmax"},
}


def run_start(*, user: User | None, kind: str, dataset: Dataset | None = None,
              parameters: dict | None = None, rerun_of: AnalysisRun | None = None
              ) -> AnalysisRun:
    """Record a pending run and queue it after commit. ``user=None`` is the system (seed).
    ``rerun_of``: the finished run this one repeats ("Run again")."""
    require_analyst(user)
    if kind not in AnalysisRun.Kind.values:
        raise Invalid(_("Unknown analysis kind."), field="kind")
    params = {**KIND_DEFAULTS[kind], **{k: v for k, v in (parameters or {}).items()
                                        if v is not None}}
    unknown = sorted(set(params) - set(KIND_DEFAULTS[kind]))
    if unknown:
        raise Invalid(_("Unknown parameter(s): %(p)s") % {"p": ", ".join(unknown)},
                      field="parameters")
    boot = params.get("bootstrap", 0)
    if not isinstance(boot, int) or not 0 <= boot <= MAX_BOOTSTRAP:
        raise Invalid(_("Bootstrap draws must be a whole number from 0 to %(n)d.")
                      % {"n": MAX_BOOTSTRAP}, field="parameters")
    if kind != AnalysisRun.Kind.REPLICATE and dataset is None:
        raise Invalid(_("Choose a dataset for this analysis."), field="dataset")
    run_parameters_check(kind=kind, params=params, dataset=dataset)
    synthetic = dataset.synthetic if dataset is not None else True
    with transaction.atomic():
        run = AnalysisRun.objects.create(
            kind=kind, dataset=dataset, dataset_version=dataset.version if dataset else None,
            parameters=params, synthetic=synthetic, created_by=user, rerun_of=rerun_of)
        transaction.on_commit(lambda: _enqueue(run.id))
    return run


def _enqueue(run_id: int) -> None:
    # Lazy: analytics.tasks imports this module (the task calls run_execute).
    from analytics.tasks import run_execute_task  # noqa: PLC0415

    try:
        run_execute_task.delay(run_id=run_id)
    except Exception as exc:  # broker unreachable: the run says so instead of a 500
        if getattr(run_execute_task.app.conf, "task_always_eager", False):
            raise
        log.warning("could not queue analysis run %s: %s", run_id, exc)
        AnalysisRun.objects.filter(id=run_id, status=AnalysisRun.Status.PENDING).update(
            status=AnalysisRun.Status.FAILED, finished_at=timezone.now(),
            error=_("The job queue is unreachable; the analysis was not started. "
                    "Please try again later."))


HEARTBEAT_EVERY_SECONDS = 10


def run_set_progress(*, run_id: int, progress: int, stage: str = "") -> None:
    """Record progress and beat: the reaper judges a running run by ``heartbeat_at``."""
    AnalysisRun.objects.filter(id=run_id, status=AnalysisRun.Status.RUNNING).update(
        progress=max(0, min(99, int(progress))), stage=stage[:40], heartbeat_at=timezone.now())


def run_execute(*, run_id: int) -> bool:
    """Run a pending analysis. Returns False when it was not pending (a duplicate delivery
    runs once). A failure is recorded with a readable error and never half-written results."""
    now = timezone.now()
    claimed = AnalysisRun.objects.filter(id=run_id, status=AnalysisRun.Status.PENDING).update(
        status=AnalysisRun.Status.RUNNING, started_at=now, heartbeat_at=now, progress=1,
        stage="start")
    if claimed != 1:
        return False
    run = AnalysisRun.objects.select_related("dataset").get(id=run_id)
    last = {"pct": 1, "beat": time.monotonic()}
    step_sleep = settings.ANALYTICS_RUN_STEP_SLEEP_SECONDS  # a test hook; 0 in real use

    def progress(pct: int, stage: str = "") -> None:
        if step_sleep:
            time.sleep(step_sleep)
        beat_due = time.monotonic() - last["beat"] >= HEARTBEAT_EVERY_SECONDS
        if pct > last["pct"] or beat_due:
            last["pct"] = max(pct, last["pct"])
            last["beat"] = time.monotonic()
            run_set_progress(run_id=run_id, progress=last["pct"], stage=stage)

    still_running = AnalysisRun.objects.filter(id=run_id, status=AnalysisRun.Status.RUNNING)
    try:
        results, files = _execute(run, progress)
    except SoftTimeLimitExceeded:
        still_running.update(status=AnalysisRun.Status.FAILED, error_code="time_limit",
                             error=str(RUN_ERRORS["time_limit"]), finished_at=timezone.now())
        return True
    except Exception as exc:  # the run records why; the worker stays alive
        log.warning("analysis run %s failed: %s", run_id, traceback.format_exc())
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        still_running.update(status=AnalysisRun.Status.FAILED, error=reason[:2000],
                             finished_at=timezone.now())
        return True
    still_running.update(
        status=AnalysisRun.Status.SUCCEEDED, progress=100, stage="done", results=results,
        files=files, finished_at=timezone.now())
    return True


def run_directory(run: AnalysisRun) -> Path:
    """A run's outputs: private (outside MEDIA_ROOT), served only by analytics.views.run_file."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "analytics" / "runs" / str(run.id)


def _panel_for(run: AnalysisRun) -> pd.DataFrame:
    """The run's dataset; raw indicators are turned into Dist, Dig and the logged controls."""
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from analytics.methods.pipeline import build_variables, raw_columns  # noqa: PLC0415

    df = dataset_frame(dataset=run.dataset)
    if all(c in df.columns for c in raw_columns()):
        built = build_variables(df)
        panel = built.panel
        for c in df.columns:
            if c not in panel.columns and c not in raw_columns():
                panel[c] = df.loc[df[raw_columns()].notna().all(axis=1), c].to_numpy()
        panel.attrs = dict(df.attrs)
        return panel
    return df


def _execute(run: AnalysisRun, progress) -> tuple[dict, list[str]]:
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from analytics.methods import commands  # noqa: PLC0415

    p = run.parameters
    if run.kind == AnalysisRun.Kind.REPLICATE:
        return _execute_replicate(run, progress)
    progress(10, "load")
    panel = _panel_for(run)
    progress(30, "fit")
    if run.kind == AnalysisRun.Kind.FIT:
        out = commands.fit_json(panel, formula=p["formula"], entity="city", time="year",
                                effects=p["effects"], cluster=p["cluster"], se=p["se"],
                                iv=p.get("iv"))
    elif run.kind == AnalysisRun.Kind.MEDIATE:
        out = commands.mediate_json(
            panel, y=p["y"], x=p["x"], mediator=p["mediator"], controls=p["controls"],
            entity="city", time="year", effects=p["effects"], cluster=p["cluster"], se=p["se"],
            bootstrap=p["bootstrap"], seed=p["seed"],
            progress=lambda d, n: progress(30 + int(65 * d / max(n, 1)), "bootstrap"))
    else:
        out = commands.index_json(panel, method=p["method"], columns=p["columns"],
                                  negative=p["negative"], normalise=p["normalise"],
                                  exclude=["year"])
    return jsonable(out), []


def _execute_replicate(run: AnalysisRun, progress) -> tuple[dict, list[str]]:
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from analytics.methods.figures import (  # noqa: PLC0415
        coefficient_plot,
        dist_histogram,
        index_trends,
    )
    from analytics.methods.replicate import replicate, write_outputs  # noqa: PLC0415

    p = run.parameters
    raw = _raw_for(run)
    res = replicate(raw, seed=int(p["seed"]), bootstrap=int(p["bootstrap"]),
                    progress=lambda pct, what: progress(min(pct, 95), what))
    out = run_directory(run)
    files = write_outputs(res, out)
    synthetic = res["summary"]["synthetic"]
    panel = res["panel"]
    charts = {
        "coefficients.svg": coefficient_plot(res["fits"]["table5"], synthetic=synthetic),
        "index_trends.svg": index_trends(panel, synthetic=synthetic),
        "dist_trends.svg": index_trends(panel, column="Dist", synthetic=synthetic),
        "dist_distribution.svg": dist_histogram(panel, synthetic=synthetic),
    }
    for name, svg in charts.items():
        (out / name).write_bytes(svg)
        files[name] = str(out / name)
    rel = sorted(str(Path(f).relative_to(out)) for f in files.values())
    summary = jsonable(res["summary"])
    return summary, rel


def _raw_for(run: AnalysisRun) -> pd.DataFrame | None:
    if run.dataset is None:
        return None
    return dataset_frame(dataset=run.dataset)
