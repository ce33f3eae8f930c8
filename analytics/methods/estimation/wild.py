"""Wild cluster restricted (WCR) bootstrap for one coefficient, for inference with few clusters.

Cameron, Gelbach and Miller (2008); the algebra is that of Roodman, MacKinnon, Nielsen and Webb
(2019), "Fast and wild: bootstrap inference in Stata using boottest" (the WCR "11" variant: CRV1
in the sample and in every draw, null imposed on the bootstrap data).

The caller has already partialled any absorbed fixed effects out of ``X`` and ``y`` (FWL; the
effects are nested in the clusters, as boottest does with absorbed effects).

Why it is fast. Write A = (X'X)^-1, a = A e_j (the tested coefficient j), s_g = X_g'u_g the
restricted scores of cluster g. For a draw v (one weight per cluster):

    numerator   R'beta* - r   = sum_g C_g v_g,             C_g = a's_g
    CRV1 score  R'A s*_h      = C_h v_h - sum_g H_hg v_g,  H_hg = a'X_h'X_h A s_g

so every draw costs O(G^2) once C and H (G and G x G numbers) are known, and all draws are one
matrix product. The restricted scores are linear in the null value r (s_g(r) = s0_g + d * s1_g
with d = beta_hat_j - r), hence so are C, H, the numerator and the scores: test inversion for a
confidence interval re-uses the same draws at O(B) per trial value of r.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from ..jsonfloat import finite_or_none

__all__ = ["WildBootstrapResult", "wild_cluster_bootstrap", "WEIGHT_TYPES"]

WEIGHT_TYPES = ("rademacher", "webb", "mammen")
MIN_REPS = 99
ENUMERATION_MAX_G = 11  # boottest enumerates all 2^G Rademacher sign vectors up to here
CI_SE_STEPS = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0, 50.0)
# The draws v = +1 and v = -1 reproduce the sample's |t| exactly; count such ties whatever the
# rounding (a relative 1e-10 is far below any real gap between draws).
TIE_RTOL = 1e-10
DRAW_CHUNK = 4096  # draws per block: memory stays at G x 4096 numbers whatever `reps` is

_SQRT5 = np.sqrt(5.0)
_WEBB_POINTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])
_MAMMEN_LOW, _MAMMEN_HIGH = -(_SQRT5 - 1) / 2, (_SQRT5 + 1) / 2
_MAMMEN_P_LOW = (_SQRT5 + 1) / (2 * _SQRT5)


@dataclass
class WildBootstrapResult:
    coefficient: str
    null: float
    tstat: float
    pvalue: float
    ci_low: float | None
    ci_high: float | None
    level: float | None  # None when no CI was asked for
    reps: int
    weights: str
    n_clusters: int
    method: str
    seed: int

    def to_dict(self) -> dict:
        return {
            "coefficient": self.coefficient,
            "null": finite_or_none(self.null),
            "tstat": finite_or_none(self.tstat),
            "pvalue": finite_or_none(self.pvalue),
            "ci_low": finite_or_none(self.ci_low),
            "ci_high": finite_or_none(self.ci_high),
            "level": finite_or_none(self.level),
            "reps": int(self.reps),
            "weights": self.weights,
            "n_clusters": int(self.n_clusters),
            "method": self.method,
            "seed": int(self.seed),
        }


def draw_weights(*, weights: str, n_clusters: int, reps: int, rng: np.random.Generator) -> np.ndarray:
    """A (G x reps) matrix of cluster weights with mean 0 and variance 1."""
    shape = (n_clusters, reps)
    if weights == "rademacher":
        return rng.choice(np.array([-1.0, 1.0]), size=shape)
    if weights == "webb":
        return rng.choice(_WEBB_POINTS, size=shape)
    low = rng.random(shape) < _MAMMEN_P_LOW
    return np.where(low, _MAMMEN_LOW, _MAMMEN_HIGH)


def rademacher_enumeration(n_clusters: int) -> np.ndarray:
    """All 2^G sign vectors as a (G x 2^G) matrix; column 0 is all +1 (the sample itself)."""
    codes = np.arange(2**n_clusters)
    bits = (codes[None, :] >> np.arange(n_clusters)[:, None]) & 1
    return 1.0 - 2.0 * bits


def _check_inputs(X, y, clusters, names, coefficient, reps, weights, level, small_sample_k):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    clusters = np.asarray(clusters)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n x k), got {X.ndim} dimension(s).")
    n, k = X.shape
    if y.shape != (n,) or clusters.shape != (n,):
        raise ValueError(f"y and clusters must both have shape ({n},) to match X's {n} rows.")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must not contain NaN or infinite values.")
    if len(names) != k:
        raise ValueError(f"names has {len(names)} labels but X has {k} columns.")
    if coefficient not in names:
        raise ValueError(f"Coefficient {coefficient!r} is not one of the regressors {list(names)}.")
    if weights not in WEIGHT_TYPES:
        raise ValueError(f"Unknown weights {weights!r}; use one of {', '.join(WEIGHT_TYPES)}.")
    if reps < MIN_REPS:
        raise ValueError(f"reps must be at least {MIN_REPS} for a usable bootstrap p-value, got {reps}.")
    if level is not None and not 0 < level < 1:
        raise ValueError(f"level must be strictly between 0 and 1 (e.g. 0.95), got {level}.")
    # Recode whatever labels came in to 0..G-1, so an unused code never makes an empty cluster.
    _, codes = np.unique(clusters, return_inverse=True)
    n_clusters = int(codes.max()) + 1 if n else 0
    if n_clusters < 2:
        raise ValueError(f"The wild cluster bootstrap needs at least 2 clusters, got {n_clusters}.")
    dof_k = k if small_sample_k is None else int(small_sample_k)
    if not 0 < dof_k < n:
        raise ValueError(f"small_sample_k must be between 1 and n - 1 = {n - 1}, got {dof_k}.")
    if np.linalg.matrix_rank(X) < k:
        raise ValueError("X is rank deficient: drop collinear columns before the bootstrap.")
    return X, y, codes, n_clusters, dof_k


def _cluster_blocks(codes: np.ndarray, n_clusters: int) -> list[np.ndarray]:
    """Row indices of each cluster, in cluster order (one sort, no n x k x k temporary)."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_clusters + 1))
    return [order[bounds[g]:bounds[g + 1]] for g in range(n_clusters)]


class _BootstrapPieces:
    """Per-draw sums that make the bootstrap t* of any null value r an O(B) computation.

    With d = beta_hat_j - r:  numerator(r) = n0 + d n1,  sum_h score_h(r)^2 = q00 + 2d q01 + d^2 q11.
    """

    def __init__(self, X, y, codes, n_clusters, j, factor, draws):
        xtx = X.T @ X
        inv = np.linalg.inv(xtx)
        beta = inv @ (X.T @ y)
        resid = y - X @ beta
        a = inv[:, j]
        # Direction in which the restricted estimate moves as the null value r moves:
        # beta_r(r) = beta - shift * d,  so  u_r(r) = resid + X shift * d.
        shift = a / a[j]

        blocks = _cluster_blocks(codes, n_clusters)
        scores0 = np.array([X[rows].T @ resid[rows] for rows in blocks])  # (G x k) unrestricted
        xgxg = np.array([X[rows].T @ X[rows] for rows in blocks])  # (G x k x k)
        scores1 = xgxg @ shift  # (G x k): d(s_g)/d(d)
        a_xgxg = np.einsum("i,gik->gk", a, xgxg)  # a'X_g'X_g, (G x k)

        # C_g = a's_g and H_hg = a'X_h'X_h A s_g, each split into the part constant in r and
        # the part proportional to d.
        c0, c1 = scores0 @ a, scores1 @ a
        h0 = a_xgxg @ inv @ scores0.T
        h1 = a_xgxg @ inv @ scores1.T

        self.estimate = float(beta[j])
        self.se = float(np.sqrt(factor * a @ (scores0.T @ scores0) @ a))
        self.factor = factor
        n0, n1, q00, q01, q11 = ([] for _ in range(5))
        for start in range(0, draws.shape[1], DRAW_CHUNK):
            v = draws[:, start:start + DRAW_CHUNK]
            n0.append(c0 @ v)
            n1.append(c1 @ v)
            z0 = c0[:, None] * v - h0 @ v
            z1 = c1[:, None] * v - h1 @ v
            q00.append(np.einsum("gb,gb->b", z0, z0))
            q01.append(np.einsum("gb,gb->b", z0, z1))
            q11.append(np.einsum("gb,gb->b", z1, z1))
        self.n0, self.n1 = np.concatenate(n0), np.concatenate(n1)
        self.q00, self.q01, self.q11 = np.concatenate(q00), np.concatenate(q01), np.concatenate(q11)

    def tstat(self, r: float) -> float:
        return (self.estimate - r) / self.se

    def tstar(self, d: float) -> np.ndarray:
        numerator = self.n0 + d * self.n1
        variance = self.factor * (self.q00 + 2 * d * self.q01 + d * d * self.q11)
        with np.errstate(divide="ignore", invalid="ignore"):
            return numerator / np.sqrt(np.maximum(variance, 0.0))

    def pvalue(self, r: float) -> float:
        t = abs(self.tstat(r))
        return float(np.mean(np.abs(self.tstar(self.estimate - r)) >= t * (1 - TIE_RTOL)))


def _ci_bound(pieces: _BootstrapPieces, alpha: float, side: int) -> float | None:
    """The null value on one side (+1 above, -1 below) where the p-value falls to alpha.

    Scans outward from the estimate in steps of CRV1 SEs so the innermost crossing is bracketed,
    then refines by Brent's method (the p-value is a step function; Brent converges to a step).
    """
    estimate, se = pieces.estimate, pieces.se

    def excess(r: float) -> float:
        return pieces.pvalue(r) - alpha

    inner = estimate
    for step in CI_SE_STEPS:
        outer = estimate + side * step * se
        if excess(outer) < 0:
            lo, hi = sorted((inner, outer))
            return float(optimize.brentq(excess, lo, hi, xtol=1e-10 * se, rtol=1e-6))
        inner = outer
    return None


def _method_text(*, weights, reps, enumerated, n_clusters, level, ci_low, ci_high) -> str:
    if enumerated:
        draws = f"full enumeration of all {reps} = 2^{n_clusters} sign vectors"
    else:
        draws = f"{reps} draws"
    text = (f"wild cluster restricted (WCR) bootstrap, {weights.capitalize()} weights, {draws}, "
            "null imposed, CRV1 t in the sample and in every draw, symmetric two-sided p-value")
    if level is not None:
        text += f"; {level:.0%} CI by test inversion on the same draws"
        unbounded = [side for side, bound in (("below", ci_low), ("above", ci_high)) if bound is None]
        if unbounded:
            text += f", unbounded {' and '.join(unbounded)} (no crossing within 50 CRV1 SEs)"
    return text + " (Cameron-Gelbach-Miller 2008; Roodman et al. 2019 boottest)"


def wild_cluster_bootstrap(
    X: np.ndarray,
    y: np.ndarray,
    clusters: np.ndarray,
    *,
    names: list[str],
    coefficient: str,
    null: float = 0.0,
    reps: int = 9999,
    weights: str = "rademacher",
    seed: int = 12345,
    level: float | None = 0.95,
    small_sample_k: int | None = None,
) -> WildBootstrapResult:
    """WCR bootstrap test of H0: beta[coefficient] = null, with an optional test-inversion CI.

    ``X`` (n x k) and ``y`` (n,) are already partialled of absorbed fixed effects; ``clusters``
    holds one code per row. ``small_sample_k`` is the K of the CRV1 factor
    G/(G-1) * (N-1)/(N-K) (count absorbed effects in it); it scales t and every t* alike, so it
    changes the reported t but not the p-value. With Rademacher weights, G <= 11 and
    reps >= 2^G, all 2^G sign vectors are used instead of random draws (``reps`` then says 2^G).
    """
    X, y, codes, n_clusters, dof_k = _check_inputs(
        X, y, clusters, names, coefficient, reps, weights, level, small_sample_k)
    n = X.shape[0]
    j = list(names).index(coefficient)
    factor = n_clusters / (n_clusters - 1) * (n - 1) / (n - dof_k)

    enumerated = (weights == "rademacher" and n_clusters <= ENUMERATION_MAX_G
                  and reps >= 2**n_clusters)
    if enumerated:
        draws = rademacher_enumeration(n_clusters)
    else:
        draws = draw_weights(weights=weights, n_clusters=n_clusters, reps=reps,
                             rng=np.random.default_rng(seed))
    pieces = _BootstrapPieces(X, y, codes, n_clusters, j, factor, draws)

    ci_low = ci_high = None
    if level is not None:
        ci_low = _ci_bound(pieces, 1 - level, side=-1)
        ci_high = _ci_bound(pieces, 1 - level, side=+1)

    used = draws.shape[1]
    return WildBootstrapResult(
        coefficient=coefficient,
        null=float(null),
        tstat=float(pieces.tstat(null)),
        pvalue=pieces.pvalue(null),
        ci_low=ci_low,
        ci_high=ci_high,
        level=float(level) if level is not None else None,
        reps=used,
        weights=weights,
        n_clusters=n_clusters,
        method=_method_text(weights=weights, reps=used, enumerated=enumerated, n_clusters=n_clusters,
                            level=level, ci_low=ci_low, ci_high=ci_high),
        seed=int(seed),
    )
