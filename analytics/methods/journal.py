"""One table renderer for every run, as a journal prints it (esttab / modelsummary style).

``journal_table`` turns the JSON-ready results of several fits (``Estimation.to_dict()``, or
the older ``FitResult`` / ``IVResult`` shapes) into a language-neutral table: rows carry keys
(``"Dig"``, ``"_cons"``, ``"controls"``, ``"N"``, ``"r2_within"``) and formatted cells; the
reader's language comes in only at rendering, through ``labels`` (term and row keys to display
labels) and ``texts`` (``"yes"``, ``"N"``, ``"clusters"``, the note sentences). The readable
cells are rounded to ``digits`` significant digits; ``"numbers"`` keeps every float as the fit
gave it, for the downloads.

The table dict::

    {"columns": ["(1)", "(2)"],
     "rows": [{"key": "Dig", "role": "coef", "cells": ["-0.1023***", ""]},
              {"key": "Dig", "role": "paren", "cells": ["(0.0362)", ""]}, ...,
              {"key": "controls", "role": "yes", "cells": [False, True]}, ...,
              {"key": "N", "role": "stat", "cells": ["3102", "3102"]}, ...],
     "notes": {"statistic": "se", "thresholds": [0.1, 0.05, 0.01], "se_convention": [...],
               "clusters_by": [[...], ...], "f_test": [...], "kp_name": [...],
               "synthetic": [...], "model_notes": [[...], ...]},
     "numbers": [{"model", "term", "estimate", "std_error", "t", "p", "nobs"}, ...],
     "stats": [{"model", "key", "value"}, ...]}
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
from scipy import stats as sps

from .jsonfloat import finite_or_none
from .stars import resolve_thresholds, stars

__all__ = ["STAT_ROWS", "journal_table", "format_significant", "standard_notes", "row_label",
           "render_html", "render_latex", "formatted_frame", "numbers_frame"]

CONST = "_cons"
#: The statistic rows a table can show, in this order; a row no model has is left out.
STAT_ROWS = ("N", "clusters", "r2", "r2_within", "r2_within_xtreg", "r2_with_effects", "F",
             "kp_f")
DEFAULT_STATS = ("N", "clusters", "r2", "r2_within", "r2_within_xtreg", "F", "kp_f")
_INTEGER_STATS = {"N", "clusters"}
# English defaults; the web layer passes the reader's language in ``texts``.
_DEFAULT_TEXTS = {
    "yes": "Yes", "no": "", "variable": "",
    "paren_se": "Standard errors in parentheses.",
    "paren_t": "t statistics in parentheses.",
    "stars": "{stars}.",
    "se_convention": "SE: {convention}.",
    "se_convention_column": "{column} SE: {convention}.",
    "N": "N", "clusters": "Clusters", "r2": "R²", "r2_within": "Within R²",
    "r2_within_xtreg": "Within R² (xtreg)", "r2_with_effects": "R² (with effects)",
    "F": "F", "kp_f": "Kleibergen-Paap F", CONST: "Constant",
    "controls": "Controls", "city_fe": "City FE", "year_fe": "Year FE",
}


def format_significant(x, digits: int = 4) -> str:
    """``x`` rounded to ``digits`` significant digits, for reading: 0.1023, 12.35, -0.0009123,
    123457 (no exponent for large numbers); '' for None, NaN or infinity."""
    v = finite_or_none(x)
    if v is None:
        return ""
    if v == 0:
        return "0"
    # The exponent after rounding (9.99996 -> 1.000e+01), so that 10.00 keeps 4 digits.
    exponent = int(f"{v:.{digits - 1}e}".split("e")[1])
    if exponent < -6:  # 0.0000000123: an exponent reads better than eight zeros
        return f"{v:.{digits - 1}e}"
    return f"{v:.{max(digits - 1 - exponent, 0)}f}"


def _model_stats(m: Mapping) -> dict[str, float | int | None]:
    """The statistic rows of one model, from either result shape (None when it has none)."""
    r2 = m.get("r2") or {}
    nclusters = m.get("nclusters")
    if isinstance(nclusters, Mapping) and nclusters:
        clusters = list(nclusters.values())
    elif m.get("n_clusters"):
        clusters = [m["n_clusters"]]
    else:
        clusters = []
    f_test = m.get("f_test") or {}
    first = m.get("first_stage") or {}
    return {
        "N": m.get("nobs"),
        "clusters": clusters or None,
        "r2": r2.get("r2"),
        "r2_within": r2.get("within", m.get("r2_within")),
        "r2_within_xtreg": r2.get("within_xtreg"),
        "r2_with_effects": r2.get("r2_with_effects"),
        "F": f_test.get("stat"),
        "kp_f": first.get("kleibergen_paap_f"),
    }


def _kp_name(m: Mapping) -> str | None:
    """The first-stage F's name: the engine's ``kp_name``, or the older IVResult's."""
    first = m.get("first_stage") or {}
    return first.get("kp_name", first.get("f_statistic_name"))


def _const_inference(m: Mapping) -> tuple[float | None, float | None]:
    """t and p of the constant, with the fit's own degrees of freedom (normal without)."""
    c, se = finite_or_none(m.get("const")), finite_or_none(m.get("const_se"))
    if c is None or not se:
        return None, None
    t = c / se
    df = m.get("df_resid", m.get("df_pvalues"))
    p = 2 * (sps.t.sf(abs(t), df) if df else sps.norm.sf(abs(t)))
    return t, float(p)


def _term_numbers(m: Mapping, term: str) -> dict | None:
    if term == CONST:
        if m.get("const") is None:
            return None
        t, p = _const_inference(m)
        return {"estimate": m.get("const"), "std_error": m.get("const_se"), "t": t, "p": p}
    params = m.get("params") or {}
    if term not in params:
        return None
    return {"estimate": params[term], "std_error": (m.get("std_errors") or {}).get(term),
            "t": (m.get("tstats") or {}).get(term), "p": (m.get("pvalues") or {}).get(term)}


def _default_terms(models: Sequence[Mapping]) -> list[str]:
    terms: list[str] = []
    for m in models:
        terms += [t for t in (m.get("params") or {}) if t not in terms and t != CONST]
    if any(m.get("const") is not None for m in models):
        terms.append(CONST)
    return terms


def journal_table(models: Sequence[Mapping], *, columns: Sequence[str] | None = None,
                  terms: Sequence[str] | None = None, statistic: str = "se",
                  thresholds: Sequence[float] | str = (0.10, 0.05, 0.01),
                  yes_rows: Mapping[str, Sequence[bool]] | None = None,
                  digits: int = 4, stats: Sequence[str] = DEFAULT_STATS) -> dict:
    """Several fits side by side: a coefficient row with stars and a row with the SE (or t) in
    parentheses per term, then the yes rows (controls, fixed effects), then the statistics.

    ``terms`` default to the union of the models' params in model order, the constant last
    (``"_cons"``); ``stats`` picks from ``STAT_ROWS``. Stars: one per threshold that p is
    strictly below (* the largest threshold ... *** the smallest); ``thresholds`` may also
    name a preset of ``stars.STAR_PRESETS`` ("default", "paper").
    """
    models = list(models)
    if not models:
        raise ValueError("a table needs at least one model")
    if statistic not in ("se", "t"):
        raise ValueError(f"statistic must be 'se' or 't', not {statistic!r}")
    if digits < 1:
        raise ValueError("digits must be at least 1")
    cuts = list(resolve_thresholds(thresholds))
    columns = list(columns) if columns is not None else [f"({i})" for i in range(1, len(models) + 1)]
    if len(columns) != len(models):
        raise ValueError(f"{len(columns)} column names for {len(models)} models")
    unknown = [s for s in stats if s not in STAT_ROWS]
    if unknown:
        raise ValueError(f"unknown statistic row(s) {unknown}; choose from {list(STAT_ROWS)}")
    terms = list(terms) if terms is not None else _default_terms(models)

    rows: list[dict] = []
    numbers: list[dict] = []
    by_model = [{t: _term_numbers(m, t) for t in terms} for m in models]
    for term in terms:
        coef, paren = [], []
        for found in (b[term] for b in by_model):
            est = finite_or_none(found["estimate"]) if found else None
            if est is None:
                coef.append("")
                paren.append("")
                continue
            coef.append(format_significant(est, digits) + stars(found["p"], thresholds=cuts))
            shown = format_significant(found["std_error" if statistic == "se" else "t"], digits)
            paren.append(f"({shown})" if shown else "")
        rows.append({"key": term, "role": "coef", "cells": coef})
        rows.append({"key": term, "role": "paren", "cells": paren})
    for column, m, found in zip(columns, models, by_model):
        for term in terms:
            if found[term] is not None:
                numbers.append({"model": column, "term": term, **found[term],
                                "nobs": m.get("nobs")})

    for key, flags in (yes_rows or {}).items():
        flags = list(flags)
        if len(flags) != len(models):
            raise ValueError(f"yes row {key!r} has {len(flags)} cells for {len(models)} models")
        rows.append({"key": key, "role": "yes", "cells": [bool(f) for f in flags]})

    per_model = [_model_stats(m) for m in models]
    stat_values: list[dict] = []
    for key in stats:
        values = [s[key] for s in per_model]
        if all(v is None for v in values):
            continue
        if key == "clusters":
            cells = [" / ".join(str(int(c)) for c in v) if v else "" for v in values]
        elif key in _INTEGER_STATS:
            cells = [str(int(v)) if v is not None else "" for v in values]
        else:
            cells = [format_significant(v, digits) for v in values]
        rows.append({"key": key, "role": "stat", "cells": cells})
        for column, v in zip(columns, values):
            if v is not None:
                stat_values.append({"model": column, "key": key,
                                    "value": list(v) if isinstance(v, list) else v})

    notes = {
        "statistic": statistic,
        "thresholds": cuts,
        "se_convention": [m.get("se_convention", "") for m in models],
        "clusters_by": [list(m["nclusters"]) if isinstance(m.get("nclusters"), Mapping) else []
                        for m in models],
        "f_test": [(m.get("f_test") or {}).get("name") for m in models],
        "kp_name": [_kp_name(m) for m in models],
        "synthetic": [bool(m.get("synthetic", False)) for m in models],
        "model_notes": [list(m.get("notes") or []) for m in models],
    }
    return {"columns": columns, "rows": rows, "notes": notes, "numbers": numbers,
            "stats": stat_values}


def _text(texts: Mapping[str, str] | None, key: str) -> str:
    return (texts or {}).get(key, _DEFAULT_TEXTS.get(key, key))


def row_label(row: Mapping, labels: Mapping[str, str] | None = None,
              texts: Mapping[str, str] | None = None) -> str:
    """The display label of a table row: ``labels`` first, then ``texts`` (the English
    defaults), a variable's own name last; '' for a parentheses row."""
    if row["role"] == "paren":
        return ""
    key = row["key"]
    if key in (labels or {}):
        return labels[key]
    # A variable without a label shows its column name; the other rows have default texts.
    return key if row["role"] == "coef" and key != CONST else _text(texts, key)


def _cell_text(row: dict, cell, texts: Mapping[str, str] | None) -> str:
    if row["role"] == "yes" or isinstance(cell, bool):
        return _text(texts, "yes") if cell else _text(texts, "no")
    return str(cell)


def standard_notes(table: dict, *, texts: Mapping[str, str] | None = None) -> list[str]:
    """The sentences every table carries: what the parentheses hold, the star thresholds and
    the SE convention (one sentence when the models share it, else one per column)."""
    n = table["notes"]
    cuts = sorted(n["thresholds"], reverse=True)
    legend = ", ".join(f"{'*' * (i + 1)} p < {c:g}" for i, c in enumerate(cuts))
    out = []
    if n.get("statistic") in ("se", "t"):  # a table of weights has no parentheses
        out.append(_text(texts, f"paren_{n['statistic']}"))
    if cuts:
        out.append(_text(texts, "stars").format(stars=legend))
    conventions = [c for c in n.get("se_convention", []) if c]
    if conventions and len(set(conventions)) == 1:
        out.append(_text(texts, "se_convention").format(convention=conventions[0]))
    else:
        out += [_text(texts, "se_convention_column").format(column=col, convention=c)
                for col, c in zip(table["columns"], n.get("se_convention", [])) if c]
    return out


def formatted_frame(table: dict, *, labels: Mapping[str, str] | None = None,
                    texts: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The readable table as strings: one row per table row, the label as the index."""
    index = [row_label(r, labels, texts) for r in table["rows"]]
    data = [[_cell_text(r, c, texts) for c in r["cells"]] for r in table["rows"]]
    columns = [(labels or {}).get(str(c), str(c)) for c in table["columns"]]
    frame = pd.DataFrame(data, index=index, columns=columns, dtype=object)
    frame.index.name = _index_header(table, labels, texts)
    return frame


def _index_header(table: dict, labels: Mapping[str, str] | None,
                  texts: Mapping[str, str] | None) -> str:
    """The first column's header: "Variable", or the table's own ``index_key``."""
    key = table.get("index_key") or "variable"
    return (labels or {}).get(key) or _text(texts, key)


def numbers_frame(table: dict) -> pd.DataFrame:
    """Every estimate at full precision: one row per model and term."""
    cols = ["model", "term", "estimate", "std_error", "t", "p", "nobs"]
    return pd.DataFrame(table["numbers"], columns=cols)


def render_html(table: dict, *, labels: Mapping[str, str] | None = None,
                texts: Mapping[str, str] | None = None, title: str = "",
                caption_notes: Sequence[str] = ()) -> str:
    """``<table class="journal">``: the variable column as ``<th scope="row"
    class="sticky-col">`` (the page keeps it fixed while the cells scroll), the notes in the
    footer. Every text is escaped."""
    e = html.escape
    width = len(table["columns"]) + 1
    lines = ['<table class="journal">']
    if title:
        lines.append(f"<caption>{e(title)}</caption>")
    head = "".join(f'<th scope="col">{e((labels or {}).get(str(c), str(c)))}</th>'
                   for c in table["columns"])
    first = e(_index_header(table, labels, texts))
    lines.append(f'<thead><tr><th scope="col" class="sticky-col">{first}</th>{head}</tr></thead>')
    lines.append("<tbody>")
    previous = None
    for row in table["rows"]:
        classes = [row["role"]]
        if row["role"] in ("yes", "stat") and previous in ("coef", "paren"):
            classes.append("rule")  # the line between the estimates and the rest
        if row["role"] == "stat" and previous == "yes":
            classes.append("rule")
        previous = row["role"]
        cells = "".join(f"<td>{e(_cell_text(row, c, texts))}</td>" for c in row["cells"])
        lines.append(f'<tr class="{" ".join(classes)}"><th scope="row" class="sticky-col">'
                     f"{e(row_label(row, labels, texts))}</th>{cells}</tr>")
    lines.append("</tbody>")
    if caption_notes:
        notes = "<br>".join(e(n) for n in caption_notes)
        lines.append(f'<tfoot><tr><td colspan="{width}" class="notes">{notes}</td></tr></tfoot>')
    lines.append("</table>")
    return "\n".join(lines) + "\n"


_LATEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}",
          "²": r"\textsuperscript{2}", "<": r"\textless{}", ">": r"\textgreater{}"}


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in str(text))


def _latex_cell(text: str) -> str:
    body = text.rstrip("*")
    marks = len(text) - len(body)
    return latex_escape(body) + (f"$^{{{'*' * marks}}}$" if marks else "")


def render_latex(table: dict, *, labels: Mapping[str, str] | None = None,
                 texts: Mapping[str, str] | None = None, title: str = "",
                 notes: Sequence[str] = ()) -> str:
    """A ``table`` environment with plain ``tabular`` and ``\\hline`` rules (no package
    needed; Chinese labels need XeLaTeX with ctex or xeCJK)."""
    frame = formatted_frame(table, labels=labels, texts=texts)
    width = frame.shape[1] + 1
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if title:
        lines.append(rf"\caption{{{latex_escape(title)}}}")
    lines += [rf"\begin{{tabular}}{{l{'c' * frame.shape[1]}}}", r"\hline",
              " & ".join([latex_escape(frame.index.name or "")]
                         + [latex_escape(c) for c in frame.columns]) + r" \\", r"\hline"]
    previous = None
    for row, (label, cells) in zip(table["rows"], frame.iterrows()):
        if row["role"] in ("yes", "stat") and previous in ("coef", "paren"):
            lines.append(r"\hline")
        previous = row["role"]
        lines.append(" & ".join([latex_escape(label)] + [_latex_cell(c) for c in cells]) + r" \\")
    lines.append(r"\hline")
    for note in notes:
        lines.append(rf"\multicolumn{{{width}}}{{l}}{{\footnotesize {latex_escape(note)}}} \\")
    lines += [r"\end{tabular}", r"\end{table}"]
    return "\n".join(lines) + "\n"
