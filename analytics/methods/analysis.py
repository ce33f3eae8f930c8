"""Heterogeneity by group (Table 6) and index robustness swap (Table 8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from .formula import validate_name
from .panel import FitResult, fit, parse_formula

__all__ = ["GroupedResult", "heterogeneity", "robustness"]


@dataclass
class GroupedResult:
    """Several fits of one model, keyed by a label (e.g. 'full', 'east', ...)."""

    fits: dict[str, FitResult]
    by: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"by": self.by, "fits": {k: v.to_dict() for k, v in self.fits.items()},
                "notes": list(self.notes)}


def heterogeneity(
    df: pd.DataFrame,
    formula: str,
    *,
    group: str,
    entity: str = "city",
    time: str = "year",
    order: Sequence[str] | None = None,
    include_full: bool = True,
    **fit_kwargs,
) -> GroupedResult:
    """Fit ``formula`` on the whole sample and on each level of ``group`` separately.

    Each subsample clusters on its own entities, so p-values use t(G_group - 1).
    """
    if group not in df.columns:
        raise ValueError(f"group column {group!r} not in data")
    levels = list(order) if order is not None else sorted(df[group].dropna().unique())
    fits: dict[str, FitResult] = {}
    if include_full:
        fits["full"] = fit(df, formula, entity=entity, time=time, **fit_kwargs)
    for lv in levels:
        part = df[df[group] == lv]
        if part.empty:
            raise ValueError(f"group {group}={lv!r} has no rows")
        fits[str(lv)] = fit(part, formula, entity=entity, time=time, **fit_kwargs)
    return GroupedResult(fits=fits, by=group)


def robustness(
    df: pd.DataFrame,
    formula: str,
    *,
    original: str,
    replacement: str,
    entity: str = "city",
    time: str = "year",
    **fit_kwargs,
) -> GroupedResult:
    """Refit ``formula`` with regressor ``original`` replaced by ``replacement`` (e.g. the
    PCA Dig by the entropy Dig). Index scales differ: compare sign and significance only."""
    dep, xs, _, _ = parse_formula(formula, columns=df.columns)
    validate_name(replacement)
    if original not in xs:
        raise ValueError(f"{original!r} is not a regressor of {formula!r}")
    swapped = f"{dep} ~ " + " + ".join(replacement if x == original else x for x in xs)
    fits = {original: fit(df, formula, entity=entity, time=time, **fit_kwargs),
            replacement: fit(df, swapped, entity=entity, time=time, **fit_kwargs)}
    return GroupedResult(fits=fits, by="index", notes=[
        "index scales differ: compare sign and significance, not magnitude"])
