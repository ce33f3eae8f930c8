"""Every word an analysis shows, in the reader's language.

The engine and the table renderer are language-neutral: variables, row keys, stages and
conventions come out as keys. Here they become text: a dataset's own labels first (edited per
dataset), then the paper's variables in the reader's language, then the column name itself.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from analytics.methods.catalogue import CATALOGUE

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


REPLICATION_TITLES = {
    "table3": _("Table 3. Principal component analysis of the digital indicators"),
    "table3_weights": _("Table 3 (cont.). Indicator weights and KMO per variable"),
    "table4": _("Table 4. Descriptive statistics"),
    "table5": _("Table 5. Baseline regression (two-way fixed effects)"),
    "table6": _("Table 6. Heterogeneity by region"),
    "table7": _("Table 7. Instrumental variable (2SLS, second lag of Dig)"),
    "table8": _("Table 8. Robustness: entropy index of digital technology"),
    "table9": _("Table 9. Mediation through industrial structure upgrading"),
}

# The replication's own row, column and note keys (analytics.methods.replication_tables).
REPLICATION_WORDS = {
    "first_stage": _("First stage (Dig)"), "second_stage": _("Second stage (Dist)"),
    "path_c": _("path c (Dist)"), "path_a": _("path a (Isu)"), "path_b": _("paths b, c′ (Dist)"),
    "full": _("Full sample"), "east": _("East"), "central": _("Central"), "west": _("West"),
    "component": _("Component"), "indicator": _("Indicator"), "eigenvalue": _("Eigenvalue"),
    "share": _("Share of variance"), "cumulative": _("Cumulative share"),
    "retained": _("Retained"), "weight": _("Weight"), "kmo": _("KMO"), "count": _("N"),
    "entropy": _("Entropy"),
    "mean": _("Mean"), "sd": _("Std. dev."), "min": _("Min"), "max": _("Max"),
    "sobel_z": _("Sobel z"), "sobel_p": _("Sobel p"),
    # xgettext:no-python-format
    "boot_ci": _("Bootstrap 95% CI of a·b"),
    "fe_absorbed": _("City and year effects absorbed (reghdfe); R² is the within R² after "
                     "both effects."),
    "se_stata": SE_NOTES["stata"],
    "constant": CONSTANT_NOTE,
    "first_stage_const": _("The first stage's constant has no standard error of its own."),
}


# A run's model columns by role (run_kinds.Column.role); "stepwise" and "model" keep "(1)".
COLUMN_ROLES = {
    "first_stage": _("First stage"), "second_stage": _("Second stage"),
    "path_c": _("path c"), "path_a": _("path a"), "path_b": _("paths b, c′"),
    "all": _("Full sample"), "baseline": _("Baseline"), "alternative": _("Alternative index"),
}
_ROLES_WITH_Y = {"first_stage", "second_stage", "path_c", "path_a", "path_b"}


def column_labels(results: dict, names: dict[str, str]) -> dict[str, str]:
    """"(2)" -> "(2) path a (Isu)", "(3) East" ...: each model column's header from its role
    (``results["columns"]``), in the active language; the column's own label when it has no
    role worth naming."""
    out = {}
    for column in results.get("columns") or []:
        if not isinstance(column, dict) or "label" not in column:
            continue
        label, role = str(column["label"]), column.get("role")
        if role == "group" and isinstance(column.get("sample"), dict):
            value = str(column["sample"].get("value"))
            out[label] = f"{label} {names.get(value, value)}"
        elif role in COLUMN_ROLES:
            text = f"{label} {COLUMN_ROLES[role]}"
            out[label] = f"{text} ({column['y']})" if role in _ROLES_WITH_Y and column.get("y") \
                else text
    return out


def display_labels(dataset=None) -> dict[str, str]:
    """What tables and charts call each key, in the active language: the dataset's own labels,
    the paper's variables, the catalogue's meaning of a raw indicator, the replication's row,
    column and note words (``variable_labels`` holds only the first two: the labels form)."""
    language = translation.get_language() or "zh-hans"
    out = {k: str(v) for k, v in COLUMNS.items()}
    out.update({k: str(v) for k, v in REPLICATION_WORDS.items()})
    out.update({v.name: v.meaning(language) for v in CATALOGUE})
    out.update(variable_labels(dataset))
    return out


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
    parts = [f"{'*' * (i + 1)} p < {p:g}" for i, p in enumerate(levels)]  # as the files say
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
    extra = notes.get("extra") or []
    text += [str(REPLICATION_WORDS.get(key, key)) for key in extra]
    if any(r.get("key") == "_cons" for r in table.get("rows", [])) and "constant" not in extra:
        text.append(str(CONSTANT_NOTE))
    columns = [labels.get(str(c), column_label(str(c))) for c in table.get("columns", [])]
    index_key = table.get("index_key")
    header = labels.get(index_key, index_key) if index_key else str(_("Variable"))
    return {"columns": columns, "rows": rows, "notes": text, "header": header, "journal": True}
