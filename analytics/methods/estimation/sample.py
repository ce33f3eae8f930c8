"""The estimation sample: the specification checked, the columns cleaned, nothing dropped
silently.

Every refusal is a ``ValueError`` whose one-line message names the problem: a repeated
regressor, y on both sides, a regressor that is also its own instrument, an unknown or
all-missing column, infinite cells, string years that are not years, a single city (the cell
checks are ``analytics.methods.missing``, shared with the indices and the mediation). Rows with
missing cells are dropped and counted, per column and with their rows, in the notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..formula import check_columns, validate_names
from ..missing import check_values, coerce_time, missing_report

__all__ = ["Spec", "Sample", "build_sample", "EFFECTS"]

EFFECTS = ("none", "entity", "time", "entity time")
_EFFECT_ALIASES = {"none": "none", "entity": "entity", "time": "time", "entity time": "entity time",
                   "time entity": "entity time", "two-way": "entity time", "twoway": "entity time",
                   "both": "entity time"}


def normalise_effects(effects: str | Sequence[str] | None) -> str:
    """'entity time' (also 'two-way', ['entity', 'time']), 'entity', 'time' or 'none'."""
    if effects is None:
        return "none"
    text = effects if isinstance(effects, str) else " ".join(effects)
    key = " ".join(text.lower().replace(",", " ").replace("_", "-").split())
    if key in _EFFECT_ALIASES:
        return _EFFECT_ALIASES[key]
    raise ValueError(f"effects must be one of none, entity, time, 'entity time'; not {text!r}")


@dataclass
class Spec:
    """What to estimate: y on exog (and endog, instrumented by instruments)."""

    y: str
    exog: list[str]
    endog: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    entity: str | None = None
    time: str | None = None
    effects: str = "none"
    cluster: list[str] = field(default_factory=list)   # column names

    def check(self, columns: Sequence[str]) -> None:
        names = [self.y, *self.exog, *self.endog, *self.instruments]
        ids = [c for c in (self.entity, self.time) if c]
        validate_names([*names, *ids, *self.cluster])
        check_columns([*names, *ids, *self.cluster], columns)
        for group, label in ((self.exog, "regressor"), (self.endog, "instrumented regressor"),
                             (self.instruments, "instrument")):
            seen = [n for i, n in enumerate(group) if n in group[:i]]
            if seen:
                raise ValueError(f"{seen[0]} is given twice as a {label}")
        if self.y in self.exog or self.y in self.endog or self.y in self.instruments:
            raise ValueError(f"{self.y} is the dependent variable and cannot also be on the "
                             "right-hand side")
        both = [n for n in self.endog if n in self.exog]
        if both:
            raise ValueError(f"{both[0]} is both an exogenous and an instrumented regressor")
        own = [n for n in self.instruments if n in self.exog or n in self.endog]
        if own:
            raise ValueError(f"{own[0]} cannot be both a regressor and an instrument")
        if self.endog and len(self.instruments) < len(self.endog):
            raise ValueError(f"{len(self.endog)} instrumented regressor(s) need at least as many "
                             f"instruments, not {len(self.instruments)}")
        if self.instruments and not self.endog:
            raise ValueError("instruments were given but no regressor to instrument")
        if not self.exog and not self.endog:
            raise ValueError("the model needs at least one regressor")
        if self.effects in ("entity", "entity time") and not self.entity:
            raise ValueError("entity effects need the entity column (--entity)")
        if self.effects in ("time", "entity time") and not self.time:
            raise ValueError("time effects need the time column (--time)")
        for name in ids:
            if name in names:
                raise ValueError(f"{name} is an id column and cannot be a variable of the model")


@dataclass
class Sample:
    frame: pd.DataFrame           # the rows used, in their original order
    notes: list[str]
    rows_dropped_missing: int


def build_sample(df: pd.DataFrame, spec: Spec) -> Sample:
    spec.check(df.columns)
    variables = list(dict.fromkeys([spec.y, *spec.exog, *spec.endog, *spec.instruments]))
    ids = list(dict.fromkeys(c for c in (spec.entity, spec.time, *spec.cluster) if c))
    data = df[list(dict.fromkeys(variables + ids))]
    if spec.time:
        data = coerce_time(data, spec.time)
    check_values(data, variables)  # empty, text or infinite: refused with the rows named
    data = data.assign(**{v: pd.to_numeric(data[v]).astype(float) for v in variables})
    data, note, dropped = missing_report(data, variables + ids)
    notes = [note] if note else []
    if data.empty:
        raise ValueError("no row has every variable of the model")
    if spec.entity and spec.time and data.duplicated([spec.entity, spec.time]).any():
        first = data.loc[data.duplicated([spec.entity, spec.time], keep=False)].iloc[0]
        raise ValueError(f"{spec.entity} {first[spec.entity]} appears twice in "
                         f"{spec.time} {first[spec.time]}")
    if spec.effects in ("entity", "entity time") and data[spec.entity].nunique() < 2:
        raise ValueError(f"entity effects need at least two values of {spec.entity}; the data "
                         "hold one")
    return Sample(data, notes, dropped)
