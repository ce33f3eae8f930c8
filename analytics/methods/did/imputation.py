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


def _fe_solver(untreated: np.ndarray):
    """Solve the normal equations of unit + period dummies on the untreated cells.

    ``solve(r_u, r_t)`` returns the fitted ``a_i + c_t`` grid (n × T × K) of the least-squares
    coefficients whose normal-equation right-hand sides are ``r_u`` (n × K, unit sums) and
    ``r_t`` (T × K, period sums); the first period's effect is 0. The period block is
    eliminated by its Schur complement, so only a (T−1)² system is inverted.
    """
    U = untreated.astype(float)
    du = U.sum(axis=1)
    du_inv = np.divide(1.0, du, out=np.zeros_like(du), where=du > 0)
    B = U[:, 1:]
    schur = np.diag(B.sum(axis=0)) - B.T @ (du_inv[:, None] * B)
    schur_inv = np.linalg.pinv(schur)

    def solve(r_u: np.ndarray, r_t: np.ndarray) -> np.ndarray:
        c = schur_inv @ (r_t[1:] - B.T @ (du_inv[:, None] * r_u))
        a = du_inv[:, None] * (r_u - B @ c)
        c_full = np.vstack([np.zeros((1, c.shape[1])), c])
        return a[:, None, :] + c_full[None, :, :]

    return solve


def imputation(panel: Panel, *, anticipation: int = 0) -> dict:
    Y, G, times = panel.Y, panel.G, panel.times
    n, T = Y.shape
    g = G[:, None]
    t = times[None, :]
    untreated = (g == 0) | (t < g - anticipation)
    treated = (g > 0) & (t >= g)
    if not untreated.any():
        raise ValueError("the imputation estimator needs untreated observations")
    imputable = treated & untreated.any(axis=1)[:, None] & untreated.any(axis=0)[None, :]
    notes = []
    if (treated & ~imputable).any():
        notes.append(f"imputation: {int((treated & ~imputable).sum())} treated observations "
                     "have no untreated observation of their unit or period and are left out.")
    solve = _fe_solver(untreated)
    y0 = np.where(untreated, Y, 0.0)
    fitted = solve(y0.sum(axis=1)[:, None], y0.sum(axis=0)[:, None])[:, :, 0]
    tau = np.where(imputable, Y - fitted, 0.0)
    event = np.where(imputable, t - g, -1)
    events = np.unique(event[imputable])
    # Target weights: 0 the overall ATT, then one per event time.
    W = np.zeros((n, T, 1 + len(events)))
    W[imputable, 0] = 1.0 / imputable.sum()
    for j, e in enumerate(events, start=1):
        at = event == e
        W[at, j] = 1.0 / at.sum()
    est = (W * tau[:, :, None]).sum(axis=(0, 1))
    V = W - untreated[:, :, None] * solve(W.sum(axis=1), W.sum(axis=0))
    resid = np.where(untreated, Y - fitted, 0.0)
    cell = np.where(imputable, g * 10_000 + event, -1)
    for c in np.unique(cell[imputable]):
        at = cell == c
        resid[at] = tau[at] - tau[at].mean()
    contrib = (V * resid[:, :, None]).sum(axis=1)
    se = np.sqrt((contrib ** 2).sum(axis=0))
    return {"att": float(est[0]), "se": float(se[0]),
            "by_event": [{"event": int(e), "att": float(est[j]), "se": float(se[j])}
                         for j, e in enumerate(events, start=1)],
            "notes": notes}
