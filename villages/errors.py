"""Domain errors of the village node; synergy.core.api.errors maps them to HTTP."""

from synergy.core.errors import Conflict, InvalidFilter  # noqa: F401  (re-exported)


class OutOfStock(Conflict):
    """Fewer units left than asked for (409)."""


class RoundClosed(Conflict):
    """The group-buy round no longer takes orders (409)."""


class DatesFull(Conflict):
    """At least one night or day of a booking has no room left (409)."""


class TooManyHolds(Conflict):
    """The person already holds the most unconfirmed booking requests allowed (409)."""
