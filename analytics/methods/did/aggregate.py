"""Aggregations of ATT(g, t) (R ``did::aggte``) and the multiplier bootstrap.

simple: post cells weighted by cohort size; dynamic: by event time e = t − g, cells at e
weighted by cohort size, overall = mean over e ≥ 0; group: mean of each cohort's post cells,
overall weighted by cohort size; calendar: post cells of period t weighted by cohort size,
overall = mean over periods. Every aggregate's influence function includes the estimation of
the cohort-size weights (R ``did``'s ``wif``). All influence functions are stacked into one
``n_units × m`` matrix so that the bootstrap is one product ``V @ Ψ`` with ``V`` the
``B × n_units`` multiplier weights (Rademacher, as R ``did``, or Mammen), one draw per unit,
i.e. clustered by unit. Bootstrap SE = IQR of the draws / (z(.75) − z(.25)); the uniform
critical value is the 1 − α quantile of the max over a family of |draw / SE|.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from .callaway import GroupTime

__all__ = ["Inference", "aggregate", "multiplier_draws"]

_IQR_Z = norm.ppf(0.75) - norm.ppf(0.25)


def multiplier_draws(n: int, reps: int, seed: int, weights: str = "rademacher") -> np.ndarray:
    """``reps × n`` multiplier weights with mean 0 and variance 1."""
    rng = np.random.default_rng(seed)
    if weights == "rademacher":
        return rng.integers(0, 2, size=(reps, n)) * 2.0 - 1.0
    if weights == "mammen":
        s5 = np.sqrt(5.0)
        lo, hi = (1 - s5) / 2, (1 + s5) / 2
        return np.where(rng.random((reps, n)) < (s5 + 1) / (2 * s5), lo, hi)
    raise ValueError(f"bootstrap weights must be rademacher or mammen, not {weights!r}")


@dataclass
class Inference:
    """SEs of the columns of Ψ, analytical or from one set of multiplier draws."""

    psi: np.ndarray               # n × m
    draws: np.ndarray | None      # B × m (sqrt(n)-scaled), None when analytical
    se: np.ndarray

    @classmethod
    def of(cls, psi: np.ndarray, *, reps: int, seed: int, weights: str) -> Inference:
        n = psi.shape[0]
        if not reps:
            return cls(psi, None, np.sqrt((psi ** 2).sum(axis=0)) / n)
        v = multiplier_draws(n, reps, seed, weights)
        draws = (v @ psi) / np.sqrt(n)
        q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
        sigma = (q75 - q25) / _IQR_Z
        se = np.where(sigma > 0, sigma / np.sqrt(n), np.nan)
        se[~psi.any(axis=0)] = 0.0         # a fixed zero (universal base period cell)
        return cls(psi, draws, se)

    def crit(self, cols: np.ndarray, alpha: float) -> float:
        """Uniform critical value over ``cols`` (pointwise z without bootstrap draws)."""
        z = float(norm.ppf(1 - alpha / 2))
        if self.draws is None or len(cols) == 0:
            return z
        n = self.psi.shape[0]
        sigma = self.se[cols] * np.sqrt(n)
        ok = np.isfinite(sigma) & (sigma > 0)
        if not ok.any():
            return z
        t = np.abs(self.draws[:, cols[ok]] / sigma[ok]).max(axis=1)
        c = float(np.quantile(t, 1 - alpha, method="inverted_cdf"))
        return c if np.isfinite(c) and c >= z else z


def _wif(unit_group: np.ndarray, kgroups: np.ndarray, pk: np.ndarray) -> np.ndarray:
    """Influence of the estimated weights pk / sum(pk) (R ``did``'s ``wif``)."""
    num = (unit_group[:, None] == kgroups[None, :]) - pk[None, :]
    s = pk.sum()
    return num / s - np.outer(num.sum(axis=1), pk / s ** 2)


class _Stack:
    """Estimates and their influence functions, stacked as columns."""

    def __init__(self, n: int):
        self.att: list[float] = []
        self.cols: list[np.ndarray] = []
        self.n = n

    def add(self, att: float, psi: np.ndarray) -> int:
        self.att.append(float(att))
        self.cols.append(psi)
        return len(self.att) - 1


def _weighted(stack: _Stack, gt: GroupTime, which: np.ndarray, pg: np.ndarray) -> int:
    w = pg[which] / pg[which].sum()
    att = float(w @ gt.att[which])
    psi = gt.inf[:, which] @ w + _wif(gt.unit_group, gt.group[which], pg[which]) @ gt.att[which]
    return stack.add(att, psi)


def _mean_of(stack: _Stack, idx: list[int]) -> int:
    att = float(np.mean([stack.att[i] for i in idx]))
    psi = np.mean([stack.cols[i] for i in idx], axis=0)
    return stack.add(att, psi)


def aggregate(gt: GroupTime, *, bootstrap: int = 999, seed: int = 0, alpha: float = 0.05,
              weights: str = "rademacher") -> dict:
    """ATT(g,t) rows with SEs and bands, and the four aggregates (see module docstring)."""
    ok = np.isfinite(gt.att)
    cells = np.flatnonzero(ok)
    share = {g: float(np.mean(gt.unit_group == g)) for g in np.unique(gt.group)}
    pg = np.array([share[g] for g in gt.group])
    stack = _Stack(gt.n)
    cell_idx = [stack.add(gt.att[k], gt.inf[:, k]) for k in cells]
    post = cells[gt.post[cells]]
    if len(post) == 0:
        raise ValueError("no post-treatment ATT(g,t) can be estimated")
    simple = _weighted(stack, gt, post, pg)
    event = gt.time - gt.group
    events = np.unique(event[cells])
    ev_idx = [_weighted(stack, gt, cells[event[cells] == e], pg) for e in events]
    dyn = _mean_of(stack, [i for i, e in zip(ev_idx, events, strict=True) if e >= 0])
    glist = np.unique(gt.group[post])
    g_idx = [stack.add(float(gt.att[post[gt.group[post] == g]].mean()),
                       gt.inf[:, post[gt.group[post] == g]].mean(axis=1)) for g in glist]
    pgg = np.array([share[g] for g in glist])
    att_g = np.array([stack.att[i] for i in g_idx])
    psi_g = np.column_stack([stack.cols[i] for i in g_idx])
    grp = stack.add(float(att_g @ pgg / pgg.sum()),
                    psi_g @ (pgg / pgg.sum()) + _wif(gt.unit_group, glist, pgg) @ att_g)
    tlist = np.unique(gt.time[post])
    t_idx = [_weighted(stack, gt, post[gt.time[post] == t], pg) for t in tlist]
    cal = _mean_of(stack, t_idx)

    psi = np.column_stack(stack.cols)
    inf = Inference.of(psi, reps=bootstrap, seed=seed, weights=weights)
    est = np.array(stack.att)
    z = float(norm.ppf(1 - alpha / 2))

    def one(i: int, crit: float = z) -> dict:
        return {"att": est[i], "se": inf.se[i], "lower": est[i] - crit * inf.se[i],
                "upper": est[i] + crit * inf.se[i]}

    c_gt = inf.crit(np.asarray(cell_idx), alpha)
    rows = []
    for k in range(len(gt.att)):
        base = {"group": int(gt.group[k]), "time": int(gt.time[k]), "post": bool(gt.post[k])}
        if ok[k]:
            i = cell_idx[int(np.searchsorted(cells, k))]
            base.update(one(i, c_gt))
        else:
            base.update({"att": None, "se": None, "lower": None, "upper": None})
        rows.append(base)
    c_ev = inf.crit(np.asarray(ev_idx), alpha)
    c_g = inf.crit(np.asarray(g_idx), alpha)
    c_t = inf.crit(np.asarray(t_idx), alpha)
    return {
        "att_gt": rows, "att_gt_crit": c_gt,
        "aggregates": {
            "simple": one(simple),
            "dynamic": {**one(dyn), "crit": c_ev, "by_event": [
                {"event": int(e), **one(i, c_ev)} for e, i in zip(events, ev_idx, strict=True)]},
            "group": {**one(grp), "crit": c_g, "by_group": [
                {"group": int(g), **one(i, c_g)} for g, i in zip(glist, g_idx, strict=True)]},
            "calendar": {**one(cal), "crit": c_t, "by_time": [
                {"time": int(t), **one(i, c_t)} for t, i in zip(tlist, t_idx, strict=True)]},
        },
    }
