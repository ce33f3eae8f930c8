"""Read and validate city-year data from CSV/XLSX (long or wide). Pure pandas.

Every problem is reported with the spreadsheet row (header = row 1) and the column name; if
there is any error, no data is returned (never partial data). Each issue carries a ``code`` and
plain ``params`` (ints and strings, never numpy scalars) beside its English ``message``, so the
web app can say the same thing in the reader's language.

Layouts:
- long: columns ``city``, ``year`` and one column per variable;
- wide (variable rows): columns ``city``, ``variable`` and one column per year (``2011`` ...);
- wide (suffixed): column ``city`` and columns ``<variable>_<year>`` (e.g. ``Ur_2011``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .cities import load_cities
from .formula import MAX_NAME_LENGTH, is_valid_name
from .import_issues import META_COLUMNS, ImportIssue, import_warnings, plain_number, row_list
from .missing import MISSING_TOKENS

__all__ = ["ImportIssue", "ImportLimits", "ImportResult", "LimitExceeded", "META_COLUMNS",
           "check_file", "plain_number", "read_city_year", "read_frame", "row_list",
           "validate_city_year"]

_YEAR_COL = re.compile(r"^\d{4}$")
_SUFFIX_COL = re.compile(r"^(?P<var>.+)_(?P<year>\d{4})$")


@dataclass(frozen=True)
class ImportLimits:
    """Bounds on an uploaded table (issue 11.6); the web app reads them from settings."""

    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 100_000
    max_columns: int = 300
    max_cell_chars: int = 200
    max_xlsx_uncompressed: int = 100 * 1024 * 1024
    max_issues: int = 100


DEFAULT_LIMITS = ImportLimits()


class LimitExceeded(ValueError):
    """The file breaks a limit; checked before the file is parsed where possible."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_file(path: str | Path, limits: ImportLimits = DEFAULT_LIMITS) -> None:
    """Refuse a file that is too big, or an XLSX whose members expand past the limit, before
    any parser opens it (a 70 KB zip bomb must not reach openpyxl)."""
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise LimitExceeded(f"the file is {_mb(size)}; the limit is {_mb(limits.max_bytes)}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return
    if not zipfile.is_zipfile(path):
        raise LimitExceeded("the file is not a valid .xlsx workbook")
    with zipfile.ZipFile(path) as zf:
        members = zf.infolist()
        if len(members) > 10_000:
            raise LimitExceeded(f"the workbook has {len(members)} parts; the limit is 10000")
        total = sum(m.file_size for m in members)
    # zipfile never inflates a member past its declared size, so this bound holds for openpyxl.
    if total > limits.max_xlsx_uncompressed:
        raise LimitExceeded(f"the workbook expands to {_mb(total)} when unpacked; the limit is "
                            f"{_mb(limits.max_xlsx_uncompressed)}")


class _Issues(list):
    """Keeps the first ``cap`` problems and counts the rest."""

    def __init__(self, cap: int):
        super().__init__()
        self.cap = cap
        self.total = 0

    def append(self, issue) -> None:  # noqa: D102
        self.total += 1
        if len(self) < self.cap:
            super().append(issue)

    @property
    def full(self) -> bool:
        return self.total >= self.cap


@dataclass
class ImportResult:
    data: pd.DataFrame | None
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    layout: str = ""
    n_errors: int = 0  # every problem found; ``errors`` keeps the first ``max_issues``

    def __post_init__(self) -> None:
        self.n_errors = max(self.n_errors, getattr(self.errors, "total", 0), len(self.errors))
        self.errors = list(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {"ok": self.ok, "layout": self.layout,
                "n_rows": 0 if self.data is None else int(len(self.data)),
                "n_errors": int(self.n_errors),
                "errors": [e.to_dict() for e in self.errors],
                "warnings": [w.to_dict() for w in self.warnings]}


def _csv_columns(path: Path) -> int:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        head = fh.readline(4 * 1024 * 1024)
    return len(next(csv.reader(io.StringIO(head)), []))


def read_frame(source: str | Path | pd.DataFrame, *, sheet: str | int = 0, dtype=object,
               limits: ImportLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    """A CSV/XLSX file (or a frame) as a DataFrame within ``limits``: size and unpacked size
    checked before parsing, at most ``max_rows`` rows read, ``max_columns`` columns."""
    if isinstance(source, pd.DataFrame):
        df = source.copy()
    else:
        path = Path(source)
        check_file(path, limits)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, sheet_name=sheet, dtype=dtype, engine="openpyxl",
                               nrows=limits.max_rows + 1)
        else:
            if _csv_columns(path) > limits.max_columns:
                raise LimitExceeded(f"more than {limits.max_columns} columns")
            kw = {"dtype": str, "keep_default_na": False} if dtype is object else {}
            df = pd.read_csv(path, encoding="utf-8-sig", nrows=limits.max_rows + 1, **kw)
    if len(df) > limits.max_rows:
        raise LimitExceeded(f"more than {limits.max_rows} rows")
    if df.shape[1] > limits.max_columns:
        raise LimitExceeded(f"{df.shape[1]} columns; the limit is {limits.max_columns}")
    return df


def _read(source: str | Path | pd.DataFrame, sheet: str | int,
          limits: ImportLimits = DEFAULT_LIMITS) -> pd.DataFrame:
    return read_frame(source, sheet=sheet, limits=limits)


def _header_issues(df: pd.DataFrame, lay: str, city: str, issues: list) -> None:
    """Every header is a column name (an identifier), or a year / '<name>_<year>' column of
    the wide layouts; the variable names of the 'variable' layout likewise."""
    rule = (f"is not a valid column name: use letters, digits and underscores, not starting "
            f"with a digit or '__', at most {MAX_NAME_LENGTH} characters")
    for c in df.columns:
        name = str(c)
        if lay == "wide-variable" and _YEAR_COL.match(name):
            continue
        m = _SUFFIX_COL.match(name) if lay == "wide-suffix" else None
        if not is_valid_name(m["var"] if m else name):
            issues.append(ImportIssue(1, name[:80], f"header {name[:80]!r} {rule}",
                                      "bad_header", {"name": name[:80],
                                                     "max": MAX_NAME_LENGTH}))
    if lay == "wide-variable" and "variable" in df.columns:
        for i, v in df["variable"].items():
            var = "" if pd.isna(v) else str(v).strip()
            if not is_valid_name(var):
                issues.append(ImportIssue(int(i) + 2, "variable",
                                          f"variable name {var[:80]!r} {rule}",
                                          "bad_variable_name",
                                          {"name": var[:80], "max": MAX_NAME_LENGTH}))


def _cell_issues(df: pd.DataFrame, limits: ImportLimits, issues: list) -> None:
    for c in df.columns:
        col = df[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col)):
            continue
        lengths = col.map(lambda v: len(v) if isinstance(v, str) else 0)
        for pos in np.flatnonzero(lengths.to_numpy() > limits.max_cell_chars):
            issues.append(ImportIssue(int(pos) + 2, str(c)[:80],
                                      f"cell longer than {limits.max_cell_chars} characters",
                                      "long_cell", {"max": int(limits.max_cell_chars)}))
            if issues.full:
                return


def _detect(df: pd.DataFrame) -> str:
    cols = [str(c).strip() for c in df.columns]
    if "year" in cols:
        return "long"
    if "variable" in cols and any(_YEAR_COL.match(c) for c in cols):
        return "wide-variable"
    if any(_SUFFIX_COL.match(c) for c in cols):
        return "wide-suffix"
    return "unknown"


def _to_long(df: pd.DataFrame, layout: str, city: str) -> tuple[pd.DataFrame, pd.Series,
                                                               dict[tuple[int, str], str]]:
    """Long frame, the source row of each long row, and source column for (long row, var)."""
    if layout == "long":
        src_row = pd.Series(np.arange(len(df)) + 2, index=df.index)
        return df, src_row, {}
    recs, rows, colmap = [], [], {}
    if layout == "wide-variable":
        years = [c for c in df.columns if _YEAR_COL.match(str(c).strip())]
        cell: dict[tuple, tuple] = {}
        for i, r in df.iterrows():
            for y in years:
                key = (r[city], str(y).strip())
                cell.setdefault(key, {})[str(r["variable"]).strip()] = (r[y], i + 2, str(y))
        for (c, y), vals in cell.items():
            rec = {city: c, "year": y}
            for var, (v, row, col) in vals.items():
                rec[var] = v
                colmap[(len(recs), var)] = f"{col} (row {row}, variable {var})"
            recs.append(rec)
            rows.append(min(v[1] for v in vals.values()))
    else:
        groups: dict[str, list[tuple[str, str]]] = {}
        for c in df.columns:
            m = _SUFFIX_COL.match(str(c).strip())
            if m:
                groups.setdefault(m["year"], []).append((m["var"], c))
        for i, r in df.iterrows():
            for y, pairs in sorted(groups.items()):
                rec = {city: r[city], "year": y}
                for var, col in pairs:
                    rec[var] = r[col]
                    colmap[(len(recs), var)] = str(col)
                recs.append(rec)
                rows.append(i + 2)
    out = pd.DataFrame(recs)
    return out, pd.Series(rows, index=out.index), colmap


def validate_city_year(
    df: pd.DataFrame,
    *,
    city: str = "city",
    layout: Literal["auto", "long", "wide-variable", "wide-suffix"] = "auto",
    cities: pd.DataFrame | str | Path | None = None,
    years: tuple[int, int] = (2011, 2021),
    panel_years: tuple[int, int] | None = None,
    known: Sequence[str] | None = None,
    allow_negative: Sequence[str] = (),
    required: Sequence[str] = (),
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """Validate a city-year table already in memory (see ``read_city_year``).

    ``years`` bounds are errors; years inside them but outside ``panel_years`` (the paper's
    2011-2021) are a warning naming the rows. With ``known`` (the catalogue's names), every
    other measured column is a warning with the nearest known name: extra columns are
    legitimate (a user's own indicator), a typo is worth a question.
    """
    errors = _Issues(limits.max_issues)
    if df.shape[1] == 0:
        return ImportResult(None, [ImportIssue(None, None, "the file is empty", "empty_file")])
    if len(df) == 0:
        return ImportResult(None, [ImportIssue(None, None, "the file has a header but no data "
                                               "rows", "no_rows")])
    df = df.rename(columns=lambda c: str(c).strip())
    lay = _detect(df) if layout == "auto" else layout
    if lay == "unknown":
        return ImportResult(None, [ImportIssue(1, None, "cannot tell the layout: need a 'year'"
                                               " column (long), 'variable' + year columns, or "
                                               "'<variable>_<year>' columns",
                                               "layout_unknown")], layout=lay)
    if city not in df.columns:
        return ImportResult(None, [ImportIssue(1, city, "missing city column",
                                               "missing_city_column", {"name": city})],
                            layout=lay)
    _header_issues(df, lay, city, errors)
    _cell_issues(df, limits, errors)
    if errors:  # names are checked before anything is built from them
        return ImportResult(None, errors, layout=lay)
    long, src_row, colmap = _to_long(df, lay, city)
    missing = [c for c in required if c not in long.columns]
    for c in missing:
        errors.append(ImportIssue(1, c, "required column missing", "required_missing",
                                  {"name": c}))
    # Cities: accept Chinese name, English name (if unique) or adcode; map to name_zh.
    ct = cities if isinstance(cities, pd.DataFrame) else load_cities(cities)
    lookup = dict(zip(ct["name_zh"], ct["name_zh"]))
    lookup.update(dict(zip(ct["adcode"].astype(str), ct["name_zh"])))
    lookup.update({n.removesuffix("市"): z for n, z in zip(ct["name_zh"], ct["name_zh"])})
    en = ct["name_en"].value_counts()
    lookup.update({n: z for n, z in zip(ct["name_en"], ct["name_zh"]) if en[n] == 1})
    lookup.update({f"{n} ({p})": z for n, p, z in zip(ct["name_en"], ct["province"],
                                                       ct["name_zh"])})
    canon = []
    for i, v in long[city].items():
        key = "" if pd.isna(v) else str(v).strip()
        if key.endswith(".0") and key[:-2].isdigit():
            key = key[:-2]
        name = lookup.get(key)
        if name is None:
            ambiguous = key in en.index
            hint = " (ambiguous English name: add the province, e.g. 'Suzhou (Anhui)')" if (
                ambiguous) else ""
            errors.append(ImportIssue(int(src_row[i]), city, f"unknown city {key!r}{hint}",
                                      "ambiguous_city" if ambiguous else "unknown_city",
                                      {"name": key}))
        canon.append(name)
    long[city] = canon
    # Years.
    yr = pd.to_numeric(long["year"].astype(str).str.strip(), errors="coerce")
    for i in long.index[yr.isna() | (yr % 1 != 0)]:
        errors.append(ImportIssue(int(src_row[i]), "year",
                                  f"year {long.at[i, 'year']!r} is not an integer",
                                  "year_not_integer", {"value": str(long.at[i, "year"])}))
    bad = yr.notna() & ((yr < years[0]) | (yr > years[1]))
    for i in long.index[bad]:
        errors.append(ImportIssue(int(src_row[i]), "year",
                                  f"year {plain_number(yr[i])} outside {years[0]}-{years[1]}",
                                  "year_outside", {"year": plain_number(yr[i]),
                                                   "first": int(years[0]),
                                                   "last": int(years[1])}))
    long["year"] = yr
    # Duplicates (only among rows with a known city and a valid year).
    ok = long[city].notna() & yr.notna()
    first_at: dict[tuple, int] = {}  # one pass: a duplicate costs O(1), not a scan
    for i, c, y in zip(long.index[ok], long.loc[ok, city], yr[ok], strict=True):
        if (c, y) in first_at:
            first = int(src_row[first_at[(c, y)]])
            errors.append(ImportIssue(int(src_row[i]), city,
                                      f"duplicate city-year {c} {int(y)} (first at row {first})",
                                      "duplicate", {"city": str(c), "year": int(y),
                                                    "first_row": first}))
        else:
            first_at[(c, y)] = i
    # Values.
    value_cols = [c for c in long.columns if c not in (city, "year")]
    for c in value_cols:
        raw = long[c]
        txt = raw.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v))
                      else str(v).strip())
        txt = txt.mask(txt.str.lower().isin(MISSING_TOKENS), "")  # '.', '-', 'n/a': a gap
        num = pd.to_numeric(txt.str.replace(",", "", regex=False).replace("", np.nan),
                            errors="coerce")
        for i in long.index[num.isna() & (txt != "")]:
            col = colmap.get((i, c), c)
            errors.append(ImportIssue(int(src_row[i]), col, f"non-numeric value {txt[i]!r}",
                                      "non_numeric", {"value": txt[i]}))
        for i in long.index[num.notna() & ~np.isfinite(num)]:  # 'inf', '1e400': JSON has none
            col = colmap.get((i, c), c)
            errors.append(ImportIssue(int(src_row[i]), col, f"{txt[i]!r} is not a finite number",
                                      "not_finite", {"value": txt[i]}))
        num = num.where(np.isfinite(num) | num.isna())
        if c not in allow_negative:
            for i in long.index[num < 0]:
                col = colmap.get((i, c), c)
                value = plain_number(num[i])
                errors.append(ImportIssue(int(src_row[i]), col,
                                          f"negative value {value} not allowed for {c}",
                                          "negative", {"value": value, "name": c}))
        long[c] = num
    if errors:
        return ImportResult(None, errors, layout=lay)
    warn = import_warnings(long, src_row, value_cols, panel_years=panel_years, known=known)
    long["year"] = long["year"].astype(int)
    long = long.sort_values([city, "year"]).reset_index(drop=True)
    return ImportResult(long, [], warn, layout=lay)


def read_city_year(
    source: str | Path | pd.DataFrame,
    *,
    sheet: str | int = 0,
    **kwargs,
) -> ImportResult:
    """Read CSV/XLSX city-year data (long or wide) and validate it.

    Returns ``ImportResult`` with ``data`` (long frame: city (Chinese name), year, variables)
    only when there are no errors; otherwise ``errors`` names the row and column of each.
    """
    limits = kwargs.get("limits", DEFAULT_LIMITS)
    try:
        df = _read(source, sheet, limits)
    except LimitExceeded as exc:
        return ImportResult(None, [ImportIssue(None, None, f"file refused: {exc}",
                                               "file_refused", {"detail": str(exc)})])
    except pd.errors.EmptyDataError:  # not a byte of data, or only blank lines
        return ImportResult(None, [ImportIssue(None, None, "the file is empty", "empty_file")])
    except Exception as exc:  # unreadable file: one error, no data
        first = (str(exc).splitlines() or [exc.__class__.__name__])[0][:200]
        return ImportResult(None, [ImportIssue(None, None, f"cannot read file: {first}",
                                               "unreadable", {"detail": first})])
    return validate_city_year(df, **kwargs)
