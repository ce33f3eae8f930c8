"""Generated staggered-adoption panels with a known effect, for tests, checks and benches.

``staggered_panel(units=282, periods=11, cohorts={2014: .2, 2017: .3}, effect=lambda e: e + 1)``:
unit and period effects, a time-invariant covariate ``x`` that shifts both the trend and (with
``selection``) the chance of being in an early cohort, normal noise, and ``effect(e)`` added
from the first treated period on (e = t − g ≥ 0). Units not drawn into a cohort are never
treated (g = 0). Columns: ``id``, ``year``, ``y``, ``g``, ``x``, ``treated``, ``true_effect``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["staggered_panel"]


def staggered_panel(*, units: int = 282, periods: int = 11, start: int = 2010,
                    cohorts: Mapping[int, float] | None = None,
                    effect: Callable[[np.ndarray], np.ndarray] | None = None,
                    noise: float = 1.0, trend_x: float = 0.0, selection: float = 0.0,
                    seed: int = 0) -> pd.DataFrame:
    """``cohorts``: first treated period → share of units (the rest never treated);
    ``effect``: the effect at event time e ≥ 0 (default e + 1, a growing effect);
    ``trend_x``: extra slope per period per unit of x (conditional parallel trends only);
    ``selection``: how much a high x raises the chance of an early cohort."""
    rng = np.random.default_rng(seed)
    years = np.arange(start, start + periods)
    if cohorts is None:
        cohorts = {int(years[3]): 0.25, int(years[6]): 0.25}
    if effect is None:
        def effect(e):
            return e + 1.0
    shares = np.array(list(cohorts.values()), dtype=float)
    if shares.sum() > 1 + 1e-12 or (shares < 0).any():
        raise ValueError("cohort shares must be non-negative and sum to at most 1")
    x = rng.normal(size=units)
    order = np.argsort(-(selection * x + rng.normal(size=units)))
    g = np.zeros(units, dtype=np.int64)
    counts = np.floor(shares * units + 0.5).astype(int)
    pos = 0
    for cohort, k in zip(sorted(cohorts), counts[np.argsort(list(cohorts))], strict=True):
        g[order[pos:pos + k]] = cohort
        pos += k
    alpha = rng.normal(size=units) + 0.5 * x
    lam = np.cumsum(rng.normal(0.3, 0.5, size=periods))
    t = np.arange(periods)
    ev = years[None, :] - g[:, None]
    treated = (g[:, None] > 0) & (ev >= 0)
    tau = np.where(treated, effect(np.where(treated, ev, 0).astype(float)), 0.0)
    y = (alpha[:, None] + lam[None, :] + trend_x * x[:, None] * t[None, :] + tau
         + noise * rng.normal(size=(units, periods)))
    return pd.DataFrame({
        "id": np.repeat(np.arange(1, units + 1), periods),
        "year": np.tile(years, units),
        "y": y.ravel(),
        "g": np.repeat(g, periods),
        "x": np.repeat(x, periods),
        "treated": treated.ravel().astype(int),
        "true_effect": tau.ravel(),
    })
