"""Writes for the variable labels a dataset's tables show."""

from __future__ import annotations

from analytics.labels import PAPER_VARIABLES
from analytics.models import Dataset
from synergy.core.models import User

from .access import require_analyst


def dataset_labels_set(*, user: User, dataset: Dataset, labels: dict[str, str]) -> Dataset:
    """Keep the labels that say something: an empty one falls back to the default name."""
    require_analyst(user)
    kept = {k: v for k, v in labels.items()
            if k in set(dataset.variables) | set(PAPER_VARIABLES) and v
            and v != str(PAPER_VARIABLES.get(k, ""))}
    dataset.labels = kept
    dataset.save(update_fields=["labels"])
    return dataset
