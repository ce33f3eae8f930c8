"""JSON-ready numbers: the one place where NaN and infinity become ``None``.

``json.dumps`` writes NaN as the invalid token ``NaN``; every result's ``to_dict()`` and every
summary passes its numbers through these helpers instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

__all__ = ["finite_or_none", "finite_list", "finite_dict", "jsonable"]


def finite_or_none(x) -> float | None:
    """``float(x)``, or ``None`` when ``x`` is None, NaN or infinite."""
    return None if x is None or not np.isfinite(x) else float(x)


def finite_list(values: Iterable) -> list[float | None]:
    """Each value through :func:`finite_or_none`."""
    return [finite_or_none(v) for v in values]


def finite_dict(d: Mapping) -> dict:
    """The same keys, each value through :func:`finite_or_none`."""
    return {k: finite_or_none(v) for k, v in d.items()}


def jsonable(obj):
    """A structure ``json.dumps`` accepts: string keys, numpy scalars and arrays as Python
    values, NaN and infinity as ``None``; anything else is returned unchanged."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.bool_ | bool):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return finite_or_none(obj)
    return obj
