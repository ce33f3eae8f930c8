"""Staggered difference-in-differences (issue 18, METHODS.md §12).

``callaway`` ATT(g,t) of Callaway & Sant'Anna (2021) by the 2×2 estimators of ``twobytwo``
(Sant'Anna & Zhao 2020); ``aggregate`` the simple, dynamic, group and calendar aggregates
with the multiplier bootstrap; ``imputation`` Borusyak–Jaravel–Spiess; ``twfe`` the naive
two-way FE estimate and its Goodman-Bacon decomposition; ``simulate`` generated rollouts;
``report.did_json`` all of it as one JSON-ready dict.
"""

from .report import did_json

__all__ = ["did_json"]
