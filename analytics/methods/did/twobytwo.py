"""The 2×2 panel DiD estimators of Sant'Anna & Zhao (2020), with their influence functions.

Each takes the outcome change ``dy`` (later minus base period), the treatment indicator ``d``
and an intercept-first design ``x`` for the units of one comparison, and returns
``(att, influence)``, the influence function per unit scaled as in R ``DRDID`` (so that
``sqrt(mean(influence**2) / n)`` is the SE). Unit weights are all one. ``reg``: outcome
regression (Heckman et al. 1997); ``ipw``: normalised (Hájek) IPW (Abadie 2005); ``dr``: the
locally efficient doubly robust estimator (``DRDID::drdid_panel``). Propensity scores of
controls at or above ``TRIM`` are trimmed, as in ``DRDID``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ESTIMATORS", "OverlapViolation", "SingularDesign", "logit"]

TRIM = 0.995
OVERLAP = 0.999


class SingularDesign(ValueError):
    """The cell's regression or propensity design cannot be inverted."""


class OverlapViolation(SingularDesign):
    """A fitted propensity score reaches 0.999 (R ``did`` then leaves the cell NA)."""


def _inv(a: np.ndarray, what: str) -> np.ndarray:
    if a.shape == (1, 1):
        if a[0, 0] <= 0:
            raise SingularDesign(what)
        return 1.0 / a
    if 1.0 / np.linalg.cond(a, 1) < np.finfo(float).eps:
        raise SingularDesign(what)
    return np.linalg.inv(a)


def logit(d: np.ndarray, x: np.ndarray, *, tol: float = 1e-12, maxiter: int = 100) -> np.ndarray:
    """Fitted probabilities of a logit of ``d`` on ``x`` (Newton–Raphson)."""
    if x.shape[1] == 1:
        return np.full(len(d), d.mean())
    beta = np.zeros(x.shape[1])
    p0 = np.clip(d.mean(), 1e-6, 1 - 1e-6)
    beta[0] = np.log(p0 / (1 - p0))
    for _ in range(maxiter):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        w = p * (1 - p)
        step = np.linalg.solve(_inv_check(x.T @ (w[:, None] * x)), x.T @ (d - p))
        beta += step
        if np.max(np.abs(step)) < tol:
            break
    return 1.0 / (1.0 + np.exp(-(x @ beta)))


def _inv_check(a: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(a)) or 1.0 / np.linalg.cond(a, 1) < np.finfo(float).eps:
        raise SingularDesign("propensity score")
    return a


def _ols(dy: np.ndarray, x: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Fitted values of the control-group regression of ``dy`` on ``x`` and its influence."""
    n = len(dy)
    xc = x[mask]
    xtx = xc.T @ xc
    beta = _inv(xtx, "outcome regression") @ (xc.T @ dy[mask])
    fitted = x @ beta
    wols_ex = (mask * (dy - fitted))[:, None] * x
    asy = wols_ex @ _inv(xtx / n, "outcome regression")
    return fitted, asy


def _pscore(d: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(d)
    fitted = logit(d, x)
    if x.shape[1] > 1 and fitted.max() >= OVERLAP:
        raise OverlapViolation("overlap")
    ps = np.minimum(fitted, 1 - 1e-6)
    keep = np.where(d == 1, True, ps < TRIM)
    info = x.T @ ((ps * (1 - ps))[:, None] * x)
    hessian = _inv(info, "propensity score") * n
    asy_ps = ((d - ps)[:, None] * x) @ hessian
    return ps, keep.astype(float), asy_ps


def reg_did(dy: np.ndarray, d: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    fitted, asy = _ols(dy, x, d == 0)
    w_treat = d
    mt = w_treat.mean()
    att_treat = w_treat * dy
    att_cont = w_treat * fitted
    eta_treat = att_treat.mean() / mt
    eta_cont = att_cont.mean() / mt
    inf_treat = (att_treat - w_treat * eta_treat) / mt
    moment = (w_treat[:, None] * x).mean(axis=0)
    inf_control = (att_cont - w_treat * eta_cont + asy @ moment) / mt
    return float(eta_treat - eta_cont), inf_treat - inf_control


def ipw_did(dy: np.ndarray, d: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    ps, keep, asy_ps = _pscore(d, x)
    w_treat = keep * d
    w_cont = keep * ps * (1 - d) / (1 - ps)
    att_treat = w_treat * dy
    att_cont = w_cont * dy
    eta_treat = att_treat.mean() / w_treat.mean()
    eta_cont = att_cont.mean() / w_cont.mean()
    inf_treat = (att_treat - w_treat * eta_treat) / w_treat.mean()
    m2 = ((w_cont * (dy - eta_cont))[:, None] * x).mean(axis=0)
    inf_control = (att_cont - w_cont * eta_cont + asy_ps @ m2) / w_cont.mean()
    return float(eta_treat - eta_cont), inf_treat - inf_control


def dr_did(dy: np.ndarray, d: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    ps, keep, asy_ps = _pscore(d, x)
    fitted, asy_ols = _ols(dy, x, d == 0)
    w_treat = keep * d
    w_cont = keep * ps * (1 - d) / (1 - ps)
    resid = dy - fitted
    att_treat = w_treat * resid
    att_cont = w_cont * resid
    mt, mc = w_treat.mean(), w_cont.mean()
    eta_treat = att_treat.mean() / mt
    eta_cont = att_cont.mean() / mc
    m1 = (w_treat[:, None] * x).mean(axis=0)
    inf_treat = (att_treat - w_treat * eta_treat - asy_ols @ m1) / mt
    m2 = ((w_cont * (resid - eta_cont))[:, None] * x).mean(axis=0)
    m3 = (w_cont[:, None] * x).mean(axis=0)
    inf_control = (att_cont - w_cont * eta_cont + asy_ps @ m2 - asy_ols @ m3) / mc
    return float(eta_treat - eta_cont), inf_treat - inf_control


ESTIMATORS = {"reg": reg_did, "ipw": ipw_did, "dr": dr_did}
