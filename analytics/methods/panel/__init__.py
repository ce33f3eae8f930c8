"""Fixed-effects panel regressions (METHODS sections 3-4).

``fit`` wraps linearmodels' PanelOLS with Stata's degrees-of-freedom convention by default;
``iv_fit`` is 2SLS with fixed effects; ``add_lag`` builds calendar-year lags; the fast
``demean_twoway`` serves the bootstrap.

Split by subdomain: ``ols`` (``fit``, ``FitResult``), ``iv`` (``iv_fit``, ``IVResult``) and
``utils`` (formula and effects arguments, lags, balance, cubes, demeaning). Import from
``analytics.methods.panel``; the submodules are an implementation detail.
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
