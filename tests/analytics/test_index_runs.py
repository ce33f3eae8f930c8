"""Index runs (issue 17): a weights chart (PNG and SVG, the reader's language) in the files and
the zip, and KMO / Bartlett on the page with a plain-language reading."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import translation

from analytics import readings, services
from analytics.models import AnalysisRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def index_run(raw_dataset, django_capture_on_commit_callbacks):
    def start(language="zh-hans", **parameters):
        with django_capture_on_commit_callbacks(execute=True):
            run = services.run_start(user=None, kind="index", dataset=raw_dataset,
                                     parameters=parameters, language=language)
        run.refresh_from_db()
        assert run.status == AnalysisRun.Status.SUCCEEDED, run.error
        return run
    return start


def test_a_pca_index_has_its_weights_chart_in_chinese_in_the_files_and_the_zip(index_run):
    run = index_run("zh-hans", method="pca")
    out = services.run_directory(run)
    assert {"weights.svg", "weights.png", "index.csv", "index.xlsx", "all.zip"} <= set(run.files)
    assert (out / "weights.png").read_bytes()[:4] == b"\x89PNG"
    svg = (out / "weights.svg").read_text(encoding="utf-8")
    assert "人均电信业务收入" in svg  # the catalogue's Chinese name of telecom_rev_pc
    assert "模拟数据" in svg  # the synthetic mark in the starter's language
    with zipfile.ZipFile(out / "all.zip") as archive:
        assert {"weights.svg", "weights.png", "index.csv"} <= set(archive.namelist())
    # The weights stay numbers, one column per statistic, beside the formatted table.
    numbers = pd.read_csv(out / "index.csv", comment="#", encoding="utf-8-sig")
    assert numbers.shape == (6, 3)  # indicator, weight, KMO per variable
    assert numbers.iloc[:, 1].sum() == pytest.approx(1.0, rel=1e-9)


def test_the_page_shows_kmo_and_bartlett_with_a_reading_and_the_chart(index_run, client,
                                                                      analyst):
    run = index_run("zh-hans", method="pca")
    summary = run.results["summary"]
    client.force_login(analyst)
    url = reverse("analytics:run_detail", args=[run.pk])
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="index-diagnostics"' in en
    assert "KMO measure of sampling adequacy" in en and f"{summary['kmo']:.2f}" in en
    with translation.override("en"):
        assert readings.kmo_reading(summary["kmo"]) in en
    assert "Bartlett" in en and "sphericity" in en
    assert reverse("analytics:run_file", args=[run.pk, "weights.svg"]) in en
    assert "Indicator weights" in en
    # The weights table: an indicator column, a weight column, no parentheses note.
    assert "t statistics in parentheses" not in en and "Weight" in en
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="index-diagnostics"' in zh and "人均电信业务收入" in zh


def test_an_entropy_index_has_a_chart_but_no_pca_diagnostics(index_run, client, analyst):
    run = index_run("en", method="entropy")
    assert {"weights.svg", "weights.png"} <= set(run.files)
    svg = (services.run_directory(run) / "weights.svg").read_text(encoding="utf-8")
    assert "Entropy weights of the indicators" in svg
    client.force_login(analyst)
    page = client.get(reverse("analytics:run_detail", args=[run.pk]),
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="index-diagnostics"' not in page and "weights.svg" in page


@pytest.mark.parametrize(("kmo", "word"), [(0.93, "very well suited"), (0.85, "well suited"),
                                           (0.78, "suited"), (0.65, "acceptable"),
                                           (0.55, "barely acceptable"), (0.31, "not suited")])
def test_kmo_readings_follow_kaisers_scale(kmo, word):
    with translation.override("en"):
        assert readings.kmo_reading(kmo).startswith(word)
        rows = readings.index_diagnostics({"method": "pca", "kmo": kmo,
                                           "bartlett": {"chi2": 12.0, "df": 15, "p": 0.3},
                                           "n_retained": 1, "cumulative": [0.88]})
    assert rows[0]["value"] == f"{kmo:.2g}"
    assert "adds little" in rows[1]["reading"] and "p = 0.3" in rows[1]["value"]
    assert rows[2]["value"] == "1" and "88.0%" in rows[2]["reading"]
