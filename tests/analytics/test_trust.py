"""Issue 11.1 and 11.6 at the edges: API, forms, CLI and imports refuse code-carrying names
and oversized files, naming the column or the limit, and write nothing."""

from __future__ import annotations

import copy
import io
import time
import zipfile

import openpyxl
import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from analytics import services
from analytics.errors import ImportRejected
from analytics.methods import data_io
from analytics.models import AnalysisRun, Dataset, Observation
from synergy.core.errors import Invalid

ATTACK = "getattr(__import__('os'),'system')('touch /tmp/synergy_pwned')"


def _csv(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# ------------------------------------------------------------------- point 1: runs


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "parameters", "named"), [
    ("fit", {"formula": f"Dist ~ Dig + {ATTACK}"}, "__import__"),
    ("fit", {"formula": "Dist ~ Dig + C(city)"}, "C(city)"),
    ("fit", {"formula": "Dist ~ Dig + nope"}, "nope"),
    ("fit", {"formula": "Dist ~ Ur", "iv": f"Dig ~ {ATTACK}"}, "__import__"),
    ("mediate", {"mediator": ATTACK}, "__import__"),
    ("mediate", {"controls": ["Ur", "Ur + Stru"]}, "Ur + Stru"),
    ("index", {"columns": ["Ur", ATTACK]}, "__import__"),
    ("index", {"negative": ["lambda"]}, "lambda"),
])
def test_api_refuses_parameters_outside_the_grammar(analyst, api_as, raw_dataset, kind,
                                                     parameters, named):
    r = api_as(analyst).post("/api/v1/analytics/runs/",
                             {"kind": kind, "dataset": raw_dataset.id,
                              "parameters": parameters}, format="json")
    assert r.status_code == 400, r.content
    assert named in r.json()["parameters"][0]
    assert not AnalysisRun.objects.exists()


@pytest.mark.django_db
def test_api_accepts_the_built_variables_of_a_raw_dataset(analyst, api_as, raw_dataset,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api_as(analyst).post(
            "/api/v1/analytics/runs/",
            {"kind": "fit", "dataset": raw_dataset.id,
             "parameters": {"formula": "Dist ~ Dig + Ur"}}, format="json")
    assert r.status_code == 202, r.content
    assert AnalysisRun.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_form_refuses_a_formula_with_code_naming_the_term(analyst, client, raw_dataset):
    client.force_login(analyst)
    r = client.post("/analytics/runs/", {"kind": "fit", "dataset": raw_dataset.id,
                                         "formula": f"Dist ~ {ATTACK}", "se": "stata"})
    assert r.status_code == 400
    assert "__import__" in r.content.decode()
    r = client.post("/analytics/runs/", {"kind": "fit", "dataset": raw_dataset.id,
                                         "formula": "Dist ~ Dig + nope", "se": "stata"})
    assert r.status_code == 400 and "nope" in r.content.decode()
    assert not AnalysisRun.objects.exists()


@pytest.mark.django_db
def test_run_time_check_catches_a_stored_bad_formula(raw_dataset):
    """A run recorded before the checks existed fails with a sentence; nothing is evaluated."""
    run = AnalysisRun.objects.create(
        kind="fit", dataset=raw_dataset, dataset_version=1,
        parameters={**services.KIND_DEFAULTS["fit"], "formula": f"Dist ~ {ATTACK}"})
    services.run_execute(run_id=run.id)
    run.refresh_from_db()
    assert run.status == "failed" and "not allowed" in run.error


# ------------------------------------------------------------------- point 1: CLI


def test_cli_exits_2_naming_a_bad_formula_term(panel_csv):
    with pytest.raises(CommandError) as info:
        call_command("analytics", "fit", "--csv", str(panel_csv),
                     "--formula", f"Dist ~ {ATTACK}", "--entity", "city", "--time", "year")
    assert info.value.returncode == 2 and "__import__" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("analytics", "mediate", "--csv", str(panel_csv), "--y", "Dist",
                     "--x", "Dig", "--mediator", "Isu", "--controls", "Ur,np.log(Stru)",
                     "--entity", "city", "--time", "year")
    assert info.value.returncode == 2 and "np.log(Stru)" in str(info.value)


def test_cli_refuses_a_file_whose_header_is_not_a_column_name(tmp_path, small_panel):
    path = tmp_path / "bad.csv"
    small_panel.rename(columns={"Ur": ATTACK}).to_csv(path, index=False)
    with pytest.raises(CommandError) as info:
        call_command("analytics", "index", "--csv", str(path), "--method", "entropy")
    assert info.value.returncode == 2 and "__import__" in str(info.value)


# ------------------------------------------------------------------- point 1: import


@pytest.mark.django_db
def test_import_refuses_headers_that_are_not_identifiers(city_table, analyst, api_as):
    text = f"city,year,Ur,{ATTACK.replace(',', ';')},1st\n石家庄市,2011,0.5,0.4,1\n"
    r = api_as(analyst).post("/api/v1/analytics/datasets/", {"name": "c", "file": _csv(text)},
                             format="multipart")
    assert r.status_code == 400
    cols = {e["column"] for e in r.json()["errors"]}
    assert "1st" in cols and any("__import__" in c for c in cols)
    assert not Dataset.objects.exists()


@pytest.mark.django_db
def test_import_refuses_bad_variable_names_in_the_wide_layout(city_table, analyst):
    wide = "city,variable,2011\n石家庄市,Ur,0.5\n石家庄市,x y,0.1\n"
    with pytest.raises(ImportRejected) as info:
        services.dataset_import(user=analyst, name="w", upload=_csv(wide))
    assert {"row": 3, "column": "variable"}.items() <= info.value.issues[0].items()


# ------------------------------------------------------------------- point 6: limits


def _zip_bomb(copies: int = 32, member: int = 64 * 1024 * 1024) -> bytes:
    """An XLSX of about 70 KB whose zip directory lists ``copies`` sheets of ``member`` bytes
    each, all pointing at one deflated run of spaces (the overlapping-entries zip bomb)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/worksheets/sheet1.xml", b" " * member)
        first = zf.filelist[-1]
        for i in range(2, copies + 1):
            twin = copy.copy(first)
            twin.filename = twin.orig_filename = f"xl/worksheets/sheet{i}.xml"
            zf.filelist.append(twin)
    return buf.getvalue()


@pytest.mark.django_db
def test_a_70kb_xlsx_that_unpacks_to_gigabytes_is_refused_before_parsing(
        city_table, analyst, api_as, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = _zip_bomb()
    assert len(bomb) < 100 * 1024
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 2 * 1024**3
    r = api_as(analyst).post("/api/v1/analytics/datasets/",
                             {"name": "bomb", "file": SimpleUploadedFile("b.xlsx", bomb)},
                             format="multipart")
    assert r.status_code == 400
    assert "expands to 2048.0 MB when unpacked" in r.json()["detail"]
    assert not Dataset.objects.exists()


@pytest.mark.django_db
def test_limits_on_size_rows_columns_and_cells(city_table, analyst, settings):
    settings.ANALYTICS_IMPORT_MAX_ROWS = 3
    rows = "".join(f"石家庄市,{2011 + i},0.5\n" for i in range(4))
    with pytest.raises(ImportRejected, match="more than 3 rows"):
        services.dataset_import(user=analyst, name="r", upload=_csv("city,year,Ur\n" + rows))
    settings.ANALYTICS_IMPORT_MAX_COLUMNS = 4
    with pytest.raises(ImportRejected, match="more than 4 columns"):
        services.dataset_import(user=analyst, name="c",
                                upload=_csv("city,year,a,b,c\n石家庄市,2011,1,2,3\n"))
    settings.ANALYTICS_IMPORT_MAX_CELL_CHARS = 10
    with pytest.raises(ImportRejected) as info:
        services.dataset_import(user=analyst, name="l",
                                upload=_csv("city,year,Ur\n石家庄市,2011," + "9" * 50 + "\n"))
    assert {"row": 2, "column": "Ur"}.items() <= info.value.issues[0].items()
    settings.ANALYTICS_IMPORT_MAX_BYTES = 1024
    with translation.override("en"), pytest.raises(Invalid,
                                                   match="larger than 1.0.KB"):
        services.dataset_import(user=analyst, name="s",
                                upload=_csv("city,year,Ur\n" + "石家庄市,2011,0.5\n" * 100))
    assert not Dataset.objects.exists() and not Observation.objects.exists()


@pytest.mark.django_db
def test_at_most_100_problems_are_reported_each_with_row_and_column(city_table, analyst):
    body = "".join(f"石家庄市,{2011 + i % 10},abc{i}\n" for i in range(250))
    with translation.override("en"), pytest.raises(ImportRejected) as info:
        services.dataset_import(user=analyst, name="many", upload=_csv("city,year,Ur\n" + body))
    issues = info.value.issues
    assert len(issues) == 100 and info.value.total > 250
    assert all(i["row"] and i["column"] for i in issues)
    assert "Only the first 100 problems are listed." in info.value.message
    assert not Dataset.objects.exists()


def test_a_good_xlsx_still_imports(db, city_table, analyst):
    buf = io.BytesIO()
    pd.DataFrame({"city": ["石家庄市"], "year": [2011], "Ur": [0.5]}).to_excel(buf, index=False)
    ds = services.dataset_import(user=analyst, name="ok",
                                 upload=SimpleUploadedFile("ok.xlsx", buf.getvalue()))
    assert ds.n_rows == 1


def _hangs(*args, **kwargs):
    time.sleep(120)


@pytest.mark.django_db
def test_an_import_that_reads_too_long_is_stopped_and_writes_nothing(city_table, analyst,
                                                                     settings, monkeypatch):
    settings.ANALYTICS_IMPORT_TIME_LIMIT_SECONDS = 1
    monkeypatch.setattr(data_io, "read_city_year", _hangs)  # a parser stuck on a bad file
    with translation.override("en"), pytest.raises(Invalid,
                                                   match="longer than 1 seconds"):
        services.dataset_import(user=analyst, name="slow", upload=_csv("city,year,Ur\n"))
    assert not Dataset.objects.exists()
