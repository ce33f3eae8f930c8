"""The issues of an import (``data_io``) and the warnings a valid file still deserves.

Each issue carries a ``code`` and plain ``params`` (ints and strings, never numpy scalars)
beside its English ``message``: the web app says the same thing in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from .catalogue import nearest_name

__all__ = ["META_COLUMNS", "ImportIssue", "import_warnings", "plain_number", "row_list"]

# Columns that describe the city or the data rather than measure something.
META_COLUMNS = frozenset({"city", "year", "city_en", "province", "region", "synthetic"})
_SHOWN_ROWS = 10


def plain_number(x: object) -> str:
    """A number as a reader writes it: '-3', '0.25', never 'np.float64(-3.0)'."""
    v = float(x)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def row_list(rows: Sequence[int], limit: int = _SHOWN_ROWS) -> str:
    """'3, 7, 9' for the first ``limit`` rows, '…' when there are more."""
    shown = ", ".join(str(int(r)) for r in list(rows)[:limit])
    return shown + (", …" if len(rows) > limit else "")


@dataclass
class ImportIssue:
    row: int | None  # spreadsheet row, header is row 1
    column: str | None
    message: str
    code: str = ""  # what went wrong, for a translated message (see services.datasets)
    params: dict = field(default_factory=dict)  # plain ints and strings

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message,
                "code": self.code, "params": dict(self.params)}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where) or 'file'}: {self.message}"


def import_warnings(long: pd.DataFrame, src_row: pd.Series, value_cols: list[str], *,
                    panel_years: tuple[int, int] | None = None,
                    known: Sequence[str] | None = None) -> list[ImportIssue]:
    """What a valid file should still tell its reader: unknown columns, years outside the
    panel, empty cells (per column, with their first rows)."""
    warn = []
    if known is not None:
        candidates = [k for k in known if k not in value_cols]
        for c in value_cols:
            if c in known or c in META_COLUMNS:
                continue
            guess = nearest_name(c, candidates)
            if guess:
                warn.append(ImportIssue(1, c, f"{c}: did you mean {guess}? The column is "
                                              "imported as given", "unknown_column_suggest",
                                        {"name": c, "suggestion": guess}))
            else:
                warn.append(ImportIssue(1, c, f"{c} is not one of the paper's columns; it is "
                                              "imported as given", "unknown_column",
                                        {"name": c}))
    if panel_years is not None:
        yr = long["year"]
        outside = ((yr < panel_years[0]) | (yr > panel_years[1])).to_numpy()
        if outside.any():
            years = sorted({int(y) for y in yr[outside]})
            rows = sorted(int(r) for r in src_row[outside])
            shown = ", ".join(map(str, years))
            warn.append(ImportIssue(None, "year", f"years {shown} are outside the paper's panel "
                                                  f"{panel_years[0]}-{panel_years[1]} (rows "
                                                  f"{row_list(rows)})", "years_outside_panel",
                                    {"years": shown, "rows": row_list(rows), "n": len(rows),
                                     "first": int(panel_years[0]),
                                     "last": int(panel_years[1])}))
    gaps = long[value_cols].isna()
    n_missing = int(gaps.to_numpy().sum())
    if n_missing:
        warn.append(ImportIssue(None, None, f"{n_missing} empty cell(s); interpolate before "
                                            "building indices", "missing_total",
                                {"n": n_missing}))
        for c in value_cols:
            mask = gaps[c].to_numpy()
            if mask.any():
                rows = sorted(int(r) for r in src_row[mask])
                warn.append(ImportIssue(None, c, f"{len(rows)} empty cell(s) in {c}: rows "
                                                 f"{row_list(rows)}", "missing_cells",
                                        {"n": len(rows), "name": c, "rows": row_list(rows)}))
    return warn
