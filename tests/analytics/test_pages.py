"""Dashboard pages: permission, forms, tables, charts, downloads, upload errors."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from analytics.models import AnalysisRun, Dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def test_dashboard_is_for_analysts_and_admins(client, analyst, admin_user, resident):
    url = reverse("analytics:dashboard")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(resident)
    assert client.get(url).status_code == 403
    for user in (analyst, admin_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_nav_link_only_for_analysts(client, analyst, resident):
    client.force_login(resident)
    assert reverse("analytics:dashboard") not in client.get("/").content.decode()
    client.force_login(analyst)
    assert reverse("analytics:dashboard") in client.get("/").content.decode()


def test_start_replication_from_the_form_and_read_table5(analyst_client, raw_dataset,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = analyst_client.post(reverse("analytics:run_start"),
                                {"kind": "replicate", "dataset": raw_dataset.id,
                                 "bootstrap": 10, "seed": 1})
    run = AnalysisRun.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("analytics:run_detail",
                                                             args=[run.id])
    page = analyst_client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert AnalysisRun.objects.get().status == "succeeded"
    assert 'id="table5"' in page and "Digital technology" in page
    assert "SYNTHETIC" in page
    assert "coefficients.svg" in page
    svg = analyst_client.get(reverse("analytics:run_file", args=[run.id, "coefficients.svg"]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    xlsx = analyst_client.get(reverse("analytics:run_file", args=[run.id, "table5.xlsx"]))
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    assert analyst_client.get(reverse("analytics:run_file",
                                      args=[run.id, "secrets.txt"])).status_code == 404
    dash = analyst_client.get(reverse("analytics:dashboard")).content.decode()
    assert 'id="table5"' in dash  # the latest replication on the dashboard


def test_files_are_refused_to_others(client, resident, raw_dataset):
    run = AnalysisRun.objects.create(kind="replicate", dataset=raw_dataset, dataset_version=1,
                                     files=["table5.csv"], status="succeeded")
    client.force_login(resident)
    assert client.get(reverse("analytics:run_file", args=[run.id, "table5.csv"])
                      ).status_code == 403
    assert client.post(reverse("analytics:run_start"), {"kind": "replicate"}).status_code == 403


def test_upload_with_bad_rows_shows_every_problem_and_writes_nothing(analyst_client,
                                                                    city_table):
    bad = "city,year,Ur\n石家庄市,2011,0.5\nAtlantis,2011,0.4\n唐山市,2011,abc\n"
    r = analyst_client.post(reverse("analytics:dataset_upload"),
                            {"name": "x", "file": SimpleUploadedFile("x.csv", bad.encode())})
    assert r.status_code == 400
    page = r.content.decode()
    assert 'id="import-issues"' in page and "Atlantis" in page and "abc" in page
    assert not Dataset.objects.exists()
    good = "city,year,Ur\n石家庄市,2011,0.5\n"
    r = analyst_client.post(reverse("analytics:dataset_upload"),
                            {"name": "x", "file": SimpleUploadedFile("x.csv", good.encode())})
    assert r.status_code == 302 and Dataset.objects.get().n_rows == 1


def test_fit_run_page_shows_results(analyst_client, raw_dataset,
                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = analyst_client.post(reverse("analytics:run_start"),
                                {"kind": "fit", "dataset": raw_dataset.id,
                                 "formula": "Dist ~ Dig + Isu", "se": "robust"})
    page = analyst_client.get(r["Location"]).content.decode()
    run = AnalysisRun.objects.get()
    assert run.status == "succeeded", run.error
    assert "HC1" in run.results["summary"]["se_convention"] and "params" in page


def test_pages_in_chinese(analyst_client, raw_dataset, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = analyst_client.post(reverse("analytics:run_start"),
                                {"kind": "replicate", "dataset": raw_dataset.id,
                                 "bootstrap": 5})
    page = analyst_client.get(r["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "表 5. 基准回归" in page and "数字技术" in page and "合成数据" in page
