"""Entropy weights, the entropy index and the urban-rural Dist index (METHODS section 1),
with the min-max normalisation they share."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..jsonfloat import finite_list

__all__ = ["EntropyResult", "DistResult", "minmax", "row_scores", "entropy_weights",
           "entropy_index", "dist_index"]


def _check_columns(df: pd.DataFrame, negative: Sequence[str]) -> None:
    unknown = [c for c in negative if c not in df.columns]
    if unknown:
        raise ValueError(f"negative indicators not among the columns: {unknown}")
    if df.shape[0] < 2:
        raise ValueError("need at least two rows to build an index")
    bad = [c for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    if bad:
        raise ValueError(f"non-numeric indicator column(s): {bad}")
    missing = [c for c in df.columns if df[c].isna().any()]
    if missing:
        raise ValueError(
            f"missing values in indicator column(s) {missing}; interpolate or drop rows first"
        )


def minmax(df: pd.DataFrame, *, negative: Sequence[str] = ()) -> pd.DataFrame:
    """Min-max standardise every column to [0, 1]; negative columns are reversed.

    A constant column cannot be standardised (0/0): raise, naming the column.
    """
    _check_columns(df, negative)
    out = {}
    for col in df.columns:
        x = df[col].to_numpy(dtype=float)
        lo, hi = x.min(), x.max()
        if hi == lo:
            raise ValueError(f"indicator column {col!r} is constant ({lo!r}); cannot standardise")
        out[col] = (hi - x) / (hi - lo) if col in negative else (x - lo) / (hi - lo)
    return pd.DataFrame(out, index=df.index)


@dataclass
class EntropyResult:
    """Entropy weights and scores; ``by_year`` is set when weights were year-specific."""

    weights: pd.Series | pd.DataFrame
    entropy: pd.Series | pd.DataFrame
    scores: pd.Series
    normalise: str
    negative: list[str]
    by_year: bool = False
    note: str = ""

    def to_dict(self) -> dict:
        def conv(obj: pd.Series | pd.DataFrame) -> dict:
            if isinstance(obj, pd.DataFrame):
                return {str(k): dict(zip(obj.columns, finite_list(row), strict=False)) for k, row in
                        zip(obj.index, obj.to_numpy(), strict=False)}
            return dict(zip(map(str, obj.index), finite_list(obj.to_numpy()), strict=False))

        return {
            "method": "entropy",
            "normalise": self.normalise,
            "negative": list(self.negative),
            "by_year": self.by_year,
            "weights": conv(self.weights),
            "entropy": conv(self.entropy),
            "scores": finite_list(self.scores.to_numpy()),
            "note": self.note,
        }


def row_scores(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``z @ w`` summed column by column, so equal rows give bit-equal scores on any CPU.

    A BLAS product may block and vectorise rows differently by their position in the matrix,
    so two identical rows can differ in the last bit (Dist 4.9e-32 instead of 0). Elementwise
    multiply-and-add in a fixed column order rounds every row the same way.
    """
    z = np.asarray(z, dtype=float)
    out = np.zeros(z.shape[0])
    for j, weight in enumerate(np.asarray(w, dtype=float)):
        out += z[:, j] * weight
    return out


def _entropy_core(z: np.ndarray, columns: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    m = z.shape[0]
    col_sum = z.sum(axis=0)
    zero = [c for c, s in zip(columns, col_sum, strict=False) if s <= 0]
    if zero:
        raise ValueError(f"indicator column(s) {zero} sum to zero; entropy undefined")
    p = z / col_sum
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)  # 0*ln0 = 0
    e = -plogp.sum(axis=0) / np.log(m)
    d = 1.0 - e
    if d.sum() <= 0:
        raise ValueError("all indicators have maximal entropy; weights undefined")
    return d / d.sum(), e


def entropy_weights(
    df: pd.DataFrame,
    *,
    negative: Sequence[str] = (),
    normalise: Literal["minmax", "none"] = "minmax",
) -> EntropyResult:
    """Pooled entropy weights over all rows of ``df`` (METHODS section 1).

    ``normalise="minmax"`` standardises first (the Chinese index papers);
    ``"none"`` uses the raw positive values as shares (classic entropy weighting).
    """
    if normalise == "minmax":
        z = minmax(df, negative=negative)
    elif normalise == "none":
        _check_columns(df, negative)
        if negative:
            raise ValueError("normalise='none' cannot reverse negative indicators; use 'minmax'")
        if (df.to_numpy(dtype=float) < 0).any():
            raise ValueError("normalise='none' needs non-negative raw values")
        z = df.astype(float)
    else:
        raise ValueError(f"normalise must be 'minmax' or 'none', not {normalise!r}")
    w, e = _entropy_core(z.to_numpy(dtype=float), list(df.columns))
    weights = pd.Series(w, index=df.columns, name="weight")
    scores = pd.Series(row_scores(z.to_numpy(dtype=float), w), index=df.index, name="score")
    return EntropyResult(
        weights=weights,
        entropy=pd.Series(e, index=df.columns, name="entropy"),
        scores=scores,
        normalise=normalise,
        negative=list(negative),
    )


def entropy_index(
    df: pd.DataFrame,
    *,
    indicators: Sequence[str] | None = None,
    negative: Sequence[str] = (),
    normalise: Literal["minmax", "none"] = "minmax",
    by: str | None = None,
) -> EntropyResult:
    """Entropy index of ``indicators`` (default: all columns except ``by``).

    ``by=None`` pools all rows (one weight vector, the paper's Table 1). ``by="year"``
    computes year-specific standardisation and weights: such scores are NOT comparable
    across years, which the result's ``note`` says.
    """
    cols = list(indicators) if indicators is not None else [c for c in df.columns if c != by]
    if by is None:
        return entropy_weights(df[cols], negative=negative, normalise=normalise)
    weights, entropies, scores = {}, {}, []
    for key, part in df.groupby(by, sort=True):
        r = entropy_weights(part[cols], negative=negative, normalise=normalise)
        weights[key], entropies[key] = r.weights, r.entropy
        scores.append(r.scores)
    return EntropyResult(
        weights=pd.DataFrame(weights).T,
        entropy=pd.DataFrame(entropies).T,
        scores=pd.concat(scores).reindex(df.index),
        normalise=normalise,
        negative=list(negative),
        by_year=True,
        note=(
            f"weights and standardisation computed separately for each {by!r}: "
            "scores are not comparable across groups"
        ),
    )


@dataclass
class DistResult:
    """Urban-rural equalisation index: ``dist = (S_rural/S_urban - 1)**2`` (smaller = more equal)."""

    dist: pd.Series
    ratio: pd.Series
    score_urban: pd.Series
    score_rural: pd.Series
    weights: pd.Series
    n_nan: int = 0
    note: str = ""

    def to_dict(self) -> dict:
        return {
            "method": "entropy-dist",
            "weights": dict(zip(self.weights.index, finite_list(self.weights.to_numpy()), strict=False)),
            "dist": finite_list(self.dist.to_numpy()),
            "ratio": finite_list(self.ratio.to_numpy()),
            "n_nan": self.n_nan,
            "note": self.note,
        }


def dist_index(
    urban: pd.DataFrame,
    rural: pd.DataFrame,
    *,
    negative: Sequence[str] = (),
    normalise: Literal["minmax", "none"] = "minmax",
) -> DistResult:
    """Dist from urban (municipal district) and rural indicator frames with the same shape.

    Urban and rural rows are stacked so both share one min/max and one weight vector
    (otherwise the two scores would be on different scales and the ratio meaningless).
    """
    if list(urban.columns) != list(rural.columns):
        raise ValueError("urban and rural frames must have the same indicator columns")
    if not urban.index.equals(rural.index):
        raise ValueError("urban and rural frames must have the same index (city-year rows)")
    n = len(urban)
    stacked = pd.concat([urban, rural], ignore_index=True)
    res = entropy_weights(stacked, negative=negative, normalise=normalise)
    s = res.scores.to_numpy()
    s_u, s_r = s[:n], s[n:]
    zero = s_u == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(zero, np.nan, s_r / np.where(zero, 1.0, s_u))
    note = ""
    if zero.any():
        note = f"{int(zero.sum())} row(s) with urban score 0: Dist set to NaN"
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    dist = (ratio - 1.0) ** 2
    # Identical rural and urban rows give bit-identical scores, hence ratio 1 and Dist 0 exactly.
    idx = urban.index
    return DistResult(
        dist=pd.Series(dist, index=idx, name="Dist"),
        ratio=pd.Series(ratio, index=idx, name="ratio"),
        score_urban=pd.Series(s_u, index=idx, name="S_urban"),
        score_rural=pd.Series(s_r, index=idx, name="S_rural"),
        weights=res.weights,
        n_nan=int(zero.sum()),
        note=note,
    )

