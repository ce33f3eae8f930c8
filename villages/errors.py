"""Domain errors of the village node; synergy.core.api.errors maps them to HTTP."""

from synergy.core.errors import Conflict, Invalid


class OutOfStock(Conflict):
    """Fewer units left than asked for (409)."""


class RoundClosed(Conflict):
    """The group-buy round no longer takes orders (409)."""


class DatesFull(Conflict):
    """At least one night or day of a booking has no room left (409)."""


class TooManyHolds(Conflict):
    """The person already holds the most unconfirmed booking requests allowed (409)."""


class InvalidFilter(Invalid):
    """A list's filter (a query parameter) has a value it cannot take (400, naming the field)."""

    def __init__(self, message: str, *, field: str, errors: dict | None = None):
        super().__init__(message, field=field)
        self.errors = errors or {field: [message]}
