"""Significance stars with configurable thresholds."""

from __future__ import annotations

from collections.abc import Sequence

from .jsonfloat import finite_or_none

__all__ = ["STAR_PRESETS", "stars", "resolve_thresholds"]

# Thresholds from loosest to strictest; one star per threshold passed.
STAR_PRESETS: dict[str, tuple[float, ...]] = {
    "default": (0.10, 0.05, 0.01),  # economics convention (Stata esttab-like)
    "paper": (0.05, 0.01, 0.001),  # what the source paper's tables use
}


def resolve_thresholds(thresholds: str | Sequence[float] = "default") -> tuple[float, ...]:
    if isinstance(thresholds, str):
        try:
            return STAR_PRESETS[thresholds]
        except KeyError:
            raise ValueError(
                f"unknown star preset {thresholds!r}; choose from {sorted(STAR_PRESETS)}"
            ) from None
    out = tuple(sorted((float(t) for t in thresholds), reverse=True))
    if not out or any(not 0 < t < 1 for t in out):
        raise ValueError("star thresholds must be probabilities in (0, 1)")
    return out


def stars(pvalue: float | None, *, thresholds: str | Sequence[float] = "default") -> str:
    """'*' per threshold that ``pvalue`` is strictly below (NaN/None -> '')."""
    if finite_or_none(pvalue) is None:
        return ""
    return "*" * sum(pvalue < t for t in resolve_thresholds(thresholds))
