"""Dataset pages: the import template, imports that explain themselves, preview, delete,
versions side by side."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from analytics.errors import ImportRejected
from analytics.methods import catalogue
from analytics.models import AnalysisRun, Dataset, Observation
from analytics.services.datasets import dataset_import_explained
from synergy.core.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _upload(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _import(user, text: str, **kw):
    with translation.override("en"):
        return dataset_import_explained(user=user, name=kw.pop("name", "d"),
                                        upload=_upload(text), **kw)


def _messages(items) -> list[str]:
    return [i["message"] for i in items]


# ----------------------------------------------------------------------------- template


@pytest.mark.parametrize(("lang", "meaning"), [(None, "就业结构"), ("en", "employment structure")])
def test_template_csv_lists_every_column_in_the_readers_language(analyst_client, lang, meaning):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    r = analyst_client.get(reverse("analytics:dataset_template_csv"), **headers)
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # utf-8-sig: Excel reads the Chinese
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    by_name = {row[0]: row for row in rows[1:len(catalogue.CATALOGUE) + 1]}
    assert set(by_name) == set(catalogue.variable_names())
    assert meaning in by_name["Stru"][1]
    assert by_name["urban_beds_per100"][3] == "+"
    assert ("中国城市统计年鉴" if lang is None else "China City Statistical Yearbook") in (
        by_name["Ur"][4])
    header = ["city", "year", *catalogue.import_columns()]
    at = rows.index(header)
    assert len(rows) == at + 3 and rows[at + 1][0] == "石家庄市"


@pytest.mark.parametrize(("lang", "meaning"), [(None, "每百人医院床位数"),
                                               ("en", "hospital beds per 100 people")])
def test_template_xlsx_has_the_catalogue_and_an_example_sheet(analyst_client, lang, meaning):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang} if lang else {}
    r = analyst_client.get(reverse("analytics:dataset_template_xlsx"), **headers)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    columns, example = book.worksheets
    rows = list(columns.values)
    assert len(rows) == len(catalogue.CATALOGUE) + 1
    assert meaning in {row[0]: row[1] for row in rows[1:]}["rural_beds_per100"]
    ex = list(example.values)
    assert list(ex[0]) == ["city", "year", *catalogue.import_columns()] and len(ex) == 3
    assert isinstance(ex[1][2], int | float)  # numbers stay numbers, not text


def test_template_is_for_analysts_only(client, resident):
    url = reverse("analytics:dataset_template_csv")
    assert client.get(url).status_code == 302
    client.force_login(resident)
    assert client.get(url).status_code == 403


# ----------------------------------------------------------------------------- import


def test_unknown_column_is_a_shown_warning_with_the_nearest_name(analyst_client, city_table):
    text = "city,year,Ur,Strru,my_index\n石家庄市,2011,0.5,0.4,1\n唐山市,2011,0.6,0.45,2\n"
    r = analyst_client.post(reverse("analytics:dataset_import"),
                            {"name": "typo", "file": _upload(text)}, **EN)
    page = r.content.decode()
    assert r.status_code == 200 and 'id="import-warnings"' in page
    assert "Strru: did you mean Stru?" in page
    assert "my_index is not one of the paper&#x27;s columns" in page
    assert Dataset.objects.get().variables == ["Ur", "Strru", "my_index"]  # imported as given
    assert reverse("analytics:dataset_template_xlsx") in page


def test_years_outside_the_limits_are_refused_and_outside_the_panel_warned(analyst, city_table):
    with pytest.raises(ImportRejected) as info:
        _import(analyst, "city,year,Ur\n石家庄市,2011,0.5\n唐山市,1999,0.6\n")
    assert [(i["row"], i["column"]) for i in info.value.issues] == [(3, "year")]
    assert info.value.issues[0]["message"] == "Year 1999 is outside 2000-2035."
    assert not Dataset.objects.exists()
    _, report = _import(analyst, "city,year,Ur\n石家庄市,2008,0.5\n石家庄市,2011,0.5\n"
                                 "唐山市,2023,0.6\n")
    assert ("Years 2008, 2023 are outside the paper's panel 2011-2021 (rows 2, 4)."
            in _messages(report.warnings))


@pytest.mark.parametrize(("text", "says"), [
    ("", "The submitted file is empty."),  # Django's form refuses 0 bytes itself
    ("\n\n", "The file is empty: it has no header and no rows."),
    ("city,year,Ur\n", "The file has a header but no data rows.")])
def test_an_empty_file_is_refused_with_a_sentence(analyst_client, city_table, text, says):
    r = analyst_client.post(reverse("analytics:dataset_import"),
                            {"name": "empty", "file": _upload(text)}, **EN)
    assert r.status_code == 400 and says in r.content.decode()
    assert not Dataset.objects.exists() and not Observation.objects.exists()


def test_the_service_refuses_an_empty_file_too(analyst, city_table):
    with pytest.raises(ImportRejected) as info:
        _import(analyst, "")
    assert _messages(info.value.issues) == ["The file is empty: it has no header and no rows."]
    assert not Dataset.objects.exists()


GAPS = ("city,year,Ur,Stru\n石家庄市,2011,0.5,0.4\n石家庄市,2012,,0.42\n石家庄市,2013,0.6,.\n"
        "唐山市,2011,,0.3\n唐山市,2012,0.7,0.31\n")


def test_missing_cells_are_reported_per_column_with_rows(analyst, city_table):
    ds, report = _import(analyst, GAPS)
    text = _messages(report.warnings)
    assert "3 empty cells: they stay empty unless the import fills them by linear " \
           "interpolation within each city." in text
    assert "2 empty cells in Ur (rows 3, 5)." in text
    assert "1 empty cell in Stru (row 4)." in text
    assert not report.interpolated and ds.note == ""


def test_interpolation_fills_gaps_within_each_city_and_says_how_many(analyst_client,
                                                                      city_table):
    r = analyst_client.post(reverse("analytics:dataset_import"),
                            {"name": "gaps", "file": _upload(GAPS), "interpolate": "on"}, **EN)
    page = r.content.decode()
    assert r.status_code == 200 and 'id="interpolation-report"' in page
    assert "1 empty cell filled by linear interpolation within each city." in page
    # Stru 2013 and Ur 2011 of Tangshan lie after the last or before the first value.
    assert "2 cells stay empty" in page
    values = {(o.city.name_zh, o.year): o.values for o in Observation.objects.all()}
    assert values[("石家庄市", 2012)]["Ur"] == pytest.approx(0.55)
    assert values[("唐山市", 2011)]["Ur"] is None
    assert "filled by linear interpolation" in Dataset.objects.get().note


def test_no_message_leaks_numpy_reprs(analyst, city_table):
    with pytest.raises(ImportRejected) as info:
        _import(analyst, "city,year,Ur,Stru\n石家庄市,2011,-3,0.4\n唐山市,2011,0.6,-0.25\n")
    text = _messages(info.value.issues) + [info.value.message]
    assert "Negative value -3 is not allowed for Ur." in text
    assert "Negative value -0.25 is not allowed for Stru." in text
    _, report = _import(analyst, GAPS, interpolate=True)
    text += _messages(report.warnings) + [report.summary()]
    assert not [t for t in text if "np." in t or "float64" in t]


# ----------------------------------------------------------------------------- pages


@pytest.fixture
def small(analyst, city_table):
    return _import(analyst, GAPS, name="small")[0]


def test_list_and_preview_with_coverage_by_year(analyst_client, small):
    listing = analyst_client.get(reverse("analytics:dataset_list"), **EN).content.decode()
    assert reverse("analytics:dataset_detail", args=[small.pk]) in listing
    r = analyst_client.get(reverse("analytics:dataset_detail", args=[small.pk]), **EN)
    page = r.content.decode()
    assert r.status_code == 200 and 'id="coverage"' in page and "table-wrap" in page
    # 2011: 2 rows, 3 of 4 cells; 2012: 2 rows, 3 of 4; 2013: 1 row, 1 of 2.
    assert "<td>2011</td><td>2</td><td>75%</td>" in page
    assert "<td>2013</td><td>1</td><td>50%</td>" in page
    assert "employment structure" in page  # the variable's label
    assert page.count("<td>石家庄市</td>") == 3


def test_delete_refused_while_a_run_uses_it(analyst_client, small):
    AnalysisRun.objects.create(kind="replicate", dataset=small, dataset_version=small.version)
    r = analyst_client.post(reverse("analytics:dataset_delete", args=[small.pk]), follow=True,
                            **EN)
    assert "This dataset is used by 1 run; it cannot be deleted." in r.content.decode()
    assert Dataset.objects.filter(pk=small.pk).exists()


def test_delete_by_the_creator_after_a_confirm_step(analyst_client, small):
    url = reverse("analytics:dataset_delete", args=[small.pk])
    confirm = analyst_client.get(url, **EN)
    assert confirm.status_code == 200 and 'id="confirm-delete"' in confirm.content.decode()
    assert Dataset.objects.filter(pk=small.pk).exists()  # a GET deletes nothing
    r = analyst_client.post(url)
    assert r.status_code == 302 and r["Location"] == reverse("analytics:dataset_list")
    assert not Dataset.objects.exists() and not Observation.objects.exists()


def test_a_stranger_cannot_delete(client, small, resident):
    other = MembershipFactory(role=Role.ANALYST, unit="").user
    for user in (other, resident):
        client.force_login(user)
        url = reverse("analytics:dataset_delete", args=[small.pk])
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Dataset.objects.filter(pk=small.pk).exists()


def test_compare_two_versions_side_by_side(analyst_client, analyst, small):
    _import(analyst, "city,year,Ur,Isu\n石家庄市,2011,0.5,0.3\n石家庄市,2012,0.7,0.35\n",
            name="small")
    r = analyst_client.get(reverse("analytics:dataset_compare", args=["small"]),
                           {"a": 1, "b": 2}, **EN)
    page = r.content.decode()
    assert r.status_code == 200
    assert "Columns added: Isu" in page and "Columns removed: Stru" in page
    assert "<td>Ur</td><td>0.6</td><td>0.6</td><td>2</td><td>0</td>" in page
    assert analyst_client.get(reverse("analytics:dataset_compare", args=["small"]),
                              {"a": 9}).status_code == 404


def test_import_page_in_chinese_offers_the_template_and_interpolation(analyst_client):
    r = analyst_client.get(reverse("analytics:dataset_import"))
    page = r.content.decode()
    assert r.status_code == 200 and '<html lang="zh-hans">' in page
    assert reverse("analytics:dataset_template_csv") in page
    assert 'name="interpolate"' in page and 'type="checkbox"' in page


def test_an_administrator_may_delete_someone_elses_version(client, admin_user, small):
    client.force_login(admin_user)
    assert client.post(reverse("analytics:dataset_delete", args=[small.pk])).status_code == 302
    assert not Dataset.objects.exists()
