"""Panel utilities shared by the fits (METHODS sections 3-4): the formula and effects
arguments, sample preparation, calendar-year lags, balance checks, (N, T, k) cubes and the
exact two-way demeaning that the fast fit and the bootstrap use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..estimation.sample import normalise_effects as _engine_effects
from ..formula import check_columns, validate_names
from ..formula import parse_formula as _parse
from ..jsonfloat import finite_dict

__all__ = [
    "Effects",
    "Estimates",
    "parse_formula",
    "normalise_effects",
    "add_lag",
    "is_balanced",
    "balanced_cube",
    "demean_twoway",
]

Effects = Literal["two-way", "entity", "time", "none"]


@dataclass
class Estimates:
    """What every fit reports: the dependent variable, each coefficient's estimate, standard
    error, t and p by name, and the number of observations (``FitResult``, ``IVResult``)."""

    dep: str
    params: dict[str, float]
    std_errors: dict[str, float]
    tstats: dict[str, float]
    pvalues: dict[str, float]
    nobs: int

    def estimates_dict(self) -> dict:
        """The four per-coefficient tables, JSON-ready (NaN becomes None)."""
        return {"params": finite_dict(self.params), "std_errors": finite_dict(self.std_errors),
                "tstats": finite_dict(self.tstats), "pvalues": finite_dict(self.pvalues)}


def parse_formula(formula: str, *, columns=None) -> tuple[str, list[str], str | None, list[str]]:
    """'y ~ x1 + x2 + [d ~ z1 + z2]' -> ('y', ['x1','x2'], 'd', ['z1','z2']).

    Strict grammar (``analytics.methods.formula``): anything else is a ``FormulaError``."""
    return _parse(formula, columns=columns).as_tuple()


def _names_ok(df: pd.DataFrame, *names: str | None) -> None:
    validate_names([n for n in names if n])
    check_columns([n for n in names if n], df.columns)


def normalise_effects(effects: str | Sequence[str] | None) -> Effects:
    """The engine's effects grammar (``estimation.normalise_effects``) under the older names:
    "two-way" for entity and time, "none" for nothing."""
    if effects is None:
        return "none"
    tokens = effects if isinstance(effects, str) else list(dict.fromkeys(effects))
    if not tokens:
        return "none"
    eff = _engine_effects(tokens)
    return "two-way" if eff == "entity time" else eff  # type: ignore[return-value]


def _prepare(df: pd.DataFrame, cols: list[str], entity: str | None, time: str | None,
             notes: list[str]) -> pd.DataFrame:
    missing = [c for c in cols + [c for c in (entity, time) if c] if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) not in data: {missing}")
    keep = cols + [c for c in (entity, time) if c]
    data = df[keep].copy()
    bad = [c for c in cols if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ValueError(f"non-numeric column(s): {bad}")
    n0 = len(data)
    data = data.dropna()
    if len(data) < n0:
        notes.append(f"{n0 - len(data)} row(s) with missing values dropped")
    if entity and time and data.duplicated([entity, time]).any():
        raise ValueError("duplicate entity-time rows")
    return data



def add_lag(df: pd.DataFrame, column: str | Sequence[str], *, entity: str = "city",
            time: str = "year", k: int = 1, suffix: str | None = None) -> pd.DataFrame:
    """Add ``column_lag{k}`` = value at calendar year ``time - k`` of the same entity.

    Merging on ``time - k`` (not ``groupby().shift``) keeps a missing year missing instead of
    silently taking an older value.
    """
    cols = [column] if isinstance(column, str) else list(column)
    sfx = suffix or f"_lag{k}"
    if df.duplicated([entity, time]).any():
        raise ValueError("duplicate entity-time rows; cannot build lags")
    lagged = df[[entity, time] + cols].copy()
    lagged[time] = lagged[time] + k
    lagged = lagged.rename(columns={c: f"{c}{sfx}" for c in cols})
    out = df.merge(lagged, on=[entity, time], how="left", validate="one_to_one")
    out.index = df.index
    out.attrs = dict(df.attrs)
    return out


def is_balanced(df: pd.DataFrame, *, entity: str, time: str) -> bool:
    n_e, n_t = df[entity].nunique(), df[time].nunique()
    return len(df) == n_e * n_t and not df.duplicated([entity, time]).any()


def balanced_cube(df: pd.DataFrame, cols: Sequence[str], *, entity: str,
                  time: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(N, T, k) array of ``cols`` for a balanced panel without missing values, else None."""
    data = df[[entity, time] + list(cols)]
    if data[list(cols)].isna().any().any() or not is_balanced(data, entity=entity, time=time):
        return None
    data = data.sort_values([entity, time])
    ents = data[entity].unique()
    times = np.sort(data[time].unique())
    cube = data[list(cols)].to_numpy(dtype=float).reshape(len(ents), len(times), len(cols))
    return cube, ents, times


def demean_twoway(cube: np.ndarray) -> np.ndarray:
    """Exact two-way within transform of a balanced (N, T, ...) array: x - x_i. - x_.t + x_.."""
    return (cube - cube.mean(axis=1, keepdims=True) - cube.mean(axis=0, keepdims=True)
            + cube.mean(axis=(0, 1), keepdims=True))

