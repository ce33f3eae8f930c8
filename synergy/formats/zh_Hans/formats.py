"""Dates as Chinese readers write them (FORMAT_MODULE_PATH): 2026年12月2日, 2026年12月2日 14:30.

Only display formats: input formats (what forms accept) stay Django's own."""

DATE_FORMAT = "Y年n月j日"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "n月j日"
YEAR_MONTH_FORMAT = "Y年n月"
