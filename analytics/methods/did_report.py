"""What a DiD run shows: journal tables, the facts of its plain-language summary and the
event-study chart, from the ``did_json`` contract (``analytics.methods.did``).

Language-neutral, like ``journal``: rows carry keys (``att``, ``e=-2``, ``units``,
``later_vs_earlier``) that the web layer labels in the reader's language; ``findings`` returns
numbers and flags, and the web layer writes the sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from .journal import format_significant
from .jsonfloat import finite_or_none
from .stars import stars

__all__ = ["did_tables", "findings", "event_study_plot", "BACON_KINDS", "WITHIN_EVENT"]

THRESHOLDS = (0.10, 0.05, 0.01)
BACON_KINDS = ("treated_vs_never", "earlier_vs_later", "later_vs_earlier")
# "Within three years": event times 0, 1 and 2 (the year of the first pairing is e = 0).
WITHIN_EVENT = 2


def _p(att, se) -> float | None:
    att, se = finite_or_none(att), finite_or_none(se)
    if att is None or not se:
        return None
    return float(2 * stats.norm.sf(abs(att / se)))


def _cells(est: Mapping | None, digits: int) -> tuple[str, str]:
    if not est or finite_or_none(est.get("att")) is None:
        return "", ""
    coef = format_significant(est["att"], digits) + stars(_p(est["att"], est.get("se")),
                                                          thresholds=list(THRESHOLDS))
    se = format_significant(est.get("se"), digits)
    return coef, f"({se})" if se else ""


def _numbers(column: str, term: str, est: Mapping) -> dict:
    return {"model": column, "term": term, "estimate": est.get("att"),
            "std_error": est.get("se"), "p": _p(est.get("att"), est.get("se")),
            "lower": est.get("lower"), "upper": est.get("upper")}


def _robust_name(summary: Mapping) -> tuple[str, Mapping]:
    for key, name in (("imputation", "BJS imputation"), ("sun_abraham", "Sun-Abraham")):
        if summary.get(key):
            return name, summary[key]
    return "", {}


def did_tables(summary: Mapping, *, digits: int = 4) -> dict[str, dict]:
    """``did``: the overall ATT and the event-time effects by Callaway–Sant'Anna, the robust
    estimator and two-way FE side by side; ``did_bacon``: TWFE's Goodman-Bacon weights."""
    agg = summary.get("aggregates") or {}
    dynamic = agg.get("dynamic") or {}
    robust_name, robust = _robust_name(summary)
    twfe = summary.get("twfe") or {}
    columns = ["Callaway-Sant'Anna", *([robust_name] if robust_name else []), "TWFE"]
    sources = [({"att": agg.get("simple") or {}}, dynamic.get("by_event") or []),
               *([({"att": robust}, robust.get("by_event") or [])] if robust_name else []),
               ({"att": twfe}, [])]
    rows, numbers = [], []
    by_event = [{int(e["event"]): e for e in events} for _, events in sources]
    events = sorted({e for b in by_event for e in b})
    terms = [("att", [s[0]["att"] for s in sources]),
             *((f"e={e}", [b.get(e) for b in by_event]) for e in events)]
    for key, ests in terms:
        coef, paren = zip(*(_cells(est, digits) for est in ests))
        rows.append({"key": key, "role": "coef", "cells": list(coef)})
        rows.append({"key": key, "role": "paren", "cells": list(paren)})
        numbers += [_numbers(c, key, est) for c, est in zip(columns, ests) if est]
    treatment = summary.get("treatment") or {}
    stat_rows = [("units", summary.get("units") or treatment.get("cities")),
                 ("cohorts", len(summary.get("groups") or [])),
                 ("never_treated", summary.get("never_treated"))]
    for key, value in stat_rows:
        if value is not None:
            rows.append({"key": key, "role": "stat",
                         "cells": [str(int(value))] + [""] * (len(columns) - 1)})
    if twfe.get("nobs") is not None:
        rows.append({"key": "N", "role": "stat",
                     "cells": [""] * (len(columns) - 1) + [str(int(twfe["nobs"]))]})
    tables = {"did": {"columns": columns, "rows": rows, "numbers": numbers,
                      "notes": {"statistic": "se", "thresholds": list(THRESHOLDS)}}}
    bacon = twfe.get("bacon") or []
    if bacon:
        b_rows, b_numbers = [], []
        for kind in BACON_KINDS:
            parts = [b for b in bacon if b.get("kind") == kind]
            if not parts:
                continue
            weight = float(sum(b["weight"] for b in parts))
            estimate = (float(sum(b["weight"] * b["estimate"] for b in parts) / weight)
                        if weight else None)
            b_rows.append({"key": kind, "role": "coef", "cells": [
                format_significant(weight, digits), format_significant(estimate, digits),
                str(len(parts))]})
            b_numbers.append({"model": "bacon", "term": kind, "weight": weight,
                              "estimate": estimate, "comparisons": len(parts)})
        tables["did_bacon"] = {"columns": ["weight", "estimate", "comparisons"],
                               "rows": b_rows, "numbers": b_numbers,
                               "notes": {"statistic": "none", "thresholds": []}}
    return tables


def findings(summary: Mapping) -> dict:
    """The facts the plain-language summary states: the effect within three years (event
    time ``WITHIN_EVENT`` or the latest before it) with its uniform band, whether the
    pre-period estimates are all compatible with zero, and TWFE beside it."""
    dynamic = (summary.get("aggregates") or {}).get("dynamic") or {}
    events = {int(e["event"]): e for e in dynamic.get("by_event") or []}
    post = [e for e in events if 0 <= e <= WITHIN_EVENT]
    out: dict = {"y": summary.get("y"), "event": None}
    if post:
        e = max(post)
        est = events[e]
        lower, upper = finite_or_none(est.get("lower")), finite_or_none(est.get("upper"))
        significant = lower is not None and upper is not None and (upper < 0 or lower > 0)
        out.update(event=e, years=e + 1, att=est.get("att"), lower=lower, upper=upper,
                   direction=("fall" if significant and upper < 0 else
                              "rise" if significant else "none"))
    # Pre-periods (e < 0); a universal base period's reference year has SE 0 and is skipped.
    pre = [events[e] for e in events if e < 0 and finite_or_none(events[e].get("se"))]
    pre_off = [int(x["event"]) for x in pre
               if finite_or_none(x.get("lower")) is not None
               and (x["upper"] < 0 or x["lower"] > 0)]
    out["pre_periods"] = len(pre)
    out["pre_trend_events"] = pre_off
    twfe = summary.get("twfe") or {}
    simple = (summary.get("aggregates") or {}).get("simple") or {}
    out["twfe_att"] = twfe.get("att")
    out["simple_att"] = simple.get("att")
    if finite_or_none(twfe.get("att")) is not None and finite_or_none(simple.get("att")):
        out["twfe_same_sign"] = bool(np.sign(twfe["att"]) == np.sign(simple["att"]))
    out["forbidden_weight"] = twfe.get("forbidden_weight")
    return out


def event_study_plot(by_event: Sequence[Mapping], *, fmt: str = "svg", title: str,
                     xlabel: str, ylabel: str, band_label: str, pre_label: str,
                     post_label: str, synthetic: bool = False,
                     synthetic_label: str = "SYNTHETIC DATA") -> bytes:
    """Effects by event time with their uniform band: pre-periods grey, post-periods blue."""
    from .figures import _figure, _finish  # noqa: PLC0415  (matplotlib only to draw)

    plt, fig, ax = _figure(5.0, 3.6)
    rows = [e for e in by_event if finite_or_none(e.get("att")) is not None]
    ev = np.array([int(e["event"]) for e in rows])
    att = np.array([float(e["att"]) for e in rows])
    lo = np.array([finite_or_none(e.get("lower")) if finite_or_none(e.get("lower")) is not None
                   else np.nan for e in rows], dtype=float)
    hi = np.array([finite_or_none(e.get("upper")) if finite_or_none(e.get("upper")) is not None
                   else np.nan for e in rows], dtype=float)
    for mask, colour, label in ((ev < 0, "#777777", pre_label), (ev >= 0, "#1f5f8b", post_label)):
        if mask.any():
            ax.errorbar(ev[mask], att[mask], yerr=[att[mask] - lo[mask], hi[mask] - att[mask]],
                        fmt="o", color=colour, capsize=3, label=label)
    if len(ev):
        ax.fill_between(ev, lo, hi, color="#1f5f8b", alpha=0.12, step=None, label=band_label)
    ax.axhline(0, color="#888", lw=1, ls="--")
    ax.axvline(-0.5, color="#bbb", lw=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=10, loc="best")
    return _finish(plt, fig, ax, title, synthetic, fmt, synthetic_label)
