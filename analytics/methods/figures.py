"""Charts rendered on the server with matplotlib (Agg): PNG for files, SVG for pages.

Each function returns bytes. Synthetic inputs are labelled in the chart itself. Every text
(title, axes, the synthetic mark) is a parameter, so the caller passes it in the reader's
language. SVG keeps text as text (the reader's fonts draw it); PNG draws Chinese with Noto Sans
CJK SC, shipped by the ``mplfonts`` package (OFL font, installed by ``make``; no network).
Sizes are for a phone: a 5-inch figure with 12-point text stays readable at 360 px wide.
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["coefficient_plot", "index_trends", "dist_histogram", "weights_bar"]

SYNTHETIC_LABEL = "SYNTHETIC DATA"


CJK_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CJK_FONT_NAME = "Noto Sans CJK SC"


def cjk_font_path() -> Path | None:
    """The packaged Noto Sans CJK SC file, found without importing the package."""
    spec = importlib.util.find_spec("mplfonts")
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "fonts" / CJK_FONT_FILE
        if path.is_file():
            return path
    return None


def _figure(width: float = 5.0, height: float = 3.4):
    # Lazy: pyplot only after the headless Agg backend is chosen, and only to draw.
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # noqa: PLC0415
    from matplotlib import font_manager  # noqa: PLC0415

    path = cjk_font_path()
    if path is not None and CJK_FONT_NAME not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = [CJK_FONT_NAME, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False  # the CJK font has no U+2212 minus
    plt.rcParams["font.size"] = 12
    plt.rcParams["svg.fonttype"] = "none"  # keep text as text: small, translatable, accessible
    fig, ax = plt.subplots(figsize=(width, height), dpi=120)
    return plt, fig, ax


def _finish(plt, fig, ax, title: str, synthetic: bool, fmt: str,
            synthetic_label: str = SYNTHETIC_LABEL) -> bytes:
    if synthetic:
        title = f"{title} ({synthetic_label})"
        fig.text(0.99, 0.01, synthetic_label, ha="right", va="bottom", fontsize=10,
                 color="#a33")
    ax.set_title(title, fontsize=13)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=None if fmt == "png" else {"Date": None})
    plt.close(fig)
    return buf.getvalue()


def coefficient_plot(fits: Mapping[str, object], *, variable: str = "Dig", level: float = 0.95,
                     synthetic: bool = False, fmt: str = "svg",
                     title: str = "Coefficient with confidence interval",
                     xlabel: str | None = None,
                     synthetic_label: str = SYNTHETIC_LABEL) -> bytes:
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
    ax.set_xlabel(xlabel or f"{variable} ({int(level * 100)}% CI)")
    return _finish(plt, fig, ax, title, synthetic, fmt, synthetic_label)


def index_trends(panel: pd.DataFrame, *, column: str = "Dig", group: str = "region",
                 time: str = "year", synthetic: bool = False, fmt: str = "svg",
                 title: str | None = None, xlabel: str | None = None,
                 ylabel: str | None = None, group_labels: Mapping[str, str] | None = None,
                 synthetic_label: str = SYNTHETIC_LABEL) -> bytes:
    """Mean of ``column`` per year for each level of ``group``."""
    plt, fig, ax = _figure()
    if group in panel.columns:
        means = panel.groupby([time, group])[column].mean().unstack(group)
    else:
        means = panel.groupby(time)[column].mean().to_frame("all")
    for g in means.columns:
        ax.plot(means.index, means[g], marker="o", ms=4,
                label=(group_labels or {}).get(str(g), str(g)))
    ax.set_xlabel(xlabel or time)
    ax.set_ylabel(ylabel or f"mean {column}")
    ax.legend(fontsize=11)
    return _finish(plt, fig, ax, title or f"{column} by {group}", synthetic, fmt,
                   synthetic_label)


def dist_histogram(panel: pd.DataFrame, *, column: str = "Dist", bins: int = 30,
                   synthetic: bool = False, fmt: str = "svg", title: str | None = None,
                   xlabel: str | None = None, ylabel: str | None = None,
                   synthetic_label: str = SYNTHETIC_LABEL) -> bytes:
    """Histogram of ``column`` (Dist: smaller is more equal)."""
    plt, fig, ax = _figure()
    vals = panel[column].dropna().to_numpy(dtype=float)
    ax.hist(vals, bins=bins, color="#6a9f58", edgecolor="white")
    ax.set_xlabel(xlabel or column)
    ax.set_ylabel(ylabel or "city-years")
    return _finish(plt, fig, ax, title or f"Distribution of {column}", synthetic, fmt,
                   synthetic_label)


def _wrap_label(text: str) -> str:
    """12 characters a line for Chinese (each as wide as two Latin ones), 20 for the rest."""
    width = 12 if any(ord(ch) > 0x2E80 for ch in text) else 20
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


def weights_bar(weights: Mapping[str, float], *, labels: Mapping[str, str] | None = None,
                synthetic: bool = False, fmt: str = "svg", title: str = "Indicator weights",
                xlabel: str = "weight", synthetic_label: str = SYNTHETIC_LABEL) -> bytes:
    """Horizontal bars of an index's weights (entropy or PCA), largest at the top, each bar
    with its value; ``labels`` name the indicators (the reader's language)."""
    items = sorted(((str(k), float(v)) for k, v in weights.items()), key=lambda kv: kv[1])
    height = max(2.6, 1.0 + 0.55 * len(items))
    plt, fig, ax = _figure(height=height)
    # Long names (the catalogue's meanings) wrap: the figure is a phone's width.
    names = [_wrap_label((labels or {}).get(k, k)) for k, _ in items]
    values = [v for _, v in items]
    y = np.arange(len(items))
    ax.barh(y, values, color="#4c78a8")
    for yi, v in zip(y, values):
        ax.text(v, yi, f" {v:.3f}", va="center", fontsize=10)
    ax.set_yticks(y, names)
    ax.set_xlabel(xlabel)
    top = max([*values, 0.0])
    ax.set_xlim(min([*values, 0.0]), top * 1.22 if top > 0 else 1.0)
    # A long title (English) wraps instead of running off a phone-wide figure.
    title = "\n".join(textwrap.wrap(title, 34)) or title
    return _finish(plt, fig, ax, title, synthetic, fmt, synthetic_label)
