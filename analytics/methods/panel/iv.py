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

from ..estimation import estimate
from ..jsonfloat import finite_dict, finite_or_none, jsonable
from .utils import Estimates, _names_ok, _prepare, parse_formula

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
    const_se: float | None = None
    singletons_dropped: int = 0
    anderson_rubin: dict | None = None
    overid: dict | None = None

    def to_dict(self) -> dict:
        return {
            "model": "iv-2sls-fe",
            "dep": self.dep,
            "endog": self.endog,
            "instruments": list(self.instruments),
            "exog": list(self.exog),
            **self.estimates_dict(),
            "const": finite_or_none(self.const),
            "const_se": finite_or_none(self.const_se),
            "nobs": int(self.nobs),
            "singletons_dropped": int(self.singletons_dropped),
            "anderson_rubin": jsonable(self.anderson_rubin),
            "overid": jsonable(self.overid),
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
    method: Literal["engine", "dummies", "auto", "demean"] = "auto",
) -> IVResult:
    """2SLS with city and year fixed effects, ``formula='y ~ x1 + [d ~ z]'``, clustered by entity.

    The estimation engine absorbs both effects on balanced and unbalanced panels alike (K and
    the SE convention as ivreghdfe / pyfixest). ``method="dummies"`` is the LSDV cross-check
    with explicit C(entity) + C(time) dummies: the same coefficients, an SE that counts every
    dummy in K (named so).
    """
    dep, xs, endog, instr = parse_formula(formula, columns=df.columns)
    _names_ok(df, entity, time)
    if not endog or not instr:
        raise ValueError("iv_fit needs '[endog ~ instrument]' in the formula")
    synthetic = bool(getattr(df, "attrs", {}).get("synthetic", False))
    if method == "dummies":
        return _lsdv(df, dep, xs, endog, instr, entity, time, synthetic)
    if method not in ("engine", "auto", "demean"):
        raise ValueError(f"method must be engine, dummies or auto, not {method!r}")
    est = estimate(df, y=dep, exog=xs, endog=[endog], instruments=list(instr), entity=entity,
                   time=time, effects="entity time", se="cluster", cluster=[entity])
    fs = est.first_stage
    names = xs + [endog]
    return IVResult(
        dep=dep, endog=endog, instruments=list(instr), exog=xs,
        params={k: est.params[k] for k in names},
        std_errors={k: est.std_errors[k] for k in names},
        tstats={k: est.tstats[k] for k in names}, pvalues={k: est.pvalues[k] for k in names},
        nobs=est.nobs, const=est.const,
        first_stage_params=dict(fs["coefficients"]), first_stage_tstats=dict(fs["tstats"]),
        first_stage_pvalues=dict(fs["pvalues"]), first_stage_const=fs["const"],
        kleibergen_paap_f=fs["kleibergen_paap_f"], first_stage_partial_r2=fs["partial_r2"],
        n_clusters=next(iter(est.nclusters.values())), df_pvalues=est.df_resid or 0,
        method="engine", se_convention=est.se_convention, notes=list(est.notes),
        synthetic=synthetic, const_se=est.const_se, singletons_dropped=est.singletons_dropped,
        anderson_rubin=fs.get("anderson_rubin"), overid=est.overid,
    )


def _lsdv(df, dep, xs, endog, instr, entity, time, synthetic) -> IVResult:
    notes: list[str] = []
    cols = [dep] + xs + [endog] + instr
    data = _prepare(df, cols, entity, time, notes).sort_values([entity, time])
    clusters = pd.Series(pd.factorize(data[entity])[0], index=data.index)
    g = int(clusters.nunique())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Explicit design matrices from the validated names (never a formula string).
        fx = [pd.get_dummies(pd.factorize(data[c])[0], prefix=p, drop_first=True,
                             dtype=float).set_axis(data.index)
              for c, p in ((entity, "_e"), (time, "_t"))]
        exog = pd.concat([pd.Series(1.0, index=data.index, name="_const"),
                          data[xs].astype(float), *fx], axis=1)
        res = IV2SLS(data[dep].astype(float), exog, data[[endog]].astype(float),
                     data[instr].astype(float)).fit(cov_type="clustered", clusters=clusters,
                                                    debiased=True)
        fs = res.first_stage
        ind = fs.individual[endog]
        kp_f = float(fs.kleibergen_paap_f)
        pr2 = float(fs.diagnostics.loc[endog, "partial.rsquared"])
    names = xs + [endog]
    dfp = g - 1
    b, seb = res.params[names], res.std_errors[names]
    t = b / seb
    p = 2 * stats.t.sf(np.abs(t.to_numpy()), dfp)
    fs_names = list(instr) + xs
    fb, ft = ind.params[fs_names], ind.tstats[fs_names]
    fp = 2 * stats.t.sf(np.abs(ft.to_numpy()), dfp)
    means = data[cols].mean()
    return IVResult(
        dep=dep, endog=endog, instruments=list(instr), exog=xs,
        params=dict(zip(names, b.to_numpy(), strict=True)),
        std_errors=dict(zip(names, seb.to_numpy(), strict=True)),
        tstats=dict(zip(names, t.to_numpy(), strict=True)),
        pvalues=dict(zip(names, p, strict=True)),
        nobs=int(res.nobs), const=float(means[dep] - means[names].to_numpy() @ b.to_numpy()),
        first_stage_params=dict(zip(fs_names, fb.to_numpy(), strict=False)),
        first_stage_tstats=dict(zip(fs_names, ft.to_numpy(), strict=False)),
        first_stage_pvalues=dict(zip(fs_names, fp, strict=False)),
        first_stage_const=float(means[endog] - means[fs_names].to_numpy() @ fb.to_numpy()),
        kleibergen_paap_f=kp_f, first_stage_partial_r2=pr2, n_clusters=g, df_pvalues=dfp,
        method="dummies",
        se_convention="LSDV 2SLS with dummies, clustered, debiased (every dummy counted in K)",
        notes=notes, synthetic=synthetic)
