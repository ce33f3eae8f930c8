"""Dataset import: long or wide, CSV or XLSX, all-or-nothing, versioned."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from analytics import selectors, services
from analytics.errors import ImportRejected
from analytics.models import Dataset, Observation
from synergy.core.errors import NotAllowed

pytestmark = pytest.mark.django_db

GOOD = "city,year,Ur,Stru\n石家庄市,2011,0.5,0.4\n唐山市,2011,0.6,0.45\nTangshan,2012,0.61,0.46\n"
BAD = ("city,year,Ur,Stru\n石家庄市,2011,0.5,0.4\nAtlantis,2011,0.6,0.45\n"
       "石家庄市,2011,0.5,0.4\n唐山市,1899,0.1,0.2\n唐山市,2012,abc,-3\n")


def _upload(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_import_long_csv_creates_versioned_dataset(city_table, analyst):
    ds = services.dataset_import(user=analyst, name="cities", upload=_upload(GOOD))
    assert (ds.version, ds.n_rows, ds.variables) == (1, 3, ["Ur", "Stru"])
    again = services.dataset_import(user=analyst, name="cities", upload=_upload(GOOD))
    assert again.version == 2
    frame = selectors.dataset_frame(dataset=ds)
    assert frame.loc[frame.year == 2012, "Ur"].item() == 0.61
    assert set(frame["region"]) == {"east"}


def test_bad_rows_write_nothing_and_every_problem_is_named(city_table, analyst):
    services.dataset_import(user=analyst, name="cities", upload=_upload(GOOD))
    before = (Dataset.objects.count(), Observation.objects.count())
    with pytest.raises(ImportRejected) as info:
        services.dataset_import(user=analyst, name="cities", upload=_upload(BAD))
    assert (Dataset.objects.count(), Observation.objects.count()) == before
    where = {(i["row"], i["column"]) for i in info.value.issues}
    assert {(3, "city"), (4, "city"), (5, "year"), (6, "Ur"), (6, "Stru")} <= where
    assert "Atlantis" in info.value.message


def test_infinite_values_are_refused_not_stored(city_table, analyst):
    """'inf' or a number too large for a float parses as infinity, which JSON cannot hold."""
    text = "city,year,Ur,Stru\n石家庄市,2011,inf,0.4\n唐山市,2011,0.6,1e400\n"
    with translation.override("en"), pytest.raises(ImportRejected) as info:
        services.dataset_import(user=analyst, name="inf", upload=_upload(text))
    assert {(i["row"], i["column"]) for i in info.value.issues} == {(2, "Ur"), (3, "Stru")}
    assert "not a finite number" in info.value.issues[0]["message"]
    assert not Dataset.objects.exists()


def test_import_wide_xlsx(city_table, analyst):
    wide = pd.DataFrame({"city": ["石家庄市", "石家庄市"], "variable": ["Ur", "Stru"],
                         "2011": [0.5, 0.1], "2012": [0.52, 0.11]})
    buf = io.BytesIO()
    wide.to_excel(buf, index=False)
    up = SimpleUploadedFile("wide.xlsx", buf.getvalue())
    ds = services.dataset_import(user=analyst, name="wide", upload=up)
    assert ds.layout == "wide-variable" and ds.n_rows == 2


def test_outsider_cannot_import(city_table, outsider):
    with pytest.raises(NotAllowed):
        services.dataset_import(user=outsider, name="x", upload=_upload(GOOD))
    assert not Dataset.objects.exists()


def test_api_upload_reports_rows_and_columns(city_table, analyst, api_as):
    client = api_as(analyst)
    ok = client.post("/api/v1/analytics/datasets/", {"name": "c", "file": _upload(GOOD)},
                     format="multipart")
    assert ok.status_code == 201 and ok.json()["version"] == 1
    bad = client.post("/api/v1/analytics/datasets/", {"name": "c", "file": _upload(BAD)},
                      format="multipart")
    assert bad.status_code == 400
    assert {"row": 3, "column": "city"}.items() <= bad.json()["errors"][0].items()
    assert Dataset.objects.count() == 1


@pytest.mark.parametrize("who", ["resident", "outsider"])
def test_api_datasets_refused_to_others(request, who, api_as, city_table):
    user = request.getfixturevalue(who)
    assert api_as(user).get("/api/v1/analytics/datasets/").status_code == 403
    r = api_as(user).post("/api/v1/analytics/datasets/", {"name": "c", "file": _upload(GOOD)},
                          format="multipart")
    assert r.status_code == 403
