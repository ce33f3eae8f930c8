"""Descriptive statistics (Table 4) and panel interpolation of missing values (METHODS section 8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["descriptives", "interpolate_panel", "InterpolationResult"]


def descriptives(df: pd.DataFrame, columns: Sequence[str] | None = None, *,
                 decimals: int = 4) -> pd.DataFrame:
    """count, mean, sd (ddof=1), min, max per column, rounded to ``decimals`` places."""
    cols = list(columns) if columns is not None else list(df.select_dtypes("number").columns)
    rows = {}
    for c in cols:
        s = pd.to_numeric(df[c], errors="raise").dropna()
        rows[c] = {"count": int(s.size), "mean": s.mean(), "sd": s.std(ddof=1),
                   "min": s.min(), "max": s.max()}
    out = pd.DataFrame(rows).T[["count", "mean", "sd", "min", "max"]]
    out[["mean", "sd", "min", "max"]] = out[["mean", "sd", "min", "max"]].astype(float).round(
        decimals)
    out["count"] = out["count"].astype(int)
    out.index.name = "variable"
    return out


@dataclass
class InterpolationResult:
    data: pd.DataFrame
    filled: dict[str, int]
    still_missing: dict[str, int]
    added_rows: int
    method: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"filled": self.filled, "still_missing": self.still_missing,
                "added_rows": self.added_rows, "method": self.method, "notes": self.notes}


def interpolate_panel(
    df: pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    entity: str = "city",
    time: str = "year",
    years: Sequence[int] | None = None,
    edges: Literal["missing", "nearest", "extrapolate"] = "missing",
) -> InterpolationResult:
    """Linear interpolation within each entity on the year value (Stata ``ipolate``).

    The panel is first reindexed to the full entity x year grid (so a missing year becomes a
    row to fill). Edges stay missing by default; ``nearest`` copies the closest observed
    value, ``extrapolate`` extends the line through the two nearest observed points.
    """
    if df.duplicated([entity, time]).any():
        raise ValueError("duplicate entity-year rows; cannot interpolate")
    cols = list(columns) if columns is not None else [
        c for c in df.select_dtypes("number").columns if c not in (entity, time)]
    yrs = sorted(years) if years is not None else sorted(df[time].unique())
    grid = pd.MultiIndex.from_product([sorted(df[entity].unique()), yrs], names=[entity, time])
    full = df.set_index([entity, time]).reindex(grid)
    added = len(full) - len(df)
    before = full[cols].isna().sum()
    if edges not in ("missing", "nearest", "extrapolate"):
        raise ValueError("edges must be missing, nearest or extrapolate")
    x = np.asarray(yrs, dtype=float)
    n_e = len(grid.levels[0]) if len(grid) else 0
    out = full.copy()
    for c in cols:
        mat = out[c].to_numpy(dtype=float).reshape(n_e, len(x)).copy()
        for i in np.flatnonzero(np.isnan(mat).any(axis=1)):  # only entities with gaps
            y = mat[i]
            ok = ~np.isnan(y)
            if not ok.any():
                continue
            xo, yo = x[ok], y[ok]
            gap = ~ok & (x > xo[0]) & (x < xo[-1])
            y[gap] = np.interp(x[gap], xo, yo)
            lo, hi = ~ok & (x < xo[0]), ~ok & (x > xo[-1])
            if edges == "nearest":
                y[lo], y[hi] = yo[0], yo[-1]
            elif edges == "extrapolate":
                if len(xo) >= 2:
                    s0 = (yo[1] - yo[0]) / (xo[1] - xo[0])
                    s1 = (yo[-1] - yo[-2]) / (xo[-1] - xo[-2])
                    y[lo] = yo[0] + s0 * (x[lo] - xo[0])
                    y[hi] = yo[-1] + s1 * (x[hi] - xo[-1])
                else:
                    y[lo | hi] = yo[0]
        out[c] = mat.ravel()
    after = out[cols].isna().sum()
    result = out.reset_index()
    result.attrs = dict(df.attrs)
    return InterpolationResult(
        data=result,
        filled={c: int(before[c] - after[c]) for c in cols},
        still_missing={c: int(after[c]) for c in cols},
        added_rows=int(added),
        method=f"linear on {time} within {entity}, edges={edges}",
    )

