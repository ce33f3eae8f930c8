"""Writes for analysis runs: start, execute, progress.

Long work (a regression, a bootstrap) runs in ``run_execute``, outside any transaction and
without row locks; status changes are conditional updates.
"""

from __future__ import annotations

import json
import logging
import shlex
import threading
import time
import traceback
import zipfile
from pathlib import Path

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.methods.jsonfloat import jsonable
from analytics.models import RUN_ERRORS, AnalysisRun, Dataset
from analytics.run_checks import run_parameters_check
from analytics.selectors import dataset_frame
from synergy.core import selectors as core_selectors
from synergy.core.errors import Invalid
from synergy.core.models import User

from .access import require_analyst

log = logging.getLogger(__name__)

MAX_BOOTSTRAP = 5000

PAPER_CONTROLS = ["Ur", "Stru", "lnexpense", "lnper_gdp"]
# The paper's choices: every kind runs with only ``kind`` and ``dataset`` on the demo's
# synthetic panel (raw indicators, from which Dist, Dig, Dig_entropy and the logs are built).
# effects "entity time": city and year effects absorbed; se "stata" with cluster None: CRV1 by
# city with Stata's small-sample factors.
_MODEL = {"effects": "entity time", "se": "stata", "cluster": None, "small": True}
KIND_DEFAULTS: dict[str, dict] = {
    AnalysisRun.Kind.REPLICATE: {"seed": 20240521, "bootstrap": 999},
    # Table 5: (1) Dig, (2) +Ur, (3) +Stru, (4) +lnexpense+lnper_gdp. "formula" (and "iv"),
    # the older parameters, give one model instead and take precedence over y, x, controls.
    AnalysisRun.Kind.FIT: {"y": "Dist", "x": "Dig", "controls": PAPER_CONTROLS, **_MODEL,
                           "stepwise": True, "formula": None, "iv": None},
    # Table 7: Dig instrumented by its second lag (instrument None: endog lagged ``lag`` years).
    AnalysisRun.Kind.IV: {"y": "Dist", "endog": "Dig", "instrument": None, "lag": 2,
                          "controls": PAPER_CONTROLS, **_MODEL},
    # Table 9: through industrial structure upgrading, with a cluster bootstrap of a*b.
    AnalysisRun.Kind.MEDIATE: {"y": "Dist", "x": "Dig", "mediator": "Isu",
                               "controls": PAPER_CONTROLS, "effects": "entity time",
                               "cluster": "entity", "se": "stata", "bootstrap": 499,
                               "seed": 12345},
    # Table 6: by region (any column of the dataset); order None: east, central, west.
    AnalysisRun.Kind.HETEROGENEITY: {"y": "Dist", "x": "Dig", "controls": PAPER_CONTROLS,
                                     "group": "region", "order": None, **_MODEL},
    # Table 8: the entropy Dig instead of the PCA Dig.
    AnalysisRun.Kind.ROBUSTNESS: {"y": "Dist", "x": "Dig", "alternative": "Dig_entropy",
                                  "controls": PAPER_CONTROLS, **_MODEL},
    # columns None: the paper's six digital indicators when the dataset has them.
    # Issue 18: did pairing narrow the gap? Treatment None: the dataset's pair_year column
    # when it has one, else the platform's own first pairing year per city.
    AnalysisRun.Kind.DID: {"y": "Dist", "treatment": None, "control": "never", "method": "dr",
                           "covariates": [], "bootstrap": 999, "seed": 20240521,
                           "anticipation": 0},
    AnalysisRun.Kind.INDEX: {"method": "pca", "columns": None, "negative": [],
                             "normalise": "minmax"},
}


def _language(language: str | None) -> str:
    """The starter's language as one of settings.LANGUAGES (the request's when not given)."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return settings.LANGUAGE_CODE


def run_start(*, user: User | None, kind: str, dataset: Dataset | None = None,
              parameters: dict | None = None, rerun_of: AnalysisRun | None = None,
              language: str | None = None) -> AnalysisRun:
    """Record a pending run and queue it after commit. ``user=None`` is the system (seed).
    ``rerun_of``: the finished run this one repeats ("Run again"). ``language``: the one its
    exports are written in (default: the active language, i.e. the request's)."""
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
            parameters=params, synthetic=synthetic, created_by=user, rerun_of=rerun_of,
            language=_language(language))
        transaction.on_commit(lambda: _enqueue(run.id))
    return run


def _enqueue(run_id: int) -> None:
    # Lazy: analytics.tasks imports this module (the task calls run_execute).
    from analytics.tasks import run_execute_task  # noqa: PLC0415

    eager = getattr(run_execute_task.app.conf, "task_always_eager", False)
    if eager and settings.ANALYTICS_RUN_IN_THREAD:
        # The embedded demo has no worker: run beside the request so the submit returns now.
        threading.Thread(target=_execute_in_thread, args=(run_id,), daemon=True,
                         name=f"analytics-run-{run_id}").start()
        return
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


def _execute_in_thread(run_id: int) -> None:
    try:
        run_execute(run_id=run_id)
    except Exception:  # run_execute records analysis failures; this is the database failing
        log.exception("analysis run %s failed in its thread", run_id)
    finally:
        connection.close()  # the thread's own connection, opened by the queries above


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
        if still_running.update(status=AnalysisRun.Status.FAILED, error_code="time_limit",
                                error=str(RUN_ERRORS["time_limit"]),
                                finished_at=timezone.now()):
            _tell_finished(run_id)
        return True
    except Exception as exc:  # the run records why; the worker stays alive
        log.warning("analysis run %s failed: %s", run_id, traceback.format_exc())
        reason = " ".join(str(exc).split()) or exc.__class__.__name__
        if still_running.update(status=AnalysisRun.Status.FAILED, error=reason[:2000],
                                finished_at=timezone.now()):
            _tell_finished(run_id)
        return True
    if still_running.update(
            status=AnalysisRun.Status.SUCCEEDED, progress=100, stage="done", results=results,
            files=files, finished_at=timezone.now()):
        _tell_finished(run_id)
    return True


def _tell_finished(run_id: int) -> None:
    """The starter's notification; a failure to send it never fails the run."""
    from analytics.notifications import tell_run_finished  # noqa: PLC0415  (imports services)

    try:
        tell_run_finished(run_id=run_id)
    except Exception:  # noqa: BLE001  (the run's own outcome is already recorded)
        log.warning("could not notify the starter of run %s", run_id, exc_info=True)


def run_directory(run: AnalysisRun) -> Path:
    """A run's outputs: private (outside MEDIA_ROOT), served only by analytics.views.run_file."""
    return Path(settings.PRIVATE_MEDIA_ROOT) / "analytics" / "runs" / str(run.id)


def _panel_for(run: AnalysisRun) -> pd.DataFrame:
    """The run's dataset; raw indicators are turned into Dist, Dig and the logged controls
    (the raw columns stay beside them, on the rows the built variables keep)."""
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from analytics.methods.pipeline import build_variables, raw_columns  # noqa: PLC0415

    df = dataset_frame(dataset=run.dataset)
    if all(c in df.columns for c in raw_columns()):
        built = build_variables(df)
        panel = built.panel
        kept = df.loc[df[raw_columns()].notna().all(axis=1)]
        for c in df.columns:
            if c not in panel.columns:
                panel[c] = kept[c].to_numpy()
        panel.attrs = dict(df.attrs)
        return panel
    return df


def _execute(run: AnalysisRun, progress) -> tuple[dict, list[str]]:
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from .run_kinds import execute_kind  # noqa: PLC0415

    if run.kind == AnalysisRun.Kind.REPLICATE:
        return _execute_replicate(run, progress)
    progress(10, "load")
    panel = _panel_for(run)
    progress(20, "build")
    # Defaults fill keys a run queued before they existed lacks (its own values stand).
    params = {**KIND_DEFAULTS[run.kind], **run.parameters}
    out = execute_kind(run.kind, panel, params, progress,
                       platform_years=_platform_years(run.kind, panel, params))
    progress(95, "export")
    directory = run_directory(run)
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for name, frame in out.frames.items():  # the data the reproduce lines read
        frame.to_csv(directory / name, index=False)
        files.append(name)
    files += _write_exports(run, out.results, directory)
    return out.results, sorted(set(files))


def _platform_years(kind: str, panel: pd.DataFrame, params: dict) -> dict[str, int] | None:
    """The platform's first pairing year per city, for a DiD timed by the platform."""
    from .run_did import PLATFORM, treatment_source  # noqa: PLC0415

    if kind != AnalysisRun.Kind.DID or treatment_source(panel, params) != PLATFORM:
        return None
    return core_selectors.pairing_first_year_by_city()


def _write_exports(run: AnalysisRun, results: dict, out_dir: Path) -> list[str]:
    """A run's downloads in ``run.language``: the journal tables (stored language-neutral in
    ``results["tables"]``) as CSV, XLSX, LaTeX and HTML, the coefficient chart, summary.json,
    models.json, the commands that reproduce it and one zip of everything."""
    # Lazy: the exports pull in matplotlib and openpyxl.
    from .exports import run_exports, run_tables  # noqa: PLC0415

    out_dir.mkdir(parents=True, exist_ok=True)
    results["tables"] = run_tables(run.kind, results, run.parameters or {})
    (out_dir / "models.json").write_text(
        json.dumps(jsonable(results["models"]), ensure_ascii=False, indent=1,
                   allow_nan=False), encoding="utf-8")
    files = run_exports(run=run, results=results, out_dir=out_dir)
    # The zip holds everything: add the fitted models and the data the commands read.
    zipped = next((f for f in files if f.endswith(".zip")), None)
    if zipped:
        with zipfile.ZipFile(out_dir / zipped, "a", zipfile.ZIP_DEFLATED) as archive:
            present = set(archive.namelist())
            for path in sorted(out_dir.iterdir()):
                if path.is_file() and path.name not in present and path.name != zipped:
                    archive.write(path, path.name)
    return sorted({*files, "models.json"})


def _reproduce_files(run: AnalysisRun, reproduce: dict) -> dict[str, str]:
    where = (f"# Analysis run {run.id} ({run.kind}) on dataset {run.dataset} "
             f"(the rows it used are in this folder's CSV files).")
    return {
        "reproduce.sh": "\n".join([
            "#!/bin/sh", where,
            "# Run from the project folder, with this run's CSV files there (or edit --csv).",
            "set -e", reproduce["cli"], ""]),
        "reproduce.py": "\n".join([
            where, "# Run from this folder: python reproduce.py (the project on PYTHONPATH).",
            reproduce["python"]]),
    }


def _execute_replicate(run: AnalysisRun, progress) -> tuple[dict, list[str]]:
    # Lazy: the maths pulls in scipy and linearmodels (about 1 s more per process start).
    from analytics.methods.exports import write_zip  # noqa: PLC0415
    from analytics.methods.figures import (  # noqa: PLC0415
        coefficient_plot,
        dist_histogram,
        index_trends,
    )
    from analytics.methods.replicate import replicate, write_outputs  # noqa: PLC0415

    from .exports import replication_words  # noqa: PLC0415

    p = run.parameters
    raw = _raw_for(run)
    res = replicate(raw, seed=int(p["seed"]), bootstrap=int(p["bootstrap"]),
                    progress=lambda pct, what: progress(min(pct, 95), what))
    out = run_directory(run)
    synthetic = res["summary"]["synthetic"]
    panel = res["panel"]
    # The files' and charts' words in the starter's language (the page follows the reader).
    with translation.override(run.language or settings.LANGUAGE_CODE):
        files = write_outputs(res, out, figures=False, **replication_words(run))
        mark = _("SYNTHETIC DATA")
        regions = {"east": _("East"), "central": _("Central"), "west": _("West")}
        year, mean = _("Year"), _("Mean")
        charts = {}
        for fmt in ("svg", "png"):
            charts.update({
                f"coefficients.{fmt}": coefficient_plot(
                    res["fits"]["table5"], synthetic=synthetic, synthetic_label=mark, fmt=fmt,
                    title=_("Coefficient of Dig with its 95 percent confidence interval"),
                    xlabel=_("Digital technology (Dig)")),
                f"index_trends.{fmt}": index_trends(
                    panel, synthetic=synthetic, synthetic_label=mark, group_labels=regions,
                    title=_("Digital technology index by region"), xlabel=year, ylabel=mean,
                    fmt=fmt),
                f"dist_trends.{fmt}": index_trends(
                    panel, column="Dist", synthetic=synthetic, synthetic_label=mark,
                    group_labels=regions, title=_("Dist (urban-rural gap) by region"),
                    xlabel=year, ylabel=mean, fmt=fmt),
                f"dist_distribution.{fmt}": dist_histogram(
                    panel, synthetic=synthetic, synthetic_label=mark, fmt=fmt,
                    title=_("Distribution of Dist"), xlabel=_("Urban-rural gap (Dist)"),
                    ylabel=_("City-years")),
            })
    for name, svg in charts.items():
        (out / name).write_bytes(svg)
        files[name] = str(out / name)
    reproduce = _replicate_reproduce(p, raw is not None)
    if raw is not None:  # the rows it read, for the reproduce lines
        raw.to_csv(out / "raw.csv", index=False)
        files["raw.csv"] = str(out / "raw.csv")
    for name, text in _reproduce_files(run, reproduce).items():
        (out / name).write_text(text, encoding="utf-8")
        files[name] = str(out / name)
    rel = sorted(str(Path(f).relative_to(out)) for f in files.values())
    rel.append(write_zip(out, rel))  # everything in one download, as for every kind
    summary = res["summary"]
    # The pages read the replication's own keys (tables, comparison_with_paper,
    # differences_from_paper) at the top level; kind, models, summary and reproduce are the
    # contract every kind shares.
    headline = {k: summary[k] for k in REPLICATE_HEADLINE}
    results = {**summary, "kind": run.kind, "models": summary["table5"], "summary": headline,
               "reproduce": reproduce}
    return jsonable(results), rel


REPLICATE_HEADLINE = ("synthetic", "note", "seed", "bootstrap_reps", "stars", "nobs",
                      "n_entities", "years", "rows_dropped_missing", "comparison_with_paper")


def _replicate_reproduce(p: dict, from_file: bool) -> dict:
    raw = ["--raw", "raw.csv"] if from_file else []
    cli = ["python", "manage.py", "analytics", "replicate", *raw, "--seed", str(p["seed"]),
           "--bootstrap", str(p["bootstrap"]), "--out", "replication", "--json"]
    python = "\n".join([
        "import pandas as pd",
        "from analytics.methods.replicate import replicate, write_outputs", "",
        "raw = pd.read_csv('raw.csv')" if from_file else "raw = None  # the synthetic panel",
        f"res = replicate(raw, seed={int(p['seed'])}, bootstrap={int(p['bootstrap'])})",
        "write_outputs(res, 'replication')",
        "print(res['summary']['comparison_with_paper'])", ""])
    return {"cli": shlex.join(cli), "python": python}


def _raw_for(run: AnalysisRun) -> pd.DataFrame | None:
    if run.dataset is None:
        return None
    return dataset_frame(dataset=run.dataset)
