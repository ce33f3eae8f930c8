"""The import report everywhere a file comes in (issue 17): the import page, the dashboard's
quick upload and POST /api/v1/analytics/datasets/ say the same things (unknown columns with the
nearest known name, years outside the paper's panel, empty cells); refusals stay 400."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analytics.models import Dataset

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Strru is a typo of Stru; 2008 is outside the paper's 2011-2021; one Ur cell is empty.
WARNED = "city,year,Ur,Strru\n石家庄市,2008,0.5,0.4\n石家庄市,2011,,0.42\n唐山市,2011,0.6,0.3\n"
REFUSED = "city,year,Ur\n石家庄市,2011,0.5\nAtlantis,2011,0.4\n"


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("data.csv", text.encode("utf-8"), content_type="text/csv")


def _says(messages: list[str]) -> None:
    text = " ".join(messages)
    assert "Strru" in text and "Stru" in text  # the unknown column and its nearest name
    assert "2008" in text and "2011-2021" in text
    assert "empty cell" in text


def test_the_api_returns_the_report_beside_the_dataset(city_table, analyst, api_as):
    client = api_as(analyst)
    r = client.post("/api/v1/analytics/datasets/", {"name": "w", "file": _upload(WARNED)},
                    format="multipart", **EN)
    assert r.status_code == 201
    body = r.json()
    ds = Dataset.objects.get()
    assert body["id"] == ds.pk and body["version"] == 1 and body["n_rows"] == 3  # as before
    report = body["report"]
    assert set(report) == {"warnings", "interpolated", "filled", "still_missing", "summary"}
    _says([w["message"] for w in report["warnings"]])
    assert all({"row", "column", "message", "code", "params"} <= set(w)
               for w in report["warnings"])
    assert report["interpolated"] is False and report["summary"] == ""


def test_the_api_can_interpolate_and_says_how_many_cells_it_filled(city_table, analyst, api_as):
    gaps = "city,year,Ur\n石家庄市,2011,0.5\n石家庄市,2012,\n石家庄市,2013,0.7\n"
    r = api_as(analyst).post("/api/v1/analytics/datasets/",
                             {"name": "g", "file": _upload(gaps), "interpolate": "true"},
                             format="multipart", **EN)
    assert r.status_code == 201
    report = r.json()["report"]
    assert report["interpolated"] is True and report["filled"] == {"Ur": 1}
    assert "1 empty cell filled by linear interpolation" in report["summary"]


def test_the_api_still_refuses_a_bad_file_naming_row_and_column(city_table, analyst, api_as):
    r = api_as(analyst).post("/api/v1/analytics/datasets/",
                             {"name": "b", "file": _upload(REFUSED)}, format="multipart", **EN)
    assert r.status_code == 400
    assert {"row": 3, "column": "city"}.items() <= r.json()["errors"][0].items()
    assert "report" not in r.json() and not Dataset.objects.exists()


def test_the_dashboard_upload_shows_the_same_report_once(client, analyst, city_table):
    client.force_login(analyst)
    r = client.post(reverse("analytics:dataset_upload"),
                    {"name": "w", "file": _upload(WARNED)}, **EN)
    assert r.status_code == 302 and r["Location"] == reverse("analytics:dashboard")
    page = client.get(r["Location"], **EN).content.decode()
    assert 'id="import-report"' in page and 'id="import-warnings"' in page
    assert reverse("analytics:dataset_detail", args=[Dataset.objects.get().pk]) in page
    imported = client.post(reverse("analytics:dataset_import"),
                           {"name": "w2", "file": _upload(WARNED)}, **EN).content.decode()
    for html in (page, imported):  # the dashboard and the import page: the same sentences
        start = html.index('id="import-warnings"')
        _says([html[start:html.index("</table>", start)]])
    again = client.get(reverse("analytics:dashboard"), **EN).content.decode()
    assert 'id="import-report"' not in again  # shown once, after its upload


def test_the_dashboard_upload_in_chinese_and_a_refusal_stay_as_they_were(client, analyst,
                                                                        city_table):
    client.force_login(analyst)
    r = client.post(reverse("analytics:dataset_upload"), {"name": "b", "file": _upload(REFUSED)})
    assert r.status_code == 400 and 'id="import-issues"' in r.content.decode()
    assert 'id="import-report"' not in r.content.decode()
    r = client.post(reverse("analytics:dataset_upload"), {"name": "w", "file": _upload(WARNED)},
                    HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="import-warnings"' in page and "Strru" in page and "Stru" in page
