"""Dates in English pages (FORMAT_MODULE_PATH): 2 Dec 2026, 2 Dec 2026, 14:30 (24-hour clock).

Only display formats: input formats (what forms accept) stay Django's own."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
