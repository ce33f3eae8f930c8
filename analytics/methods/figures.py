"""Charts rendered on the server with matplotlib (Agg): PNG for files, SVG for pages.

Each function returns bytes. Synthetic inputs are labelled in the chart itself.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["coefficient_plot", "index_trends", "dist_histogram"]

SYNTHETIC_LABEL = "SYNTHETIC DATA"


def _figure(width: float = 6.0, height: float = 3.6):
    # Lazy: pyplot only after the headless Agg backend is chosen, and only to draw.
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.rcParams["svg.fonttype"] = "none"  # keep text as text: small, translatable, accessible
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return plt, fig, ax


def _finish(plt, fig, ax, title: str, synthetic: bool, fmt: str) -> bytes:
    if synthetic:
        title = f"{title} ({SYNTHETIC_LABEL})"
        fig.text(0.99, 0.01, SYNTHETIC_LABEL, ha="right", va="bottom", fontsize=8, color="#a33")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=None if fmt == "png" else {"Date": None})
    plt.close(fig)
    return buf.getvalue()


def coefficient_plot(fits: Mapping[str, object], *, variable: str = "Dig", level: float = 0.95,
                     synthetic: bool = False, fmt: str = "svg",
                     title: str = "Coefficient with confidence interval") -> bytes:
    """Point estimate and ``level`` CI (t with the fit's p-value df) of ``variable`` per model."""
    plt, fig, ax = _figure()
    names, est, lo, hi = [], [], [], []
    for name, f in fits.items():
        if variable not in f.params:
            continue
        q = stats.t.ppf(0.5 + level / 2, getattr(f, "df_pvalues", 10**6))
        b, se = f.params[variable], f.std_errors[variable]
        names.append(str(name))
        est.append(b)
        lo.append(b - q * se)
        hi.append(b + q * se)
    y = np.arange(len(names))[::-1]
    est, lo, hi = map(np.asarray, (est, lo, hi))
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="o", color="#1f5f8b", capsize=4)
    ax.axvline(0, color="#888", lw=1, ls="--")
    ax.set_yticks(y, names)
    ax.set_xlabel(f"{variable} ({int(level * 100)}% CI)")
    return _finish(plt, fig, ax, title, synthetic, fmt)


def index_trends(panel: pd.DataFrame, *, column: str = "Dig", group: str = "region",
                 time: str = "year", synthetic: bool = False, fmt: str = "svg",
                 title: str | None = None) -> bytes:
    """Mean of ``column`` per year for each level of ``group``."""
    plt, fig, ax = _figure()
    if group in panel.columns:
        means = panel.groupby([time, group])[column].mean().unstack(group)
    else:
        means = panel.groupby(time)[column].mean().to_frame("all")
    for g in means.columns:
        ax.plot(means.index, means[g], marker="o", ms=3, label=str(g))
    ax.set_xlabel(time)
    ax.set_ylabel(f"mean {column}")
    ax.legend(fontsize=8)
    return _finish(plt, fig, ax, title or f"{column} by {group}", synthetic, fmt)


def dist_histogram(panel: pd.DataFrame, *, column: str = "Dist", bins: int = 30,
                   synthetic: bool = False, fmt: str = "svg", title: str | None = None) -> bytes:
    """Histogram of ``column`` (Dist: smaller is more equal)."""
    plt, fig, ax = _figure()
    vals = panel[column].dropna().to_numpy(dtype=float)
    ax.hist(vals, bins=bins, color="#6a9f58", edgecolor="white")
    ax.set_xlabel(column)
    ax.set_ylabel("city-years")
    return _finish(plt, fig, ax, title or f"Distribution of {column}", synthetic, fmt)
