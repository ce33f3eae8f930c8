"""The real world's limits on what people type: phone numbers, months, dates near today.

Used by the forms, the API serializers and the services (so both doors refuse the same)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Text limits of the free-text fields (the model's TextFields): forms and serializers cut here.
DESCRIPTION_MAX = 2000
NOTICE_BODY_MAX = 5000
COMMENT_MAX = 1000
YEARS_AROUND = 2  # bills and payments are dated within this many years of today

_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-]+$")


def validate_phone(value: str) -> None:
    """A phone number looks like one: digits with spaces, dashes, brackets and a leading +;
    6 to 15 digits (a landline with its area code, a mobile, an international number)."""
    text = (value or "").strip()
    if not text:
        return
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE_CHARS.match(text) or not 6 <= digits <= 15:
        raise ValidationError(
            gettext_lazy("“%(value)s” does not look like a phone number: use digits, for "
                         "example 0871-6543210 or +86 138 0013 8000."),
            code="phone", params={"value": text[:40]})


def period_problem(value: str, *, today: dt.date | None = None) -> str | None:
    """Why `value` is not a billing month (YYYY-MM within a couple of years of today), or None."""
    text = (value or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if match is None:
        return _("Write the period as the year and the month, YYYY-MM (for example 2027-03).")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return _("“%(value)s” is not a month: the month is written from 01 to 12 (for example "
                 "%(year)d-12).") % {"value": text, "year": year}
    if len(match[2]) != 2:
        return _("Write the month with two digits: %(year)d-%(month)02d.") % {"year": year,
                                                                             "month": month}
    today = today or timezone.localdate()
    if abs(year - today.year) > YEARS_AROUND:
        return _("%(value)s is too far from today: bills are for months within %(n)d years.") % {
            "value": text, "n": YEARS_AROUND}
    return None


def validate_period(value: str) -> None:
    problem = period_problem(value)
    if problem:
        raise ValidationError(problem, code="period")


def date_problem(value: dt.date | None, *, today: dt.date | None = None) -> str | None:
    """Why a bill's or payment's date is implausible (decades away), or None."""
    if value is None:
        return None
    today = today or timezone.localdate()
    try:
        low, high = (today.replace(year=today.year - YEARS_AROUND),
                     today.replace(year=today.year + YEARS_AROUND))
    except ValueError:  # 29 February
        low, high = (today - dt.timedelta(days=365 * YEARS_AROUND),
                     today + dt.timedelta(days=365 * YEARS_AROUND))
    if not low <= value <= high:
        return _("%(date)s is too far from today: use a date between %(low)s and %(high)s.") % {
            "date": f"{value:%Y-%m-%d}", "low": f"{low:%Y-%m-%d}", "high": f"{high:%Y-%m-%d}"}
    return None


def validate_near_date(value: dt.date | None) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date")
