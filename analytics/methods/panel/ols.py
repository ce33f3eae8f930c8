"""Fixed-effects OLS (METHODS section 3): ``fit`` is the estimation engine
(``analytics.methods.estimation``) with Stata's defaults for the paper's tables (city and year
effects absorbed, CRV1 by city with Stata's small-sample factors); ``FitResult`` is its plain,
JSON-ready result, the shape the tables, mediation and heterogeneity read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from ..estimation import Estimation, estimate
from ..jsonfloat import finite_dict, finite_or_none
from .utils import Estimates, _names_ok, normalise_effects, parse_formula

__all__ = ["SE_CONVENTIONS", "FitResult", "fit", "from_estimation"]

#: What ``se=`` means here, in the engine's words (``se="stata"`` is the default).
SE_CONVENTIONS = {
    "stata": "CRV1 by entity with Stata's G/(G-1)(N-1)/(N-K) (xtreg/reghdfe vce(cluster)); "
             "without clusters: iid with df = N - K",
    "unadjusted": "iid (homoskedastic), df = N - K, K counting the absorbed effects",
    "robust": "heteroskedasticity-robust HC1 (areg/reghdfe robust), N/(N-K)",
}
_ENGINE_EFFECTS = {"two-way": "entity time", "entity": "entity", "time": "time", "none": "none"}


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
    singletons_dropped: int = 0
    f_test: dict | None = None
    r2: dict | None = None

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
            "singletons_dropped": int(self.singletons_dropped),
            "r2": finite_dict(self.r2 or {}),
            "f_test": self.f_test,
            "notes": list(self.notes),
            "synthetic": bool(self.synthetic),
        }


def from_estimation(est: Estimation, *, effects: str, synthetic: bool) -> FitResult:
    """The engine's result in the shape the tables and the mediation read."""
    nclusters = list(est.nclusters.values())
    return FitResult(
        dep=est.dep, regressors=list(est.regressors), params=dict(est.params),
        std_errors=dict(est.std_errors), tstats=dict(est.tstats), pvalues=dict(est.pvalues),
        nobs=est.nobs, r2_within=est.r2.get("within", est.r2.get("r2")) or float("nan"),
        se_convention=est.se_convention, n_clusters=nclusters[0] if len(nclusters) == 1 else None,
        const=est.const, const_se=est.const_se, df_pvalues=est.df_resid or 0,
        effects=effects, n_entities=est.n_entities, n_periods=est.n_periods,
        notes=list(est.notes), cov=est.cov, synthetic=synthetic,
        singletons_dropped=est.singletons_dropped, f_test=est.f_test, r2=dict(est.r2))


def fit(
    df: pd.DataFrame,
    formula: str,
    *,
    entity: str | None = "city",
    time: str | None = "year",
    effects: str | Sequence[str] | None = "two-way",
    cluster: Literal["entity"] | None = "entity",
    se: Literal["stata", "unadjusted", "robust"] = "stata",
) -> FitResult:
    """OLS with fixed effects, ``formula='y ~ x1 + x2'``, through the one estimation engine.

    Default: city + year effects absorbed (singletons dropped), SEs clustered by entity with
    Stata's convention (identical to pyfixest CRV1 and reghdfe), p-values from t(G-1). The
    same routine serves balanced and unbalanced panels.
    """
    eff = normalise_effects(effects)
    dep, xs, endog, _ = parse_formula(formula, columns=df.columns)
    _names_ok(df, entity, time)
    if endog:
        raise ValueError("instrumented term in formula: use iv_fit")
    if not xs:
        raise ValueError("formula needs at least one regressor")
    if se not in SE_CONVENTIONS:
        raise ValueError(f"se must be stata, unadjusted or robust, not {se!r}")
    if cluster not in (None, "entity"):
        raise ValueError("cluster must be 'entity' or None")
    if se in ("unadjusted", "robust") and cluster is not None:
        raise ValueError(f"se={se!r} is not clustered: pass cluster=None")
    if cluster == "entity" and not entity:
        raise ValueError("clustering by entity needs an entity column")
    kind = "cluster" if cluster == "entity" else ("unadjusted" if se == "stata" else se)
    est = estimate(df, y=dep, exog=xs, entity=entity, time=time, effects=_ENGINE_EFFECTS[eff],
                   se=kind, cluster=[entity] if kind == "cluster" else None, small=True)
    return from_estimation(est, effects=eff,
                           synthetic=bool(getattr(df, "attrs", {}).get("synthetic", False)))
