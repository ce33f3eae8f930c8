"""The replication's Tables 3-9 as journal tables (``journal.journal_table`` dicts).

Language-neutral like every run's tables: rows, columns and notes carry keys (``"Dig"``,
``"first_stage"``, ``"eigenvalue"``, ``"fe_absorbed"``); the reader's words come in at
rendering through ``labels`` and ``texts`` (``ENGLISH`` here for the command line, the
catalogue's Chinese on the web). The regression tables (5-9) show t statistics in parentheses,
as the paper prints them; Tables 3 and 4 are tables of values (``grid_table``), whose
downloads keep every value as a number in the table's own columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .journal import format_significant, journal_table
from .jsonfloat import finite_or_none
from .pipeline import CONTROLS

__all__ = ["ENGLISH", "EXTRA_NOTES", "grid_table", "replication_tables", "table_extra_notes"]

REGRESSION_STATS = ("N", "clusters", "r2_within", "kp_f")
# Keys of the notes a replication table carries beyond the standard ones, in this order.
EXTRA_NOTES = ("fe_absorbed", "se_stata", "constant", "first_stage_const")

#: The English words of the keys (variables, columns, rows and notes) for the files the
#: command line writes; the web passes the reader's language instead.
ENGLISH = {
    "Dig": "Digital technology", "Dig_entropy": "Digital technology (entropy)",
    "Ur": "Regional urbanization level", "Stru": "Employment structure",
    "lnexpense": "Regional fiscal expenditure", "lnper_gdp": "Per capita GDP",
    "Isu": "Industrial structure upgrading", "Dig_lag2": "Dig, second lag (instrument)",
    "Dist": "Urban-rural gap (Dist)",
    "first_stage": "First stage (Dig)", "second_stage": "Second stage (Dist)",
    "path_c": "path c (Dist)", "path_a": "path a (Isu)", "path_b": "paths b, c′ (Dist)",
    "full": "Full sample", "east": "East", "central": "Central", "west": "West",
    "component": "Component", "indicator": "Indicator", "eigenvalue": "Eigenvalue",
    "share": "Share of variance", "cumulative": "Cumulative share", "retained": "Retained",
    "weight": "Weight", "kmo": "KMO", "count": "N", "mean": "Mean", "sd": "Std. dev.",
    "min": "Min", "max": "Max",
    "sobel_z": "Sobel z", "sobel_p": "Sobel p", "boot_ci": "Bootstrap 95% CI of a·b",
    "fe_absorbed": "City and year effects absorbed (reghdfe); R² is the within R² after both "
                   "effects.",
    "se_stata": "Standard errors clustered by city (Stata CRV1: G/(G−1)·(N−1)/(N−K)), t with "
                "G−1 degrees of freedom.",
    "constant": "The constant is ȳ − x̄′b with the fixed effects absorbed (reghdfe).",
    "first_stage_const": "The first stage's constant has no standard error of its own.",
}


def grid_table(frame: pd.DataFrame, *, index_key: str = "variable", digits: int = 4) -> dict:
    """A table of values: one row per index entry, one column per frame column; floats to
    ``digits`` significant digits, whole numbers and booleans as they are. ``grid`` keeps the
    values themselves for the downloads."""
    columns = [str(c) for c in frame.columns]
    rows, data = [], []
    for key, values in frame.iterrows():
        cells, raw = [], []
        for v in values:
            if isinstance(v, bool) or type(v).__name__ == "bool_":
                cells.append(bool(v))
                raw.append(bool(v))
            elif pd.api.types.is_integer(v):
                cells.append(str(int(v)))
                raw.append(int(v))
            else:
                cells.append(format_significant(v, digits))
                raw.append(finite_or_none(float(v)))
        rows.append({"key": str(key), "role": "value", "cells": cells})
        data.append(raw)
    return {"columns": columns, "rows": rows, "index_key": index_key,
            "notes": {"statistic": "none", "thresholds": [], "se_convention": []},
            "numbers": [], "stats": [],
            "grid": {"index": [str(k) for k in frame.index], "columns": columns, "data": data}}


def _fixed_effects(models: Sequence[Mapping]) -> dict[str, list[bool]]:
    return {"controls": [bool(set(CONTROLS) & set(m.get("params") or {})) for m in models],
            "city_fe": [True] * len(models), "year_fe": [True] * len(models)}


def _regression(models: Mapping[str, Mapping], terms: Sequence[str], thresholds,
                extra: Sequence[str] = ("fe_absorbed", "se_stata", "constant")) -> dict:
    fits = list(models.values())
    table = journal_table(fits, columns=list(models), terms=[*terms, "_cons"],
                          statistic="t", thresholds=thresholds, stats=REGRESSION_STATS,
                          yes_rows=_fixed_effects(fits))
    table["notes"]["se_convention"] = []  # said in words by the "se_stata" note
    table["notes"]["extra"] = list(extra)
    return table


def _append_stat(table: dict, key: str, cells: list[str]) -> None:
    table["rows"].append({"key": key, "role": "stat", "cells": cells})


def replication_tables(*, fits: Mapping, built, panel: pd.DataFrame,
                       descriptives: pd.DataFrame, thresholds="default") -> dict[str, dict]:
    """Tables 3-9 from ``replicate``'s fits (``table5`` ... ``table9``), its built variables
    (the PCA of Dig, KMO) and Table 4's descriptives."""
    pca = built.dig
    t3 = pca.eigen_table.copy()
    t3["retained"] = [i <= pca.n_retained for i in t3.index]
    tables = {
        "table3": grid_table(t3, index_key="component"),
        "table3_weights": grid_table(pd.DataFrame({"weight": pca.weights,
                                                   "kmo": built.kmo.per_variable}),
                                     index_key="indicator"),
        "table4": grid_table(descriptives),
    }
    regressors = ["Dig", *CONTROLS]
    tables["table5"] = _regression({k: v.to_dict() for k, v in fits["table5"].items()},
                                   regressors, thresholds)
    if fits.get("table6") is not None:
        tables["table6"] = _regression({k: v.to_dict() for k, v in fits["table6"].fits.items()},
                                       regressors, thresholds)
    iv = fits["table7"]
    first = {"params": iv.first_stage_params, "tstats": iv.first_stage_tstats,
             "pvalues": iv.first_stage_pvalues, "const": iv.first_stage_const,
             "nobs": iv.nobs, "n_clusters": iv.n_clusters}
    tables["table7"] = _regression({"first_stage": first, "second_stage": iv.to_dict()},
                                   ["Dig_lag2", "Dig", *CONTROLS], thresholds,
                                   extra=("fe_absorbed", "se_stata", "constant",
                                          "first_stage_const"))
    rob = fits["table8"]
    tables["table8"] = _regression({k: v.to_dict() for k, v in rob.fits.items()},
                                   ["Dig", "Dig_entropy", *CONTROLS], thresholds)
    med = fits["table9"]
    t9 = _regression({"path_c": med.path_c.to_dict(), "path_a": med.path_a.to_dict(),
                      "path_b": med.path_b.to_dict()}, ["Dig", "Isu", *CONTROLS], thresholds)
    sob = med.tests["sobel"]
    _append_stat(t9, "sobel_z", ["", "", format_significant(sob["z"])])
    _append_stat(t9, "sobel_p", ["", "", format_significant(sob["p"])])
    t9["stats"].append({"model": "path_b", "key": "sobel_z", "value": finite_or_none(sob["z"])})
    t9["stats"].append({"model": "path_b", "key": "sobel_p", "value": finite_or_none(sob["p"])})
    boot = med.bootstrap or {}
    if boot:
        _append_stat(t9, "boot_ci", ["", "", f"[{format_significant(boot['ci_low'])}, "
                                             f"{format_significant(boot['ci_high'])}]"])
        t9["stats"] += [{"model": "path_b", "key": f"boot_ci_{end}", "value": boot[f"ci_{end}"]}
                        for end in ("low", "high")]
        t9["notes"]["ci_level"] = boot["ci_level"]
    tables["table9"] = t9
    return tables


def table_extra_notes(table: dict, texts: Mapping[str, str]) -> list[str]:
    """The sentences of a table's own note keys (``notes["extra"]``) in ``texts``' words."""
    return [texts.get(key, ENGLISH.get(key, key)) for key in table.get("notes", {}).get("extra", [])]
