"""synergy.core.private_files: the storage, the names, the one serving function, the migration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.http import Http404
from django.test import RequestFactory
from django_sendfile.utils import _get_sendfile

from community.models import HousingPhoto, Notice
from synergy.core.private_files import (
    PrivateStorage,
    UnguessableName,
    move_folder_to_private,
    move_to_private_storage,
    private_file_response,
    private_storage,
)
from tests.core.test_settings import _run

# Which model fields hold private files; every other FileField is public listing content.
PRIVATE_FIELDS = {
    "community.Notice.attachment",
    "community.TicketPhoto.image",
    "exchange.InvestmentNeed.attachment",
}


def _file_fields():
    for model in apps.get_models():
        for f in model._meta.fields:
            if isinstance(f, FileField):
                yield f"{model._meta.app_label}.{model.__name__}.{f.name}", f


def test_exactly_the_private_kinds_use_the_private_storage():
    private = {label for label, f in _file_fields() if isinstance(f.storage, PrivateStorage)}
    assert private == PRIVATE_FIELDS


def test_every_upload_field_gets_an_unguessable_name():
    """Public or private, no FileField keeps the uploader's name or a date folder."""
    for label, f in _file_fields():
        if label.startswith("villages.") and f.name in ("image", "thumbnail"):
            continue   # villages photos: named by synergy.core.images (uuid4 hex) before saving
        assert isinstance(f.upload_to, UnguessableName), label


def test_names_are_random_and_keep_only_a_clean_extension():
    name_for = UnguessableName("community/notices")
    a, b = name_for(None, "Minutes 2026.PDF"), name_for(None, "Minutes 2026.PDF")
    assert a != b
    assert re.fullmatch(r"community/notices/[0-9a-f]{32}\.pdf", a)
    assert re.fullmatch(r"community/notices/[0-9a-f]{32}", name_for(None, "x.p<d>f"))
    assert "Minutes" not in a


def test_private_storage_is_outside_media_root_and_has_no_url(tmp_path, settings):
    stored = private_storage().save("community/notices/x.pdf", ContentFile(b"%PDF-1.4"))
    path = Path(private_storage().path(stored))
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="permission-checked view"):
        private_storage().url(stored)


def test_the_default_private_root_is_gitignored_and_outside_media():
    result = _run(["-c", (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','synergy.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.PRIVATE_MEDIA_ROOT.relative_to(s.BASE_DIR), s.SENDFILE_ROOT == str("
        "s.PRIVATE_MEDIA_ROOT), s.SENDFILE_BACKEND, s.SENDFILE_URL)")])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["private-media", "True",
                                     "django_sendfile.backends.development", "/protected"]
    assert "private-media/" in (Path(settings.BASE_DIR) / ".gitignore").read_text().split()


@pytest.mark.parametrize(("env", "words"), [
    ({"DJANGO_MEDIA_ROOT": "/srv/m", "DJANGO_PRIVATE_MEDIA_ROOT": "/srv/m/private"},
     "DJANGO_PRIVATE_MEDIA_ROOT must be outside"),
    ({"DJANGO_SENDFILE_BACKEND": "apache"}, "DJANGO_SENDFILE_BACKEND must be one of"),
])
def test_a_private_root_inside_media_or_an_unknown_backend_stops_start_up(env, words):
    result = _run(["manage.py", "check"], **env)
    assert result.returncode != 0 and words in result.stderr


@pytest.fixture
def stored_pdf():
    name = private_storage().save(UnguessableName("community/notices")(None, "a.pdf"),
                                  ContentFile(b"%PDF-1.4 private"))
    return name


def _get(path="/x"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def test_development_backend_streams_the_bytes_with_safe_headers(stored_pdf):
    response = private_file_response(_get(), stored_pdf, download_name="会议纪要.pdf", inline=False)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 private"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E4%BC%9A%E8%AE%AE%E7%BA%AA%E8%A6%81.pdf" in response[
        "Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert "Cookie" in response["Vary"]


def test_nginx_backend_hands_the_file_to_the_internal_location(stored_pdf, settings):
    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    _get_sendfile.cache_clear()
    try:
        response = private_file_response(_get(), stored_pdf)
    finally:
        _get_sendfile.cache_clear()
    assert response["X-Accel-Redirect"] == f"/protected/{stored_pdf}"
    assert response.content == b""      # nginx sends the bytes, not Django
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("name", ["../media/x.jpg", "/etc/passwd", "", "."])
def test_nothing_outside_the_private_root_is_served(name):
    with pytest.raises(Http404):
        private_file_response(_get(), name)


def test_a_missing_file_is_a_404_not_a_500():
    with pytest.raises(Http404):
        private_file_response(_get(), "community/notices/0123456789abcdef0123456789abcdef.pdf")


def test_a_public_file_is_not_served_by_the_private_view(db):
    with pytest.raises(Http404):
        private_file_response(_get(), HousingPhoto(image="community/housing/x.jpg").image)


def test_old_public_uploads_move_to_private_storage(db, community, manager):
    """What the data migrations do to files uploaded before this change (demo data included)."""
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    old = public.save("community/notices/2026/05/minutes.pdf", ContentFile(b"%PDF-1.4 old"))
    notice = Notice.objects.create(community=community, title="Old", body="b", created_by=manager)
    Notice.objects.filter(pk=notice.pk).update(attachment=old)
    empty = Notice.objects.create(community=community, title="None", body="b", created_by=manager)

    moved = move_to_private_storage(apps, model="community.Notice", field="attachment",
                                    prefix="community/notices")

    assert moved == 1
    notice.refresh_from_db()
    assert re.fullmatch(r"community/notices/[0-9a-f]{32}\.pdf", notice.attachment.name)
    assert Path(notice.attachment.path).read_bytes() == b"%PDF-1.4 old"
    assert not public.exists(old)                         # nothing left for /media/ to serve
    empty.refresh_from_db()
    assert not empty.attachment
    assert move_to_private_storage(apps, model="community.Notice", field="attachment",
                                   prefix="community/notices") == 0   # idempotent


def test_old_public_run_outputs_move_to_the_private_folder(settings):
    old = Path(settings.MEDIA_ROOT) / "analytics" / "runs" / "7"
    old.mkdir(parents=True)
    (old / "table5.csv").write_text("term,coef\n")
    assert move_folder_to_private("analytics/runs") == 1
    moved = Path(settings.PRIVATE_MEDIA_ROOT) / "analytics" / "runs" / "7" / "table5.csv"
    assert moved.read_text() == "term,coef\n"
    assert not (Path(settings.MEDIA_ROOT) / "analytics" / "runs").exists()
    assert move_folder_to_private("analytics/runs") == 0
