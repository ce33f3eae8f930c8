"""OLS and 2SLS with absorbed fixed effects: one routine for cross-sections and panels,
balanced or not.

The fit demeans y, the regressors and the instruments once (``Absorber``), adds the grand
means back and estimates with a constant, so that the slopes are the within estimates and
the constant is reghdfe's ``_cons = ȳ − x̄′b`` with a standard error from the same sandwich as
the slopes (for iid errors that includes the σ²/N the old route left out). With
``convention="xtreg"`` the years enter as dummies beside the absorbed entities, as Stata's
``xtreg, fe`` with ``i.year`` does: same slopes and SEs, xtreg's own ``_cons`` and its within R².
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ..jsonfloat import finite_dict, finite_or_none, jsonable
from .absorb import Absorber, codes_of, drop_singletons
from .covariance import coefficient_covariance
from .diagnostics import iv_diagnostics
from .sample import Spec, build_sample, normalise_effects

__all__ = ["Estimation", "estimate", "CONVENTIONS"]

CONVENTIONS = {
    "reghdfe": "reghdfe / fixest: effects absorbed, singletons dropped; _cons = ȳ − x̄′b",
    "xtreg": "Stata xtreg, fe with i.year: entities absorbed, years as dummies (first year the "
             "base), singletons kept; xtreg's _cons",
}


@dataclass
class Estimation:
    """A finished fit; ``to_dict()`` is the JSON contract of ``analytics fit --json``."""

    model: str
    dep: str
    regressors: list[str]
    params: dict[str, float]
    std_errors: dict[str, float]
    tstats: dict[str, float]
    pvalues: dict[str, float]
    const: float | None
    const_se: float | None
    nobs: int
    nclusters: dict[str, int]
    singletons_dropped: int
    rows_dropped_missing: int
    effects: str
    convention: str
    se_convention: str
    small: bool
    df_resid: int | None
    n_params: int
    r2: dict[str, float | None]
    f_test: dict
    first_stage: dict | None = None
    overid: dict | None = None
    notes: list[str] = field(default_factory=list)
    cov: pd.DataFrame | None = field(default=None, repr=False)
    n_entities: int | None = None
    n_periods: int | None = None
    # For the diagnostics and the bootstraps: the partialled arrays of the fit.
    arrays: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        out = {
            "model": self.model, "dep": self.dep, "regressors": list(self.regressors),
            "params": finite_dict(self.params), "std_errors": finite_dict(self.std_errors),
            "tstats": finite_dict(self.tstats), "pvalues": finite_dict(self.pvalues),
            "const": finite_or_none(self.const), "const_se": finite_or_none(self.const_se),
            "nobs": int(self.nobs), "nclusters": dict(self.nclusters),
            "singletons_dropped": int(self.singletons_dropped),
            "rows_dropped_missing": int(self.rows_dropped_missing),
            "effects": self.effects, "convention": CONVENTIONS[self.convention],
            "se_convention": self.se_convention, "small": bool(self.small),
            "df_resid": self.df_resid, "n_params": int(self.n_params),
            "r2": finite_dict(self.r2), "f_test": jsonable(self.f_test),
            "n_entities": self.n_entities, "n_periods": self.n_periods,
            "notes": list(self.notes),
        }
        if self.first_stage is not None:
            out["first_stage"] = jsonable(self.first_stage)
        if self.overid is not None:
            out["overid"] = jsonable(self.overid)
        return out


def _pvalues(t: np.ndarray, df: int | None) -> np.ndarray:
    return 2 * (stats.t.sf(np.abs(t), df) if df else stats.norm.sf(np.abs(t)))


def wald_test(b: np.ndarray, cov: np.ndarray, df: int | None) -> dict:
    """H0: b = 0. With small-sample df: F(q, df); else chi2(q) (Stata's two forms)."""
    q = len(b)
    if q == 0:
        return {"stat": None, "df": [0], "p": None, "name": "no slope to test"}
    try:
        w = float(b @ np.linalg.solve(cov, b))
    except np.linalg.LinAlgError:
        return {"stat": None, "df": [q], "p": None, "name": "covariance singular: no Wald test"}
    if df:
        f = w / q
        return {"stat": f, "df": [q, int(df)], "p": float(stats.f.sf(f, q, df)), "name": "F"}
    return {"stat": w, "df": [q], "p": float(stats.chi2.sf(w, q)), "name": "Wald chi2"}


def _check_rank(design: np.ndarray, names: list[str], raw: np.ndarray, what: str) -> None:
    """Name a regressor the effects absorb, or one collinear with the ones before it."""
    norms = np.sqrt(np.einsum("ij,ij->j", design, design))
    raw_norms = np.linalg.norm(raw - raw.mean(axis=0), axis=0)
    for j, name in enumerate(names):
        if norms[j] <= 1e-9 * max(raw_norms[j], 1.0):
            raise ValueError(f"{name} is constant within the fixed effects (absorbed by them): "
                             "drop it or change --effects")
    corr = (design.T @ design) / np.outer(norms, norms)  # k x k: cheap at any n
    for j in range(1, len(names)):
        if np.linalg.eigvalsh(corr[: j + 1, : j + 1])[0] <= 1e-10:
            raise ValueError(f"{what} {names[j]} is collinear with "
                             f"{', '.join(names[:j])}: drop one of them")


def estimate(
    df: pd.DataFrame,
    *,
    y: str,
    exog: Sequence[str],
    endog: Sequence[str] = (),
    instruments: Sequence[str] = (),
    entity: str | None = None,
    time: str | None = None,
    effects: str | Sequence[str] | None = "none",
    se: str = "cluster",
    cluster: Sequence[str] | None = None,
    small: bool = True,
    convention: str = "reghdfe",
    bandwidth: int | None = None,
) -> Estimation:
    """Fit ``y ~ exog + (endog ~ instruments)`` with the chosen effects and SE convention.

    ``cluster``: the column(s) to cluster by when ``se='cluster'`` (one or two); default the
    entity. ``small``: Stata's ``small`` (t, F and the finite-sample factors) or not (z, chi2).
    """
    eff = normalise_effects(effects)
    if convention not in CONVENTIONS:
        raise ValueError(f"convention must be reghdfe or xtreg, not {convention!r}")
    if convention == "xtreg" and eff != "entity time":
        raise ValueError("the xtreg convention is for entity and time effects")
    if se == "cluster":
        cluster = list(cluster or ([entity] if entity else []))
        if not cluster:
            raise ValueError("cluster-robust SEs need --cluster or --entity")
    elif cluster:
        raise ValueError(f"--se {se} is not clustered: drop --cluster")
    else:
        cluster = []
    if se == "driscoll-kraay" and not time:
        raise ValueError("Driscoll-Kraay SEs need the time column (--time)")
    spec = Spec(y=y, exog=list(exog), endog=list(endog), instruments=list(instruments),
                entity=entity, time=time, effects=eff, cluster=list(cluster))
    sample = build_sample(df, spec)
    data, notes = sample.frame, list(sample.notes)

    absorbed_names = {"none": [], "entity": [entity], "time": [time],
                      "entity time": [entity, time]}[eff]
    if convention == "xtreg":
        absorbed_names = [entity]
    factors = [codes_of(data[c])[0] for c in absorbed_names]
    singletons = 0
    if factors and convention == "reghdfe":
        keep = drop_singletons(factors)
        singletons = int((~keep).sum())
        if singletons:
            data = data.loc[keep]
            notes.append(f"{singletons} singleton observation(s) dropped (reghdfe's rule)")
            factors = [codes_of(data[c])[0] for c in absorbed_names]
    if data.empty or len(data) < 2:
        raise ValueError("too few observations left to estimate")
    absorber = Absorber.from_codes(factors, absorbed_names)

    exog_names = list(exog)
    exog_frame = data[exog_names].to_numpy(dtype=float)
    if convention == "xtreg":
        years = np.sort(data[time].unique())
        dummies = (data[time].to_numpy()[:, None] == years[None, 1:]).astype(float)
        exog_frame = np.column_stack([exog_frame, dummies])
        exog_names = exog_names + [f"_year_{v}" for v in years[1:]]
    yv = data[y].to_numpy(dtype=float)
    dv = data[list(endog)].to_numpy(dtype=float).reshape(len(data), -1)
    zv = data[list(instruments)].to_numpy(dtype=float).reshape(len(data), -1)
    stacked = np.column_stack([yv, exog_frame, dv, zv])
    within = absorber.demean(stacked) if factors else stacked - stacked.mean(axis=0)
    restored = within + stacked.mean(axis=0)
    kx, kd = exog_frame.shape[1], dv.shape[1]
    y_t = restored[:, 0]
    x_t = restored[:, 1: 1 + kx]
    d_t = restored[:, 1 + kx: 1 + kx + kd]
    z_t = restored[:, 1 + kx + kd:]
    n = len(yv)
    ones = np.ones((n, 1))
    regressor_names = exog_names + list(endog)
    _check_rank(within[:, 1: 1 + kx + kd], regressor_names, stacked[:, 1: 1 + kx + kd],
                "regressor")
    design = np.column_stack([ones, x_t, d_t])
    if kd:
        _check_rank(within[:, 1 + kx + kd:], list(instruments), stacked[:, 1 + kx + kd:],
                    "instrument")
        zfull = np.column_stack([ones, x_t, z_t])
        pi, *_ = np.linalg.lstsq(zfull, d_t, rcond=None)
        fitted = np.column_stack([ones, x_t, zfull @ pi])
    else:
        fitted = design
    gram = fitted.T @ fitted
    bread = np.linalg.inv(gram)
    b = bread @ (fitted.T @ y_t)
    resid = y_t - design @ b

    cluster_codes = [codes_of(data[c])[0] for c in cluster]
    if se == "cluster":
        df_a, nested = absorber.df_for_clusters(cluster_codes)
        if nested:
            notes.append(f"effects nested in the clusters ({', '.join(nested)}) are not "
                         "counted in K (reghdfe)")
    else:
        df_a = absorber.df_absorbed()
    n_params = kx + kd + df_a
    time_codes = codes_of(data[time])[0] if time else None
    cov = coefficient_covariance(se, design=fitted, resid=resid, bread=bread,
                                 n_params=n_params, small=small, clusters=cluster_codes,
                                 cluster_names=cluster, time_codes=time_codes,
                                 bandwidth=bandwidth)
    seb = np.sqrt(np.clip(np.diag(cov.matrix), 0, None))
    tst = b / np.where(seb > 0, seb, np.nan)
    pv = _pvalues(tst, cov.df)
    shown = [i for i, name in enumerate(["_cons", *regressor_names])
             if i > 0 and not name.startswith("_year_")]
    names = [regressor_names[i - 1] for i in shown]
    slopes = list(range(1, len(b)))
    f_test = wald_test(b[slopes], cov.matrix[np.ix_(slopes, slopes)], cov.df)
    r2 = _r_squared(resid, yv, within[:, 0], absorber, eff, data, entity, time, convention)
    result = Estimation(
        model="2sls" if kd else "ols", dep=y, regressors=names,
        params={nm: float(b[i]) for nm, i in zip(names, shown, strict=True)},
        std_errors={nm: float(seb[i]) for nm, i in zip(names, shown, strict=True)},
        tstats={nm: float(tst[i]) for nm, i in zip(names, shown, strict=True)},
        pvalues={nm: float(pv[i]) for nm, i in zip(names, shown, strict=True)},
        const=float(b[0]), const_se=float(seb[0]), nobs=n,
        nclusters=dict(zip(cluster, cov.n_clusters, strict=True)),
        singletons_dropped=singletons, rows_dropped_missing=sample.rows_dropped_missing,
        effects=eff, convention=convention, se_convention=cov.name, small=small,
        df_resid=cov.df, n_params=n_params, r2=r2, f_test=f_test, notes=notes,
        cov=pd.DataFrame(cov.matrix[np.ix_(shown, shown)], index=names, columns=names),
        n_entities=int(data[entity].nunique()) if entity else None,
        n_periods=int(data[time].nunique()) if time else None,
        arrays={"y": y_t, "x": x_t, "d": d_t, "z": z_t, "design": design, "fitted": fitted,
                "resid": resid, "b": b, "bread": bread, "clusters": cluster_codes,
                "time_codes": time_codes, "se": se, "small": small, "n_params": n_params,
                "df_a": df_a, "cluster_names": list(cluster), "bandwidth": cov.bandwidth,
                "names": ["_cons", *regressor_names]},
    )
    if kd:
        iv_diagnostics(result, endog=list(endog), instruments=list(instruments))
    return result


def _r_squared(resid, y_raw, y_within, absorber, eff, data, entity, time, convention) -> dict:
    rss = float(resid @ resid)
    tss = float(((y_raw - y_raw.mean()) ** 2).sum())
    out: dict[str, float | None] = {}
    if eff == "none":
        out["r2"] = 1 - rss / tss if tss > 0 else None
        return out
    if convention == "xtreg":  # the years were dummies: demean y by both effects here
        both = Absorber.from_codes([codes_of(data[c])[0] for c in absorber.names + [time]],
                                   absorber.names + [time])
        y_within = both.demean(y_raw)
    tw = float(y_within @ y_within)
    out["within"] = 1 - rss / tw if tw > 0 else None
    out["r2_with_effects"] = 1 - rss / tss if tss > 0 else None
    if eff == "entity time":
        codes = codes_of(data[entity])[0]
        ye = y_raw - (np.bincount(codes, y_raw) / np.bincount(codes))[codes]
        te = float(ye @ ye)
        out["within_xtreg"] = 1 - rss / te if te > 0 else None
    return out
