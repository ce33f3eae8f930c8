"""Money as the reader writes it (a template builtin: no `{% load %}` needed).

`{{ price|money }}`: ¥1,234.50 with thousands separators; from ¥10,000 up a Chinese page says
¥1.23万 (to two places, trailing zeros dropped) and an English one ¥12,300 (whole yuan).
`{{ amount|money:"exact" }}`: always to the fen, ¥12,300.00 (receipts, bills, payments).
Dates need no filter: `|date` and `|date:"DATETIME_FORMAT"` follow synergy/formats/.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language

register = template.Library()

LARGE = Decimal(10_000)
CENT = Decimal("0.01")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def format_money(value, *, exact: bool = False, language: str | None = None) -> str:
    """The text of an amount in yuan for `language` (default: the active one); "—" if none."""
    number = _decimal(value)
    if number is None:
        return "—"
    sign = "-" if number < 0 else ""
    number = abs(number)
    chinese = (language or get_language() or "").lower().startswith("zh")
    if exact or number < LARGE:
        return f"{sign}¥{number.quantize(CENT, rounding=ROUND_HALF_UP):,}"
    if chinese:
        wan = (number / LARGE).quantize(CENT, rounding=ROUND_HALF_UP)
        text = f"{wan:,}".rstrip("0").rstrip(".")
        return f"{sign}¥{text}万"
    return f"{sign}¥{number.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


@register.filter(is_safe=True)
def money(value, arg: str = "") -> str:
    return format_money(value, exact=(arg == "exact"))


@register.filter(is_safe=True)
def money_figure(value, arg: str = "") -> str:
    """The figure without the ¥ sign, for sentences that carry it themselves
    ("raised of ¥%(goal)s"): 1,234.50, 1.23万."""
    return format_money(value, exact=(arg == "exact")).replace("¥", "", 1)


@register.simple_tag
def colon() -> str:
    """The colon after a label: full-width in Chinese (金额：), "label: " in English."""
    return "：" if (get_language() or "").lower().startswith("zh") else ": "
