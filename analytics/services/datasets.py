"""Writes for analytics data: the city table and dataset imports (all or nothing)."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from analytics.errors import ImportRejected
from analytics.limits import import_limits
from analytics.methods import catalogue, data_io
from analytics.methods.cities import load_cities
from analytics.methods.descriptives import interpolate_panel
from analytics.methods.limited import TimeLimitExceeded, run_limited
from analytics.models import City, Dataset, Observation
from synergy.core.errors import Conflict, Invalid, NotAllowed
from synergy.core.models import User
from synergy.core.selectors import user_is_platform_admin

from .access import require_analyst

log = logging.getLogger(__name__)

IMPORT_YEARS = (2000, 2035)
PANEL_YEARS = (2011, 2021)  # the paper's panel: years outside it are imported with a warning

# The import's issues in the reader's language, by ``ImportIssue.code``; params are plain
# ints and strings (see data_io). An issue without a code keeps its English message.
ISSUE_MESSAGES = {
    "empty_file": gettext_lazy("The file is empty: it has no header and no rows."),
    "no_rows": gettext_lazy("The file has a header but no data rows."),
    "layout_unknown": gettext_lazy("Cannot tell the layout: the file needs a 'year' column "
                                   "(long layout), a 'variable' column and year columns, or "
                                   "'<variable>_<year>' columns."),
    "missing_city_column": gettext_lazy("The '%(name)s' column is missing."),
    "bad_header": gettext_lazy("Header '%(name)s' is not a valid column name: use letters, "
                               "digits and underscores, not starting with a digit, at most "
                               "%(max)s characters."),
    "bad_variable_name": gettext_lazy("Variable name '%(name)s' is not valid: use letters, "
                                      "digits and underscores, not starting with a digit, at "
                                      "most %(max)s characters."),
    "long_cell": gettext_lazy("The cell is longer than %(max)s characters."),
    "required_missing": gettext_lazy("Required column %(name)s is missing."),
    "unknown_city": gettext_lazy("Unknown city '%(name)s'."),
    "ambiguous_city": gettext_lazy("The English name '%(name)s' is shared by several cities: "
                                   "add the province, e.g. 'Suzhou (Anhui)'."),
    "year_not_integer": gettext_lazy("Year '%(value)s' is not a whole number."),
    "year_outside": gettext_lazy("Year %(year)s is outside %(first)s-%(last)s."),
    "duplicate": gettext_lazy("%(city)s %(year)s appears twice (first at row %(first_row)s)."),
    "non_numeric": gettext_lazy("'%(value)s' is not a number."),
    "not_finite": gettext_lazy("'%(value)s' is not a finite number."),
    "negative": gettext_lazy("Negative value %(value)s is not allowed for %(name)s."),
    "file_refused": gettext_lazy("The file was refused: %(detail)s"),
    "unreadable": gettext_lazy("The file could not be read: %(detail)s"),
    "unknown_column_suggest": gettext_lazy("%(name)s: did you mean %(suggestion)s? The column "
                                           "is imported as given."),
    "unknown_column": gettext_lazy("%(name)s is not one of the paper's columns; it is imported "
                                   "as given."),
    "years_outside_panel": gettext_lazy("Years %(years)s are outside the paper's panel "
                                        "%(first)s-%(last)s (rows %(rows)s)."),
    "missing_total": ngettext_lazy(
        "%(n)s empty cell: it stays empty unless the import fills it by linear interpolation "
        "within each city.",
        "%(n)s empty cells: they stay empty unless the import fills them by linear "
        "interpolation within each city.", "n"),
    "missing_cells": ngettext_lazy("%(n)s empty cell in %(name)s (row %(rows)s).",
                                   "%(n)s empty cells in %(name)s (rows %(rows)s).", "n"),
}


def issue_message(issue: data_io.ImportIssue) -> str:
    """The issue's sentence in the active language."""
    template = ISSUE_MESSAGES.get(issue.code)
    if template is None:
        return issue.message
    try:
        return str(template % issue.params)
    except (KeyError, TypeError, ValueError):  # a translation with a broken placeholder
        return issue.message


def _issue_dicts(issues: list[data_io.ImportIssue]) -> list[dict]:
    return [{**i.to_dict(), "message": issue_message(i)} for i in issues]


@dataclass
class ImportReport:
    """What a successful import tells its reader: warnings and the gaps filled."""

    warnings: list[dict] = field(default_factory=list)
    interpolated: bool = False
    filled: dict[str, int] = field(default_factory=dict)  # column -> cells filled
    still_missing: dict[str, int] = field(default_factory=dict)  # column -> cells left empty

    @property
    def n_filled(self) -> int:
        return sum(self.filled.values())

    @property
    def n_still_missing(self) -> int:
        return sum(self.still_missing.values())

    def to_dict(self) -> dict:
        """JSON-ready, as the API returns it (``summary`` is the sentence, in the active
        language; each warning has ``row``, ``column``, ``message``, ``code``, ``params``)."""
        return {"warnings": [dict(w) for w in self.warnings], "interpolated": self.interpolated,
                "filled": dict(self.filled), "still_missing": dict(self.still_missing),
                "summary": self.summary()}

    def summary(self) -> str:
        """One sentence on the interpolation (empty when it was not asked for)."""
        if not self.interpolated:
            return ""
        text = ngettext("%(n)d empty cell filled by linear interpolation within each city.",
                        "%(n)d empty cells filled by linear interpolation within each city.",
                        self.n_filled) % {"n": self.n_filled}
        if self.n_still_missing:
            text += " " + ngettext(
                "%(n)d cell stays empty (before a city's first or after its last value).",
                "%(n)d cells stay empty (before a city's first or after its last value).",
                self.n_still_missing) % {"n": self.n_still_missing}
        return text


def _interpolate(frame: pd.DataFrame, variables: list[str]
                 ) -> tuple[pd.DataFrame, dict[str, int], dict[str, int]]:
    """Fill the file's empty cells linearly on the year within each city (Stata ``ipolate``).

    Only the file's rows are kept: a city-year the file lacks is not invented, and cells
    before a city's first or after its last value stay empty.
    """
    cols = [c for c in variables if frame[c].isna().any()]
    if not cols:
        return frame, {}, {}
    filled = interpolate_panel(frame, cols, entity="city", time="year").data
    keys = pd.MultiIndex.from_frame(frame[["city", "year"]])
    values = filled.set_index(["city", "year"]).reindex(keys)[cols].to_numpy()
    out = frame.copy()
    before = out[cols].isna().sum()
    out[cols] = values
    after = out[cols].isna().sum()
    return (out, {c: int(before[c] - after[c]) for c in cols},
            {c: int(after[c]) for c in cols if after[c]})


# ----------------------------------------------------------------------------- cities


def city_table_sync(*, path: str | Path | None = None) -> int:
    """Create the packaged (or a user-edited) city table's missing cities; returns how many.

    Existing rows are left as administrators edited them.
    """
    table = load_cities(path)
    existing = set(City.objects.values_list("adcode", flat=True))
    new = [City(adcode=r.adcode, name_zh=r.name_zh, name_en=r.name_en, province=r.province,
                province_zh=getattr(r, "province_zh", "") or "", region=r.region)
           for r in table.itertuples() if r.adcode not in existing]
    City.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _city_frame() -> pd.DataFrame:
    rows = list(City.objects.values_list("adcode", "name_zh", "name_en", "province", "region"))
    return pd.DataFrame(rows, columns=["adcode", "name_zh", "name_en", "province", "region"])


# ----------------------------------------------------------------------------- datasets


def _copy_limited(upload: Any, out, limit: int, too_big: Exception) -> None:
    """Copy in chunks and stop at ``limit`` bytes, whatever the upload's declared size."""
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(
        lambda: upload.read(1024 * 1024), b"")
    written = 0
    for chunk in chunks:
        written += len(chunk)
        if written > limit:
            raise too_big
        out.write(chunk)


def dataset_import(*, user: User | None, name: str, upload: Any, filename: str = "",
                   synthetic: bool = False, allow_negative: tuple[str, ...] = (),
                   interpolate: bool = False) -> Dataset:
    """Validate a CSV/XLSX upload (long or wide) and store it as the next version of ``name``.

    All or nothing: any bad cell raises ``ImportRejected`` naming every problem by row and
    column, and nothing is written.
    """
    return dataset_import_explained(user=user, name=name, upload=upload, filename=filename,
                                    synthetic=synthetic, allow_negative=allow_negative,
                                    interpolate=interpolate)[0]


def dataset_import_explained(*, user: User | None, name: str, upload: Any, filename: str = "",
                             synthetic: bool = False, allow_negative: tuple[str, ...] = (),
                             interpolate: bool = False) -> tuple[Dataset, ImportReport]:
    """``dataset_import`` with its report: warnings in the reader's language (unknown
    columns with the nearest known name, years outside the paper's panel, empty cells) and,
    with ``interpolate``, the cells filled by linear interpolation within each city."""
    require_analyst(user)
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the dataset a name."), field="name")
    if not City.objects.exists():
        city_table_sync()
    filename = filename or getattr(upload, "name", "") or "upload.csv"
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise Invalid(_("Upload a .csv or .xlsx file."), field="file")
    limits = import_limits()
    too_big = Invalid(_("The file is larger than %(size)s; split it or remove columns.")
                      % {"size": filesizeformat(limits.max_bytes)}, field="file")
    if (getattr(upload, "size", None) or 0) > limits.max_bytes:
        raise too_big
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        if isinstance(upload, (str, Path)):
            with Path(upload).open("rb") as fh:
                _copy_limited(fh, tmp, limits.max_bytes, too_big)
        else:
            _copy_limited(upload, tmp, limits.max_bytes, too_big)
        tmp.flush()
        seconds = settings.ANALYTICS_IMPORT_TIME_LIMIT_SECONDS
        try:  # parsed in a child process killed after the time limit
            result = run_limited(data_io.read_city_year, tmp.name, seconds=seconds,
                                 cities=_city_frame(), years=IMPORT_YEARS,
                                 panel_years=PANEL_YEARS, known=catalogue.variable_names(),
                                 allow_negative=allow_negative, limits=limits)
        except TimeLimitExceeded:
            raise Invalid(_("Reading the file took longer than %(s)d seconds; split it into "
                            "smaller files.") % {"s": seconds}, field="file") from None
        except RuntimeError as exc:
            log.warning("dataset import failed: %s", exc)
            raise Invalid(_("The file could not be read."), field="file") from None
    if not result.ok:
        raise ImportRejected(_issue_dicts(result.errors), total=result.n_errors)
    frame = result.data
    shown = [w for w in result.warnings if not (interpolate and w.code == "missing_total")]
    report = ImportReport(warnings=_issue_dicts(shown), interpolated=interpolate)
    variables = [c for c in frame.columns if c not in data_io.META_COLUMNS]
    if interpolate:
        frame, report.filled, report.still_missing = _interpolate(frame, variables)
    is_synth = synthetic or ("synthetic" in frame.columns)
    ds = dataset_create_from_frame(user=user, name=name, frame=frame, synthetic=is_synth,
                                   source=Path(filename).name, layout=result.layout,
                                   note=report.summary())
    return ds, report


def dataset_create_from_frame(*, user: User | None, name: str, frame: pd.DataFrame,
                              synthetic: bool, source: str = "", layout: str = "long",
                              note: str = "") -> Dataset:
    """Store a validated long frame (``city`` = Chinese name, ``year``, variables)."""
    meta = {"city", "year", "city_en", "province", "region", "synthetic"}
    variables = [c for c in frame.columns if c not in meta]
    cities = dict(City.objects.filter(name_zh__in=frame["city"].unique())
                  .values_list("name_zh", "id"))
    unknown = sorted(set(frame["city"]) - set(cities))
    if unknown:
        raise Invalid(_("Unknown cities: %(names)s") % {"names": ", ".join(unknown[:10])},
                      field="file")
    values = frame[variables].astype(float)
    records = [
        {v: (None if pd.isna(x) else float(x)) for v, x in zip(variables, row, strict=True)}
        for row in values.itertuples(index=False, name=None)]
    try:
        with transaction.atomic():
            last = (Dataset.objects.select_for_update().filter(name=name)
                    .order_by("-version").first())
            ds = Dataset.objects.create(
                name=name, version=(last.version + 1) if last else 1, synthetic=synthetic,
                source=source[:200], layout=layout, variables=variables, n_rows=len(frame),
                note=note, created_by=user)
            Observation.objects.bulk_create(
                [Observation(dataset=ds, city_id=cities[c], year=int(y), values=rec)
                 for c, y, rec in zip(frame["city"], frame["year"], records, strict=True)],
                batch_size=1000)
    except IntegrityError as exc:  # a concurrent import took the same version: try again
        raise Invalid(_("Another import of this dataset finished at the same time; "
                        "please retry."), field="name") from exc
    return ds




def dataset_delete(*, user: User, dataset: Dataset) -> None:
    """Delete one version and its rows: its creator or an administrator, and only while no
    run uses it (a run keeps its dataset: ``Run.dataset`` is PROTECT)."""
    require_analyst(user)
    if dataset.created_by_id != user.pk and not user_is_platform_admin(user=user):
        raise NotAllowed(_("Only the person who imported this dataset or an administrator may "
                           "delete it."))
    try:
        with transaction.atomic():
            dataset.delete()
    except ProtectedError:
        n = dataset.runs.count()
        raise Conflict(ngettext("This dataset is used by %(n)d run; it cannot be deleted.",
                                "This dataset is used by %(n)d runs; it cannot be deleted.",
                                n) % {"n": n}) from None
