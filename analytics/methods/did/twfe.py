"""The naive two-way fixed-effects DiD and its Goodman-Bacon (2021) decomposition.

``twfe`` regresses y on the treatment dummy D_it = 1{g > 0, t ≥ g} with unit and period
effects through the estimation engine (SEs clustered by unit, reghdfe's small-sample factor).
``bacon`` splits that coefficient, on a balanced panel without covariates, into the 2×2
comparisons it averages: each cohort against the never treated, earlier against later
cohorts (before the later one is treated) and later against earlier cohorts (after the
earlier one is treated: the "forbidden" comparison, where already-treated units are the
controls and a changing effect biases the average). The weights sum to one and the weighted
estimates add up to the TWFE coefficient.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..estimation import estimate
from .panel import Panel

__all__ = ["bacon", "treatment_dummy", "twfe", "twfe_json"]


def treatment_dummy(panel: Panel) -> np.ndarray:
    g = panel.G[:, None]
    return ((g > 0) & (panel.times[None, :] >= g)).astype(float)


def _demean(a: np.ndarray) -> np.ndarray:
    return a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean()


def twfe(panel: Panel) -> dict:
    n, T = panel.Y.shape
    D = treatment_dummy(panel)
    frame = pd.DataFrame({"_u": np.repeat(np.arange(n), T), "_t": np.tile(panel.times, n),
                          "_y": panel.Y.ravel(), "_d": D.ravel()})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate(frame, y="_y", exog=["_d"], entity="_u", time="_t",
                       effects="entity time", se="cluster")
    return {"att": est.params["_d"], "se": est.std_errors["_d"], "nobs": int(est.nobs)}


def _did(Y: np.ndarray, treat: np.ndarray, ctrl: np.ndarray, pre: np.ndarray,
         post: np.ndarray) -> float:
    def change(rows):
        return Y[rows][:, post].mean() - Y[rows][:, pre].mean()
    return float(change(treat) - change(ctrl))


def bacon(panel: Panel) -> list[dict]:
    """The 2×2 comparisons: kind, treated and control cohort (0 = never), weight, estimate."""
    Y, cohort, times = panel.Y, panel.G, panel.times
    n, T = Y.shape
    D = treatment_dummy(panel)
    var_d = float((_demean(D) ** 2).mean())
    cohorts = [int(g) for g in panel.cohorts]
    share = {g: float(np.mean(cohort == g)) for g in [0, *cohorts]}
    dbar = {g: float(np.mean(times >= g)) for g in cohorts}
    out = []
    never = cohort == 0
    if never.any():
        nu = share[0]
        for k in cohorts:
            nk, dk = share[k], dbar[k]
            nku = nk / (nk + nu)
            w = (nk + nu) ** 2 * nku * (1 - nku) * dk * (1 - dk) / var_d
            est = _did(Y, cohort == k, never, times < k, times >= k)
            out.append({"kind": "treated_vs_never", "treated": k, "control": 0,
                        "weight": w, "estimate": est})
    for i, k in enumerate(cohorts):
        for m in cohorts[i + 1:]:               # k treated earlier than m
            nk, nm, dk, dm = share[k], share[m], dbar[k], dbar[m]
            nkm = nk / (nk + nm)
            w_early = ((nk + nm) * (1 - dm)) ** 2 * nkm * (1 - nkm) * (
                (dk - dm) / (1 - dm)) * ((1 - dk) / (1 - dm)) / var_d
            window = times < m
            est_early = _did(Y, cohort == k, cohort == m, window & (times < k), window & (times >= k))
            out.append({"kind": "earlier_vs_later", "treated": k, "control": m,
                        "weight": w_early, "estimate": est_early})
            w_late = ((nk + nm) * dk) ** 2 * nkm * (1 - nkm) * (dm / dk) * (
                (dk - dm) / dk) / var_d
            window = times >= k
            est_late = _did(Y, cohort == m, cohort == k, window & (times < m), window & (times >= m))
            out.append({"kind": "later_vs_earlier", "treated": m, "control": k,
                        "weight": w_late, "estimate": est_late})
    return out


def twfe_json(panel: Panel) -> dict:
    """TWFE (no covariates: the naive benchmark) with its decomposition."""
    out = twfe(panel)
    parts = bacon(panel)
    out["bacon"] = parts
    out["forbidden_weight"] = float(sum(p["weight"] for p in parts
                                        if p["kind"] == "later_vs_earlier"))
    out["bacon_sum"] = float(sum(p["weight"] * p["estimate"] for p in parts))
    return out
