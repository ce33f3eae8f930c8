"""Absorbing fixed effects: one demeaning routine for every fit, balanced or not.

- ``drop_singletons``: reghdfe's rule. An observation alone in a level of any absorbed effect
  carries no information once that level is absorbed but still counts in N; drop it, repeat
  until none is left, and report how many went.
- ``Absorber.demean``: exact within transform. One effect: subtract its group means. Two
  effects: the larger one by group means, the smaller one as dummies partialled out of it
  (Frisch-Waugh-Lovell, exact, no iteration, balanced or not, in group sums without an n x L
  matrix). More effects, or two large ones, use alternating projections to a tight tolerance.
- ``Absorber.df_absorbed``: the degrees of freedom the effects use, with the redundancies of
  two effects counted exactly (connected components of their bipartite graph), and levels
  nested in a cluster variable left out for cluster-robust SEs (reghdfe's convention).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["Absorber", "codes_of", "drop_singletons", "group_sums", "is_nested"]

#: Above this many levels in the smaller of two effects, dummies would be too wide: iterate.
MAX_DUMMY_LEVELS = 400
MAP_TOLERANCE = 1e-13
MAP_MAX_ITERATIONS = 10_000


def codes_of(values) -> tuple[np.ndarray, int]:
    """Integer codes 0..L-1 of any column (hash-based, in order of appearance), and L."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(values)), sort=False)
    return codes.astype(np.int64), len(uniques)


def drop_singletons(factors: Sequence[np.ndarray]) -> np.ndarray:
    """A mask of the rows to keep after iteratively dropping singleton levels (reghdfe)."""
    keep = np.ones(len(factors[0]) if factors else 0, dtype=bool)
    if len(factors) == 0:
        return keep
    while True:
        bad = np.zeros_like(keep)
        for codes in factors:
            counts = np.bincount(codes[keep], minlength=codes.max() + 1)
            bad |= keep & (counts[codes] == 1)
        if not bad.any():
            return keep
        keep &= ~bad


def is_nested(inner: np.ndarray, outer: np.ndarray) -> bool:
    """True when every level of ``inner`` lies within one level of ``outer``."""
    seen = np.full(int(inner.max()) + 1, -1, dtype=np.int64)
    seen[inner] = outer  # some row's outer level per inner level: all must agree with it
    return bool((seen[inner] == outer).all())


def group_sums(codes: np.ndarray, levels: int, m: np.ndarray) -> np.ndarray:
    """Per-level sums of every column of ``m`` (bincount per column: fast and exact)."""
    sums = np.empty((levels, m.shape[1]))
    for j in range(m.shape[1]):
        sums[:, j] = np.bincount(codes, weights=m[:, j], minlength=levels)
    return sums


def _group_mean(codes: np.ndarray, levels: int, m: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Each row's group mean of every column of ``m``."""
    return (group_sums(codes, levels, m) / counts[:, None])[codes]


@dataclass
class Absorber:
    """The absorbed effects of one estimation sample (after singletons were dropped)."""

    factors: list[np.ndarray]
    levels: list[int]
    names: list[str]

    @classmethod
    def from_codes(cls, factors: Sequence[np.ndarray], names: Sequence[str]) -> Absorber:
        recoded = [codes_of(f) for f in factors]
        return cls([c for c, _ in recoded], [n for _, n in recoded], list(names))

    @property
    def n_effects(self) -> int:
        return len(self.factors)

    # ------------------------------------------------------------------ demeaning
    def demean(self, m: np.ndarray) -> np.ndarray:
        """The within transform of every column of ``m`` (n x p)."""
        m = np.asarray(m, dtype=float)
        vector = m.ndim == 1
        m = m.reshape(len(m), -1)
        if self.n_effects == 0:
            out = m - m.mean(axis=0)
        elif self.n_effects == 1:
            out = self._one(0, m)
        elif self.n_effects == 2:
            out = self._two(m)
        else:
            out = self._alternating(m)
        return out[:, 0] if vector else out

    def _counts(self, i: int) -> np.ndarray:
        return np.bincount(self.factors[i], minlength=self.levels[i]).astype(float)

    def _one(self, i: int, m: np.ndarray) -> np.ndarray:
        return m - _group_mean(self.factors[i], self.levels[i], m, self._counts(i))

    def _two(self, m: np.ndarray) -> np.ndarray:
        big, small = (0, 1) if self.levels[0] >= self.levels[1] else (1, 0)
        a, b = self.factors[big], self.factors[small]
        la, lb = self.levels[big], self.levels[small]
        if lb > MAX_DUMMY_LEVELS:
            return self._alternating(m)
        # FWL: residualise on the big effect, then on the small effect's dummies residualised
        # the same way, D~ = M_A D_B, without forming D~ (n x lb): every product it enters
        # is a group sum. pinv copes with the redundant dummy (or more, if disconnected).
        within = self._one(big, m)
        counts_a = np.bincount(a, minlength=la).astype(float)
        counts_b = np.bincount(b, minlength=lb).astype(float)
        cells = np.bincount(a * lb + b, minlength=la * lb).reshape(la, lb).astype(float)
        gram = np.diag(counts_b) - cells.T @ (cells / counts_a[:, None])  # D~'D~
        rhs = group_sums(b, lb, within)                                  # D_B' M_A m
        coef = np.linalg.pinv(gram, rcond=1e-12, hermitian=True) @ rhs
        # D~ coef = coef[b] - (group-A mean of coef[b])
        return within - coef[b] + ((cells @ coef) / counts_a[:, None])[a]

    def _alternating(self, m: np.ndarray) -> np.ndarray:
        """Method of alternating projections (Guimaraes-Portugal, as reghdfe and fixest)."""
        out = m.copy()
        counts = [self._counts(i) for i in range(self.n_effects)]
        scale = np.maximum(np.abs(m).max(axis=0), 1.0)
        for _ in range(MAP_MAX_ITERATIONS):
            before = out.copy()
            for i in range(self.n_effects):
                out = out - _group_mean(self.factors[i], self.levels[i], out, counts[i])
            if (np.abs(out - before).max(axis=0) / scale).max() < MAP_TOLERANCE:
                return out
        raise ValueError("the fixed effects did not converge: the panel is too fragmented")

    # ------------------------------------------------------------------ degrees of freedom
    def df_absorbed(self) -> int:
        """Parameters the effects use, constant included (levels minus redundancies)."""
        if self.n_effects == 0:
            return 1
        total = sum(self.levels)
        if self.n_effects == 1:
            return total
        if self.n_effects == 2:
            a, b = self.factors
            graph = coo_matrix((np.ones(len(a)), (a, b + self.levels[0])),
                               shape=(total, total))
            n_comp, _ = connected_components(graph, directed=False)
            return total - n_comp
        return total - (self.n_effects - 1)  # conservative, as reghdfe without the graph

    def df_for_clusters(self, clusters: Sequence[np.ndarray]) -> tuple[int, list[str]]:
        """Absorbed df counted in K for cluster-robust SEs, and the effects nested in a cluster
        variable (their levels are not counted; the constant they held is)."""
        nested = [name for name, codes in zip(self.names, self.factors, strict=True)
                  if any(is_nested(codes, c) for c in clusters)]
        if not nested:
            return self.df_absorbed(), []
        gone = sum(lv for name, lv in zip(self.names, self.levels, strict=True)
                   if name in nested)
        return max(self.df_absorbed() - gone, 0) + 1, nested
