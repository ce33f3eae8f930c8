"""Rows of a small CSV or XLSX sheet that a person uploads (a property manager's list of flats),
read with their row numbers as the person sees them in a spreadsheet (the header is row 1).

Columns are found by their header, in either language (`flat`/`房号`, ...); the sheet's other
columns are ignored. Nothing here writes: the caller checks every row, then writes all or none.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from synergy.core.errors import Invalid

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024


class SheetRejected(Invalid):
    """The sheet cannot be imported; `errors` lists every problem as {row, column, message}."""

    def __init__(self, message: str, *, errors: list[dict]):
        super().__init__(message, field="file")
        self.errors = errors


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_("The file is not text in UTF-8 or GBK; save it as CSV UTF-8 or XLSX."),
                  field="file")


def _table(upload) -> list[list[str]]:
    name = str(getattr(upload, "name", "")).lower()
    size = getattr(upload, "size", None) or 0
    if size > MAX_BYTES:
        raise Invalid(_("The sheet is larger than %(mb)d MB.") % {"mb": MAX_BYTES // 1024 // 1024},
                      field="file")
    raw = upload.read()
    if not raw:
        raise Invalid(_("The sheet is empty."), field="file")
    if name.endswith(".csv"):
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(_decode(raw)))]
    if name.endswith(".xlsx"):
        if not raw.startswith(b"PK\x03\x04"):
            raise Invalid(_("The file's content does not match its name (%(ext)s).")
                          % {"ext": ".xlsx"}, field="file")
        try:
            sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
            rows = [["" if v is None else str(v).strip() for v in row]
                    for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
        except Exception:  # a damaged workbook is the person's file, not our error
            raise Invalid(_("The XLSX file could not be read; save it again and retry."),
                          field="file") from None
        return rows
    raise Invalid(_("Upload a .csv or .xlsx file."), field="file")


def sheet_rows(upload, *, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]):
    """[(row number, {column key: text})] for the non-empty rows under the header.

    `columns` maps a key to the header names it may have (any case, either language)."""
    table = _table(upload)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise Invalid(_("The sheet is empty."), field="file")
    header = [h.strip().lower() for h in table[0]]
    where = {}
    for key, names in columns.items():
        found = [i for i, h in enumerate(header) if h in {n.lower() for n in names}]
        if found:
            where[key] = found[0]
    missing = [columns[k][0] for k in required if k not in where]
    if missing:
        raise SheetRejected(_("The sheet has no column %(c)s.") % {"c": ", ".join(missing)},
                            errors=[{"row": 1, "column": c, "message": _("This column is missing.")}
                                    for c in missing])
    body = table[1:]
    if len(body) > MAX_ROWS:
        raise Invalid(_("The sheet has more than %(n)d rows.") % {"n": MAX_ROWS}, field="file")
    out = []
    for offset, row in enumerate(body, start=2):
        values = {k: (row[i] if i < len(row) else "") for k, i in where.items()}
        if any(values.values()):
            out.append((offset, values))
    return out
