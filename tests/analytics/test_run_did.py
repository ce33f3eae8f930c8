"""The ``did`` run kind (issue 18): the synthetic rollout recovered within its bands, timing
from the platform's own pairings, the tables, chart and files, the reproduce line, and bad
parameters refused."""

from __future__ import annotations

import datetime
import io
import json
import shlex

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import translation

from analytics import demo, services
from analytics.methods.synthetic import synthetic_panel
from analytics.models import AnalysisRun
from synergy.core.models import Notification
from tests.factories import CommunityFactory, PairingFactory

pytestmark = pytest.mark.django_db


def _run(dataset, capture, language="zh-hans", **parameters) -> AnalysisRun:
    # The language is explicit: the default is the thread's active one, which an earlier test
    # in the same worker may have left at English.
    with capture(execute=True):
        run = services.run_start(user=None, kind="did", dataset=dataset, parameters=parameters,
                                 language=language)
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    return run


def test_the_demo_rollout_is_recovered_within_the_uniform_bands(
        django_capture_on_commit_callbacks):
    run = _run(demo.demo_dataset(), django_capture_on_commit_callbacks, bootstrap=499)
    summary = run.results["summary"]
    truth = synthetic_panel().truth["rollout"]
    assert summary["treatment"]["source"] == "pair_year"
    assert summary["groups"] == [g for g in truth["cohorts"] if g]
    assert summary["never_treated"] == truth["cohorts"][0]
    events = {e["event"]: e for e in summary["aggregates"]["dynamic"]["by_event"]}
    for e, att in truth["att_by_event"].items():
        band = events[e]
        assert band["lower"] <= att <= band["upper"], (e, att, band)
    simple = summary["aggregates"]["simple"]
    assert simple["lower"] <= truth["att_simple"] <= simple["upper"]
    assert simple["upper"] < 0  # the fall is found, not only allowed
    f = summary["findings"]
    assert f["event"] == 2 and f["years"] == 3 and f["pre_trend_events"] == []
    assert 0 <= summary["twfe"]["forbidden_weight"] <= 1


def test_the_run_writes_its_tables_chart_and_data(django_capture_on_commit_callbacks):
    run = _run(demo.demo_dataset(), django_capture_on_commit_callbacks, bootstrap=99)
    tables = run.results["tables"]
    assert tables["did"]["columns"][0] == "Callaway-Sant'Anna"
    keys = [r["key"] for r in tables["did"]["rows"] if r["role"] == "coef"]
    assert keys[0] == "att" and "e=0" in keys and "e=-1" in keys
    assert [r["key"] for r in tables["did_bacon"]["rows"]] == [
        "treated_vs_never", "earlier_vs_later", "later_vs_earlier"]
    weights = [n["weight"] for n in tables["did_bacon"]["numbers"]]
    np.testing.assert_allclose(sum(weights), 1.0, atol=1e-9)
    for name in ("event_study.svg", "event_study.png", "att_gt.csv", "data.csv", "did.csv",
                 "did.xlsx", "did.tex", "did.html", "did_bacon.csv", "summary.json"):
        assert name in run.files, name
    svg = (services.run_directory(run) / "event_study.svg").read_text(encoding="utf-8")
    assert "结对" in svg  # the chart's words in the starter's language (zh-hans by default)


def test_the_cli_line_reproduces_the_estimates(monkeypatch, django_capture_on_commit_callbacks):
    run = _run(demo.demo_dataset(), django_capture_on_commit_callbacks, bootstrap=49, seed=7)
    monkeypatch.chdir(services.run_directory(run))
    line = run.results["reproduce"]["cli"]
    out = io.StringIO()
    call_command(*shlex.split(line)[2:], stdout=out)
    got = json.loads(out.getvalue())
    want = run.results["summary"]
    np.testing.assert_allclose(got["aggregates"]["simple"]["att"],
                               want["aggregates"]["simple"]["att"], rtol=1e-10)
    np.testing.assert_allclose(got["aggregates"]["simple"]["se"],
                               want["aggregates"]["simple"]["se"], rtol=1e-10)
    assert len(got["att_gt"]) == len(want["att_gt"])


def test_timing_from_the_platforms_pairings(city_table, small_raw,
                                            django_capture_on_commit_callbacks):
    frame = small_raw.drop(columns=["pair_year"])
    dataset = services.dataset_create_from_frame(user=None, name="no-timing", frame=frame,
                                                 synthetic=True)
    cities = list(dict.fromkeys(frame["city"]))
    starts = {cities[0]: 2015, cities[1]: 2015, cities[2]: 2015, cities[3]: 2017,
              cities[4]: 2017, cities[5]: 2017, cities[6]: 2025, cities[7]: 2010}
    for city, year in starts.items():
        community = CommunityFactory(prefecture_city=city)
        PairingFactory(community=community, started_on=datetime.date(year, 5, 1))
    # A second, later pairing in the same city does not move the city's first year.
    PairingFactory(community=CommunityFactory(prefecture_city=cities[0]),
                   started_on=datetime.date(2019, 1, 1))
    run = _run(dataset, django_capture_on_commit_callbacks, bootstrap=0)
    t = run.results["summary"]["treatment"]
    assert t["source"] == "platform" and t["column"] == "first_pairing_year"
    assert (t["paired_cities"], t["treated_after_panel"], t["treated_throughout"]) == (8, 1, 1)
    assert t["cities"] == len(cities) - 1 and t["never_treated"] == len(cities) - 7
    assert run.results["summary"]["groups"] == [2015, 2017]
    assert run.results["summary"]["se_method"] == "analytical"


@pytest.mark.parametrize(("parameters", "named"), [
    ({"treatment": "no_such_column"}, "treatment"),
    ({"control": "sometimes"}, "control"),
    ({"method": "ols"}, "method"),
    ({"covariates": "Ur"}, "covariates"),
    ({"covariates": ["Dist"]}, "covariates"),
    ({"anticipation": 9}, "anticipation"),
    ({"bootstrap": 5}, "bootstrap"),
    ({"y": "Dist + 1"}, "y"),
])
def test_bad_parameters_are_400_naming_the_parameter(parameters, named, analyst, api_as,
                                                     raw_dataset):
    with translation.override("en"):
        r = api_as(analyst).post("/api/v1/analytics/runs/",
                                 {"kind": "did", "dataset": raw_dataset.id,
                                  "parameters": parameters}, format="json")
    assert r.status_code == 400
    assert named in json.dumps(r.json()["parameters"])
    assert not AnalysisRun.objects.exists()


def test_a_timing_column_that_changes_within_a_city_fails_the_run_with_a_sentence(
        city_table, small_raw, django_capture_on_commit_callbacks):
    frame = small_raw.copy()
    frame.loc[frame.index[1], "pair_year"] = 2016
    dataset = services.dataset_create_from_frame(user=None, name="bad-timing", frame=frame,
                                                 synthetic=True)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(user=None, kind="did", dataset=dataset, parameters={})
    run.refresh_from_db()
    assert run.status == "failed"
    assert "pair_year" in run.error and "Traceback" not in run.error


def test_the_run_page_reads_in_chinese_with_the_summary_chart_and_tables(
        client, analyst, django_capture_on_commit_callbacks):
    run = _run(demo.demo_dataset(), django_capture_on_commit_callbacks, bootstrap=99)
    client.force_login(analyst)
    html = client.get(f"/analytics/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
                      ).content.decode()
    assert 'id="did-summary"' in html and "结对之后 3 年内" in html and "事前趋势" in html
    assert "双向固定效应" in html and "Goodman-Bacon" in html
    assert "距结对年数：0" in html and "结对的平均处理效应（ATT）" in html
    assert "event_study.svg" in html
    with translation.override("en"):
        english = client.get(f"/analytics/runs/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en"
                             ).content.decode()
    assert "Pairing is followed by a fall in" in english and "Years from pairing: 0" in english


def test_the_starter_is_told_when_the_run_has_finished(analyst, raw_dataset,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ok = services.run_start(user=analyst, kind="did", dataset=raw_dataset,
                                parameters={"bootstrap": 0})
        bad = services.run_start(user=analyst, kind="did", dataset=raw_dataset,
                                 parameters={"treatment": "platform", "bootstrap": 0})
    notes = {n.url: n for n in Notification.objects.filter(recipient=analyst,
                                                           kind="analytics.run_finished")}
    assert set(notes) == {f"/analytics/runs/{ok.pk}/", f"/analytics/runs/{bad.pk}/"}
    assert "完成" in notes[f"/analytics/runs/{ok.pk}/"].message  # the starter's language
    assert "失败" in notes[f"/analytics/runs/{bad.pk}/"].message  # no city was ever paired
    assert "has finished" in notes[f"/analytics/runs/{ok.pk}/"].messages["en"]
