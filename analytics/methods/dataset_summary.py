"""What a dataset page shows: coverage by year and two versions side by side. Pure pandas.

Every number returned is a plain Python int or float (or None for "no value"), ready for a
template or JSON: no numpy scalar reaches a reader.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["compare_versions", "coverage_by_year", "significant"]


def _float(x: object) -> float | None:
    v = float(x)
    return v if np.isfinite(v) else None


def significant(x: object, digits: int = 4) -> str:
    """A value for reading: ``digits`` significant digits, no exponent ('3500000', '0.004')."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return np.format_float_positional(float(x), precision=digits, unique=False,
                                      fractional=False, trim="-")


def coverage_by_year(frame: pd.DataFrame, variables: Sequence[str]) -> list[dict]:
    """Per year: the rows and the share (0-1) of the variables' cells that hold a value."""
    cols = [c for c in variables if c in frame.columns]
    out = []
    for year, part in frame.groupby("year", sort=True):
        cells = len(part) * len(cols)
        filled = int(part[cols].notna().to_numpy().sum()) if cols else 0
        out.append({"year": int(year), "rows": int(len(part)),
                    "share_filled": (filled / cells) if cells else None})
    return out


def compare_versions(a: pd.DataFrame, b: pd.DataFrame, variables_a: Sequence[str],
                     variables_b: Sequence[str]) -> dict:
    """Rows of each, the columns added in ``b`` or removed from ``a``, and per variable the
    mean and the count of empty cells in each version (None where a version lacks it)."""
    va, vb = list(variables_a), list(variables_b)
    per_variable = []
    for v in dict.fromkeys([*va, *vb]):
        row = {"name": v}
        for key, frame, names in (("a", a, va), ("b", b, vb)):
            if v in names and v in frame.columns:
                s = pd.to_numeric(frame[v], errors="coerce")
                row[f"mean_{key}"] = _float(s.mean()) if s.notna().any() else None
                row[f"missing_{key}"] = int(s.isna().sum())
            else:
                row[f"mean_{key}"] = row[f"missing_{key}"] = None
        per_variable.append(row)
    return {"rows_a": int(len(a)), "rows_b": int(len(b)),
            "added": [v for v in vb if v not in va], "removed": [v for v in va if v not in vb],
            "variables": per_variable}
