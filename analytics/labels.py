"""Every word an analysis shows, in the reader's language.

The engine and the table renderer are language-neutral: variables, row keys, stages and
conventions come out as keys. Here they become text: a dataset's own labels first (edited per
dataset), then the paper's variables in the reader's language, then the column name itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The paper's variables (Chinese by default through the catalogue).
PAPER_VARIABLES = {
    "Dist": _("Urban-rural gap (Dist)"),
    "Dig": _("Digital technology (Dig)"),
    "Dig_entropy": _("Digital technology, entropy index"),
    "Dig_lag2": _("Digital technology, second lag"),
    "Isu": _("Industrial structure upgrading"),
    "Ur": _("Urbanization level"),
    "Stru": _("Employment structure"),
    "lnexpense": _("Fiscal expenditure (log)"),
    "lnper_gdp": _("GDP per capita (log)"),
    "_cons": _("Constant"),
}

ROWS = {
    "N": _("Observations"),
    "clusters": _("Clusters"),
    "r2": _("R²"),
    "r2_within": _("Within R²"),
    "r2_within_xtreg": _("Within R² (xtreg, year dummies)"),
    "r2_with_effects": _("R² (with fixed effects)"),
    "F": _("F statistic"),
    "kp_f": _("Kleibergen-Paap rk Wald F"),
    "first_stage_f": _("First-stage F"),
    "controls": _("Control variables"),
    "city_fe": _("City fixed effects"),
    "year_fe": _("Year fixed effects"),
    # The DiD tables (issue 18).
    "att": _("Average effect of pairing (ATT)"),
    "units": _("Cities"),
    "cohorts": _("Pairing cohorts"),
    "never_treated": _("Cities never paired"),
    "treated_vs_never": _("Paired vs never paired"),
    "earlier_vs_later": _("Earlier vs later paired (later as controls)"),
    "later_vs_earlier": _("Later vs earlier paired (forbidden: earlier as controls)"),
}

# Column keys of tables whose columns are not models.
COLUMNS = {"weight": _("Weight"), "estimate": _("Estimate"), "comparisons": _("Comparisons")}

STAGES = {
    "start": _("Starting"), "load": _("Loading the data"), "build": _("Building the variables"),
    "interpolate": _("Filling gaps"), "index": _("Computing the index"),
    "fit": _("Estimating"), "bootstrap": _("Bootstrap"), "export": _("Writing the files"),
    "tables": _("Writing the tables"), "figures": _("Drawing the charts"), "done": _("Done"),
}

YES = _("Yes")

TABLE_TITLES = {
    "fit": _("Fixed-effects regression"),
    "iv": _("Instrumental variables (2SLS)"),
    "first_stage": _("First stage"),
    "mediate": _("Mediation: paths c, a and b"),
    "heterogeneity": _("Heterogeneity by group"),
    "robustness": _("Robustness: alternative index"),
    "index": _("Index weights"),
    "did": _("Effect of pairing: staggered difference-in-differences"),
    "did_bacon": _("Two-way FE: Goodman-Bacon decomposition"),
}

SE_NOTES = {
    "stata": _("Standard errors clustered by city (Stata CRV1: G/(G−1)·(N−1)/(N−K)), t with "
               "G−1 degrees of freedom."),
    "cluster": _("Standard errors clustered by the chosen column (CRV1), t with G−1 degrees "
                 "of freedom."),
    "robust": _("Heteroskedasticity-robust standard errors (HC1)."),
    "unadjusted": _("Classical standard errors (iid errors)."),
    "driscoll-kraay": _("Driscoll-Kraay standard errors (robust to dependence across "
                        "cities)."),
}
CONSTANT_NOTE = _("The constant is ȳ − x̄′b with the fixed effects absorbed (reghdfe).")


def variable_labels(dataset=None) -> dict[str, str]:
    """Column -> label: the dataset's own labels over the paper's, as plain strings."""
    labels = {k: str(v) for k, v in PAPER_VARIABLES.items()}
    if dataset is not None:
        labels.update({k: str(v) for k, v in (getattr(dataset, "labels", None) or {}).items()
                       if v})
    return labels


def row_label(key: str, labels: dict[str, str]) -> str:
    if key in ROWS:
        return str(ROWS[key])
    if key.startswith("e=") and key[2:].lstrip("-").isdigit():
        return str(_("Years from pairing: %(e)s")) % {"e": key[2:]}
    return labels.get(key, key)


def column_label(key: str) -> str:
    return str(COLUMNS.get(key, key))


def event_study_texts(outcome: str) -> dict[str, str]:
    """The event-study chart's words, in the active language."""
    return {"title": str(_("Effect of pairing on %(y)s by years since pairing")) % {"y": outcome},
            "xlabel": str(_("Years since the first pairing (0 = the year it began)")),
            "ylabel": str(_("Effect on %(y)s")) % {"y": outcome},
            # xgettext:no-python-format
            "band_label": str(_("95% uniform band")),
            "pre_label": str(_("Before pairing")), "post_label": str(_("After pairing"))}


def stage_label(stage: str) -> str:
    return str(STAGES.get(stage, stage))


def star_note(thresholds) -> str:
    levels = sorted(thresholds, reverse=True)
    parts = [f"{'*' * (i + 1)} p<{p:g}" for i, p in enumerate(levels)]
    return str(_("Significance: %(levels)s.")) % {"levels": ", ".join(parts)}


def statistic_note(statistic: str) -> str:
    return str(_("Standard errors in parentheses.") if statistic == "se"
               else _("t statistics in parentheses."))


def table_for_page(table: dict, labels: dict[str, str], *, se: str | None = None) -> dict:
    """A journal table (analytics.methods.journal) with every key turned into text."""
    rows = []
    first_stat = True
    for row in table.get("rows", []):
        role = row.get("role", "coef")
        label = "" if role == "paren" else row_label(row.get("key", ""), labels)
        cells = [str(YES) if c is True else ("" if c is False else c)
                 for c in row.get("cells", [])]
        entry = {"label": label, "cells": cells, "role": role,
                 "first_stat": role in ("stat", "yes") and first_stat}
        if role in ("stat", "yes"):
            first_stat = False
        rows.append(entry)
    notes = table.get("notes", {})
    statistic = notes.get("statistic", "se")
    text = [statistic_note(statistic)] if statistic in ("se", "t") else []
    if notes.get("thresholds"):
        text.append(star_note(notes["thresholds"]))
    if se in SE_NOTES:
        text.append(str(SE_NOTES[se]))
    if any(r.get("key") == "_cons" for r in table.get("rows", [])):
        text.append(str(CONSTANT_NOTE))
    return {"columns": [column_label(c) for c in table.get("columns", [])], "rows": rows,
            "notes": text}
