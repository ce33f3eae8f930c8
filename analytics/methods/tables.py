"""Regression tables in the paper's layout and their export to CSV, HTML, LaTeX and XLSX.

Layout: one column per model; for each variable a coefficient row with stars and a row with
the t statistic in parentheses; then the constant, N and R-squared.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from scipy import stats

from safecell import safe_cell

from .jsonfloat import finite_or_none
from .stars import stars

__all__ = ["regression_table", "write_table", "format_number"]


def format_number(x: float | None, decimals: int = 3) -> str:
    if finite_or_none(x) is None:
        return ""
    return f"{x:.{decimals}f}"


def _get(model, attr: str, var: str):
    d = getattr(model, attr, None) or {}
    return d.get(var)


def regression_table(
    models: Mapping[str, object],
    *,
    variables: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    decimals: int = 3,
    thresholds: str | Sequence[float] = "default",
    const: bool = True,
    extra_rows: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Build the paper-style table from fitted results (FitResult or IVResult objects).

    Returns a string DataFrame whose index holds row labels ('' for the t-statistic rows).
    """
    labels = dict(labels or {})
    if variables is None:
        variables = []
        for m in models.values():
            for v in list(getattr(m, "params", {})):
                if v not in variables:
                    variables.append(v)
    rows: list[tuple[str, list[str]]] = []
    for v in variables:
        coef, tst = [], []
        for m in models.values():
            b = _get(m, "params", v)
            if b is None:
                coef.append("")
                tst.append("")
                continue
            coef.append(format_number(b, decimals)
                        + stars(_get(m, "pvalues", v), thresholds=thresholds))
            t = _get(m, "tstats", v)
            tst.append(f"({format_number(t, 2)})" if finite_or_none(t) is not None else "")
        rows.append((labels.get(v, v), coef))
        rows.append(("", tst))
    if const:
        cvals, ctst = [], []
        for m in models.values():
            c, se = getattr(m, "const", None), getattr(m, "const_se", None)
            if c is None:
                cvals.append("")
                ctst.append("")
                continue
            if se:
                t = c / se
                p = 2 * stats.t.sf(abs(t), getattr(m, "df_pvalues", 10**6))
                cvals.append(format_number(c, decimals) + stars(p, thresholds=thresholds))
                ctst.append(f"({format_number(t, 2)})")
            else:
                cvals.append(format_number(c, decimals))
                ctst.append("")
        rows.append((labels.get("_cons", "_cons"), cvals))
        rows.append(("", ctst))
    for name, vals in (extra_rows or {}).items():
        rows.append((name, list(vals)))
    rows.append(("N", [str(getattr(m, "nobs", "")) for m in models.values()]))
    r2 = []
    for m in models.values():
        v = getattr(m, "r2_within", None)
        r2.append(format_number(v, 3) if v is not None else "")
    if any(r2):
        rows.append(("R²", r2))
    clusters = [getattr(m, "n_clusters", None) for m in models.values()]
    if any(clusters):
        rows.append(("Clusters", [str(c) if c else "" for c in clusters]))
    df = pd.DataFrame([r[1] for r in rows], index=[r[0] for r in rows],
                      columns=list(models.keys()))
    df.index.name = "Variable"
    return df


def _latex_escape(s: str) -> str:
    rep = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
           "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}",
           "²": r"$^2$"}
    return "".join(rep.get(ch, ch) for ch in str(s))


def to_latex(df: pd.DataFrame, *, title: str = "", notes: str = "") -> str:
    cols = "l" + "c" * df.shape[1]
    lines = [r"\begin{table}[htbp]", r"\centering"]
    if title:
        lines.append(rf"\caption{{{_latex_escape(title)}}}")
    lines += [rf"\begin{{tabular}}{{{cols}}}", r"\hline",
              " & ".join([_latex_escape(df.index.name or "")]
                         + [_latex_escape(c) for c in df.columns]) + r" \\", r"\hline"]
    for idx, row in df.iterrows():
        lines.append(" & ".join([_latex_escape(idx)] + [_latex_escape(v) for v in row]) + r" \\")
    lines += [r"\hline", r"\end{tabular}"]
    if notes:
        lines.append(rf"\par\small {_latex_escape(notes)}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def to_html(df: pd.DataFrame, *, title: str = "", notes: str = "") -> str:
    body = df.to_html(escape=True, border=0, classes="regtable")
    head = f"<h3>{html.escape(title)}</h3>\n" if title else ""
    foot = f"<p class=\"notes\">{html.escape(notes)}</p>\n" if notes else ""
    return f"<div class=\"table\">\n{head}{body}\n{foot}</div>\n"


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells, labels and header cannot run as spreadsheet formulas."""
    out = df.map(safe_cell)
    out.index = df.index.map(safe_cell)
    out.columns = df.columns.map(safe_cell)
    if out.index.nlevels == 1:
        out.index.name = safe_cell(df.index.name)
    return out


def _write_csv(df: pd.DataFrame, path: Path, notes: list[str]) -> None:
    """The table, then an empty row and one row per note (the SYNTHETIC mark, the SE and stars
    convention): a CSV opened alone must say what its numbers are, as the other formats do."""
    width = df.index.nlevels + df.shape[1]
    with path.open("w", encoding="utf-8", newline="") as fh:
        _safe_frame(df).to_csv(fh)
        if notes:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([""] * width)
            for note in notes:
                writer.writerow([safe_cell(note)] + [""] * (width - 1))


def write_table(
    df: pd.DataFrame,
    stem: str | Path,
    *,
    title: str = "",
    notes: str | Sequence[str] = "",
    formats: Sequence[str] = ("csv", "html", "tex", "xlsx"),
) -> dict[str, str]:
    """Write ``df`` as ``stem.csv/.html/.tex/.xlsx``; returns {format: path}. ``notes`` (one
    text or several) go under the table in every format."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    note_lines = [notes] if isinstance(notes, str) else list(notes)
    note_lines = [n for n in note_lines if n]
    notes = " ".join(note_lines)
    out: dict[str, str] = {}
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        if fmt == "csv":
            _write_csv(df, path, note_lines)
        elif fmt == "html":
            path.write_text(to_html(df, title=title, notes=notes), encoding="utf-8")
        elif fmt == "tex":
            path.write_text(to_latex(df, title=title, notes=notes), encoding="utf-8")
        elif fmt == "xlsx":
            wb = Workbook()
            ws = wb.active
            ws.title = (stem.name or "table")[:31]
            r = 1
            if title:
                ws.cell(row=1, column=1, value=safe_cell(title)).font = Font(bold=True)
                r = 2
            header = [df.index.name or ""] + [str(c) for c in df.columns]
            for j, h in enumerate(header, start=1):
                ws.cell(row=r, column=j, value=safe_cell(h)).font = Font(bold=True)
            for idx, row in df.iterrows():
                r += 1
                ws.cell(row=r, column=1, value=safe_cell(str(idx)))
                for j, v in enumerate(row, start=2):
                    val = v.item() if hasattr(v, "item") else v
                    c = ws.cell(row=r, column=j, value=safe_cell(val))
                    c.alignment = Alignment(horizontal="center")
            for k, note in enumerate(note_lines, start=r + 2):
                ws.cell(row=k, column=1, value=safe_cell(note))
            wb.save(path)
        else:
            raise ValueError(f"unknown format {fmt!r}")
        out[fmt] = str(path)
    return out
