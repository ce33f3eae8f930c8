"""Composite indices: entropy weights, the urban-rural Dist index, PCA index, KMO and Bartlett.

All functions take plain DataFrames (rows = objects scored, e.g. city-years; columns =
indicators) and return plain dataclasses with a ``to_dict()`` that is JSON-serialisable.
See METHODS.md sections 1-2 for the formulas.

Split by subdomain: ``entropy`` (min-max, entropy weights and index, Dist) and ``pca`` (PCA
index, KMO, Bartlett). Import from ``analytics.methods.indices``.
"""

from __future__ import annotations

from .entropy import (
    DistResult,
    EntropyResult,
    dist_index,
    entropy_index,
    entropy_weights,
    minmax,
)
from .entropy import row_scores as row_scores  # re-exported, as before the split
from .pca import BartlettResult, KMOResult, PCAResult, bartlett, kmo, pca_index

__all__ = [
    "EntropyResult",
    "DistResult",
    "PCAResult",
    "KMOResult",
    "BartlettResult",
    "minmax",
    "entropy_weights",
    "entropy_index",
    "dist_index",
    "pca_index",
    "kmo",
    "bartlett",
]
