"""Writes for analytics, split by subdomain: ``datasets`` (the city table and imports) and
``runs`` (analysis runs). Import from ``analytics.services``; domain errors live in
``analytics.errors``.
"""

from __future__ import annotations

from .datasets import IMPORT_YEARS, city_table_sync, dataset_create_from_frame, dataset_import
from .labels import dataset_labels_set
from .runs import (
    HEARTBEAT_EVERY_SECONDS,
    KIND_DEFAULTS,
    MAX_BOOTSTRAP,
    run_directory,
    run_execute,
    run_set_progress,
    run_start,
)

__all__ = [
    "IMPORT_YEARS",
    "city_table_sync",
    "dataset_create_from_frame",
    "dataset_import",
    "dataset_labels_set",
    "HEARTBEAT_EVERY_SECONDS",
    "KIND_DEFAULTS",
    "MAX_BOOTSTRAP",
    "run_directory",
    "run_execute",
    "run_set_progress",
    "run_start",
]
