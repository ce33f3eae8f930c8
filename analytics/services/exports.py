"""A finished run's tables and files, in the language of the person who started it.

The worker has no request: the run records its starter's language, and everything written here
(labels, notes, chart texts, export headers) is rendered inside ``translation.override`` of it.
The tables stored in ``run.results`` stay language-neutral (keys), so each reader's page shows
them in the reader's own language (``analytics.labels``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from analytics import labels
from analytics.methods.did_report import did_tables, event_study_plot
from analytics.methods.exports import write_run_exports
from analytics.methods.figures import coefficient_plot, weights_bar
from analytics.methods.journal import journal_table
from analytics.methods.replication_tables import grid_table

__all__ = ["run_tables", "run_exports", "replication_words"]

REGRESSION_KINDS = ("fit", "iv", "mediate", "heterogeneity", "robustness")


def _effects_flags(model: dict) -> tuple[bool, bool]:
    eff = str(model.get("effects", ""))
    entity = eff in ("entity time", "two-way", "entity")
    time = eff in ("entity time", "two-way", "time")
    return entity, time


def run_tables(kind: str, results: dict, parameters: dict) -> dict[str, dict]:
    """Journal tables (language-neutral) from the run's fitted models."""
    models = results.get("models") or {}
    if kind == "did" and results.get("summary"):
        return did_tables(results["summary"])
    if kind in REGRESSION_KINDS and models:
        fits = list(models.values())
        controls = set(parameters.get("controls") or [])
        flags = [_effects_flags(m) for m in fits]
        yes_rows = {
            "controls": [bool(controls & set(m.get("regressors") or m.get("params") or {}))
                         for m in fits],
            "city_fe": [f[0] for f in flags],
            "year_fe": [f[1] for f in flags],
        }
        shown = [t for t in dict.fromkeys(t for m in fits for t in (m.get("params") or {}))
                 if t not in controls]
        table = journal_table(fits, columns=list(models), terms=[*shown, "_cons"],
                              yes_rows=yes_rows)
        # The engine names its convention in English; the page and the files say it in the
        # reader's language from the run's parameters instead (analytics.labels.SE_NOTES).
        table["notes"]["se_convention"] = []
        return {kind: table}
    summary = results.get("summary") or {}
    if kind == "index" and summary.get("weights"):
        # Language-neutral like the regressions' tables: the page and the files name the
        # columns ("weight", "kmo", "entropy") in their reader's language.
        columns = {"weight": summary["weights"]}
        if summary.get("kmo_per_variable"):
            columns["kmo"] = summary["kmo_per_variable"]
        if summary.get("entropy"):
            columns["entropy"] = summary["entropy"]
        frame = pd.DataFrame(columns).reindex(list(summary["weights"]))
        return {"index": grid_table(frame, index_key="indicator")}
    return {}


def _texts() -> dict[str, str]:
    texts = {key: str(text) for key, text in labels.ROWS.items()}
    texts.update({
        "yes": str(labels.YES), "_cons": str(labels.PAPER_VARIABLES["_cons"]),
        "variable": _("Variable"), "paren_se": labels.statistic_note("se"),
        "paren_t": labels.statistic_note("t"), "stars": _("Significance: {stars}."),
        "se_convention": _("Standard errors: {convention}."),
        "se_convention_column": _("{column} standard errors: {convention}."),
        "sheet_numbers": _("numbers"), "sheet_table": _("table"), "sheet_stats": _("statistics"),
    })
    return texts


def replication_words(run) -> dict:
    """The words of the replication's files in the active language (call it inside the run's
    ``translation.override``): ``write_outputs``' labels, texts, titles and notes."""
    texts = {**_texts(), **{k: str(v) for k, v in labels.REPLICATION_WORDS.items()}}
    notes = [_("SYNTHETIC DATA: not real statistics.")] if run.synthetic else []
    return {"labels": labels.display_labels(run.dataset), "texts": texts, "notes": notes,
            "titles": {k: str(v) for k, v in labels.REPLICATION_TITLES.items()}}


def run_exports(*, run, results: dict, out_dir: Path) -> list[str]:
    """Write every file of a finished run (CSV, XLSX, LaTeX, HTML, charts, summary, the
    commands that reproduce it, one zip) and return their names."""
    language = getattr(run, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        names = labels.display_labels(run.dataset)
        names.update(labels.column_labels(results, names))
        tables = results.get("tables") or {}
        # Row keys that are not variables (the DiD's "att", "e=2", "later_vs_earlier").
        names.update({r["key"]: labels.row_label(r["key"], names) for t in tables.values()
                      for r in t.get("rows", []) if r.get("role") == "coef"
                      and (r["key"] in labels.ROWS or str(r["key"]).startswith("e="))})
        titles = {key: str(labels.TABLE_TITLES.get(key, key)) for key in tables}
        notes = []
        if run.synthetic:
            notes.append(_("SYNTHETIC DATA: not real statistics."))
        se = (run.parameters or {}).get("se")
        if se in labels.SE_NOTES:
            notes.append(str(labels.SE_NOTES[se]))
        charts = {}
        models = results.get("models") or {}
        x = (run.parameters or {}).get("x") or (run.parameters or {}).get("endog")
        if models and x and run.kind in REGRESSION_KINDS:
            fits = {k: _Fit(m) for k, m in models.items() if x in (m.get("params") or {})}
            if fits:
                title = _("Coefficient of %(x)s with its 95%% confidence interval") % {
                    "x": names.get(x, x)}
                for fmt in ("svg", "png"):
                    charts[f"coefficients.{fmt}"] = coefficient_plot(
                        fits, variable=x, synthetic=run.synthetic, fmt=fmt, title=title,
                        xlabel=names.get(x, x), synthetic_label=_("SYNTHETIC DATA"))
        if run.kind == "index" and (results.get("summary") or {}).get("weights"):
            charts.update(_weights_charts(run, results["summary"], names))
        if run.kind == "did":
            charts.update(_did_charts(run, results.get("summary") or {}, names))
        return write_run_exports(out_dir, tables=tables, labels=names, texts=_texts(),
                                 titles=titles, notes=notes, summary=results.get("summary", {}),
                                 reproduce=results.get("reproduce") or {}, charts=charts)


def _did_charts(run, summary: dict, names: dict[str, str]) -> dict[str, bytes]:
    """The event study: effects by years since the first pairing, with the uniform band."""
    events = ((summary.get("aggregates") or {}).get("dynamic") or {}).get("by_event") or []
    if not events:
        return {}
    y = summary.get("y") or "Dist"
    texts = labels.event_study_texts(names.get(y, y))
    return {f"event_study.{fmt}": event_study_plot(
        events, fmt=fmt, synthetic=run.synthetic, synthetic_label=_("SYNTHETIC DATA"), **texts)
        for fmt in ("svg", "png")}


def _weights_charts(run, summary: dict, names: dict[str, str]) -> dict[str, bytes]:
    """The index's weights as bars, PNG and SVG, in the active language."""
    title = (_("Principal-component weights of the indicators") if summary.get("method") == "pca"
             else _("Entropy weights of the indicators"))
    return {f"weights.{fmt}": weights_bar(
        summary["weights"], labels=names, synthetic=run.synthetic, fmt=fmt, title=title,
        xlabel=_("Weight"), synthetic_label=_("SYNTHETIC DATA")) for fmt in ("svg", "png")}


class _Fit:
    """The attributes ``coefficient_plot`` reads, from an estimation dict."""

    def __init__(self, model: dict):
        self.params = model.get("params") or {}
        self.std_errors = model.get("std_errors") or {}
        self.df_pvalues = model.get("df_resid") or model.get("df_pvalues") or 10**6
