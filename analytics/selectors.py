"""Reads for the analytics pages, API, tasks and the command line."""

from __future__ import annotations

import pandas as pd
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from analytics.bridge import platform_indicators
from analytics.models import AnalysisRun, City, Dataset, Observation
from synergy.core.errors import NotAllowed
from synergy.core.models import User
from synergy.core.selectors import get_or_404, user_can_view_analytics


def city_list() -> QuerySet[City]:
    return City.objects.order_by("adcode")


def dataset_list() -> QuerySet[Dataset]:
    return Dataset.objects.select_related("created_by").order_by("name", "-version")


def dataset_latest(*, name: str) -> Dataset | None:
    return Dataset.objects.filter(name=name).order_by("-version").first()


def dataset_for_analysis(*, pk: str | int | None) -> Dataset | None:
    """The dataset an analysis page works on: the one asked for, else the demo's synthetic
    panel, else the newest dataset."""
    qs = Dataset.objects.order_by("-created_at", "-id")
    if pk not in (None, ""):
        try:
            return qs.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None
    return (Dataset.objects.filter(name="synthetic-panel").order_by("-version").first()
            or qs.first())


def dataset_frame(*, dataset: Dataset) -> pd.DataFrame:
    """The dataset in long form: city (Chinese name), city_en, province, region, year and one
    column per variable. One query (observations joined to their city)."""
    rows = Observation.objects.filter(dataset=dataset).values_list(
        "city__name_zh", "city__name_en", "city__province", "city__region", "year", "values")
    records = [{"city": c, "city_en": en, "province": p, "region": r, "year": y, **v}
               for c, en, p, r, y, v in rows]
    cols = ["city", "city_en", "province", "region", "year", *dataset.variables]
    df = pd.DataFrame.from_records(records, columns=cols)
    for v in dataset.variables:
        df[v] = pd.to_numeric(df[v], errors="coerce")
    df = df.sort_values(["city", "year"]).reset_index(drop=True)
    if dataset.synthetic:
        df["synthetic"] = True
        df.attrs["synthetic"] = True
    return df


def run_list(*, user: User) -> QuerySet[AnalysisRun]:
    """Runs an analyst or administrator may see (all of them); nobody else sees any."""
    if not user_can_view_analytics(user=user):
        return AnalysisRun.objects.none()
    return AnalysisRun.objects.select_related("dataset", "created_by").order_by("-created_at",
                                                                                "-id")


def run_get_for_viewer(*, viewer: User, pk: int) -> AnalysisRun:
    """One run for its page or API: NotAllowed unless the viewer is an analyst or an
    administrator, Http404 if there is no such run."""
    require_analytics_viewer(viewer=viewer)
    return get_or_404(run_list(user=viewer), pk=pk)


def require_analytics_viewer(*, viewer: User) -> None:
    if not user_can_view_analytics(user=viewer):
        raise NotAllowed(_("Only analysts and administrators may see analytics."))


def run_latest_succeeded(*, kind: str = AnalysisRun.Kind.REPLICATE) -> AnalysisRun | None:
    return (AnalysisRun.objects.select_related("dataset")
            .filter(kind=kind, status=AnalysisRun.Status.SUCCEEDED)
            .order_by("-finished_at", "-id").first())


def platform_activity() -> list[dict]:
    """The platform's own totals per prefecture city and year (see analytics.bridge)."""
    return platform_indicators().sort_values(["city", "year"]).to_dict(orient="records")
