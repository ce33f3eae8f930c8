"""2SLS with city and year fixed effects (METHODS section 4): ``iv_fit`` and its plain,
JSON-ready ``IVResult`` with the first stage and the Kleibergen-Paap F.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from linearmodels import IV2SLS
from scipy import stats

from ..jsonfloat import finite_dict, finite_or_none
from .utils import Estimates, _names_ok, _prepare, balanced_cube, demean_twoway, is_balanced, parse_formula

__all__ = ["IVResult", "iv_fit"]


@dataclass
class IVResult(Estimates):
    """Plain result of a fixed-effects 2SLS with its first stage; ``to_dict()`` is JSON-ready."""

    endog: str
    instruments: list[str]
    exog: list[str]
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
            **self.estimates_dict(),
            "const": finite_or_none(self.const),
            "nobs": int(self.nobs),
            "first_stage": {
                "params": finite_dict(self.first_stage_params),
                "tstats": finite_dict(self.first_stage_tstats),
                "pvalues": finite_dict(self.first_stage_pvalues),
                "const": finite_or_none(self.first_stage_const),
                "partial_r2": finite_or_none(self.first_stage_partial_r2),
                "kleibergen_paap_f": finite_or_none(self.kleibergen_paap_f),
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
