"""What an IV fit reports beside its coefficients, each under its name.

- First-stage F per instrumented regressor: the Wald test of the excluded instruments in its
  first stage, with the fit's own SE convention (so it is cluster-robust when the fit is).
- Kleibergen-Paap rk Wald F (Kleibergen and Paap 2006; ivreg2's scaling, with the absorbed
  effects counted in the degrees of freedom as ivreghdfe does), from linearmodels' rank test.
  With iid errors it is the Cragg-Donald F.
- Hansen's J for over-identification (Sargan's with iid errors), at the two-step efficient GMM
  estimate with the weight matrix from the 2SLS residuals, as ivreg2 reports it.
- Anderson-Rubin confidence set for one instrumented regressor: every b0 at which the
  instruments do not explain y - b0 d (robust to weak instruments such as a lag). It may be an
  interval, two rays or the whole line; we say which.
"""

from __future__ import annotations

import warnings

import numpy as np
from linearmodels.iv.common import kleibergen_paap_f
from scipy import optimize, stats

from .covariance import coefficient_covariance

__all__ = ["iv_diagnostics", "anderson_rubin_set"]

AR_LEVEL = 0.95


def _cov_like(result, design, resid, n_params):
    a = result.arrays
    bread = np.linalg.pinv(design.T @ design)
    return coefficient_covariance(a["se"], design=design, resid=resid, bread=bread,
                                  n_params=n_params, small=a["small"], clusters=a["clusters"],
                                  cluster_names=a["cluster_names"], time_codes=a["time_codes"],
                                  bandwidth=a["bandwidth"]).matrix


def _first_stages(result, endog, instruments) -> dict:
    a = result.arrays
    n = len(a["y"])
    zfull = np.column_stack([np.ones(n), a["x"], a["z"]])
    kx, kz = a["x"].shape[1], a["z"].shape[1]
    n_params = kx + kz + a["df_a"]
    cols = list(range(1 + kx, 1 + kx + kz))
    exog_names = a["names"][1: 1 + kx]
    xo = np.column_stack([np.ones(n), a["x"]])
    z_part = a["z"] - xo @ np.linalg.lstsq(xo, a["z"], rcond=None)[0]
    per = {}
    for j, name in enumerate(endog):
        d = a["d"][:, j]
        coef, *_ = np.linalg.lstsq(zfull, d, rcond=None)
        resid = d - zfull @ coef
        cov = _cov_like(result, zfull, resid, n_params)
        bz, vz = coef[cols], cov[np.ix_(cols, cols)]
        wald = float(bz @ np.linalg.solve(vz, bz))
        df = result.df_resid
        f = wald / kz
        d_part = d - xo @ np.linalg.lstsq(xo, d, rcond=None)[0]
        fit_part = z_part @ np.linalg.lstsq(z_part, d_part, rcond=None)[0]
        se_all = np.sqrt(np.diag(cov))
        t_all = coef / np.where(se_all > 0, se_all, np.nan)
        p_all = 2 * (stats.t.sf(np.abs(t_all), df) if df else stats.norm.sf(np.abs(t_all)))
        # Instruments first, then the exogenous regressors (the order of a first-stage table).
        order = cols + list(range(1, 1 + kx))
        labels = list(instruments) + exog_names
        per[name] = {
            "coefficients": {lb: float(coef[i]) for lb, i in zip(labels, order, strict=True)},
            "std_errors": {lb: float(se_all[i]) for lb, i in zip(labels, order, strict=True)},
            "tstats": {lb: float(t_all[i]) for lb, i in zip(labels, order, strict=True)},
            "pvalues": {lb: float(p_all[i]) for lb, i in zip(labels, order, strict=True)},
            "const": float(coef[0]),
            "F": f, "df": [kz, int(df)] if df else [kz],
            "p": float(stats.f.sf(f, kz, df)) if df else float(stats.chi2.sf(wald, kz)),
            "partial_r2": float(fit_part @ fit_part / (d_part @ d_part)),
            "name": "first-stage F of the excluded instruments (same SE convention as the fit)",
        }
    return per


def _kleibergen_paap(result, stages: dict) -> tuple[float | None, str]:
    a = result.arrays
    if a["d"].shape[1] == 1 and a["se"] in ("unadjusted", "robust", "cluster") and len(
            a["clusters"]) <= 1:
        # One instrumented regressor: the rk Wald F is the first-stage Wald F with the same
        # scores and factors (tested against linearmodels' rank test to 1e-8).
        f = next(iter(stages.values()))["F"]
        return f, ("Cragg-Donald Wald F (iid errors)" if a["se"] == "unadjusted"
                   else "Kleibergen-Paap rk Wald F")
    n = len(a["y"])
    exog = np.column_stack([np.ones(n), a["x"]])
    kz = a["z"].shape[1]
    se = a["se"]
    if se == "unadjusted":
        kind, config = "unadjusted", None
    elif se == "robust":
        kind, config = "robust", None
    elif se == "cluster" and len(a["clusters"]) == 1:
        kind, config = "clustered", {"clusters": a["clusters"][0]}
    else:
        return None, "Kleibergen-Paap rk Wald F: not defined for this SE convention"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = float(kleibergen_paap_f(a["d"], a["z"], exog, kind, config))
    # linearmodels counts only the exogenous columns; ivreghdfe also counts the absorbed df.
    theirs = n - kz - exog.shape[1]
    ours = n - kz - a["x"].shape[1] - a["df_a"]
    name = ("Cragg-Donald Wald F (iid errors)" if kind == "unadjusted"
            else "Kleibergen-Paap rk Wald F")
    return f * ours / theirs, name


def _hansen_j(result) -> dict | None:
    a = result.arrays
    kz, kd = a["z"].shape[1], a["d"].shape[1]
    if kz <= kd:
        return None
    # On the excluded instruments with the exogenous regressors partialled out (FWL): the
    # same J, and a meat that stays invertible when effects are nested in the clusters.
    n = len(a["y"])
    xo = np.column_stack([np.ones(n), a["x"]])

    def partial(m):
        return m - xo @ np.linalg.lstsq(xo, m, rcond=None)[0]

    zp, dp, yp, u = partial(a["z"]), partial(a["d"]), partial(a["y"]), a["resid"]
    if a["se"] == "unadjusted":
        s = float(u @ u) / n * (zp.T @ zp)
        name = "Sargan"
    else:
        # The meat of the fit's own convention, without its finite-sample factor.
        s = _meat(result, zp, u)
        name = "Hansen J"
    w = np.linalg.inv(s)
    zx, zy = zp.T @ dp, zp.T @ yp
    b = np.linalg.solve(zx.T @ w @ zx, zx.T @ w @ zy)
    g = zp.T @ (yp - dp @ b)
    j = float(g @ w @ g)
    dof = kz - kd
    return {"stat": j, "df": dof, "p": float(stats.chi2.sf(j, dof)),
            "name": f"{name} over-identification test (two-step GMM, as ivreg2)"}


def _meat(result, design, resid) -> np.ndarray:
    """bread^-1 V bread^-1 with the finite-sample factor removed: the plain score meat."""
    a = result.arrays
    gram = design.T @ design
    bread = np.linalg.inv(gram)
    cov = coefficient_covariance(a["se"], design=design, resid=resid, bread=bread,
                                 n_params=0, small=False, clusters=a["clusters"],
                                 cluster_names=a["cluster_names"], time_codes=a["time_codes"],
                                 bandwidth=a["bandwidth"])
    meat = gram @ cov.matrix @ gram
    if a["se"] == "cluster":  # remove G/(G-1), which small=False keeps
        g = min(cov.n_clusters)
        meat *= (g - 1) / g
    return meat


def anderson_rubin_set(result, endog: str, level: float = AR_LEVEL) -> dict:
    """The Anderson-Rubin confidence set for the one instrumented regressor."""
    a = result.arrays
    n = len(a["y"])
    zfull = np.column_stack([np.ones(n), a["x"], a["z"]])
    kx, kz = a["x"].shape[1], a["z"].shape[1]
    cols = list(range(1 + kx, 1 + kx + kz))
    n_params = kx + kz + a["df_a"]
    y, d = a["y"], a["d"][:, 0]
    pinv = np.linalg.pinv(zfull)
    py, pd_ = pinv @ y, pinv @ d
    ey, ed = y - zfull @ py, d - zfull @ pd_
    # Every covariance here is a quadratic form in the residual, so V(b0) is a quadratic in b0.
    vy = _cov_like(result, zfull, ey, n_params)[np.ix_(cols, cols)]
    vd = _cov_like(result, zfull, ed, n_params)[np.ix_(cols, cols)]
    vs = _cov_like(result, zfull, ey + ed, n_params)[np.ix_(cols, cols)]
    cross = vs - vy - vd
    df = result.df_resid
    crit = (stats.f.ppf(level, kz, df) * kz) if df else stats.chi2.ppf(level, kz)

    def excess(b0: float) -> float:
        c = py[cols] - b0 * pd_[cols]
        v = vy - b0 * cross + b0 * b0 * vd
        return float(c @ np.linalg.solve(v, c)) - crit

    centre = result.params[endog]
    width = 50 * max(result.std_errors[endog], 1e-12)
    grid = np.linspace(centre - width, centre + width, 2001)
    cs = py[cols][None, :] - grid[:, None] * pd_[cols][None, :]
    vs_grid = vy[None] - grid[:, None, None] * cross[None] + (grid ** 2)[:, None, None] * vd[None]
    values = np.einsum("gi,gi->g", cs, np.linalg.solve(vs_grid, cs[..., None])[..., 0]) - crit
    at_infinity = float(pd_[cols] @ np.linalg.solve(vd, pd_[cols])) - crit
    accepted = values <= 0
    roots = [optimize.brentq(excess, grid[i], grid[i + 1])
             for i in np.flatnonzero(np.diff(accepted.astype(int)) != 0)]
    if accepted.all():
        shape, bounds = ("whole line" if at_infinity <= 0 else "wider than ±50 SE"), [None, None]
    elif not accepted.any():
        shape, bounds = "empty", []
    elif accepted[0] and accepted[-1]:
        shape, bounds = "two rays", [[None, roots[0]], [roots[-1], None]]
    elif accepted[0]:
        shape, bounds = "unbounded below", [None, roots[0]]
    elif accepted[-1]:
        shape, bounds = "unbounded above", [roots[-1], None]
    else:
        shape = "interval" if len(roots) == 2 else "union of intervals"
        bounds = roots if len(roots) == 2 else [roots[i:i + 2] for i in range(0, len(roots), 2)]
    return {"level": level, "shape": shape, "bounds": bounds, "critical_value": crit,
            "name": f"Anderson-Rubin {int(level * 100)}% confidence set for {endog} "
                    "(robust to weak instruments)"}


def iv_diagnostics(result, *, endog: list[str], instruments: list[str]) -> None:
    """Fill ``result.first_stage`` and ``result.overid`` (in place)."""
    stages = _first_stages(result, endog, instruments)
    kp, kp_name = _kleibergen_paap(result, stages)
    result.first_stage = {"stages": stages, "kleibergen_paap_f": kp, "kp_name": kp_name,
                          "instruments": list(instruments)}
    if len(endog) == 1:
        result.first_stage.update(stages[endog[0]] | {"kleibergen_paap_f": kp})
        result.first_stage["anderson_rubin"] = anderson_rubin_set(result, endog[0])
    result.overid = _hansen_j(result)
