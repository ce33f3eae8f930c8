"""Demo data: the city table, the synthetic panel as a dataset, one baseline replication.

Idempotent: each piece is created only when missing. Everything here is SYNTHETIC.
"""

from __future__ import annotations

from analytics import selectors, services
from analytics.methods.synthetic import SYNTHETIC_NOTE, synthetic_panel
from analytics.models import AnalysisRun

DEMO_DATASET = "synthetic-panel"
DEMO_BOOTSTRAP = 999


def seed(world) -> None:
    services.city_table_sync()
    dataset = selectors.dataset_latest(name=DEMO_DATASET)
    if dataset is None:
        raw = synthetic_panel().raw
        dataset = services.dataset_create_from_frame(
            user=None, name=DEMO_DATASET, frame=raw, synthetic=True,
            source="analytics.methods.synthetic", note=SYNTHETIC_NOTE)
    if not AnalysisRun.objects.filter(kind=AnalysisRun.Kind.REPLICATE, dataset=dataset).exists():
        services.run_start(user=None, kind=AnalysisRun.Kind.REPLICATE, dataset=dataset,
                           parameters={"bootstrap": DEMO_BOOTSTRAP})
