"""Mediation analysis (paths a, b, c, c'), Sobel/Aroian/Goodman tests and a cluster bootstrap.

METHODS section 5: path c ``y ~ x``, path a ``m ~ x``, paths c' and b ``y ~ x + m``, all with
the same controls, fixed effects and clustered SEs. ``c - (c' + a*b) = 0`` holds exactly
for OLS with identical samples and regressors.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from .estimation.absorb import Absorber, codes_of, drop_singletons
from .formula import check_columns, validate_names
from .panel import FitResult, balanced_cube, fit, normalise_effects

__all__ = ["MediationResult", "mediate", "sobel_tests", "bootstrap_indirect"]


def sobel_tests(a: float, se_a: float, b: float, se_b: float) -> dict[str, dict[str, float]]:
    """Sobel, Aroian (+ s_a^2 s_b^2) and Goodman (- s_a^2 s_b^2) tests of a*b, normal p-values."""
    ab = a * b
    base = b**2 * se_a**2 + a**2 * se_b**2
    extra = se_a**2 * se_b**2
    out = {}
    for name, var in (("sobel", base), ("aroian", base + extra), ("goodman", base - extra)):
        if var <= 0:
            out[name] = {"z": float("nan"), "p": float("nan"), "se": float("nan")}
            continue
        se = float(np.sqrt(var))
        z = ab / se
        out[name] = {"z": float(z), "p": float(2 * stats.norm.sf(abs(z))), "se": se}
    return out


def _demean(cube: np.ndarray, effects: str) -> np.ndarray:
    """Within transform over axes (draw?, N, T, k) for the requested effects."""
    n_ax, t_ax = cube.ndim - 3, cube.ndim - 2
    if effects == "two-way":
        return (cube - cube.mean(axis=t_ax, keepdims=True) - cube.mean(axis=n_ax, keepdims=True)
                + cube.mean(axis=(n_ax, t_ax), keepdims=True))
    if effects == "entity":
        return cube - cube.mean(axis=t_ax, keepdims=True)
    if effects == "time":
        return cube - cube.mean(axis=n_ax, keepdims=True)
    return cube - cube.mean(axis=(n_ax, t_ax), keepdims=True)  # 'none': const via centring


def _batched_ab(cube: np.ndarray, effects: str) -> np.ndarray:
    """a*b for a batch of resampled panels; cube (B, N, T, k) columns [y, m, x, controls...]."""
    d = _demean(cube, effects)
    bsz = d.shape[0]
    d = d.reshape(bsz, -1, d.shape[-1])
    y, m = d[..., 0], d[..., 1]
    xa = d[..., 2:]  # path a regressors: x + controls
    xb = np.concatenate([d[..., 2:3], d[..., 1:2], d[..., 3:]], axis=-1)  # x, m, controls
    # Normal equations on demeaned data are well conditioned here and batch nicely.
    a = np.linalg.solve(np.einsum("bni,bnj->bij", xa, xa),
                        np.einsum("bni,bn->bi", xa, m)[..., None])[:, 0, 0]
    b = np.linalg.solve(np.einsum("bni,bnj->bij", xb, xb),
                        np.einsum("bni,bn->bi", xb, y)[..., None])[:, 1, 0]
    return a * b


def bootstrap_indirect(
    df: pd.DataFrame,
    *,
    x: str,
    m: str,
    y: str,
    controls: Sequence[str] = (),
    entity: str = "city",
    time: str = "year",
    effects: str = "two-way",
    reps: int = 1999,
    seed: int = 12345,
    ci: float = 0.95,
    chunk: int = 100,
    progress: Callable[[int, int], None] | None = None,
    method: Literal["auto", "fast", "refit"] = "auto",
) -> dict:
    """Cluster (entity) bootstrap of a*b: resample entities with replacement, each duplicate
    becoming a new entity; percentile CI. Fast path on balanced panels, the engine's
    demeaning per draw otherwise (``method="refit"`` forces it; both consume the random
    stream identically)."""
    eff = normalise_effects(effects)
    cols = [y, m, x, *controls]
    if reps < 2:
        raise ValueError("bootstrap needs at least 2 replications")
    if method not in ("auto", "fast", "refit"):
        raise ValueError(f"method must be auto, fast or refit, not {method!r}")
    rng = np.random.default_rng(seed)
    t0 = _time.perf_counter()
    packed = None if method == "refit" else balanced_cube(df, cols, entity=entity, time=time)
    if method == "fast" and packed is None:
        raise ValueError("the fast bootstrap needs a balanced panel without missing values")
    draws: list[np.ndarray] = []
    failed = 0
    if packed is not None:
        cube = packed[0]
        n = cube.shape[0]
        done = 0
        while done < reps:
            bsz = min(chunk, reps - done)
            idx = rng.integers(0, n, size=(bsz, n))
            try:
                draws.append(_batched_ab(cube[idx], eff))
            except np.linalg.LinAlgError:
                for row in idx:  # singular batch: redo one by one, count failures
                    try:
                        draws.append(_batched_ab(cube[row][None], eff))
                    except np.linalg.LinAlgError:
                        failed += 1
            done += bsz
            if progress:
                progress(done, reps)
        path = "fast balanced demeaning + normal equations"
    else:
        draws, failed = _resampled_ab(df, cols, entity, time, eff, reps, rng, progress)
        path = "the engine's demeaning per draw (unbalanced panel), no refit"
    ab = np.concatenate(draws) if draws else np.array([])
    ab = ab[np.isfinite(ab)]
    alpha = (1 - ci) / 2
    lo, hi = (np.quantile(ab, [alpha, 1 - alpha]) if ab.size else (np.nan, np.nan))
    return {
        "reps": int(reps),
        "successful": int(ab.size),
        "failed": int(failed),
        "seed": int(seed),
        "ci_level": float(ci),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "se": float(ab.std(ddof=1)) if ab.size > 1 else float("nan"),
        "mean": float(ab.mean()) if ab.size else float("nan"),
        "method": "cluster bootstrap by entity (duplicates are new entities), percentile CI",
        "path": path,
        "seconds": round(_time.perf_counter() - t0, 3),
        "draws": ab,
    }


def _resampled_ab(df, cols, entity, time, eff, reps, rng, progress):
    """a*b on cluster-resampled unbalanced panels: per draw the rows of the picked entities
    (a duplicate is a new entity), singletons dropped and both paths demeaned by the engine's
    ``Absorber``, then two least-squares solves. Same draws from ``rng`` as before."""
    data = df[[entity, time, *cols]].dropna()
    ent_codes, n_ent = codes_of(data[entity])
    time_codes, _ = codes_of(data[time])
    values = data[cols].to_numpy(dtype=float)
    order = np.argsort(ent_codes, kind="stable")
    starts = np.searchsorted(ent_codes[order], np.arange(n_ent + 1))
    rows_of = [order[starts[i]:starts[i + 1]] for i in range(n_ent)]
    # Entities in sorted-label order, as the earlier groupby(sort=True) drew them.
    labels = pd.factorize(data[entity], sort=True)[0]
    by_label = [rows_of[ent_codes[np.flatnonzero(labels == k)[0]]] for k in range(n_ent)]
    draws, failed = [], 0
    for r in range(reps):
        pick = rng.integers(0, n_ent, size=n_ent)
        rows = np.concatenate([by_label[i] for i in pick])
        new_ent = np.repeat(np.arange(n_ent), [len(by_label[i]) for i in pick])
        factors = {"two-way": [new_ent, time_codes[rows]], "entity": [new_ent],
                   "time": [time_codes[rows]], "none": []}[eff]
        keep = drop_singletons(factors) if factors else np.ones(len(rows), dtype=bool)
        try:
            absorber = Absorber.from_codes([f[keep] for f in factors], ["e", "t"][:len(factors)])
            dm = absorber.demean(values[rows][keep])
            # columns: y, m, x, controls...
            a_coef = np.linalg.lstsq(dm[:, 2:], dm[:, 1], rcond=None)[0][0]
            b_coef = np.linalg.lstsq(dm[:, 1:], dm[:, 0], rcond=None)[0][0]
            draws.append(np.array([a_coef * b_coef]))
        except (ValueError, np.linalg.LinAlgError):
            failed += 1
        if progress:
            progress(r + 1, reps)
    return draws, failed


@dataclass
class MediationResult:
    x: str
    m: str
    y: str
    controls: list[str]
    a: float
    b: float
    c: float
    c_prime: float
    indirect: float
    tests: dict[str, dict[str, float]]
    path_c: FitResult
    path_a: FitResult
    path_b: FitResult
    bootstrap: dict | None = None
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    @property
    def identity_gap(self) -> float:
        """c - (c' + a*b): zero up to floating point for OLS on a common sample."""
        return self.c - (self.c_prime + self.a * self.b)

    def to_dict(self) -> dict:
        boot = None
        if self.bootstrap is not None:
            boot = {k: v for k, v in self.bootstrap.items() if k != "draws"}
        return {
            "model": "mediation",
            "x": self.x, "m": self.m, "y": self.y, "controls": list(self.controls),
            "a": self.a, "b": self.b, "c": self.c, "c_prime": self.c_prime,
            "indirect": self.indirect,
            "identity_gap": self.identity_gap,
            "se": {"a": self.path_a.std_errors[self.x], "b": self.path_b.std_errors[self.m],
                   "c": self.path_c.std_errors[self.x],
                   "c_prime": self.path_b.std_errors[self.x]},
            "tests": self.tests,
            "bootstrap": boot,
            "paths": {"c": self.path_c.to_dict(), "a": self.path_a.to_dict(),
                      "b_c_prime": self.path_b.to_dict()},
            "notes": list(self.notes),
            "synthetic": bool(self.synthetic),
        }


def mediate(
    df: pd.DataFrame,
    *,
    x: str,
    m: str,
    y: str,
    controls: Sequence[str] = (),
    entity: str = "city",
    time: str = "year",
    effects: str | Sequence[str] = "two-way",
    cluster: Literal["entity"] | None = "entity",
    se: Literal["stata", "unadjusted", "robust", "linearmodels"] = "stata",
    bootstrap: int = 0,
    seed: int = 12345,
    ci: float = 0.95,
    progress: Callable[[int, int], None] | None = None,
) -> MediationResult:
    """Three regressions on one common sample (rows complete in x, m, y and controls)."""
    eff = normalise_effects(effects)
    cols = validate_names([x, m, y, *controls])
    check_columns(cols, df.columns)
    keep = [c for c in (entity, time) if c and c in df.columns]
    data = df[keep + cols].dropna()
    notes = []
    if len(data) < len(df):
        notes.append(f"{len(df) - len(data)} row(s) with missing values dropped (common sample)")
    ctl = "".join(f" + {c}" for c in controls)
    kw = {"entity": entity, "time": time, "effects": eff, "cluster": cluster, "se": se}
    fc = fit(data, f"{y} ~ {x}{ctl}", **kw)
    fa = fit(data, f"{m} ~ {x}{ctl}", **kw)
    fb = fit(data, f"{y} ~ {x} + {m}{ctl}", **kw)
    a, b = fa.params[x], fb.params[m]
    tests = sobel_tests(a, fa.std_errors[x], b, fb.std_errors[m])
    boot = None
    if bootstrap and bootstrap > 0:
        boot = bootstrap_indirect(data, x=x, m=m, y=y, controls=controls, entity=entity,
                                  time=time, effects=eff, reps=bootstrap, seed=seed, ci=ci,
                                  progress=progress)
    return MediationResult(
        x=x, m=m, y=y, controls=list(controls), a=float(a), b=float(b),
        c=float(fc.params[x]), c_prime=float(fb.params[x]), indirect=float(a * b),
        tests=tests, path_c=fc, path_a=fa, path_b=fb, bootstrap=boot, notes=notes,
        synthetic=bool(getattr(df, "attrs", {}).get("synthetic", False)),
    )
