"""A property manager imports the flats of a community from a CSV or XLSX sheet: one invitation
per flat, or nothing at all and every problem named by row and column."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from synergy.core import services
from synergy.core.errors import Invalid, NotAllowed
from synergy.core.models import Invitation
from synergy.core.sheet_rows import SheetRejected

pytestmark = pytest.mark.django_db


def _csv(text: str, name: str = "flats.csv", encoding: str = "utf-8-sig") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("flats.xlsx", out.getvalue())


def test_a_csv_of_flats_makes_one_invitation_each(manager, community):
    made = services.invitations_import(created_by=manager, community=community,
                                       upload=_csv("房号,姓名\n1-101,王芳\n1-102,\n\n2-201,李雷\n"))
    assert [i.unit for i in made] == ["1-101", "1-102", "2-201"]
    assert Invitation.objects.filter(community=community).count() == 3
    assert len({i.code for i in made}) == 3


def test_an_xlsx_and_a_gbk_csv_are_read_too(manager, community):
    services.invitations_import(created_by=manager, community=community,
                                upload=_xlsx([["Flat", "Name"], ["3-301", "Ann"], [402, None]]))
    services.invitations_import(created_by=manager, community=community,
                                upload=_csv("房号\n5-501\n", encoding="gb18030"))
    assert sorted(Invitation.objects.values_list("unit", flat=True)) == ["3-301", "402", "5-501"]


def test_a_bad_row_imports_nothing_and_names_row_and_column(manager, community):
    long_flat = "9" * 41
    sheet = _csv(f"房号\n1-101\n{long_flat}\n1-101\n")
    with pytest.raises(SheetRejected) as rejected:
        services.invitations_import(created_by=manager, community=community, upload=sheet)
    assert [(e["row"], e["column"]) for e in rejected.value.errors] == [(3, "flat"), (4, "flat")]
    assert "2" in rejected.value.errors[1]["message"]  # names the row it repeats, in any language
    assert not Invitation.objects.exists()


def test_a_sheet_without_the_flat_column_is_refused(manager, community):
    with pytest.raises(SheetRejected) as rejected:
        services.invitations_import(created_by=manager, community=community,
                                    upload=_csv("name\nAnn\n"))
    assert rejected.value.errors[0]["row"] == 1


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("flats.txt", b"flat\n1\n"),
    SimpleUploadedFile("flats.xlsx", b"not a zip"),
    SimpleUploadedFile("flats.csv", b""),
])
def test_other_files_are_a_400_naming_the_file(manager, community, upload):
    with pytest.raises(Invalid) as refused:
        services.invitations_import(created_by=manager, community=community, upload=upload)
    assert refused.value.field == "file"


def test_only_the_manager_imports(resident, community):
    with pytest.raises(NotAllowed):
        services.invitations_import(created_by=resident, community=community,
                                    upload=_csv("房号\n1-101\n"))


def test_the_applications_page_imports_and_lists_problems(manager, community):
    client = Client()
    client.force_login(manager)
    page = client.get("/accounts/applications/").content.decode()
    assert 'id="invite-sheet-form"' in page
    bad = client.post("/accounts/applications/invite-sheet/",
                      {"community": community.pk, "file": _csv("房号\n1-101\n1-101\n")})
    assert bad.status_code == 400 and 'id="sheet-errors"' in bad.content.decode()
    assert not Invitation.objects.exists()
    good = client.post("/accounts/applications/invite-sheet/",
                       {"community": community.pk, "file": _csv("房号\n1-101\n1-102\n")})
    assert good.status_code == 302
    assert Invitation.objects.count() == 2


def test_the_codes_download_in_the_readers_language_with_safe_cells(manager, community):
    services.invitations_import(created_by=manager, community=community,
                                upload=_csv("房号\n=HYPERLINK(1)\n1-102\n"))
    client = Client()
    client.force_login(manager)
    client.cookies["django_language"] = "zh-hans"
    body = client.get("/accounts/applications/invitations.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "社区" and len(rows) == 3
    assert rows[1][1].startswith("'=") or rows[2][1].startswith("'=")
    assert all("/accounts/invite/" in r[3] for r in rows[1:])


def test_people_who_manage_nothing_cannot_download_codes(resident):
    client = Client()
    client.force_login(resident)
    assert client.get("/accounts/applications/invitations.csv").status_code == 403
