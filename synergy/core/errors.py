"""Domain errors: raised by services, mapped to HTTP in one place (synergy.core.api.errors).

Each carries a sentence a person can act on. Apps subclass these (OutOfStock, SlotFull, ...).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """A rule of the domain refused the request. Maps to 409 Conflict."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class Conflict(DomainError):
    status_code = 409


class NotAllowed(DomainError, PermissionDenied):
    """The caller may not do this. Maps to 403 (401 for a caller who has not logged in, on the
    API). It is also Django's PermissionDenied, so a page whose selector refuses answers with the
    site's 403 page through Django's own handler, never a 500."""

    status_code = 403


class Invalid(DomainError):
    """Input that passed the serializer but breaks a rule; `field` names the culprit. Maps to 400."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


class InvalidFilter(Invalid):
    """A list's filter (a query parameter) has a value it cannot take (400, naming every bad
    parameter: `errors` maps each to its sentences; `field` is the first)."""

    def __init__(self, message: str, *, field: str, errors: dict | None = None):
        super().__init__(message, field=field)
        self.errors = errors or {field: [message]}
