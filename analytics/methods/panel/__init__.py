"""Fixed-effects panel regressions with the paper's defaults (METHODS sections 3-4).

``fit`` (OLS) and ``iv_fit`` (2SLS) run the one estimation engine
(``analytics.methods.estimation``) with city and year effects absorbed and CRV1 by city, and
return the plain results the tables, the mediation and the heterogeneity read. ``add_lag``
builds calendar-year lags; ``balanced_cube`` and ``demean_twoway`` serve the balanced fast
bootstrap. Import from ``analytics.methods.panel``; the submodules are an implementation detail.
"""

from __future__ import annotations

from .iv import IVResult, iv_fit
from .ols import SE_CONVENTIONS as SE_CONVENTIONS  # re-exported, as before the split
from .ols import FitResult, fit
from .utils import Effects as Effects  # re-exported, as before the split
from .utils import (
    add_lag,
    balanced_cube,
    demean_twoway,
    is_balanced,
    normalise_effects,
    parse_formula,
)

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
