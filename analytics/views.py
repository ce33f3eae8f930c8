"""Dashboard pages: thin views that check the permission with one selector call."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from analytics import labels, readings, recovery, run_checks, selectors, services
from analytics.did_text import did_sentences, treatment_sentence
from analytics.errors import ImportRejected
from analytics.forms import DatasetUploadForm, RunForm
from analytics.forms_analysis import KIND_FIELDS, AnalysisForm
from analytics.methods.journal import format_significant
from analytics.methods.replicate import paper_differences
from analytics.models import AnalysisRun
from analytics.services.datasets import dataset_import_explained
from synergy.core.errors import DomainError
from synergy.core.private_files import private_file_response

TABLE_TITLES = labels.REPLICATION_TITLES
REGRESSION_TABLES = {"table5", "table6", "table7", "table8", "table9"}
ROW_LABELS = {
    "Digital technology": gettext_lazy("Digital technology"),
    "Digital technology (entropy)": gettext_lazy("Digital technology (entropy)"),
    "Regional urbanization level": gettext_lazy("Regional urbanization level"),
    "Employment structure": gettext_lazy("Employment structure"),
    "Regional fiscal expenditure": gettext_lazy("Regional fiscal expenditure"),
    "Per capita GDP": gettext_lazy("Per capita GDP"),
    "Industrial structure upgrading": gettext_lazy("Industrial structure upgrading"),
    "Dig, second lag (instrument)": gettext_lazy("Dig, second lag (instrument)"),
    "Kleibergen-Paap rk Wald F": gettext_lazy("Kleibergen-Paap rk Wald F"),
    "Sobel z (p)": gettext_lazy("Sobel z (p)"),
    "_cons": gettext_lazy("Constant"),
}
CHARTS = [
    ("coefficients.svg", gettext_lazy("Coefficient of Dig with its 95 percent confidence interval")),
    ("index_trends.svg", gettext_lazy("Digital technology index by region")),
    ("dist_trends.svg", gettext_lazy("Dist (urban-rural gap) by region")),
    ("dist_distribution.svg", gettext_lazy("Distribution of Dist")),
    ("event_study.svg", gettext_lazy("Event study: the effect of pairing by years since it "
                                     "began, with its 95 percent uniform band")),
    ("weights.svg", gettext_lazy("Indicator weights")),
]
DID_METHODS = {"dr": gettext_lazy("doubly robust"), "ipw": gettext_lazy("inverse probability "
                                                                        "weighting"),
               "reg": gettext_lazy("outcome regression")}
DID_CONTROLS = {"never": gettext_lazy("never-paired cities as controls"),
                "notyet": gettext_lazy("not-yet-paired cities as controls")}


def _did_context(run: AnalysisRun) -> dict | None:
    """The DiD run's plain-language summary and how it was estimated."""
    summary = (run.results or {}).get("summary") or {}
    if run.kind != AnalysisRun.Kind.DID or "findings" not in summary:
        return None
    p = run.parameters or {}
    setup = _("Callaway-Sant'Anna, %(method)s, %(control)s; %(se)s.") % {
        "method": DID_METHODS.get(p.get("method"), p.get("method")),
        "control": DID_CONTROLS.get(p.get("control"), p.get("control")),
        "se": (_("standard errors from %(n)s multiplier-bootstrap draws clustered by city")
               % {"n": p.get("bootstrap")} if p.get("bootstrap")
               else _("analytical standard errors clustered by city"))}
    return {"sentences": did_sentences(summary, labels.variable_labels(run.dataset)),
            "treatment": treatment_sentence(summary), "setup": setup}


def _tables(run: AnalysisRun | None) -> list[dict]:
    if run is None or not run.results or run.kind != AnalysisRun.Kind.REPLICATE:
        return []
    out = []
    names = labels.display_labels(run.dataset)
    for key, title in TABLE_TITLES.items():
        t = run.results.get("tables", {}).get(key)
        if t and "rows" in t:  # a journal table (analytics.methods.replication_tables)
            page = labels.table_for_page(t, names)
            page.update(key=key, title=title)
            out.append(page)
        elif t:  # a run stored before the journal tables: the old rows of strings
            rows = [[ROW_LABELS.get(r[0], r[0]), *r[1:]] for r in t["data"]]
            out.append({"key": key, "title": title, "columns": t["columns"], "rows": rows,
                        "regression": key in REGRESSION_TABLES})
    return out


def _journal_tables(run: AnalysisRun) -> list[dict]:
    """The run's journal tables (every kind but the replication), in the reader's language."""
    tables = (run.results or {}).get("tables") or {}
    if run.kind == AnalysisRun.Kind.REPLICATE or not isinstance(tables, dict):
        return []
    names = labels.display_labels(run.dataset)
    names.update(labels.column_labels(run.results or {}, names))
    out = []
    for key, table in tables.items():
        if not isinstance(table, dict) or "rows" not in table:
            continue
        page = labels.table_for_page(table, names, se=(run.parameters or {}).get("se"))
        page.update(key=key, title=str(labels.TABLE_TITLES.get(key, key)))
        out.append(page)
    return out


def _mediation_rows(run: AnalysisRun) -> list[tuple[str, str]]:
    """The indirect effect and its tests, rounded for reading (the files keep every digit)."""
    summary = (run.results or {}).get("summary") or {}
    if run.kind != AnalysisRun.Kind.MEDIATE or "indirect" not in summary:
        return []
    rows = [(_("Indirect effect a·b"), format_significant(summary["indirect"])),
            (_("Direct effect c′"), format_significant(summary.get("c_prime"))),
            (_("Total effect c"), format_significant(summary.get("c")))]
    for key, name in (("sobel", "Sobel"), ("aroian", "Aroian"), ("goodman", "Goodman")):
        test = summary.get(key) or {}
        if test:
            rows.append((_("%(test)s test: z (p)") % {"test": name},
                         f"{format_significant(test.get('z'))} "
                         f"({format_significant(test.get('p'))})"))
    boot = summary.get("bootstrap") or {}
    if boot.get("ci"):
        lo, hi = boot["ci"]
        rows.append((_("Cluster bootstrap %(level)s%% interval of a·b (%(reps)s draws)")
                     % {"level": round(100 * boot.get("ci_level", 0.95)), "reps": boot.get("reps")},
                     f"[{format_significant(lo)}, {format_significant(hi)}]"))
    return rows


@login_required
def dashboard(request: HttpRequest, *, form=None, upload_form=None, issues=None,
              status: int = 200) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    latest = selectors.run_latest_succeeded()
    tables = _tables(latest)
    imported, report = _last_import(request)
    return render(request, "analytics/dashboard.html", {
        "dataset": imported, "report": report,
        "form": form or RunForm(),
        "upload_form": upload_form or DatasetUploadForm(),
        "issues": issues,
        "datasets": selectors.dataset_list()[:20],
        "runs": selectors.run_list(user=request.user)[:15],
        "latest": latest,
        "table5": next((t for t in tables if t["key"] == "table5"), None),
        "charts": [c for c in CHARTS if c[0] in latest.files] if latest else [],
        "platform": selectors.platform_activity(),
        "kinds": _kind_choices(),
    }, status=status)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    form = RunForm(request.POST)
    if not form.is_valid():
        return dashboard(request, form=form, status=400)
    try:
        run = services.run_start(user=request.user, kind=form.cleaned_data["kind"],
                                 dataset=form.cleaned_data["dataset"],
                                 parameters=form.parameters())
    except DomainError as exc:
        form.add_error(None, exc.message)
        return dashboard(request, form=form, status=exc.status_code)
    return redirect("analytics:run_detail", pk=run.pk)


ID_COLUMNS = ["city", "province", "region", "year"]


def _kind_choices() -> list[tuple[str, str]]:
    return [(k, label) for k, label in AnalysisRun.Kind.choices if k in KIND_FIELDS]


@login_required
def analysis_new(request: HttpRequest, kind: str) -> HttpResponse:
    """Each analysis on its own page: pick the dataset, then the variables (paper defaults)."""
    selectors.require_analytics_viewer(viewer=request.user)
    kinds = dict(_kind_choices())
    if kind not in kinds:
        raise Http404
    datasets = list(selectors.dataset_list())
    dataset = selectors.dataset_for_analysis(pk=request.GET.get("dataset") or
                                             request.POST.get("dataset"))
    columns = sorted(c for c in (run_checks.dataset_columns(dataset) if dataset else set())
                     if c not in run_checks.META_COLUMNS)
    id_columns = [c for c in ID_COLUMNS if dataset is not None]
    form = AnalysisForm(request.POST or None, kind=kind, columns=columns, id_columns=id_columns)
    status = 200
    if request.method == "POST":
        if dataset is not None and form.is_valid():
            try:
                run = services.run_start(user=request.user, kind=kind, dataset=dataset,
                                         parameters=form.parameters())
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                return redirect("analytics:run_detail", pk=run.pk)
        else:
            status = 400
            if dataset is None:
                form.add_error(None, _("Choose a dataset first."))
    return render(request, "analytics/analysis_new.html", {
        "kind": kind, "kind_label": kinds[kind], "kinds": _kind_choices(), "form": form,
        "datasets": datasets, "dataset": dataset,
    }, status=status)


@login_required
@require_POST
def dataset_upload(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    form = DatasetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return dashboard(request, upload_form=form, status=400)
    try:
        ds, report = dataset_import_explained(user=request.user, name=form.cleaned_data["name"],
                                              upload=form.cleaned_data["file"])
    except ImportRejected as exc:
        return dashboard(request, upload_form=form, issues=exc.issues, status=400)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return dashboard(request, upload_form=form, status=exc.status_code)
    messages.success(request, _("Imported %(name)s version %(v)d (%(n)d rows).")
                     % {"name": ds.name, "v": ds.version, "n": ds.n_rows})
    # The same report as the import page's, shown once on the dashboard after the redirect.
    request.session[IMPORT_REPORT_KEY] = {"dataset": ds.pk, "report": report.to_dict()}
    return redirect("analytics:dashboard")


IMPORT_REPORT_KEY = "analytics_import_report"


def _last_import(request: HttpRequest) -> tuple[object, dict | None]:
    """The dataset and report of the upload just made from the dashboard (once)."""
    saved = request.session.pop(IMPORT_REPORT_KEY, None)
    if not isinstance(saved, dict):
        return None, None
    dataset = selectors.dataset_list().filter(pk=saved.get("dataset")).first()
    return (dataset, saved.get("report")) if dataset is not None else (None, None)


def _charts(run: AnalysisRun) -> list[tuple[str, str]]:
    """The run's charts with their captions; a regression's coefficient chart names its x."""
    params = run.parameters or {}
    x = params.get("x") or params.get("endog")
    out = []
    for name, title in CHARTS:
        if name not in run.files:
            continue
        if name == "coefficients.svg" and run.kind != AnalysisRun.Kind.REPLICATE and x:
            label = labels.display_labels(run.dataset).get(x, x)
            title = _("Coefficient of %(x)s with its 95%% confidence interval") % {"x": label}
        out.append((name, title))
    return out


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get_for_viewer(viewer=request.user, pk=pk)
    results = run.results or {}
    generic = None
    if run.kind != AnalysisRun.Kind.REPLICATE and results:
        generic = [(k, v) for k, v in results.items() if not isinstance(v, dict | list)]
        generic += [(k, v) for k, v in results.items() if isinstance(v, dict)]
    files = [f for f in run.files if not f.endswith(".svg")]
    journal = _journal_tables(run)
    if journal:
        generic = None
    return render(request, "analytics/run_detail.html", {
        "run": run, "tables": _tables(run), "generic": generic, "journal": journal,
        "reproduce": results.get("reproduce") or {},
        "mediation": _mediation_rows(run), "did": _did_context(run),
        "diagnostics": (readings.index_diagnostics(results.get("summary") or {})
                        if run.kind == AnalysisRun.Kind.INDEX else []),
        "stage": labels.stage_label(run.stage) if run.stage else "",
        "zip_name": next((f for f in run.files if f.endswith(".zip")), None),
        # Recomputed from the paper's numbers in the reader's language (the file keeps English).
        "differences": paper_differences(_) if results.get("differences_from_paper") else [],
        "comparison": results.get("comparison_with_paper", []),
        "charts": _charts(run), "files": files,
    })


@login_required
@require_POST
def run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Run again" button: a new run with the same parameters."""
    run = selectors.run_get_for_viewer(viewer=request.user, pk=pk)
    try:
        new = recovery.run_again(user=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:run_detail", pk=run.pk)
    return redirect("analytics:run_detail", pk=new.pk)


@login_required
def run_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    run = selectors.run_get_for_viewer(viewer=request.user, pk=pk)
    if name not in run.files:
        raise Http404
    if Path(name).name != name:
        raise Http404
    path = services.run_directory(run) / name
    return private_file_response(request, path.relative_to(settings.PRIVATE_MEDIA_ROOT),
                                 inline=name.endswith((".svg", ".png", ".html")))
