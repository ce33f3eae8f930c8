"""The estimation engine: OLS and 2SLS for cross-sections and panels, balanced or not.

``estimate`` is the entry point (``model``); ``absorb`` demeans, drops singletons and counts
the absorbed degrees of freedom; ``covariance`` names and computes every SE convention;
``diagnostics`` adds the first stage, Kleibergen-Paap, Hansen J and Anderson-Rubin to an IV fit;
``sample`` checks the specification and cleans the columns.
"""

from .model import CONVENTIONS, Estimation, estimate
from .sample import EFFECTS, normalise_effects

__all__ = ["CONVENTIONS", "EFFECTS", "Estimation", "estimate", "normalise_effects"]
