"""Which columns of a table can be index indicators when the user names none.

An id or a year is numeric but is no indicator: weighting ``city_id`` or ``year`` into an
entropy or PCA index gives numbers that mean nothing. Such columns are left out by name, or
by their values (whole numbers distinct in every row: a row id; whole numbers between 1900 and
2100 in every row: a year), and every column left out is reported with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["ID_NAMES", "IndicatorChoice", "indicator_columns"]

# Lower-case names of entity, place and time columns in city-year tables.
ID_NAMES = frozenset({
    "id", "code", "adcode", "city", "city_id", "city_code", "city_name", "name", "name_zh",
    "name_en", "region", "province", "province_id", "province_code", "prefecture", "county",
    "district", "entity", "unit", "year", "time", "t", "period", "date", "month", "quarter",
    "synthetic",
})
YEAR_RANGE = (1900, 2100)


@dataclass
class IndicatorChoice:
    columns: list[str]
    excluded: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        return [f"left out {c}: {self.reasons[c]}" for c in self.excluded]


def _whole_numbers(s: pd.Series) -> np.ndarray | None:
    """The filled cells as int64 if every one is a whole number, else None."""
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        return None
    if pd.api.types.is_integer_dtype(s):
        return s.to_numpy(dtype=np.int64)
    x = s.to_numpy(dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0 or not np.isfinite(x).all() or (x != np.round(x)).any():
        return None
    return x.astype(np.int64)


def _reason(name: str, s: pd.Series, exclude: set[str]) -> str | None:
    if name in exclude:
        return "--exclude"
    if name == "synthetic":
        return "the synthetic-data marker"
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        return "not numeric"
    low = name.lower()
    if low in ID_NAMES or low.endswith(("_id", "_code")):
        return "named like an id, place or time column"
    whole = _whole_numbers(s)
    if whole is None or len(whole) == 0:
        return None
    lo, hi = YEAR_RANGE
    if ((whole >= lo) & (whole <= hi)).all():
        return f"whole numbers between {lo} and {hi} in every row: looks like a year"
    if len(whole) > 1 and len(np.unique(whole)) == len(whole):
        return "whole numbers, a different one in every row: looks like a row id"
    return None


def indicator_columns(df: pd.DataFrame, *, exclude: Sequence[str] = ()) -> IndicatorChoice:
    """Every column that can be an indicator, and the others with the reason they are not."""
    unknown = [c for c in exclude if c not in df.columns]
    if unknown:
        raise ValueError(f"--exclude names column(s) not in data: {', '.join(unknown)}")
    choice = IndicatorChoice(columns=[])
    for col in df.columns:
        why = _reason(str(col), df[col], set(exclude))
        if why is None:
            choice.columns.append(col)
        else:
            choice.excluded.append(col)
            choice.reasons[col] = why
    return choice
