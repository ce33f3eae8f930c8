"""Each analysis on its own page (issue 17): pickers from the dataset, paper defaults, journal
tables in the reader's language, every export, editable variable names."""

from __future__ import annotations

import zipfile

import pytest
from django.urls import reverse

from analytics import services
from analytics.models import AnalysisRun

pytestmark = pytest.mark.django_db

KINDS = ["fit", "iv", "mediate", "heterogeneity", "robustness", "index", "did"]


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """run_start with its after-commit queueing executed (eager tasks run it inline)."""
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(**kwargs)
        run.refresh_from_db()
        return run
    return run


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_has_its_page_with_pickers_and_the_papers_defaults(analyst_client, raw_dataset,
                                                                     kind):
    page = analyst_client.get(reverse("analytics:analysis_new", args=[kind]),
                              {"dataset": raw_dataset.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="analysis-form"' in html
    if kind != "index":
        assert '<option value="Dist" selected>Dist</option>' in html  # y defaults to Dist
    if kind not in ("index", "did"):
        assert 'name="controls"' in html and 'value="Ur"' in html
    if kind == "did":
        assert 'name="treatment"' in html and 'value="pair_year"' in html


def test_a_resident_cannot_open_an_analysis_page_and_unknown_kinds_are_404(client, resident,
                                                                            analyst):
    client.force_login(resident)
    assert client.get(reverse("analytics:analysis_new", args=["fit"])).status_code == 403
    client.force_login(analyst)
    assert client.get(reverse("analytics:analysis_new", args=["nope"])).status_code == 404


def test_dashboard_links_every_kind(analyst_client):
    html = analyst_client.get(reverse("analytics:dashboard")).content.decode()
    for kind in KINDS:
        assert reverse("analytics:analysis_new", args=[kind]) in html


def test_a_chosen_regression_runs_and_reads_like_a_journal_in_chinese(
        analyst_client, raw_dataset, django_capture_on_commit_callbacks):
    url = reverse("analytics:analysis_new", args=["fit"])
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(url, {
            "dataset": raw_dataset.pk, "y": "Dist", "x": "Dig", "controls": ["Ur", "Stru"],
            "stepwise": "on", "effects": "entity time", "se": "stata", "small": "on"},
            HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 302
    run = AnalysisRun.objects.latest("id")
    assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
    assert run.parameters["controls"] == ["Ur", "Stru"]
    page = analyst_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    assert 'class="journal"' in html and "sticky-col" in html
    assert "数字技术" in html and "观测值" in html and "城市固定效应" in html
    assert "np.float64" not in html
    assert 'id="reproduce"' in html and "manage.py analytics fit" in html
    for ext in (".csv", ".xlsx", ".tex", ".html", ".zip"):
        assert any(f.endswith(ext) for f in run.files), ext
    english = analyst_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Observations" in english and "City fixed effects" in english


def test_the_zip_holds_every_file_of_the_run(analyst, raw_dataset, start):
    run = start(user=analyst, kind="fit", dataset=raw_dataset)
    assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
    archive = services.run_directory(run) / "all.zip"
    names = set(zipfile.ZipFile(archive).namelist())
    assert set(run.files) - {"all.zip"} <= names
    assert {"summary.json", "reproduce.sh", "reproduce.py", "models.json"} <= names


def test_mediation_shows_the_indirect_effect_and_its_bootstrap_interval(analyst_client,
                                                                        raw_dataset, analyst,
                                                                        start):
    run = start(user=analyst, kind="mediate", dataset=raw_dataset,
                             parameters={"bootstrap": 49})
    html = analyst_client.get(reverse("analytics:run_detail", args=[run.pk]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="mediation"' in html and "Sobel" in html
    assert "Cluster bootstrap 95% interval" in html and "[" in html


def test_variable_names_are_edited_per_dataset_and_shown_in_tables(analyst_client, raw_dataset,
                                                                   analyst, start):
    url = reverse("analytics:dataset_labels", args=[raw_dataset.pk])
    assert analyst_client.get(url).status_code == 200
    assert analyst_client.post(url, {"Dig": "数字化水平"}).status_code == 302
    raw_dataset.refresh_from_db()
    assert raw_dataset.labels == {"Dig": "数字化水平"}
    run = start(user=analyst, kind="fit", dataset=raw_dataset, parameters={"stepwise": False})
    html = analyst_client.get(reverse("analytics:run_detail", args=[run.pk])).content.decode()
    assert "数字化水平" in html


def test_the_differences_from_the_paper_are_in_the_readers_language(analyst_client, analyst,
                                                                     raw_dataset, start):
    run = start(user=analyst, kind="replicate", dataset=raw_dataset, parameters={"bootstrap": 10})
    url = reverse("analytics:run_detail", args=[run.pk])
    zh = analyst_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    en = analyst_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sobel z significant at the 1% level" in en
    assert "Sobel z significant at the 1% level" not in zh and "表 9" in zh


def test_the_coefficient_chart_caption_names_the_runs_own_x(analyst_client, analyst,
                                                             raw_dataset, start):
    run = start(user=analyst, kind="fit", dataset=raw_dataset,
                parameters={"x": "Ur", "controls": ["Stru"], "stepwise": False})
    assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
    html = analyst_client.get(reverse("analytics:run_detail", args=[run.pk]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Coefficient of Urbanization level with its 95% confidence interval" in html
    assert "Coefficient of Dig with its 95 percent confidence interval" not in html


@pytest.mark.parametrize(("kind", "parameters", "headers"), [
    ("mediate", {"bootstrap": 0}, ["(1) path c (Dist)", "(2) path a (Isu)",
                                   "(3) paths b, c′ (Dist)"]),
    ("heterogeneity", {}, ["(1) Full sample", "(2) East", "(3) Central", "(4) West"]),
    ("iv", {}, ["(1) First stage (Dig)", "(2) Second stage (Dist)"]),
])
def test_model_columns_are_headed_by_their_role(analyst_client, analyst, raw_dataset, start,
                                                kind, parameters, headers):
    run = start(user=analyst, kind=kind, dataset=raw_dataset, parameters=parameters,
                language="en")
    assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
    html = analyst_client.get(reverse("analytics:run_detail", args=[run.pk]),
                              HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for header in headers:
        assert f'<th scope="col">{header}</th>' in html, header
    formatted = (services.run_directory(run) / f"{kind}_formatted.csv").read_text("utf-8-sig")
    assert formatted.splitlines()[0].split(",", 1)[1].startswith(headers[0])
