"""The staggered-adoption panel every DiD estimator here reads: a balanced unit × period grid.

``prepare_panel`` checks the columns (one clear ``ValueError`` sentence naming the column),
drops rows with a missing outcome and then the units no longer seen in every period (as R
``did`` does for a panel), drops the units treated in the first period (no pre-period), and
returns the outcome as an ``n_units × n_periods`` array with the cohort of each unit
(first treated period; 0 = never treated, R ``did``'s convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["Panel", "prepare_panel"]


@dataclass
class Panel:
    units: np.ndarray          # unit ids, in row order of Y
    times: np.ndarray          # sorted periods
    Y: np.ndarray              # n_units × n_periods outcome
    G: np.ndarray              # cohort of each unit (0 = never treated)
    X: np.ndarray | None       # n_units × n_periods × k covariates, or None
    covariates: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.units)

    @property
    def cohorts(self) -> np.ndarray:
        return np.unique(self.G[self.G > 0])


def _numeric(df: pd.DataFrame, col: str, role: str) -> pd.Series:
    s = df[col]
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        conv = pd.to_numeric(s, errors="coerce")
        if conv.notna().sum() < s.notna().sum():
            raise ValueError(f"the {role} column {col!r} must be numeric")
        s = conv
    return s.astype(float)


def prepare_panel(df: pd.DataFrame, *, y: str, entity: str, time: str, group: str,
                  covariates: Sequence[str] = (), anticipation: int = 0) -> Panel:
    covariates = list(dict.fromkeys(c for c in covariates if c))
    names = [y, entity, time, group, *covariates]
    for role, col in zip(["outcome", "entity", "time", "group"], names[:4], strict=True):
        if not isinstance(col, str) or not col:
            raise ValueError(f"the {role} column must be named")
    for col in names:
        if col not in df.columns:
            raise ValueError(f"column {col!r} is not in the data")
    if len({y, entity, time, group}) < 4:
        raise ValueError("the outcome, entity, time and group columns must be four different "
                         "columns")
    if anticipation < 0:
        raise ValueError("anticipation must be 0 or a positive number of periods")
    notes: list[str] = []
    data = df[list(dict.fromkeys(names))].copy()
    for col in (entity, time, group):
        if data[col].isna().any():
            raise ValueError(f"column {col!r} has missing values")
    data[y] = _numeric(data, y, "outcome")
    t = _numeric(data, time, "time")
    if not np.all(np.isclose(t, np.round(t))):
        raise ValueError(f"the time column {time!r} must hold whole periods (e.g. years)")
    data[time] = np.round(t).astype(np.int64)
    g = _numeric(data, group, "group")
    if not np.all(np.isclose(g, np.round(g))):
        raise ValueError(f"the group column {group!r} must hold the first treated period "
                         "(0 = never treated)")
    data[group] = np.round(g).astype(np.int64)
    for c in covariates:
        data[c] = _numeric(data, c, "covariate")
        if data[c].isna().any():
            raise ValueError(f"the covariate column {c!r} has missing values")
    if data.duplicated([entity, time]).any():
        raise ValueError(f"some {entity!r} appear twice in the same {time!r} period")
    per_unit = data.groupby(entity)[group].nunique()
    if (per_unit > 1).any():
        bad = per_unit[per_unit > 1].index[0]
        raise ValueError(f"the group column {group!r} is not constant within unit {bad!r}")
    times = np.sort(data[time].unique())
    if len(times) < 2:
        raise ValueError(f"the time column {time!r} needs at least two periods")
    gvals = np.unique(data[group])
    outside = [int(v) for v in gvals if v != 0 and v not in set(times.tolist())]
    if outside:
        hint = (" (code units first treated after the last period as 0)"
                if outside[-1] > times[-1] else "")
        raise ValueError(f"the group column {group!r} holds {outside[-1]}, which is neither 0 "
                         f"(never treated) nor a period of {time!r}{hint}")
    missing = int(data[y].isna().sum())
    if missing:
        data = data[data[y].notna()]
        notes.append(f"{missing} rows with a missing outcome {y!r} dropped.")
    counts = data.groupby(entity)[time].transform("size")
    times = np.sort(data[time].unique())
    if len(times) < 2:
        raise ValueError(f"the outcome {y!r} is observed in fewer than two periods")
    incomplete = data.loc[counts < len(times), entity].nunique()
    if incomplete:
        data = data[counts == len(times)]
        notes.append(f"{incomplete} units not observed in every period dropped (the "
                     "balanced-panel estimators need every period).")
    early = data.loc[(data[group] > 0) & (data[group] <= times[0] + anticipation), entity]
    if early.nunique():
        data = data[~data[entity].isin(set(early))]
        notes.append(f"{early.nunique()} units treated in the first period (no pre-period) "
                     "dropped.")
    if data.empty:
        raise ValueError("no units are left after dropping incomplete and always-treated units")
    data = data.sort_values([entity, time])
    units = data[entity].drop_duplicates().to_numpy()
    n, T = len(units), len(times)
    Y = data[y].to_numpy(dtype=float).reshape(n, T)
    G = data[group].to_numpy().reshape(n, T)[:, 0].astype(np.int64)
    X = None
    if covariates:
        X = data[covariates].to_numpy(dtype=float).reshape(n, T, len(covariates))
    if not (G > 0).any():
        raise ValueError(f"the group column {group!r} has no treated units (all 0)")
    return Panel(units=units, times=times, Y=Y, G=G, X=X, covariates=covariates, notes=notes)
