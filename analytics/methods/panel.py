"""Fixed-effects panel regressions (METHODS sections 3-4).

``fit`` wraps linearmodels' PanelOLS with Stata's degrees-of-freedom convention by default;
``iv_fit`` is 2SLS with fixed effects; ``add_lag`` builds calendar-year lags; the fast
``demean_twoway`` serves the bootstrap.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .formula import check_columns, validate_names
from .formula import parse_formula as _parse

__all__ = [
    "FitResult",
    "IVResult",
    "fit",
    "iv_fit",
    "add_lag",
    "parse_formula",
    "normalise_effects",
    "is_balanced",
    "balanced_cube",
    "demean_twoway",
]

Effects = Literal["two-way", "entity", "time", "none"]

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


def _f(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


def _fd(d: dict) -> dict:
    return {k: _f(v) for k, v in d.items()}


def parse_formula(formula: str, *, columns=None) -> tuple[str, list[str], str | None, list[str]]:
    """'y ~ x1 + x2 + [d ~ z1 + z2]' -> ('y', ['x1','x2'], 'd', ['z1','z2']).

    Strict grammar (``analytics.methods.formula``): anything else is a ``FormulaError``."""
    return _parse(formula, columns=columns).as_tuple()


def _names_ok(df: pd.DataFrame, *names: str | None) -> None:
    validate_names([n for n in names if n])
    check_columns([n for n in names if n], df.columns)


def normalise_effects(effects: str | Sequence[str] | None) -> Effects:
    if effects is None:
        return "none"
    if isinstance(effects, str):
        e = effects.lower().replace("_", "-")
        aliases = {"two-way": "two-way", "twoway": "two-way", "both": "two-way",
                   "entity": "entity", "time": "time", "none": "none"}
        if e in aliases:
            return aliases[e]  # type: ignore[return-value]
        raise ValueError(f"effects must be two-way, entity, time or none, not {effects!r}")
    s = set(effects)
    if s == {"entity", "time"}:
        return "two-way"
    if s in ({"entity"}, {"time"}):
        return next(iter(s))  # type: ignore[return-value]
    if not s:
        return "none"
    raise ValueError(f"unknown effects {effects!r}")


@dataclass
class FitResult:
    """Plain result of a (fixed-effects) regression; ``to_dict()`` is JSON-ready."""

    dep: str
    regressors: list[str]
    params: dict[str, float]
    std_errors: dict[str, float]
    tstats: dict[str, float]
    pvalues: dict[str, float]
    nobs: int
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
            "params": _fd(self.params),
            "std_errors": _fd(self.std_errors),
            "tstats": _fd(self.tstats),
            "pvalues": _fd(self.pvalues),
            "const": _f(self.const),
            "const_se": _f(self.const_se),
            "nobs": int(self.nobs),
            "r2_within": _f(self.r2_within),
            "se_convention": self.se_convention,
            "n_clusters": self.n_clusters,
            "df_pvalues": int(self.df_pvalues),
            "n_entities": self.n_entities,
            "n_periods": self.n_periods,
            "notes": list(self.notes),
            "synthetic": bool(self.synthetic),
        }


def _prepare(df: pd.DataFrame, cols: list[str], entity: str | None, time: str | None,
             notes: list[str]) -> pd.DataFrame:
    missing = [c for c in cols + [c for c in (entity, time) if c] if c not in df.columns]
    if missing:
        raise ValueError(f"column(s) not in data: {missing}")
    keep = cols + [c for c in (entity, time) if c]
    data = df[keep].copy()
    bad = [c for c in cols if not pd.api.types.is_numeric_dtype(data[c])]
    if bad:
        raise ValueError(f"non-numeric column(s): {bad}")
    n0 = len(data)
    data = data.dropna()
    if len(data) < n0:
        notes.append(f"{n0 - len(data)} row(s) with missing values dropped")
    if entity and time and data.duplicated([entity, time]).any():
        raise ValueError("duplicate entity-time rows")
    return data


def _pval_df(res_df_resid: float, n_clusters: int | None) -> int:
    return int(n_clusters - 1) if n_clusters else int(res_df_resid)


def _within_r2(data: pd.DataFrame, dep: str, xs: list[str], res, eff: str) -> float:
    from linearmodels import PanelOLS

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
    from linearmodels import PanelOLS

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


# ---------------------------------------------------------------- lags and fast demeaning


def add_lag(df: pd.DataFrame, column: str | Sequence[str], *, entity: str = "city",
            time: str = "year", k: int = 1, suffix: str | None = None) -> pd.DataFrame:
    """Add ``column_lag{k}`` = value at calendar year ``time - k`` of the same entity.

    Merging on ``time - k`` (not ``groupby().shift``) keeps a missing year missing instead of
    silently taking an older value.
    """
    cols = [column] if isinstance(column, str) else list(column)
    sfx = suffix or f"_lag{k}"
    if df.duplicated([entity, time]).any():
        raise ValueError("duplicate entity-time rows; cannot build lags")
    lagged = df[[entity, time] + cols].copy()
    lagged[time] = lagged[time] + k
    lagged = lagged.rename(columns={c: f"{c}{sfx}" for c in cols})
    out = df.merge(lagged, on=[entity, time], how="left", validate="one_to_one")
    out.index = df.index
    out.attrs = dict(df.attrs)
    return out


def is_balanced(df: pd.DataFrame, *, entity: str, time: str) -> bool:
    n_e, n_t = df[entity].nunique(), df[time].nunique()
    return len(df) == n_e * n_t and not df.duplicated([entity, time]).any()


def balanced_cube(df: pd.DataFrame, cols: Sequence[str], *, entity: str,
                  time: str) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(N, T, k) array of ``cols`` for a balanced panel without missing values, else None."""
    data = df[[entity, time] + list(cols)]
    if data[list(cols)].isna().any().any() or not is_balanced(data, entity=entity, time=time):
        return None
    data = data.sort_values([entity, time])
    ents = data[entity].unique()
    times = np.sort(data[time].unique())
    cube = data[list(cols)].to_numpy(dtype=float).reshape(len(ents), len(times), len(cols))
    return cube, ents, times


def demean_twoway(cube: np.ndarray) -> np.ndarray:
    """Exact two-way within transform of a balanced (N, T, ...) array: x - x_i. - x_.t + x_.."""
    return (cube - cube.mean(axis=1, keepdims=True) - cube.mean(axis=0, keepdims=True)
            + cube.mean(axis=(0, 1), keepdims=True))


# ---------------------------------------------------------------- IV


@dataclass
class IVResult:
    dep: str
    endog: str
    instruments: list[str]
    exog: list[str]
    params: dict[str, float]
    std_errors: dict[str, float]
    tstats: dict[str, float]
    pvalues: dict[str, float]
    nobs: int
    const: float
    first_stage_params: dict[str, float]
    first_stage_tstats: dict[str, float]
    first_stage_pvalues: dict[str, float]
    first_stage_const: float
    kleibergen_paap_f: float
    first_stage_partial_r2: float
    n_clusters: int
    df_pvalues: int
    method: str
    se_convention: str
    f_statistic_name: str = "Kleibergen-Paap rk Wald F (cluster-robust first-stage F)"
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    def to_dict(self) -> dict:
        return {
            "model": "iv-2sls-fe",
            "dep": self.dep,
            "endog": self.endog,
            "instruments": list(self.instruments),
            "exog": list(self.exog),
            "params": _fd(self.params),
            "std_errors": _fd(self.std_errors),
            "tstats": _fd(self.tstats),
            "pvalues": _fd(self.pvalues),
            "const": _f(self.const),
            "nobs": int(self.nobs),
            "first_stage": {
                "params": _fd(self.first_stage_params),
                "tstats": _fd(self.first_stage_tstats),
                "pvalues": _fd(self.first_stage_pvalues),
                "const": _f(self.first_stage_const),
                "partial_r2": _f(self.first_stage_partial_r2),
                "kleibergen_paap_f": _f(self.kleibergen_paap_f),
                "f_statistic_name": self.f_statistic_name,
            },
            "n_clusters": self.n_clusters,
            "df_pvalues": self.df_pvalues,
            "method": self.method,
            "se_convention": self.se_convention,
            "notes": list(self.notes),
            "synthetic": bool(self.synthetic),
        }


def iv_fit(
    df: pd.DataFrame,
    formula: str,
    *,
    entity: str = "city",
    time: str = "year",
    method: Literal["demean", "dummies", "auto"] = "auto",
) -> IVResult:
    """2SLS with city and year fixed effects, ``formula='y ~ x1 + [d ~ z]'``, clustered by entity.

    ``demean`` (balanced panels): two-way demeaning then IV2SLS with ``extra_df = T`` (SE equal
    to pyfixest / reghdfe-ivreghdfe); ``dummies``: C(entity) + C(time) dummies (same
    coefficient, SE counts every dummy). ``auto`` picks demean when balanced.
    """
    from linearmodels import IV2SLS

    dep, xs, endog, instr = parse_formula(formula, columns=df.columns)
    _names_ok(df, entity, time)
    if not endog or not instr:
        raise ValueError("iv_fit needs '[endog ~ instrument]' in the formula")
    notes: list[str] = []
    cols = [dep] + xs + [endog] + instr
    data = _prepare(df, cols, entity, time, notes).sort_values([entity, time])
    balanced = is_balanced(data, entity=entity, time=time)
    if method == "auto":
        method = "demean" if balanced else "dummies"
    if method == "demean" and not balanced:
        raise ValueError("method='demean' needs a balanced panel (after dropping missing rows);"
                         " use method='dummies'")
    clusters = pd.Series(pd.factorize(data[entity])[0], index=data.index)
    g = int(clusters.nunique())
    n_t = int(data[time].nunique())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "demean":
            cube, _, _ = balanced_cube(data, cols, entity=entity, time=time)
            dm = demean_twoway(cube).reshape(-1, len(cols))
            d = pd.DataFrame(dm, columns=cols, index=data.index)
            exog = d[xs] if xs else None
            res = IV2SLS(d[dep], exog, d[[endog]], d[instr]).fit(
                cov_type="clustered", clusters=clusters, debiased=True, extra_df=n_t)
            conv = ("two-way demeaned 2SLS, CRV1 with extra_df=T (matches pyfixest/ivreghdfe);"
                    " p-values t(G-1)")
        elif method == "dummies":
            # Explicit design matrices from the validated names (never a formula string):
            # a constant, the regressors and entity and time dummies without their first
            # level (treatment coding, as C() gave).
            fx = [pd.get_dummies(pd.factorize(data[c])[0], prefix=p, drop_first=True,
                                 dtype=float).set_axis(data.index)
                  for c, p in ((entity, "_e"), (time, "_t"))]
            exog = pd.concat([pd.Series(1.0, index=data.index, name="_const"),
                              data[xs].astype(float), *fx], axis=1)
            res = IV2SLS(data[dep].astype(float), exog, data[[endog]].astype(float),
                         data[instr].astype(float)).fit(cov_type="clustered",
                                                        clusters=clusters, debiased=True)
            conv = "LSDV 2SLS with dummies, clustered, debiased (every dummy counted in K)"
        else:
            raise ValueError(f"method must be demean, dummies or auto, not {method!r}")
        fs = res.first_stage
        ind = fs.individual[endog]
        kp_f = float(fs.kleibergen_paap_f)
        pr2 = float(fs.diagnostics.loc[endog, "partial.rsquared"])
    names = xs + [endog]
    dfp = g - 1
    b = res.params[names]
    seb = res.std_errors[names]
    t = b / seb
    p = 2 * stats.t.sf(np.abs(t.to_numpy()), dfp)
    fs_names = list(instr) + xs
    fb = ind.params[fs_names]
    ft = ind.tstats[fs_names]
    fp = 2 * stats.t.sf(np.abs(ft.to_numpy()), dfp)
    means = data[cols].mean()
    const = float(means[dep] - means[names].to_numpy() @ b.to_numpy())
    fs_const = float(means[endog] - means[fs_names].to_numpy() @ fb.to_numpy())
    return IVResult(
        dep=dep, endog=endog, instruments=list(instr), exog=xs,
        params=dict(zip(names, b.to_numpy(), strict=True)),
        std_errors=dict(zip(names, seb.to_numpy(), strict=True)),
        tstats=dict(zip(names, t.to_numpy(), strict=True)),
        pvalues=dict(zip(names, p, strict=True)),
        nobs=int(res.nobs), const=const,
        first_stage_params=dict(zip(fs_names, fb.to_numpy(), strict=False)),
        first_stage_tstats=dict(zip(fs_names, ft.to_numpy(), strict=False)),
        first_stage_pvalues=dict(zip(fs_names, fp, strict=False)),
        first_stage_const=fs_const,
        kleibergen_paap_f=kp_f, first_stage_partial_r2=pr2,
        n_clusters=g, df_pvalues=dfp, method=method, se_convention=conv, notes=notes,
        synthetic=bool(getattr(df, "attrs", {}).get("synthetic", False)),
    )
