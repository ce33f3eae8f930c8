"""Import limits from settings (issue 11.6), shared by the web import and the CLI."""

from __future__ import annotations

from django.conf import settings

from analytics.methods.data_io import ImportLimits


def import_limits() -> ImportLimits:
    return ImportLimits(
        max_bytes=settings.ANALYTICS_IMPORT_MAX_BYTES,
        max_rows=settings.ANALYTICS_IMPORT_MAX_ROWS,
        max_columns=settings.ANALYTICS_IMPORT_MAX_COLUMNS,
        max_cell_chars=settings.ANALYTICS_IMPORT_MAX_CELL_CHARS,
        max_xlsx_uncompressed=settings.ANALYTICS_IMPORT_MAX_XLSX_UNPACKED_BYTES,
        max_issues=settings.ANALYTICS_IMPORT_MAX_ISSUES,
    )
