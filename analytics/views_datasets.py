"""Dataset pages: the import template, the import that explains itself, the list, a preview
with coverage by year, delete, and two versions side by side. Thin views: every read goes
through a selector or ``analytics.methods``, every write through a service."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from analytics import selectors
from analytics.errors import ImportRejected
from analytics.forms import DatasetUploadForm
from analytics.methods import catalogue
from analytics.methods.dataset_summary import compare_versions, coverage_by_year, significant
from analytics.models import Dataset
from analytics.services.datasets import dataset_delete, dataset_import_explained
from synergy.core.errors import DomainError, NotAllowed
from synergy.core.selectors import get_or_404, user_is_platform_admin

PREVIEW_ROWS = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DatasetImportForm(DatasetUploadForm):
    interpolate = forms.BooleanField(
        label=gettext_lazy("Fill gaps by linear interpolation within each city"), required=False,
        help_text=gettext_lazy("Empty cells between two years with values are filled; cells "
                               "before a city's first or after its last value stay empty."))


# ----------------------------------------------------------------------------- template


def _language() -> str:
    return translation.get_language() or "zh-hans"


def _template_sheets() -> tuple[list[list], list[list]]:
    """The catalogue sheet (one row per column) and the example sheet, in the reader's
    language: headers are UI strings (gettext), meanings come from the catalogue."""
    lang = _language()
    header = [_("Column"), _("Meaning"), _("Unit"), _("Direction in its index"), _("Source"),
              _("Used by"), _("Kind")]
    rows = [header]
    for v in catalogue.CATALOGUE:
        kind = _("built by the analysis") if v.built else _("imported")
        rows.append([v.name, v.meaning(lang), v.unit(lang), v.direction, v.source(lang),
                     ", ".join(v.analyses), kind])
    examples = catalogue.example_rows()
    example = [list(examples[0])] + [list(r.values()) for r in examples]
    return rows, example


def _download_name(ext: str) -> str:
    return f"synergy-import-template-{_language()}.{ext}"


@login_required
def dataset_template_csv(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    columns, example = _template_sheets()
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerows(columns)
    out.writerow([])
    out.writerow([_("Example import: a file starts with this header row (city, year, then the "
                    "columns), one row per city and year.")])
    out.writerows(example)
    response = HttpResponse(buf.getvalue().encode("utf-8-sig"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_name("csv")}"'
    return response


@login_required
def dataset_template_xlsx(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    columns, example = _template_sheets()
    book = Workbook()
    first = book.active
    first.title = _("Columns")[:31]
    second = book.create_sheet(_("Example")[:31])
    for sheet, rows in ((first, columns), (second, example)):
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (24, 48, 16, 8, 60, 40, 14), strict=True):
        first.column_dimensions[letter].width = width
    buf = io.BytesIO()
    book.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_download_name("xlsx")}"'
    return response


# ----------------------------------------------------------------------------- import


@login_required
@require_http_methods(["GET", "POST"])
def dataset_import_page(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    context: dict = {"issues": None, "report": None, "dataset": None, "total": 0}
    status = 200
    if request.method == "POST":
        form = DatasetImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ds, report = dataset_import_explained(
                    user=request.user, name=form.cleaned_data["name"],
                    upload=form.cleaned_data["file"],
                    interpolate=form.cleaned_data["interpolate"])
            except ImportRejected as exc:
                context.update(issues=exc.issues, total=exc.total)
                status = 400
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status_code
            else:
                context.update(dataset=ds, report=report)
                form = DatasetImportForm()
        else:
            status = 400
    else:
        form = DatasetImportForm()
    context["form"] = form
    return render(request, "analytics/dataset_import.html", context, status=status)


# ----------------------------------------------------------------------------- pages


@login_required
def dataset_list_page(request: HttpRequest) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    groups: dict[str, list[Dataset]] = {}
    for ds in selectors.dataset_list():
        groups.setdefault(ds.name, []).append(ds)
    return render(request, "analytics/dataset_list.html", {"groups": groups})


def _labels(variables: list[str]) -> list[dict]:
    known, lang = catalogue.by_name(), _language()
    return [{"name": v, "meaning": known[v].meaning(lang) if v in known else "",
             "unit": known[v].unit(lang) if v in known else ""} for v in variables]


@login_required
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    ds = get_or_404(selectors.dataset_list(), pk=pk)
    frame = selectors.dataset_frame(dataset=ds)
    head = frame.head(PREVIEW_ROWS)
    preview = [[r["city"], int(r["year"]), *(significant(r[v]) for v in ds.variables)]
               for r in head.to_dict(orient="records")]
    coverage = coverage_by_year(frame, ds.variables)
    for c in coverage:
        c["percent"] = "" if c["share_filled"] is None else f"{100 * c['share_filled']:.0f}%"
    versions = list(selectors.dataset_list().filter(name=ds.name))
    return render(request, "analytics/dataset_detail.html", {
        "dataset": ds, "preview": preview, "coverage": coverage,
        "labels": _labels(ds.variables), "versions": versions, "n_runs": ds.runs.count(),
        "can_delete": _may_delete(request.user, ds)})


def _may_delete(user, ds: Dataset) -> bool:
    return ds.created_by_id == user.pk or user_is_platform_admin(user=user)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_delete_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirm step; POST: delete (the service checks who may, and runs using it)."""
    selectors.require_analytics_viewer(viewer=request.user)
    ds = get_or_404(selectors.dataset_list(), pk=pk)
    if request.method == "POST":
        try:
            dataset_delete(user=request.user, dataset=ds)
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            messages.error(request, exc.message)
            return redirect("analytics:dataset_detail", pk=pk)
        messages.success(request, _("Deleted %(name)s version %(v)d.")
                         % {"name": ds.name, "v": ds.version})
        return redirect("analytics:dataset_list")
    if not _may_delete(request.user, ds):
        raise NotAllowed(_("Only the person who imported this dataset or an administrator may "
                           "delete it."))
    return render(request, "analytics/dataset_delete.html",
                  {"dataset": ds, "n_runs": ds.runs.count()})


@login_required
def dataset_compare(request: HttpRequest, name: str) -> HttpResponse:
    selectors.require_analytics_viewer(viewer=request.user)
    versions = list(selectors.dataset_list().filter(name=name))  # newest first
    if not versions:
        raise Http404
    by_version = {str(d.version): d for d in versions}
    a = by_version.get(request.GET.get("a") or str(versions[min(1, len(versions) - 1)].version))
    b = by_version.get(request.GET.get("b") or str(versions[0].version))
    if a is None or b is None:
        raise Http404
    result = compare_versions(selectors.dataset_frame(dataset=a),
                              selectors.dataset_frame(dataset=b), a.variables, b.variables)
    for row in result["variables"]:
        row["mean_a_text"], row["mean_b_text"] = (significant(row["mean_a"]),
                                                  significant(row["mean_b"]))
    return render(request, "analytics/dataset_compare.html",
                  {"name": name, "a": a, "b": b, "versions": versions, "result": result})
