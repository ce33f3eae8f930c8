"""Reads for the map of integration (issue 18, item 4): one measure of one year per city.

Two kinds of measure: a column of an imported dataset (Dist, the digital index Dig), read from
its observations joined to the city table's adcode; and the platform's own flows (produce
bought, donations, volunteer hours, stays), summed per prefecture city and year by the
exchange's ledger (``analytics.bridge.platform_indicators``), whose city names (a community's
``prefecture_city``) are matched to the adcodes of ``analytics/methods/data/cities.csv``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from analytics.bridge import platform_indicators
from analytics.methods.cities import load_cities
from analytics.methods.pipeline import build_variables, raw_columns
from analytics.models import Dataset, Observation
from analytics.selectors import dataset_frame

BUILT = ("Dist", "Dig")


@dataclass(frozen=True)
class Measure:
    key: str
    label: Promise
    platform: bool  # from the platform's flows (no dataset needed)


MEASURES = {m.key: m for m in (
    Measure("Dist", _("Urban-rural gap (Dist)"), False),
    Measure("Dig", _("Digital technology (Dig)"), False),
    Measure("produce_value", _("Products bought"), True),
    Measure("donations", _("Donations"), True),
    Measure("volunteer_hours", _("Volunteer hours"), True),
    Measure("stays", _("Stays"), True),
)}


@lru_cache(maxsize=1)
def _city_table() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    cities = load_cities()
    adcode_of = dict(zip(cities["name_zh"], cities["adcode"], strict=True))
    return (adcode_of, dict(zip(cities["adcode"], cities["name_zh"], strict=True)),
            dict(zip(cities["adcode"], cities["name_en"], strict=True)))


def city_adcode(name: str) -> str | None:
    """The adcode of a prefecture city by its Chinese name ("昆明市"; "昆明" also matches)."""
    adcode_of = _city_table()[0]
    name = (name or "").strip()
    return adcode_of.get(name) or adcode_of.get(f"{name}市")


def city_names(*, english: bool = False) -> dict[str, str]:
    """adcode -> the city's name (Chinese, or English for an English reader)."""
    return dict(_city_table()[2 if english else 1])


def platform_flows_by_city(*, measure: str) -> dict[int, dict[str, float]]:
    """{year: {adcode: total}} of one platform flow; cities not in the table are left out."""
    if measure not in MEASURES or not MEASURES[measure].platform:
        raise ValueError(f"not a platform flow: {measure}")
    out: dict[int, dict[str, float]] = {}
    for row in platform_indicators().to_dict(orient="records"):
        code = city_adcode(row["city"])
        if code is None:
            continue
        year = out.setdefault(int(row["year"]), {})
        year[code] = year.get(code, 0.0) + float(row[measure])
    return out


def dataset_measure_by_year(*, dataset: Dataset | None, measure: str) -> dict[int, dict[str, float]]:
    """{year: {adcode: value}} of one dataset column (missing and non-numeric values left
    out). A dataset of raw indicators (like the demo's synthetic panel) has no Dist or Dig
    column: they are built from its indicators as every run builds them
    (``pipeline.build_variables``), once per dataset version (versions never change)."""
    if dataset is None:
        return {}
    if measure in (dataset.variables or []):
        out: dict[int, dict[str, float]] = {}
        rows = Observation.objects.filter(dataset=dataset).values_list("city__adcode", "year",
                                                                       "values")
        for code, year, values in rows:
            v = _number((values or {}).get(measure))
            if v is not None:
                out.setdefault(int(year), {})[code] = v
        return dict(sorted(out.items()))
    return _built(dataset).get(measure, {})


def _number(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _built(dataset: Dataset) -> dict[str, dict[int, dict[str, float]]]:
    """Dist and Dig built from the dataset's raw indicators ({} when it lacks some)."""
    if not set(raw_columns()) <= set(dataset.variables or []):
        return {}
    key = f"analytics:map-built:{dataset.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    out: dict[str, dict[int, dict[str, float]]] = {m: {} for m in BUILT}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            panel = build_variables(dataset_frame(dataset=dataset)).panel
    except ValueError:  # the data cannot build the indices (e.g. a non-positive log)
        panel = None
    if panel is not None:
        for rec in panel[["city", "year", *BUILT]].to_dict(orient="records"):
            code = city_adcode(rec["city"])
            for m in BUILT:
                v = _number(rec[m])
                if code is not None and v is not None:
                    out[m].setdefault(int(rec["year"]), {})[code] = v
    cache.set(key, out, 3600)
    return out


@dataclass
class MapData:
    measure: Measure
    years: list[int]
    year: int | None
    values: dict[str, float]


def map_data(*, measure: str, dataset: Dataset | None, year: int | None) -> MapData:
    """The years the measure has and its values in ``year`` (default: the latest year);
    ``values`` is empty when the year is not among them."""
    m = MEASURES[measure]
    if m.platform:
        flows = platform_flows_by_city(measure=measure)
    else:
        flows = dataset_measure_by_year(dataset=dataset, measure=measure)
    years = sorted(flows)
    if year is None and years:
        year = years[-1]
    return MapData(m, years, year, dict(flows.get(year, {})))
