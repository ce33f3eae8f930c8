"""The PCA index and its adequacy tests, KMO and Bartlett's sphericity (METHODS section 2)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from ..jsonfloat import finite_list
from .entropy import minmax, row_scores

__all__ = ["PCAResult", "KMOResult", "BartlettResult", "pca_index", "kmo", "bartlett"]


@dataclass
class PCAResult:
    eigen_table: pd.DataFrame  # eigenvalue, share, cumulative (Table 3 of the paper)
    loadings: pd.DataFrame  # sign-fixed eigenvectors, columns PC1..PCp
    n_retained: int
    weights: pd.Series
    index: pd.Series
    matrix: str
    retain: str
    rescale: str

    def to_dict(self) -> dict:
        et = self.eigen_table
        return {
            "method": "pca",
            "matrix": self.matrix,
            "retain": self.retain,
            "rescale": self.rescale,
            "n_retained": self.n_retained,
            "eigen_table": {
                "component": [int(c) for c in et.index],
                "eigenvalue": finite_list(et["eigenvalue"]),
                "share": finite_list(et["share"]),
                "cumulative": finite_list(et["cumulative"]),
            },
            "weights": dict(zip(self.weights.index, finite_list(self.weights.to_numpy()), strict=False)),
            "index": finite_list(self.index.to_numpy()),
        }


def pca_index(
    df: pd.DataFrame,
    *,
    negative: Sequence[str] = (),
    matrix: Literal["correlation", "covariance"] = "correlation",
    retain: Literal["cumulative", "kaiser"] = "cumulative",
    threshold: float = 0.85,
    rescale: Literal["none", "max", "minmax"] = "none",
) -> PCAResult:
    """PCA composite index (METHODS section 2).

    Retained components k are weighted by their eigenvalue share; each indicator's raw weight
    is ``sum_k (lambda_k / sum lambda) * u_jk``, normalised to sum 1; index ``= Z @ w``.
    """
    z = minmax(df, negative=negative)
    zv = z.to_numpy(dtype=float)
    if matrix == "correlation":
        m = np.corrcoef(zv, rowvar=False)
    elif matrix == "covariance":
        m = np.cov(zv, rowvar=False)
    else:
        raise ValueError(f"matrix must be 'correlation' or 'covariance', not {matrix!r}")
    vals, vecs = np.linalg.eigh(m)
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    # LAPACK's eigenvector sign is arbitrary: make each vector's elements sum positive.
    signs = np.where(vecs.sum(axis=0) < 0, -1.0, 1.0)
    vecs = vecs * signs
    share = vals / vals.sum()
    cum = np.cumsum(share)
    if retain == "cumulative":
        k = int(np.searchsorted(cum, threshold - 1e-12) + 1)
    elif retain == "kaiser":
        k = max(1, int((vals > 1.0).sum()))
    else:
        raise ValueError(f"retain must be 'cumulative' or 'kaiser', not {retain!r}")
    k = min(k, len(vals))
    lam = vals[:k]
    raw = vecs[:, :k] @ (lam / lam.sum())
    if raw.sum() == 0:
        raise ValueError("PCA weights sum to zero; cannot normalise")
    w = raw / raw.sum()
    idx = row_scores(zv, w)
    if rescale == "max":
        idx = idx / idx.max()
    elif rescale == "minmax":
        idx = (idx - idx.min()) / (idx.max() - idx.min())
    elif rescale != "none":
        raise ValueError(f"rescale must be 'none', 'max' or 'minmax', not {rescale!r}")
    comps = [f"PC{i + 1}" for i in range(len(vals))]
    table = pd.DataFrame(
        {"eigenvalue": vals, "share": share, "cumulative": cum},
        index=pd.Index(range(1, len(vals) + 1), name="component"),
    )
    return PCAResult(
        eigen_table=table,
        loadings=pd.DataFrame(vecs, index=df.columns, columns=comps),
        n_retained=k,
        weights=pd.Series(w, index=df.columns, name="weight"),
        index=pd.Series(idx, index=df.index, name="index"),
        matrix=matrix,
        retain=retain if retain == "kaiser" else f"cumulative>={threshold}",
        rescale=rescale,
    )


@dataclass
class KMOResult:
    overall: float
    per_variable: pd.Series

    def to_dict(self) -> dict:
        return {
            "kmo": float(self.overall),
            "per_variable": dict(zip(self.per_variable.index, finite_list(self.per_variable), strict=False)),
        }


@dataclass
class BartlettResult:
    chi2: float
    df: int
    pvalue: float
    n: int

    def to_dict(self) -> dict:
        return {"chi2": float(self.chi2), "df": int(self.df), "p": float(self.pvalue), "n": self.n}


# An eigenvalue below this share of the largest means the correlation matrix is singular
# (in floating point an exact linear dependence leaves about 1e-16, real data far more).
SINGULAR_TOL = 1e-10


def _is_singular(r: np.ndarray) -> bool:
    vals = np.linalg.eigvalsh(r)
    return bool(vals[0] <= SINGULAR_TOL * vals[-1])


def _dependent_set(r: np.ndarray, columns: list[str]) -> tuple[int, list[int]]:
    """A column and the fewest earlier columns it is a linear combination of (positions).

    Columns are added one at a time while the set stays of full rank; the first column that
    makes it singular depends on that set alone, the null space is one vector, and its
    non-zero entries name the columns involved.
    """
    kept: list[int] = []
    for j in range(len(columns)):
        trial = [*kept, j]
        sub = r[np.ix_(trial, trial)]
        if not _is_singular(sub):
            kept.append(j)
            continue
        vals, vecs = np.linalg.eigh(sub)
        null = vecs[:, 0]
        involved = [trial[i] for i in np.flatnonzero(np.abs(null) > 1e-6 * np.abs(null).max())]
        return j, [i for i in involved if i != j]
    raise AssertionError("singular matrix without a dependent set")  # unreachable


def _corr(df: pd.DataFrame) -> np.ndarray:
    """The correlation matrix, refused (ValueError naming the columns) when it is singular:
    KMO inverts it and Bartlett takes its log-determinant, so a singular one has no answer."""
    x = df.to_numpy(dtype=float)
    if np.isnan(x).any():
        raise ValueError("missing values: drop or interpolate before KMO/Bartlett")
    sd = x.std(axis=0)
    const = [str(c) for c, s in zip(df.columns, sd, strict=False) if s == 0]
    if const:
        which = f"column {const[0]} is" if len(const) == 1 else f"columns {', '.join(const)} are"
        raise ValueError(f"the correlation matrix is singular: {which} constant; KMO and "
                         f"Bartlett are undefined, leave it out")
    r = np.corrcoef(x, rowvar=False)
    if _is_singular(r):
        names = [str(c) for c in df.columns]
        j, others = _dependent_set(r, names)
        if len(others) == 1:
            how = (f"{names[j]} is a rescaled copy of {names[others[0]]} "
                   f"(correlation {r[j, others[0]]:+.0f})")
        else:
            how = f"{names[j]} is a linear combination of {', '.join(names[i] for i in others)}"
        few = f" (only {len(df)} rows for {len(names)} columns)" if len(df) <= len(names) else ""
        raise ValueError(f"the correlation matrix is singular: {how}{few}; KMO and Bartlett "
                         f"are undefined, leave a column out")
    return r


def kmo(df: pd.DataFrame) -> KMOResult:
    """Kaiser-Meyer-Olkin measure from the correlation matrix (scale-free, no spurious warnings)."""
    r = _corr(df)
    s = np.linalg.inv(r)
    d = np.sqrt(np.diag(s))
    a = -s / np.outer(d, d)
    off = ~np.eye(r.shape[0], dtype=bool)
    r2 = np.where(off, r**2, 0.0)
    a2 = np.where(off, a**2, 0.0)
    overall = r2.sum() / (r2.sum() + a2.sum())
    per = r2.sum(axis=0) / (r2.sum(axis=0) + a2.sum(axis=0))
    return KMOResult(overall=float(overall), per_variable=pd.Series(per, index=df.columns))


def bartlett(df: pd.DataFrame) -> BartlettResult:
    """Bartlett's test of sphericity: chi2 = -(n - 1 - (2p+5)/6) ln|R|, df = p(p-1)/2."""
    r = _corr(df)
    n, p = df.shape
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise ValueError("correlation matrix is singular; Bartlett's test undefined")
    chi2 = -(n - 1 - (2 * p + 5) / 6.0) * logdet
    dof = p * (p - 1) // 2
    return BartlettResult(chi2=float(chi2), df=dof, pvalue=float(stats.chi2.sf(chi2, dof)), n=n)

