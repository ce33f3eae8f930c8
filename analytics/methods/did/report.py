"""``did_json``: the one entry point of the CLI ``analytics did`` and the web run kind."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..jsonfloat import jsonable
from .aggregate import aggregate
from .callaway import BASE_PERIODS, CONTROLS, att_gt
from .imputation import imputation
from .panel import prepare_panel
from .twfe import twfe_json
from .twobytwo import ESTIMATORS

__all__ = ["did_json"]

SE_BOOTSTRAP = "multiplier bootstrap (unit clusters)"
SE_ANALYTICAL = "analytical"


def _check_options(control, method, base_period, bootstrap, alpha, anticipation) -> None:
    if control not in CONTROLS:
        raise ValueError(f"--control must be never or notyet, not {control!r}")
    if method not in ESTIMATORS:
        raise ValueError(f"--method must be dr, ipw or reg, not {method!r}")
    if base_period not in BASE_PERIODS:
        raise ValueError(f"--base-period must be varying or universal, not {base_period!r}")
    if not isinstance(bootstrap, int | np.integer) or bootstrap < 0 or 0 < bootstrap < 20:
        raise ValueError("--bootstrap must be 0 (analytical SEs) or at least 20 draws")
    if not (0 < alpha < 0.5):
        raise ValueError("--alpha must be between 0 and 0.5")
    if not isinstance(anticipation, int | np.integer) or anticipation < 0:
        raise ValueError("--anticipation must be 0 or a positive whole number of periods")


def did_json(df: pd.DataFrame, *, y: str, entity: str, time: str, group: str,
             control: str = "never", method: str = "dr", covariates: Sequence[str] = (),
             bootstrap: int = 999, seed: int = 0, alpha: float = 0.05,
             anticipation: int = 0, base_period: str = "varying") -> dict:
    """Callaway–Sant'Anna ATT(g,t) and aggregates, BJS imputation and TWFE with its
    Goodman-Bacon decomposition, as one JSON-ready dict (NaN → None). Bad input raises
    ``ValueError`` with one sentence naming the column or option."""
    _check_options(control, method, base_period, bootstrap, alpha, anticipation)
    covariates = [c for c in (covariates or ()) if c]
    panel = prepare_panel(df, y=y, entity=entity, time=time, group=group,
                          covariates=covariates, anticipation=int(anticipation))
    notes = list(panel.notes)
    gt = att_gt(panel, control=control, method=method, anticipation=int(anticipation),
                base_period=base_period)
    notes += gt.notes
    res = aggregate(gt, bootstrap=int(bootstrap), seed=int(seed), alpha=float(alpha))
    tw = twfe_json(panel)
    imp = imputation(panel, anticipation=int(anticipation))
    notes += imp.pop("notes")
    if bootstrap:
        notes.append(f"SEs from {bootstrap} multiplier-bootstrap draws clustered by unit; the "
                     "ATT(g,t) and by-event/group/time intervals are uniform confidence bands.")
    else:
        notes.append("Analytical SEs (influence functions, clustered by unit); intervals are "
                     "pointwise.")
    if covariates:
        notes.append("TWFE, its Goodman-Bacon decomposition and the imputation estimator are "
                     "without covariates.")
    if tw["forbidden_weight"]:
        notes.append(f"{tw['forbidden_weight']:.0%} of the TWFE weight is on later-vs-earlier "
                     "comparisons that use already-treated units as controls.")
    out = {
        "att_gt": res["att_gt"],
        "att_gt_crit": res["att_gt_crit"],
        "aggregates": res["aggregates"],
        "twfe": tw,
        "imputation": imp,
        "units": panel.n,
        "periods": [int(t) for t in panel.times],
        "groups": [int(g) for g in panel.cohorts],
        "never_treated": int((panel.G == 0).sum()),
        "control": control, "method": method, "covariates": covariates,
        "bootstrap": int(bootstrap), "seed": int(seed), "alpha": float(alpha),
        "anticipation": int(anticipation), "base_period": base_period,
        "se_method": SE_BOOTSTRAP if bootstrap else SE_ANALYTICAL,
        "notes": notes,
    }
    return jsonable(out)
