"""Spreadsheet formula injection: the one rule for every cell an export writes.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula
by Excel, LibreOffice and WPS when the file is opened (`=HYPERLINK(...)`, `-2+3+cmd|'/C calc'!A0`).
Such text gets a leading apostrophe, which spreadsheets read as "this is text" and show as is.
Numbers (int, float, Decimal) and dates are left alone, and so is text that is only a number
(`-5`, `-0.123***` in a regression table): it can call nothing.

A plain-Python package of its own, outside the apps, because two sides that may not import each
other both need the one rule: the analytics engine (`analytics/methods`, no Django and no other
project package) and the web project's exports (`synergy.core.exports`, which imports no app).
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number written as text, optionally with a percent sign and significance stars.
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?\**")


def safe_cell(value):
    """`value` as it may be written to a CSV or XLSX cell."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _NUMBER_TEXT.fullmatch(value):
        return value
    return "'" + value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
