"""Demo data: the city table, the synthetic panel as a dataset, one baseline replication.

Idempotent: each piece is created only when missing. Everything here is SYNTHETIC.

The dataset holds the raw city-year indicators (``pipeline.raw_columns()``), like a real
import; runs build Dist, Dig, Dig_entropy and the logged controls from them
(``pipeline.build_variables``), so every analysis kind runs on it with its defaults.
"""

from __future__ import annotations

from analytics import selectors, services
from analytics.methods.synthetic import SYNTHETIC_NOTE, synthetic_panel
from analytics.models import AnalysisRun, Dataset

DEMO_DATASET = "synthetic-panel"
DEMO_BOOTSTRAP = 999


def demo_dataset() -> Dataset:
    """The synthetic panel's raw indicators as the dataset ``synthetic-panel`` (created once)."""
    services.city_table_sync()
    dataset = selectors.dataset_latest(name=DEMO_DATASET)
    if dataset is None:
        dataset = services.dataset_create_from_frame(
            user=None, name=DEMO_DATASET, frame=synthetic_panel().raw, synthetic=True,
            source="analytics.methods.synthetic", note=SYNTHETIC_NOTE)
    return dataset


def seed(world) -> None:
    dataset = demo_dataset()
    if not AnalysisRun.objects.filter(kind=AnalysisRun.Kind.REPLICATE, dataset=dataset).exists():
        services.run_start(user=None, kind=AnalysisRun.Kind.REPLICATE, dataset=dataset,
                           parameters={"bootstrap": DEMO_BOOTSTRAP})
