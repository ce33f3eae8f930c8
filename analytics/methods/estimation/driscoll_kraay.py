"""Driscoll-Kraay (1998) covariance: robust to heteroskedasticity, autocorrelation and to any
correlation between the units within a period (Hoechle 2007, Stata's ``xtscc``).

The scores x_it u_it are summed within each period, h_t = sum_i x_it u_it, and the T period sums
get a Newey-West (Bartlett kernel) long-run covariance:

    S = sum_t h_t h_t' + sum_{j=1..L} (1 - j/(L+1)) (Gamma_j + Gamma_j'),
    Gamma_j = sum_{t>j} h_t h_{t-j}'
    V = c (X'X)^-1 S (X'X)^-1

Small-sample scaling (xtscc without ``ase``): c = T/(T-1) * (N-1)/(N-K), with N observations,
T periods and K regressors (``k_dof``: count absorbed effects in it when X was demeaned).
xtscc then uses t(T-1) for inference; that is the caller's choice.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["driscoll_kraay_cov", "default_bandwidth"]


def default_bandwidth(n_periods: int) -> int:
    """The rule of thumb of Newey-West and xtscc: floor(4 (T/100)^(2/9))."""
    return math.floor(4 * (n_periods / 100) ** (2 / 9))


def driscoll_kraay_cov(
    X: np.ndarray,
    resid: np.ndarray,
    time_codes: np.ndarray,
    *,
    bandwidth: int | None = None,
    k_dof: int | None = None,
) -> tuple[np.ndarray, int]:
    """The (k x k) Driscoll-Kraay covariance of the OLS coefficients, and the bandwidth used.

    ``X`` (n x k) are the regressors (after any within transformation), ``resid`` the OLS
    residuals and ``time_codes`` the period of each row (any sortable labels). Lags count over
    the distinct periods present, in sorted order, as xtscc does. Panels may be unbalanced.
    """
    X = np.asarray(X, dtype=float)
    resid = np.asarray(resid, dtype=float)
    time_codes = np.asarray(time_codes)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n x k), got {X.ndim} dimension(s).")
    n, k = X.shape
    if resid.shape != (n,) or time_codes.shape != (n,):
        raise ValueError(f"resid and time_codes must both have shape ({n},) to match X's {n} rows.")
    _, periods = np.unique(time_codes, return_inverse=True)
    n_periods = int(periods.max()) + 1 if n else 0
    if n_periods < 2:
        raise ValueError(f"Driscoll-Kraay needs at least 2 time periods, got {n_periods}.")
    lag = default_bandwidth(n_periods) if bandwidth is None else int(bandwidth)
    if not 0 <= lag < n_periods:
        raise ValueError(f"bandwidth must be between 0 and T - 1 = {n_periods - 1}, got {bandwidth}.")
    dof_k = k if k_dof is None else int(k_dof)
    if not 0 < dof_k < n:
        raise ValueError(f"k_dof must be between 1 and n - 1 = {n - 1}, got {dof_k}.")

    period_scores = np.zeros((n_periods, k))
    np.add.at(period_scores, periods, X * resid[:, None])
    long_run = period_scores.T @ period_scores
    for j in range(1, lag + 1):
        gamma = period_scores[j:].T @ period_scores[:-j]
        long_run += (1 - j / (lag + 1)) * (gamma + gamma.T)

    bread = np.linalg.inv(X.T @ X)
    scale = n_periods / (n_periods - 1) * (n - 1) / (n - dof_k)
    cov = scale * bread @ long_run @ bread
    return (cov + cov.T) / 2, lag
