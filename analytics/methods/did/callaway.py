"""Callaway & Sant'Anna (2021) group-time average treatment effects ATT(g, t).

For each cohort g and period t one 2×2 comparison: the cohort against the never-treated
(``control="never"``) or the not-yet-treated (``"notyet"``: never treated or first treated
after max(t, base) + anticipation), outcome change from the base period to t. Base period
``"varying"`` (R ``did``'s default: the period before t in pre-periods, the last
pre-treatment period g − 1 − anticipation for post-periods) or ``"universal"`` (always g − 1 −
anticipation; the cell t = base is 0). Covariates enter with their base-period (earlier)
values, as in R ``did``. The influence functions are returned as one ``n_units × cells``
matrix, each column scaled as R ``did`` scales it (n / n_cell), zero for units outside the
cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .panel import Panel
from .twobytwo import ESTIMATORS, OverlapViolation, SingularDesign

__all__ = ["GroupTime", "att_gt"]

CONTROLS = ("never", "notyet")
BASE_PERIODS = ("varying", "universal")


@dataclass
class GroupTime:
    group: np.ndarray         # cohort of each cell
    time: np.ndarray          # period of each cell
    att: np.ndarray           # NaN where the cell could not be estimated
    inf: np.ndarray           # n_units × cells influence functions
    post: np.ndarray          # bool: t >= g
    unit_group: np.ndarray    # cohort of each unit
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.inf.shape[0]

    def se(self) -> np.ndarray:
        """Analytical SEs: sqrt(diag(ψ'ψ / n) / n)."""
        return np.sqrt((self.inf ** 2).sum(axis=0)) / self.n


def _last_pre(g: int, times: np.ndarray, anticipation: int) -> int | None:
    idx = np.flatnonzero(times + anticipation < g)
    return int(idx[-1]) if len(idx) else None


def _design(panel: Panel, rows: np.ndarray, period: int) -> np.ndarray:
    ones = np.ones((len(rows), 1))
    if panel.X is None:
        return ones
    return np.column_stack([ones, panel.X[rows, period, :]])


def att_gt(panel: Panel, *, control: str = "never", method: str = "dr",
           anticipation: int = 0, base_period: str = "varying") -> GroupTime:
    if control not in CONTROLS:
        raise ValueError(f"control must be never or notyet, not {control!r}")
    if method not in ESTIMATORS:
        raise ValueError(f"method must be dr, ipw or reg, not {method!r}")
    if base_period not in BASE_PERIODS:
        raise ValueError(f"base period must be varying or universal, not {base_period!r}")
    cohort, Y, times = panel.G, panel.Y, panel.times
    n, T = Y.shape
    if control == "never" and not (cohort == 0).any():
        raise ValueError("control=never needs never-treated units (group 0); there are none: "
                         "use control=notyet")
    estimator = ESTIMATORS[method]
    varying = base_period == "varying"
    groups, periods, atts, posts, cols = [], [], [], [], []
    notes: list[str] = []
    failed: list[str] = []
    overlap: list[str] = []
    singular = False
    for g in panel.cohorts:
        treated = cohort == g
        pre_g = _last_pre(g, times, anticipation)
        if pre_g is None:
            notes.append(f"cohort {g} has no pre-treatment period and is left out.")
            continue
        for t_i in range(T - 1 if varying else T):
            tn_i = t_i + 1 if varying else t_i
            tn = times[tn_i]
            base = t_i if varying else pre_g
            if g - anticipation <= tn:
                base = pre_g
            post = bool(g <= tn)
            col = np.zeros(n)
            if not varying and base == tn_i:
                groups.append(g), periods.append(tn), atts.append(0.0)
                posts.append(post), cols.append(col)
                continue
            if control == "never":
                ctrl = cohort == 0
            else:
                cutoff = times[max(tn_i, base)] + anticipation
                ctrl = (cohort == 0) | ((cohort > cutoff) & (cohort != g))
            rows = np.flatnonzero(treated | ctrl)
            att = np.nan
            if ctrl.any():
                dy = Y[rows, tn_i] - Y[rows, base]
                d = treated[rows].astype(float)
                x = _design(panel, rows, min(tn_i, base))
                try:
                    with np.errstate(all="ignore"):
                        att, inf = estimator(dy, d, x)
                    if not np.isfinite(att) or not np.all(np.isfinite(inf)):
                        raise SingularDesign("non-finite")
                    col[rows] = n / len(rows) * inf
                except OverlapViolation:
                    att = np.nan
                    singular = True
                    overlap.append(f"({g}, {tn})")
                except (SingularDesign, np.linalg.LinAlgError):
                    att = np.nan
                    singular = True
                    failed.append(f"({g}, {tn})")
            else:
                failed.append(f"({g}, {tn})")
            groups.append(g), periods.append(tn), atts.append(att)
            posts.append(post), cols.append(col)
    if not groups:
        raise ValueError("no cohort has a pre-treatment period to compare with")
    att = np.asarray(atts, dtype=float)
    if np.isnan(att).all():
        if singular and panel.covariates:
            raise ValueError("no ATT(g,t) could be estimated: the covariates "
                             f"{', '.join(panel.covariates)} make every comparison's design "
                             "singular or without overlap (constant or collinear covariates?)")
        raise ValueError("no comparison units: no ATT(g,t) could be estimated "
                         f"with control={control}")
    if failed:
        notes.append(f"ATT(g,t) not estimable (no comparison units or a singular design) "
                     f"for (g,t) = {', '.join(failed)}; these cells are left out of the "
                     "aggregates.")
    if overlap:
        notes.append("ATT(g,t) left out for (g,t) = " + ", ".join(overlap) + ": a propensity "
                     "score reaches 0.999 (no overlap of treated and comparison units).")
    inf = np.column_stack(cols)
    return GroupTime(group=np.asarray(groups), time=np.asarray(periods), att=att, inf=inf,
                     post=np.asarray(posts, dtype=bool), unit_group=cohort.copy(), notes=notes)
