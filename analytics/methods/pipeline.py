"""From raw city-year indicators to the paper's analysis variables (Dist, Dig, controls).

Raw columns (long form, one row per city-year):
- ``urban_<k>`` and ``rural_<k>`` for the six Table-1 public-service indicators ``k`` in
  ``DIST_INDICATORS`` (per-capita values for municipal districts and for the rest of the city);
- the six Table-2 digital indicators ``DIG_INDICATORS``;
- ``Ur``, ``Stru``, ``Isu`` (shares) and ``expense`` (local fiscal expenditure, 10k yuan),
  ``per_gdp`` (GDP per capita, yuan), which are logged to ``lnexpense`` and ``lnper_gdp``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .indices import (
    BartlettResult,
    DistResult,
    EntropyResult,
    KMOResult,
    PCAResult,
    bartlett,
    dist_index,
    entropy_index,
    kmo,
    pca_index,
)
from .missing import missing_report

__all__ = [
    "DIST_INDICATORS",
    "DIG_INDICATORS",
    "CONTROLS",
    "LOGGED",
    "DIG_OPTIONS",
    "raw_columns",
    "build_dig",
    "BuiltPanel",
    "build_variables",
]

DIST_INDICATORS = ["mobile_per100", "broadband_per100", "library_per100", "teachers_per_pupil",
                   "doctors_per100", "beds_per100"]
DIG_INDICATORS = ["telecom_rev_pc", "digital_finance_index", "broadband_users_per100",
                  "mobile_users_per100", "info_emp_share", "software_emp_share"]
CONTROLS = ["Ur", "Stru", "lnexpense", "lnper_gdp"]
LOGGED = {"lnexpense": "expense", "lnper_gdp": "per_gdp"}
# The Dig construction used everywhere (synthetic truth is defined on exactly this scale).
DIG_OPTIONS: dict = {"matrix": "correlation", "retain": "cumulative", "threshold": 0.85,
                     "rescale": "max"}


def raw_columns() -> list[str]:
    return ([f"urban_{k}" for k in DIST_INDICATORS] + [f"rural_{k}" for k in DIST_INDICATORS]
            + DIG_INDICATORS + ["Ur", "Stru", "Isu", "expense", "per_gdp"])


def build_dig(raw: pd.DataFrame, **options) -> tuple[pd.Series, PCAResult]:
    opts = {**DIG_OPTIONS, **options}
    res = pca_index(raw[DIG_INDICATORS], **opts)
    return res.index.rename("Dig"), res


@dataclass
class BuiltPanel:
    panel: pd.DataFrame
    dist: DistResult
    dig: PCAResult
    dig_entropy: EntropyResult
    kmo: KMOResult
    bartlett: BartlettResult
    notes: list[str] = field(default_factory=list)
    rows_dropped_missing: int = 0


def build_variables(raw: pd.DataFrame, *, entity: str = "city", time: str = "year",
                    dig_options: dict | None = None) -> BuiltPanel:
    """Dist (pooled entropy on stacked urban/rural rows), Dig (PCA), Dig_entropy, logs."""
    missing = [c for c in raw_columns() if c not in raw.columns]
    if missing:
        raise ValueError(f"raw data lacks column(s): {missing}")
    # After interpolation the rows are no longer in the file's order: count, name no rows.
    data, gap_note, dropped = missing_report(raw, raw_columns(), name_rows=False)
    data = data.reset_index(drop=True)
    notes = [f"city-year rows: {gap_note}"] if gap_note else []
    urban = data[[f"urban_{k}" for k in DIST_INDICATORS]].set_axis(DIST_INDICATORS, axis=1)
    rural = data[[f"rural_{k}" for k in DIST_INDICATORS]].set_axis(DIST_INDICATORS, axis=1)
    dres = dist_index(urban, rural)
    dig, pres = build_dig(data, **(dig_options or {}))
    eres = entropy_index(data[DIG_INDICATORS])
    for lv in LOGGED.values():
        if (data[lv] <= 0).any():
            raise ValueError(f"column {lv!r} must be positive to take logs")
    keep = [c for c in (entity, time, "region", "province", "city_en", "synthetic")
            if c in data.columns]
    panel = data[keep].copy()
    panel["Dist"] = dres.dist.to_numpy()
    panel["Dig"] = dig.to_numpy()
    panel["Dig_entropy"] = eres.scores.to_numpy()
    panel["Isu"] = data["Isu"].to_numpy(dtype=float)
    panel["Ur"] = data["Ur"].to_numpy(dtype=float)
    panel["Stru"] = data["Stru"].to_numpy(dtype=float)
    for lg, lv in LOGGED.items():
        panel[lg] = np.log(data[lv].to_numpy(dtype=float))
    panel.attrs = dict(raw.attrs)
    return BuiltPanel(panel=panel, dist=dres, dig=pres, dig_entropy=eres,
                      kmo=kmo(data[DIG_INDICATORS]), bartlett=bartlett(data[DIG_INDICATORS]),
                      notes=notes, rows_dropped_missing=dropped)
