"""Fixed-effects OLS (METHODS section 3): ``fit`` wraps linearmodels' PanelOLS with Stata's
degrees-of-freedom convention by default, with an exact closed-form route for balanced
two-way panels; ``FitResult`` is its plain, JSON-ready result.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from linearmodels import PanelOLS
from scipy import stats

from ..jsonfloat import finite_or_none
from .utils import Estimates, _names_ok, _prepare, demean_twoway, normalise_effects, parse_formula

__all__ = ["SE_CONVENTIONS", "FitResult", "fit"]

SE_CONVENTIONS = {
    ("stata", True): "Stata xtreg/reghdfe vce(cluster): CRV1, G/(G-1)*(N-1)/(N-K), "
    "K excludes entity effects nested in clusters; p-values t(G-1)",
    ("stata", False): "Stata reghdfe default: iid, df = N - K - absorbed effects",
    ("unadjusted", False): "iid (homoskedastic), df = N - K - absorbed effects",
    ("robust", False): "heteroskedasticity-robust HC1 (Stata vce(robust)), df = N - K - effects",
    ("linearmodels", True): "linearmodels PanelOLS default clustered (every effect counted); "
    "p-values t(G-1)",
    ("linearmodels", False): "linearmodels PanelOLS default unadjusted",
}


@dataclass
class FitResult(Estimates):
    """Plain result of a (fixed-effects) regression; ``to_dict()`` is JSON-ready."""

    regressors: list[str]
    r2_within: float
    se_convention: str
    n_clusters: int | None
    const: float
    const_se: float
    df_pvalues: int
    effects: str
    n_entities: int | None = None
    n_periods: int | None = None
    notes: list[str] = field(default_factory=list)
    cov: pd.DataFrame | None = field(default=None, repr=False)
    synthetic: bool = False

    def to_dict(self) -> dict:
        return {
            "model": "ols-fe",
            "dep": self.dep,
            "regressors": list(self.regressors),
            "effects": self.effects,
            **self.estimates_dict(),
            "const": finite_or_none(self.const),
            "const_se": finite_or_none(self.const_se),
            "nobs": int(self.nobs),
            "r2_within": finite_or_none(self.r2_within),
            "se_convention": self.se_convention,
            "n_clusters": self.n_clusters,
            "df_pvalues": int(self.df_pvalues),
            "n_entities": self.n_entities,
            "n_periods": self.n_periods,
            "notes": list(self.notes),
            "synthetic": bool(self.synthetic),
        }


def _pval_df(res_df_resid: float, n_clusters: int | None) -> int:
    return int(n_clusters - 1) if n_clusters else int(res_df_resid)


def _within_r2(data: pd.DataFrame, dep: str, xs: list[str], res, eff: str) -> float:
    if eff == "none":
        return float(res.rsquared)
    resid = np.asarray(res.resids, dtype=float)
    y = data[dep].to_numpy(dtype=float)
    codes_e = pd.factorize(data.index.get_level_values(0))[0]
    codes_t = pd.factorize(data.index.get_level_values(1))[0]
    n_e, n_t = codes_e.max() + 1, codes_t.max() + 1
    if eff == "entity":
        ym = y - (np.bincount(codes_e, y) / np.bincount(codes_e))[codes_e]
    elif eff == "time":
        ym = y - (np.bincount(codes_t, y) / np.bincount(codes_t))[codes_t]
    elif len(y) == n_e * n_t:  # balanced two-way: exact closed form
        cube = np.full((n_e, n_t), np.nan)
        cube[codes_e, codes_t] = y
        ym = demean_twoway(cube)[codes_e, codes_t]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(PanelOLS(data[dep], data[xs], entity_effects=True, time_effects=True,
                                  drop_absorbed=True).fit().rsquared)
    tss = float(ym @ ym)
    return float(1 - resid @ resid / tss) if tss > 0 else float("nan")


def fit(
    df: pd.DataFrame,
    formula: str,
    *,
    entity: str | None = "city",
    time: str | None = "year",
    effects: str | Sequence[str] | None = "two-way",
    cluster: Literal["entity"] | None = "entity",
    se: Literal["stata", "unadjusted", "robust", "linearmodels"] = "stata",
    fast: bool = True,
) -> FitResult:
    """OLS with fixed effects, ``formula='y ~ x1 + x2'``.

    ``fast``: on a balanced panel with the default two-way, clustered, Stata-convention fit,
    use the exact closed-form two-way demeaning and CRV1 (identical to the PanelOLS route to
    ~1e-12, tested) instead of PanelOLS with year dummies. ``fast=False`` forces PanelOLS.

    Default: city + year effects, SEs clustered by entity with Stata's convention
    (PanelOLS with entity effects + explicit year dummies + const, ``group_debias=True``;
    identical to pyfixest CRV1 and reghdfe), p-values from t(G-1).
    """
    eff = normalise_effects(effects)
    dep, xs, endog, _ = parse_formula(formula, columns=df.columns)
    _names_ok(df, entity, time)
    if endog:
        raise ValueError("instrumented term in formula: use iv_fit")
    if not xs:
        raise ValueError("formula needs at least one regressor")
    if se not in ("stata", "unadjusted", "robust", "linearmodels"):
        raise ValueError(f"se must be stata, unadjusted, robust or linearmodels, not {se!r}")
    if cluster not in (None, "entity"):
        raise ValueError("cluster must be 'entity' or None")
    if se in ("unadjusted", "robust") and cluster is not None:
        raise ValueError(f"se={se!r} is not clustered: pass cluster=None")
    if eff in ("two-way", "entity") and not entity:
        raise ValueError("entity effects need an entity column")
    if eff in ("two-way", "time") and not time:
        raise ValueError("time effects need a time column")
    if cluster == "entity" and not entity:
        raise ValueError("clustering by entity needs an entity column")
    notes: list[str] = []
    data = _prepare(df, [dep] + xs, entity, time, notes)
    ent = data[entity] if entity else pd.Series(np.arange(len(data)), index=data.index)
    tim = data[time] if time else pd.Series(np.zeros(len(data), dtype=int), index=data.index)
    data = data.assign(_e=ent.to_numpy(), _t=tim.to_numpy()).set_index(["_e", "_t"])
    y = data[dep].astype(float)
    xdf = data[xs].astype(float)
    entity_fx = eff in ("two-way", "entity")
    time_fx = eff in ("two-way", "time")
    synthetic = bool(getattr(df, "attrs", {}).get("synthetic", False))
    if fast and eff == "two-way" and se == "stata" and cluster == "entity":
        quick = _fast_twoway_stata(data, dep, xs, notes, synthetic)
        if quick is not None:
            return quick

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if se == "linearmodels":
            xmat = xdf.copy()
            xmat.insert(0, "const", 1.0)
            mod = PanelOLS(y, xmat, entity_effects=entity_fx, time_effects=time_fx,
                           drop_absorbed=True)
        else:
            parts = [xdf]
            if time_fx:
                yrs = pd.get_dummies(data.index.get_level_values(1), prefix="_yr",
                                     drop_first=True, dtype=float)
                yrs.index = data.index
                parts.append(yrs)
            xmat = pd.concat(parts, axis=1)
            xmat.insert(0, "const", 1.0)
            mod = PanelOLS(y, xmat, entity_effects=entity_fx, drop_absorbed=True)
        if cluster == "entity":
            res = mod.fit(cov_type="clustered", cluster_entity=True,
                          group_debias=(se == "stata"))
        elif se == "robust":
            res = mod.fit(cov_type="robust")
        else:
            res = mod.fit(cov_type="unadjusted")
    # Within R-squared after the requested effects (what PanelOLS two-way reports).
    r2 = _within_r2(data, dep, xs, res, eff)
    dropped = [x for x in xs if x not in res.params.index]
    if dropped:
        raise ValueError(f"regressor(s) {dropped} absorbed by the fixed effects (collinear)")
    n_clusters = int(data.index.get_level_values(0).nunique()) if cluster else None
    dfp = _pval_df(res.df_resid, n_clusters)
    b = res.params[xs]
    cov = res.cov.loc[xs, xs]
    seb = np.sqrt(np.diag(cov.to_numpy()))
    t = b.to_numpy() / seb
    p = 2 * stats.t.sf(np.abs(t), dfp)
    # const = ybar - xbar'b: PanelOLS two-way's const, Stata's _cons; var via xbar' V xbar.
    xbar = xdf.mean().to_numpy()
    const = float(y.mean() - xbar @ b.to_numpy())
    const_se = float(np.sqrt(xbar @ cov.to_numpy() @ xbar))
    key = (se, cluster == "entity") if se in ("stata", "linearmodels") else (se, False)
    return FitResult(
        dep=dep,
        regressors=xs,
        params=dict(zip(xs, b.to_numpy().astype(float), strict=False)),
        std_errors=dict(zip(xs, seb, strict=False)),
        tstats=dict(zip(xs, t, strict=False)),
        pvalues=dict(zip(xs, p, strict=False)),
        nobs=int(res.nobs),
        r2_within=r2,
        se_convention=SE_CONVENTIONS[key],
        n_clusters=n_clusters,
        const=const,
        const_se=const_se,
        df_pvalues=dfp,
        effects=eff,
        n_entities=int(data.index.get_level_values(0).nunique()) if entity else None,
        n_periods=int(data.index.get_level_values(1).nunique()) if time else None,
        notes=notes,
        cov=cov,
        synthetic=bool(getattr(df, "attrs", {}).get("synthetic", False)),
    )


def _fast_twoway_stata(data: pd.DataFrame, dep: str, xs: list[str], notes: list[str],
                       synthetic: bool) -> FitResult | None:
    """Balanced two-way FE with CRV1 by entity, Stata's small-sample factor
    G/(G-1) * (N-1)/(N-K), K = regressors + (T-1) year effects + constant (entity effects are
    nested in the clusters). None when the panel is unbalanced or a regressor is absorbed."""
    codes_e, ents = pd.factorize(data.index.get_level_values(0), sort=True)
    codes_t, times = pd.factorize(data.index.get_level_values(1), sort=True)
    g, t, n = len(ents), len(times), len(data)
    if n != g * t or g < 2 or t < 2:
        return None
    cols = [dep, *xs]
    cube = np.full((g, t, len(cols)), np.nan)
    cube[codes_e, codes_t] = data[cols].to_numpy(dtype=float)
    if np.isnan(cube).any():
        return None
    dm = demean_twoway(cube)
    yd, xd = dm[..., 0].reshape(-1), dm[..., 1:].reshape(n, -1)
    k = len(xs)
    xtx = xd.T @ xd
    scale = np.sqrt(np.diag(xtx))
    orig = cube[..., 1:].reshape(n, -1)
    if (scale <= 1e-5 * np.linalg.norm(orig - orig.mean(0), axis=0)).any() or (
            np.linalg.matrix_rank(xd / np.where(scale > 0, scale, 1.0)) < k):
        return None  # absorbed or collinear: PanelOLS names the culprit
    b = np.linalg.solve(xtx, xd.T @ yd)
    e = yd - xd @ b
    bread = np.linalg.inv(xtx)
    scores = (xd * e[:, None]).reshape(g, t, k).sum(axis=1)
    big_k = k + (t - 1) + 1
    adj = g / (g - 1) * (n - 1) / (n - big_k)
    cov = adj * bread @ (scores.T @ scores) @ bread
    seb = np.sqrt(np.diag(cov))
    tst = b / seb
    dfp = g - 1
    p = 2 * stats.t.sf(np.abs(tst), dfp)
    means = data[cols].mean().to_numpy()
    const = float(means[0] - means[1:] @ b)
    tss = float(yd @ yd)
    return FitResult(
        dep=dep, regressors=list(xs),
        params=dict(zip(xs, b.astype(float), strict=True)),
        std_errors=dict(zip(xs, seb, strict=True)),
        tstats=dict(zip(xs, tst, strict=True)),
        pvalues=dict(zip(xs, p, strict=True)),
        nobs=n, r2_within=float(1 - e @ e / tss) if tss > 0 else float("nan"),
        se_convention=SE_CONVENTIONS[("stata", True)], n_clusters=g, const=const,
        const_se=float(np.sqrt(means[1:] @ cov @ means[1:])), df_pvalues=dfp,
        effects="two-way", n_entities=g, n_periods=t, notes=notes,
        cov=pd.DataFrame(cov, index=xs, columns=xs), synthetic=synthetic)


