"""Every run's files: its tables in CSV, XLSX, LaTeX and HTML, its charts, ``summary.json``,
the command and the snippet that reproduce it, and one zip of everything.

Per table ``name`` (a ``journal_table`` dict):

- ``name.csv``: the numbers as numbers, one row per model and term at full precision
  (``numbers_frame``); ``name_formatted.csv``: the table as a journal prints it. Two files
  rather than one, so that ``pd.read_csv(path, comment="#")`` reads the numbers back as a
  clean frame. Both end with an empty row and the notes, one per row: ``#`` in the first cell,
  the note in the second. UTF-8 with a BOM, so that Excel opens Chinese text correctly.
- ``name.xlsx``: sheet 1 the numbers as numeric cells (16 significant digits: openpyxl's
  writer; Excel shows 15; the CSV keeps every bit), sheet 2 the formatted table with the
  notes under it, sheet 3 the statistics (N, clusters, R², F ...) at full precision.
- ``name.tex`` and ``name.html`` (``render_latex`` / ``render_html``), notes under the table.

The notes under each table are ``standard_notes`` (parentheses, star thresholds, SE
convention, in ``texts``' language) followed by the run's ``notes`` (the SYNTHETIC mark ...).
``texts`` may also name the sheets (``sheet_numbers``, ``sheet_table``, ``sheet_stats``) and
the numbers' column headers (``column_model``, ``column_estimate`` ...).
"""

from __future__ import annotations

import csv
import html
import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from safecell import safe_cell, safe_row

from .journal import formatted_frame, render_html, render_latex, row_label, standard_notes
from .jsonfloat import finite_or_none, jsonable

__all__ = ["NUMBER_COLUMNS", "write_run_exports", "write_tables", "write_zip"]

NUMBER_COLUMNS = ("model", "term", "label", "estimate", "std_error", "t", "p", "nobs")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_CHART_SUFFIXES = (".png", ".svg")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same run gives the same zip listing


def _plain_name(name: str, what: str) -> str:
    if not isinstance(name, str) or not _PLAIN_NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"{what} name {name!r} is not a plain file name "
                         "(letters, digits, '.', '_' and '-'; no folder)")
    return name


def _number_rows(table: dict, labels: Mapping[str, str], texts: Mapping[str, str]) -> list[list]:
    grid = table.get("grid")
    if grid:  # a table of values (eigenvalues, descriptives): its own columns, every digit
        return [[row_label({"key": key, "role": "value"}, labels, texts), *values]
                for key, values in zip(grid["index"], grid["data"])]
    rows = []
    for item in table["numbers"]:
        row = {**item, "label": row_label({"key": item["term"], "role": "coef"}, labels, texts)}
        rows.append([row.get(c) for c in NUMBER_COLUMNS])
    return rows


def _header(table: dict, labels: Mapping[str, str], texts: Mapping[str, str]) -> list[str]:
    if table.get("grid"):
        return list(formatted_frame(table, labels=labels, texts=texts).reset_index().columns)
    return [texts.get(f"column_{c}", c) for c in NUMBER_COLUMNS]


def _csv_cell(value):
    """Numbers stay numbers (the csv module writes a float's full ``repr``); None, NaN and
    infinity become empty cells."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if finite_or_none(value) is None else value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return safe_cell(str(value))


def _write_csv(path: Path, header: list[str], rows: list[list], notes: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(safe_row(header))
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        if notes:
            writer.writerow([])
            # "#" alone in the first cell: outside any quotes, so comment="#" skips the line
            # even when the note holds a comma and is quoted.
            writer.writerows(["#", safe_cell(note)] for note in notes)


def _xlsx_value(value):
    if isinstance(value, int | float) and not isinstance(value, bool):
        return finite_or_none(value) if isinstance(value, float) else value
    return safe_cell(value)


def _write_xlsx(path: Path, *, table: dict, labels: Mapping[str, str], texts: Mapping[str, str],
                title: str, notes: Sequence[str]) -> None:
    wb = Workbook()
    bold = Font(bold=True)
    numbers = wb.active
    numbers.title = texts.get("sheet_numbers", "numbers")[:31]
    numbers.append(safe_row(_header(table, labels, texts)))
    for row in _number_rows(table, labels, texts):
        numbers.append([_xlsx_value(v) for v in row])
    for cell in numbers[1]:
        cell.font = bold
    _append_notes(numbers, notes)

    formatted = wb.create_sheet(texts.get("sheet_table", "table")[:31])
    if title:
        formatted.append([safe_cell(title)])
        formatted.cell(row=1, column=1).font = bold
    frame = formatted_frame(table, labels=labels, texts=texts)
    formatted.append(safe_row([frame.index.name or "", *frame.columns]))
    for cell in formatted[formatted.max_row]:
        cell.font = bold
    for label, cells in frame.iterrows():
        formatted.append(safe_row([label, *cells]))
        for cell in formatted[formatted.max_row][1:]:
            cell.alignment = Alignment(horizontal="center")
    formatted.column_dimensions["A"].width = 24
    _append_notes(formatted, notes)

    stats = wb.create_sheet(texts.get("sheet_stats", "stats")[:31])
    stats.append(safe_row([texts.get("column_model", "model"), texts.get("column_key", "key"),
                           texts.get("column_value", "value")]))
    for item in table.get("stats", []):
        value = item["value"]
        values = value if isinstance(value, list) else [value]  # two-way clusters: two counts
        stats.append([safe_cell(item["model"]), safe_cell(item["key"]),
                      *[_xlsx_value(v) for v in values]])
    wb.save(path)


def _append_notes(sheet, notes: Sequence[str]) -> None:
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([safe_cell(note)])


# A file opened on its own needs its charset (or Chinese shows as mojibake) and a few rules.
_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
table.journal {{ border-collapse: collapse; font-family: sans-serif; }}
table.journal th, table.journal td {{ padding: 0.2em 0.8em; text-align: center; }}
table.journal th[scope=row] {{ text-align: left; font-weight: normal; }}
table.journal thead, table.journal tr.rule {{ border-top: 1px solid; }}
table.journal thead tr {{ border-bottom: 1px solid; }}
table.journal tbody tr:last-child {{ border-bottom: 1px solid; }}
table.journal .notes {{ text-align: left; font-size: 0.85em; }}
</style>
</head>
<body>
{table}</body>
</html>
"""


def _html_page(table_html: str, *, title: str) -> str:
    return _PAGE.format(title=html.escape(title), table=table_html)


def _write_table(out: Path, name: str, *, table: dict, labels: Mapping[str, str],
                 texts: Mapping[str, str], title: str, notes: Sequence[str]) -> list[str]:
    frame = formatted_frame(table, labels=labels, texts=texts)
    _write_csv(out / f"{name}.csv", _header(table, labels, texts),
               _number_rows(table, labels, texts), notes)
    _write_csv(out / f"{name}_formatted.csv", [frame.index.name or "", *frame.columns],
               [[label, *cells] for label, cells in frame.iterrows()], notes)
    _write_xlsx(out / f"{name}.xlsx", table=table, labels=labels, texts=texts, title=title,
                notes=notes)
    (out / f"{name}.tex").write_text(
        render_latex(table, labels=labels, texts=texts, title=title, notes=notes),
        encoding="utf-8")
    (out / f"{name}.html").write_text(
        _html_page(render_html(table, labels=labels, texts=texts, title=title,
                               caption_notes=notes), title=title or name), encoding="utf-8")
    return [f"{name}.csv", f"{name}_formatted.csv", f"{name}.xlsx", f"{name}.tex",
            f"{name}.html"]


def write_tables(out_dir, *, tables: Mapping[str, dict], labels: Mapping[str, str] | None = None,
                 texts: Mapping[str, str] | None = None, titles: Mapping[str, str] | None = None,
                 notes: Sequence[str] = (),
                 table_notes: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Write each table's CSV, formatted CSV, XLSX, LaTeX and HTML into ``out_dir``; returns
    the file names. Under each table: ``standard_notes``, its own ``table_notes[name]``, then
    ``notes``."""
    labels, texts, titles = dict(labels or {}), dict(texts or {}), dict(titles or {})
    for name in tables:
        _plain_name(name, "table")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for name, table in tables.items():
        under = [*standard_notes(table, texts=texts), *(table_notes or {}).get(name, ()), *notes]
        written += _write_table(out, name, table=table, labels=labels, texts=texts,
                                title=titles.get(name, ""), notes=under)
    return written


def write_run_exports(out_dir, *, tables: Mapping[str, dict], labels: Mapping[str, str] | None = None,
                      texts: Mapping[str, str] | None = None,
                      titles: Mapping[str, str] | None = None, notes: Sequence[str] = (),
                      summary: dict, reproduce: Mapping[str, str],
                      charts: Mapping[str, bytes] | None = None) -> list[str]:
    """Write every file of a run into ``out_dir``; returns their names relative to it, in the
    order they are zipped, ``all.zip`` last.

    ``reproduce["cli"]`` is the exact ``python manage.py analytics ...`` command (quoted by the
    caller) and ``reproduce["python"]`` a short snippet; ``charts`` maps a file name ending in
    ``.png`` or ``.svg`` to its bytes. A table or chart name that is not a plain file name, or
    two files with one name, is refused (ValueError) before anything is written.
    """
    labels, texts, titles, charts = dict(labels or {}), dict(texts or {}), dict(titles or {}), \
        dict(charts or {})
    for key in ("cli", "python"):
        if not isinstance(reproduce.get(key), str) or not reproduce[key].strip():
            raise ValueError(f"reproduce[{key!r}] must be the text that reproduces the run")
    planned: list[str] = []
    for name in tables:
        _plain_name(name, "table")
        planned += [f"{name}.csv", f"{name}_formatted.csv", f"{name}.xlsx", f"{name}.tex",
                    f"{name}.html"]
    planned += ["summary.json", "reproduce.sh", "reproduce.py"]
    for name in charts:
        _plain_name(name, "chart")
        if not name.lower().endswith(_CHART_SUFFIXES):
            raise ValueError(f"chart name {name!r} must end in .png or .svg")
        planned.append(name)
    duplicates = sorted({n for n in planned if planned.count(n) > 1} | ({"all.zip"} & set(planned)))
    if duplicates:
        raise ValueError(f"two files of the run would be named {', '.join(duplicates)}")

    out = Path(out_dir)
    written = write_tables(out, tables=tables, labels=labels, texts=texts, titles=titles,
                           notes=notes)
    (out / "summary.json").write_text(
        json.dumps(jsonable(summary), allow_nan=False, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    (out / "reproduce.sh").write_text(
        "#!/bin/sh\n# Reproduces this run from the project's root folder.\nset -e\n"
        + reproduce["cli"].strip() + "\n", encoding="utf-8")
    (out / "reproduce.sh").chmod(0o755)
    (out / "reproduce.py").write_text(reproduce["python"].strip() + "\n", encoding="utf-8")
    written += ["summary.json", "reproduce.sh", "reproduce.py"]
    for name, data in charts.items():
        (out / name).write_bytes(bytes(data))
        written.append(name)

    write_zip(out, written)
    return [*written, "all.zip"]


def write_zip(out_dir, names: Sequence[str], *, zip_name: str = "all.zip") -> str:
    """Zip the files ``names`` of ``out_dir`` into ``zip_name`` there (fixed timestamps: the
    same run gives the same listing); returns ``zip_name``."""
    out = Path(out_dir)
    with zipfile.ZipFile(out / zip_name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            zf.writestr(info, (out / name).read_bytes())
    return zip_name
