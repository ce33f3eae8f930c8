"""Missing cells, impossible values and time columns, checked before any estimate.

Row numbers in messages are spreadsheet rows: the header is row 1, so the first data row is
row 2 (the convention of ``data_io``). They count the rows of the frame as given, in order,
which for a table read from a file are the rows of that file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["MISSING_TOKENS", "ROW_CONVENTION", "check_values", "coerce_time", "missing_report",
           "normalise_missing", "spreadsheet_rows"]

# Cells a spreadsheet user types for "no value" (compared stripped and case-insensitively).
# pandas already reads "", "NA", "n/a", "NaN", "null" as missing; "." (Stata) and "-" it does not.
MISSING_TOKENS = frozenset({"", ".", "-", "--", "—", "na", "n/a", "#n/a", "nan", "null", "none"})
ROW_CONVENTION = "row 1 is the header"
_SHOWN_ROWS = 10
_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def spreadsheet_rows(mask: Sequence[bool] | np.ndarray, *, limit: int = _SHOWN_ROWS) -> str:
    """'rows 3, 7' for the true positions of ``mask`` (header = row 1), the first ``limit``."""
    rows = [int(i) + 2 for i in np.flatnonzero(np.asarray(mask, dtype=bool))]
    shown = ", ".join(map(str, rows[:limit]))
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"{'row' if len(rows) == 1 else 'rows'} {shown}{more}"


def _is_missing_token(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in MISSING_TOKENS


def normalise_missing(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns: missing-value tokens become NaN, and a column whose other cells are all
    numbers becomes numeric (a '.' in a CSV column must not turn the column into text)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s)):
            continue
        s = s.mask(s.map(_is_missing_token)).map(lambda v: v.strip() if isinstance(v, str) else v)
        num = pd.to_numeric(s, errors="coerce")
        out[col] = num if (num.notna() == s.notna()).all() and s.notna().any() else s
    return out


def check_values(df: pd.DataFrame, columns: Sequence[str]) -> None:
    """Refuse a variable that is empty, not numeric or holds inf/-inf, naming column and rows."""
    for col in columns:
        s = df[col]
        if s.isna().all():
            raise ValueError(f"column {col} is empty (all values missing)")
        num = s if pd.api.types.is_numeric_dtype(s) else pd.to_numeric(s, errors="coerce")
        text = num.isna() & s.notna()
        if text.any():
            shown = s[text].iloc[0]
            raise ValueError(f"column {col} must hold numbers; {spreadsheet_rows(text, limit=3)} "
                             f"{'has' if text.sum() == 1 else 'have'} {shown!r} "
                             f"({ROW_CONVENTION})")
        inf = np.isinf(num.to_numpy(dtype=float))
        if inf.any():
            raise ValueError(f"column {col} has infinite values in {spreadsheet_rows(inf)} "
                             f"({ROW_CONVENTION})")


def missing_report(df: pd.DataFrame, columns: Sequence[str], *, name_rows: bool = True
                   ) -> tuple[pd.DataFrame, str | None, int]:
    """Rows complete in ``columns``, a note naming the gaps (None if there were none) and how
    many rows were dropped. Never drops silently: callers put the note in their result.
    ``name_rows=False`` leaves the row numbers out (a frame no longer in the file's order)."""
    cols = list(dict.fromkeys(columns))
    gaps = df[cols].isna()
    incomplete = gaps.any(axis=1).to_numpy()
    n_dropped = int(incomplete.sum())
    if not n_dropped:
        return df, None, 0
    per_column = ", ".join(f"{c} ({int(n)})" for c, n in gaps.sum().items() if n)
    note = f"{n_dropped} of {len(df)} rows dropped for missing values in {per_column}"
    if name_rows:
        note += f": {spreadsheet_rows(incomplete)} ({ROW_CONVENTION})"
    return df[~incomplete], note, n_dropped


def coerce_time(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """A copy of ``df`` whose ``column`` holds integer years: '2011', ' 2011 ', '2011年', 2011.0
    become 2011. Anything else (text, a fraction, an empty cell) is a ValueError naming the row."""
    s = df[column]
    if pd.api.types.is_integer_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return df
    years = []
    for pos, value in enumerate(s.tolist()):
        year = _as_year(value)
        if year is None:
            shown = "an empty cell" if _empty(value) else repr(value)
            raise ValueError(f"column {column} must hold years such as 2011; row {pos + 2} has "
                             f"{shown} ({ROW_CONVENTION})")
        years.append(year)
    out = df.copy()
    out[column] = np.array(years, dtype=np.int64)
    return out


def _empty(value: object) -> bool:
    return value is None or _is_missing_token(value) or (
        isinstance(value, float) and np.isnan(value))


def _as_year(value: object) -> int | None:
    if isinstance(value, bool | np.bool_) or _empty(value):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return int(value) if np.isfinite(value) and float(value).is_integer() else None
    text = str(value).strip().removesuffix("年").strip()
    if _INTEGER_TEXT.fullmatch(text):
        return int(text)
    try:  # '2011.0' from a spreadsheet that stored years as numbers
        number = float(text)
    except ValueError:
        return None
    return int(number) if np.isfinite(number) and number.is_integer() else None
