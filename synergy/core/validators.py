"""Bounds every typed value keeps, so that no input reaches the database or date arithmetic
out of range (which would be a 500, not a 400 with a sentence).

- Dates and datetimes lie in the years 1900..9000. Outside, `date + timedelta` overflows and
  PostgreSQL stores, but cannot give back, a datetime before year 1 once shifted to UTC.
- Whole numbers fit a PostgreSQL `integer` (±2147483647) unless the field sets tighter bounds.
- A computed amount (quantity × price, a running sum) fits the column it is written to:
  `money_fits` checks it in the service, before the INSERT.

`install()` (called from CoreConfig.ready) attaches the first two rules to the date, datetime and
integer field classes of Django forms and DRF serializers, so every form, model form, filter
set and serializer gets them without naming them; tests/fuzz/test_input_bounds.py walks them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from synergy.core.errors import Invalid

MIN_YEAR, MAX_YEAR = 1900, 9000
INT_MIN, INT_MAX = -2_147_483_648, 2_147_483_647


@deconstructible
class DateRangeValidator:
    """A date or datetime in the years MIN_YEAR..MAX_YEAR."""

    message = _("Enter a date between the years %(min)d and %(max)d.")
    code = "date_out_of_range"

    def __call__(self, value):
        if isinstance(value, dt.date) and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValidationError(self.message, code=self.code, params={"min": MIN_YEAR, "max": MAX_YEAR})

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)


@deconstructible
class IntegerRangeValidator:
    """A whole number that fits a PostgreSQL integer column."""

    message = _("Enter a whole number between %(min)d and %(max)d.")
    code = "integer_out_of_range"

    def __call__(self, value):
        if isinstance(value, int) and not INT_MIN <= value <= INT_MAX:
            raise ValidationError(self.message, code=self.code, params={"min": INT_MIN, "max": INT_MAX})

    def __eq__(self, other):
        return isinstance(other, IntegerRangeValidator)


validate_date_range = DateRangeValidator()
validate_integer_range = IntegerRangeValidator()


def date_in_range(value: dt.date | None) -> bool:
    return value is not None and MIN_YEAR <= value.year <= MAX_YEAR


def parse_date_param(raw: str | None, default: dt.date) -> dt.date:
    """A date from a query parameter (YYYY-MM-DD) within the bounds, else `default`."""
    try:
        value = dt.date.fromisoformat(raw or "")
    except ValueError:
        return default
    return value if date_in_range(value) else default


def money_fits(value: Decimal, *, max_digits: int = 12, decimal_places: int = 2, field: str) -> Decimal:
    """`value` if it fits a DecimalField(max_digits, decimal_places), else Invalid naming `field`."""
    limit = Decimal(10) ** (max_digits - decimal_places)
    if not value.is_finite() or abs(value) >= limit:
        raise Invalid(_("The amount is too large: it must stay below %(limit)s yuan.")
                      % {"limit": f"{limit:,}"}, field=field)
    return value


def _add(cls, validator) -> None:
    if validator not in cls.default_validators:
        cls.default_validators = [*cls.default_validators, validator]


def install() -> None:
    """Attach the date and integer bounds to every form and serializer field of those kinds."""
    for cls in (forms.DateField, forms.DateTimeField, serializers.DateField, serializers.DateTimeField):
        _add(cls, validate_date_range)
    for cls in (forms.IntegerField, serializers.IntegerField):
        _add(cls, validate_integer_range)
