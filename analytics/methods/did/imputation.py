"""The imputation estimator of Borusyak, Jaravel & Spiess (2024).

Unit and period effects are fitted on the untreated observations only (never treated, and
treated units before g − anticipation); each treated observation's effect is its outcome less
the imputed untreated outcome α_i + λ_t; the estimates average those effects (all treated
observations for the overall ATT, those at event time e for each e ≥ 0). Every estimate is a
linear combination Σ v_it y_it; its SE is BJS's conservative clustered formula
sqrt(Σ_i (Σ_t v_it ε̃_it)²), with ε̃ the untreated residuals and, for treated observations, the
effect less its cohort × event-time mean (Theorem 3).
"""

from __future__ import annotations

import numpy as np

from .panel import Panel

__all__ = ["imputation"]


def imputation(panel: Panel, *, anticipation: int = 0) -> dict:
    Y, G, times = panel.Y, panel.G, panel.times
    n, T = Y.shape
    g = G[:, None]
    t = times[None, :]
    untreated = ((g == 0) | (t < g - anticipation)).ravel()
    treated = ((g > 0) & (t >= g)).ravel()
    unit = np.repeat(np.arange(n), T)
    period = np.tile(np.arange(T), n)
    event = np.where(treated, (t - g).ravel(), 0)
    if not untreated.any():
        raise ValueError("the imputation estimator needs untreated observations")
    seen_u = np.bincount(unit[untreated], minlength=n) > 0
    seen_t = np.bincount(period[untreated], minlength=T) > 0
    imputable = treated & seen_u[unit] & seen_t[period]
    notes = []
    if (treated & ~imputable).any():
        notes.append(f"imputation: {int((treated & ~imputable).sum())} treated observations "
                     "have no untreated observation of their period and are left out.")
    # Design of unit and period dummies (the first period's dummy dropped).
    Z = np.zeros((n * T, n + T - 1))
    Z[np.arange(n * T), unit] = 1.0
    later = period > 0
    Z[np.flatnonzero(later), n + period[later] - 1] = 1.0
    y = Y.ravel()
    Z0, y0 = Z[untreated], y[untreated]
    gram_inv = np.linalg.pinv(Z0.T @ Z0)
    theta = gram_inv @ (Z0.T @ y0)
    tau = np.where(imputable, y - Z @ theta, np.nan)
    events = np.unique(event[imputable])
    # Target weights: column 0 the overall ATT, then one per event time.
    W = np.zeros((n * T, 1 + len(events)))
    W[imputable, 0] = 1.0 / imputable.sum()
    for j, e in enumerate(events, start=1):
        at = imputable & (event == e)
        W[at, j] = 1.0 / at.sum()
    est = np.nansum(W * tau[:, None], axis=0)
    V = W.copy()
    V[untreated] = -Z0 @ (gram_inv @ (Z[imputable].T @ W[imputable]))
    resid = np.zeros(n * T)
    resid[untreated] = y0 - Z0 @ theta
    cell = G[unit] * 10_000 + event
    for c in np.unique(cell[imputable]):
        at = imputable & (cell == c)
        resid[at] = tau[at] - tau[at].mean()
    contrib = (V * resid[:, None]).reshape(n, T, -1).sum(axis=1)
    se = np.sqrt((contrib ** 2).sum(axis=0))
    return {"att": float(est[0]), "se": float(se[0]),
            "by_event": [{"event": int(e), "att": float(est[j]), "se": float(se[j])}
                         for j, e in enumerate(events, start=1)],
            "notes": notes}
