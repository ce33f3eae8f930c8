"""Writes for analytics data: the city table and dataset imports (all or nothing)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from analytics.errors import ImportRejected
from analytics.limits import import_limits
from analytics.methods import data_io
from analytics.methods.cities import load_cities
from analytics.methods.limited import TimeLimitExceeded, run_limited
from analytics.models import City, Dataset, Observation
from synergy.core.errors import Invalid
from synergy.core.models import User

from .access import require_analyst

log = logging.getLogger(__name__)

IMPORT_YEARS = (2000, 2035)


# ----------------------------------------------------------------------------- cities


def city_table_sync(*, path: str | Path | None = None) -> int:
    """Create the packaged (or a user-edited) city table's missing cities; returns how many.

    Existing rows are left as administrators edited them.
    """
    table = load_cities(path)
    existing = set(City.objects.values_list("adcode", flat=True))
    new = [City(adcode=r.adcode, name_zh=r.name_zh, name_en=r.name_en, province=r.province,
                province_zh=getattr(r, "province_zh", "") or "", region=r.region)
           for r in table.itertuples() if r.adcode not in existing]
    City.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _city_frame() -> pd.DataFrame:
    rows = list(City.objects.values_list("adcode", "name_zh", "name_en", "province", "region"))
    return pd.DataFrame(rows, columns=["adcode", "name_zh", "name_en", "province", "region"])


# ----------------------------------------------------------------------------- datasets


def _copy_limited(upload: Any, out, limit: int, too_big: Exception) -> None:
    """Copy in chunks and stop at ``limit`` bytes, whatever the upload's declared size."""
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(
        lambda: upload.read(1024 * 1024), b"")
    written = 0
    for chunk in chunks:
        written += len(chunk)
        if written > limit:
            raise too_big
        out.write(chunk)


def dataset_import(*, user: User | None, name: str, upload: Any, filename: str = "",
                   synthetic: bool = False, allow_negative: tuple[str, ...] = ()) -> Dataset:
    """Validate a CSV/XLSX upload (long or wide) and store it as the next version of ``name``.

    All or nothing: any bad cell raises ``ImportRejected`` naming every problem by row and
    column, and nothing is written.
    """
    require_analyst(user)
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Give the dataset a name."), field="name")
    if not City.objects.exists():
        city_table_sync()
    filename = filename or getattr(upload, "name", "") or "upload.csv"
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise Invalid(_("Upload a .csv or .xlsx file."), field="file")
    limits = import_limits()
    too_big = Invalid(_("The file is larger than %(size)s; split it or remove columns.")
                      % {"size": filesizeformat(limits.max_bytes)}, field="file")
    if (getattr(upload, "size", None) or 0) > limits.max_bytes:
        raise too_big
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        if isinstance(upload, (str, Path)):
            with Path(upload).open("rb") as fh:
                _copy_limited(fh, tmp, limits.max_bytes, too_big)
        else:
            _copy_limited(upload, tmp, limits.max_bytes, too_big)
        tmp.flush()
        seconds = settings.ANALYTICS_IMPORT_TIME_LIMIT_SECONDS
        try:  # parsed in a child process killed after the time limit
            result = run_limited(data_io.read_city_year, tmp.name, seconds=seconds,
                                 cities=_city_frame(), years=IMPORT_YEARS,
                                 allow_negative=allow_negative, limits=limits)
        except TimeLimitExceeded:
            raise Invalid(_("Reading the file took longer than %(s)d seconds; split it into "
                            "smaller files.") % {"s": seconds}, field="file") from None
        except RuntimeError as exc:
            log.warning("dataset import failed: %s", exc)
            raise Invalid(_("The file could not be read."), field="file") from None
    if not result.ok:
        raise ImportRejected([e.to_dict() for e in result.errors], total=result.n_errors)
    frame = result.data
    is_synth = synthetic or ("synthetic" in frame.columns)
    return dataset_create_from_frame(user=user, name=name, frame=frame, synthetic=is_synth,
                                     source=Path(filename).name, layout=result.layout)


def dataset_create_from_frame(*, user: User | None, name: str, frame: pd.DataFrame,
                              synthetic: bool, source: str = "", layout: str = "long",
                              note: str = "") -> Dataset:
    """Store a validated long frame (``city`` = Chinese name, ``year``, variables)."""
    meta = {"city", "year", "city_en", "province", "region", "synthetic"}
    variables = [c for c in frame.columns if c not in meta]
    cities = dict(City.objects.filter(name_zh__in=frame["city"].unique())
                  .values_list("name_zh", "id"))
    unknown = sorted(set(frame["city"]) - set(cities))
    if unknown:
        raise Invalid(_("Unknown cities: %(names)s") % {"names": ", ".join(unknown[:10])},
                      field="file")
    values = frame[variables].astype(float)
    records = [
        {v: (None if pd.isna(x) else float(x)) for v, x in zip(variables, row, strict=True)}
        for row in values.itertuples(index=False, name=None)]
    try:
        with transaction.atomic():
            last = (Dataset.objects.select_for_update().filter(name=name)
                    .order_by("-version").first())
            ds = Dataset.objects.create(
                name=name, version=(last.version + 1) if last else 1, synthetic=synthetic,
                source=source[:200], layout=layout, variables=variables, n_rows=len(frame),
                note=note, created_by=user)
            Observation.objects.bulk_create(
                [Observation(dataset=ds, city_id=cities[c], year=int(y), values=rec)
                 for c, y, rec in zip(frame["city"], frame["year"], records, strict=True)],
                batch_size=1000)
    except IntegrityError as exc:  # a concurrent import took the same version: try again
        raise Invalid(_("Another import of this dataset finished at the same time; "
                        "please retry."), field="name") from exc
    return ds


