"""Covariance of the coefficients, each convention named as Stata and R users know it.

Every estimator is a sandwich ``B M B`` with the bread ``B = (X'X)^-1`` (for 2SLS, ``X`` is the
first-stage fitted design) and the meat built from the scores ``x_i u_i``. ``small`` is Stata's
``small`` option (R ``ivreg``'s default): the finite-sample factors below and t / F reference
distributions; without it, z and chi-squared (Stata's ``ivregress`` default).

==================  ===============================================  ========================
se                  meat and factor (small)                          p-values (small)
==================  ===============================================  ========================
unadjusted          sigma^2 X'X, sigma^2 = RSS/(N-K)  (RSS/N)         t(N-K)
robust (HC1)        sum u_i^2 x_i x_i' * N/(N-K)   (none: HC0)       t(N-K)
cluster (CRV1)      sum_g s_g s_g' * G/(G-1)(N-1)/(N-K)  (G/(G-1))   t(G-1)
two-way cluster     V_A + V_B - V_AB (Cameron-Gelbach-Miller), each  t(min G - 1)
                    with min(G)/(min(G)-1)(N-1)/(N-K) (fixest, reghdfe)
driscoll-kraay      Newey-West (Bartlett) over per-period score      t(T-1)
                    sums, bandwidth floor(4 (T/100)^(2/9));
                    T/(T-1) (N-1)/(N-K) (xtscc)
==================  ===============================================  ========================
K counts the regressors, the constant and the absorbed effects, except effects nested in a
cluster variable (reghdfe; ``Absorber.df_for_clusters``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .absorb import group_sums
from .driscoll_kraay import default_bandwidth, driscoll_kraay_cov

__all__ = ["SE_KINDS", "Covariance", "coefficient_covariance", "default_bandwidth"]

SE_KINDS = ("unadjusted", "robust", "cluster", "driscoll-kraay")


@dataclass
class Covariance:
    matrix: np.ndarray
    df: int | None            # residual df of the t and F tests; None means z and chi2
    name: str                 # the convention, named
    n_clusters: list[int]     # one per cluster dimension (empty when not clustered)
    bandwidth: int | None = None


def _cluster_meat(scores: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, int]:
    levels = int(codes.max()) + 1
    sums = group_sums(codes, levels, scores)
    return sums.T @ sums, levels


def coefficient_covariance(
    kind: str,
    *,
    design: np.ndarray,
    resid: np.ndarray,
    bread: np.ndarray,
    n_params: int,
    small: bool,
    clusters: Sequence[np.ndarray] = (),
    cluster_names: Sequence[str] = (),
    time_codes: np.ndarray | None = None,
    bandwidth: int | None = None,
) -> Covariance:
    """The covariance of one fit. ``n_params`` is K (see the module docstring)."""
    n = len(resid)
    k = n_params
    if n - k <= 0:
        raise ValueError(f"too few observations: {n} for {k} parameters")
    scores = design * resid[:, None]
    tag = "small-sample t and F" if small else "asymptotic z and chi2"
    if kind == "unadjusted":
        sigma2 = float(resid @ resid) / ((n - k) if small else n)
        return Covariance(sigma2 * bread, n - k if small else None,
                          f"unadjusted (iid), sigma^2 = RSS/{'(N-K)' if small else 'N'}; {tag}",
                          [])
    if kind == "robust":
        factor = n / (n - k) if small else 1.0
        meat = scores.T @ scores
        return Covariance(factor * bread @ meat @ bread, n - k if small else None,
                          f"heteroskedasticity-robust {'HC1, N/(N-K)' if small else 'HC0'} "
                          f"(Stata vce(robust), areg/reghdfe robust); {tag}", [])
    if kind == "cluster":
        if not clusters:
            raise ValueError("cluster-robust SEs need a cluster variable")
        return _clustered(scores, bread, n, k, small, list(clusters), list(cluster_names), tag)
    if kind == "driscoll-kraay":
        if time_codes is None:
            raise ValueError("Driscoll-Kraay SEs need a time column")
        # xtscc's covariance with its factor T/(T-1) (N-1)/(N-K); without small, no factor.
        cov, lag = driscoll_kraay_cov(design, resid, time_codes, bandwidth=bandwidth, k_dof=k)
        periods = int(np.unique(time_codes).size)
        if not small:
            cov = cov / (periods / (periods - 1) * (n - 1) / (n - k))
        return Covariance(cov, periods - 1 if small else None,
                          f"Driscoll-Kraay (Bartlett kernel, bandwidth {lag} periods, "
                          f"{'T/(T-1) (N-1)/(N-K) as xtscc' if small else 'no factor'}); {tag}",
                          [], bandwidth=lag)
    raise ValueError(f"se must be one of {', '.join(SE_KINDS)}, not {kind!r}")


def _clustered(scores, bread, n, k, small, clusters, names, tag) -> Covariance:
    if len(clusters) == 1:
        meat, g = _cluster_meat(scores, clusters[0])
        if g < 2:
            raise ValueError("cluster-robust SEs need at least two clusters")
        factor = g / (g - 1) * ((n - 1) / (n - k) if small else 1.0)
        return Covariance(factor * bread @ meat @ bread, g - 1 if small else None,
                          f"cluster-robust CRV1 by {names[0] if names else 'cluster'}, "
                          f"G/(G-1){' (N-1)/(N-K)' if small else ''}; {tag}", [g])
    if len(clusters) != 2:
        raise ValueError("clustering takes one or two variables")
    a, b = clusters
    both = np.unique(np.stack([a, b], axis=1), axis=0, return_inverse=True)[1].reshape(-1)
    meat_a, ga = _cluster_meat(scores, a)
    meat_b, gb = _cluster_meat(scores, b)
    meat_ab, _ = _cluster_meat(scores, both)
    g = min(ga, gb)
    if g < 2:
        raise ValueError("cluster-robust SEs need at least two clusters in each dimension")
    factor = g / (g - 1) * ((n - 1) / (n - k) if small else 1.0)
    cov = factor * bread @ (meat_a + meat_b - meat_ab) @ bread
    return Covariance(cov, g - 1 if small else None,
                      f"two-way cluster-robust by {' and '.join(names)} (Cameron-Gelbach-Miller), "
                      f"min(G)/(min(G)-1){' (N-1)/(N-K)' if small else ''}; {tag}", [ga, gb])
