"""Private files: stored outside MEDIA_ROOT under unguessable names, served only after a check.

Three pieces, one for each way a private file could leak:

- `private_storage` keeps the bytes under `settings.PRIVATE_MEDIA_ROOT`, which is outside
  `MEDIA_ROOT`, so the proxy's public `/media/` location cannot serve them. It has no public URL:
  `.url` raises, so a template or serializer that forgets the permission-checked view fails loudly
  in the tests instead of printing a link.
- `UnguessableName("community/notices")` is the `upload_to` of every uploaded file: a random
  128-bit name (the extension kept, lower-cased), so knowing one file's name tells nothing about
  another's. Public photos use it too.
- `private_file_response(request, file)` is the only way out. The per-kind views call it *after*
  the same permission check as the record the file belongs to (the notice, the ticket, the
  investment need, the analysis run). It hands the file to django-sendfile2: Django streams it
  in development, nginx sends it (`X-Accel-Redirect` to an `internal` location) in production.
  Photos are shown inline; anything else is a download (`Content-Disposition: attachment`). Every answer says
  `X-Content-Type-Options: nosniff`, `Cache-Control: private` and carries a sandboxing CSP.
"""

from __future__ import annotations

import mimetypes
import re
import secrets
import shutil
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django_sendfile import sendfile

# Shown in the browser (raster images only); everything else, PDFs included, is a download.
# A caller may still ask for `inline=True` (the analysis charts, SVG under the sandbox CSP).
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
# An SVG or HTML chart may be shown inline, but it runs nothing and loads nothing.
SANDBOX_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
_EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


class PrivateStorage(FileSystemStorage):
    """A file system storage rooted at `settings.PRIVATE_MEDIA_ROOT` (read when first used, and
    again when a test overrides the setting). It has no URL: see `private_file_response`."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def location(self):
        return str(Path(self.base_location).resolve())

    def url(self, name):
        raise ValueError(
            "A private file has no public URL; link to the permission-checked view that serves "
            f"it (synergy.core.private_files.private_file_response), not to {name!r}.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


_private = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The `storage=` of every private FileField (a callable, so migrations name it, not a path)."""
    return _private


@deconstructible(path="synergy.core.private_files.UnguessableName")
class UnguessableName:
    """`upload_to` giving `<prefix>/<32 random hex digits><.ext>`; the user's file name is dropped
    (it may say more than it should, and it makes names guessable)."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = PurePosixPath(str(filename)).suffix.lower()
        if not _EXTENSION.fullmatch(ext):
            ext = ""
        return f"{self.prefix}/{secrets.token_hex(16)}{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessableName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def private_path(relative: str | Path) -> Path:
    """The absolute path of `relative` inside PRIVATE_MEDIA_ROOT; 404 if it would leave it."""
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        raise Http404("No such file.")
    return path


def private_file_response(
    request: HttpRequest, file: FieldFile | str | Path, *, download_name: str | None = None,
    inline: bool | None = None,
) -> HttpResponse:
    """Send a private file that the caller has already been allowed to see.

    `file` is a FieldFile on `private_storage` or a path relative to PRIVATE_MEDIA_ROOT.
    `download_name` is the name the browser saves it under (default: the stored name).
    `inline` defaults to True for raster images, False for anything else.
    A missing file is a 404, never a 500.
    """
    if isinstance(file, FieldFile):
        if not file or not isinstance(file.storage, PrivateStorage):
            raise Http404("No such file.")
        path = private_path(file.name)
    else:
        path = private_path(file)
    if not path.is_file():
        raise Http404("No such file.")
    ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if inline is None:
        inline = ctype in INLINE_TYPES
    response = sendfile(request, str(path), attachment=not inline,
                        attachment_filename=download_name or path.name, mimetype=ctype)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=600"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Referrer-Policy"] = "same-origin"
    patch_vary_headers(response, ["Cookie", "Authorization"])
    return response


def download_name(title: str, file: FieldFile, *, fallback: str = "attachment") -> str:
    """A readable file name for a download: the record's title (path characters removed) and the
    stored file's extension, e.g. “停水通知.pdf”."""
    stem = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", title or "").strip()[:80] or fallback
    return stem + PurePosixPath(file.name).suffix


def move_to_private_storage(apps, schema_editor=None, *, model: str, field: str, prefix: str) -> int:
    """Data migration: files of `model.field` still under MEDIA_ROOT (uploaded before the field
    became private) move to the private storage under an unguessable name; the row is updated and
    the public copy deleted. Rows whose file is missing or already private are left alone.
    Returns how many files moved."""
    Model = apps.get_model(model)
    public = FileSystemStorage(location=settings.MEDIA_ROOT)
    name_for = UnguessableName(prefix)
    moved = 0
    for pk, name in Model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        if _private.exists(name) or not public.exists(name):
            continue
        with public.open(name, "rb") as f:
            new_name = _private.save(name_for(None, name), File(f))
        Model.objects.filter(pk=pk).update(**{field: new_name})
        public.delete(name)
        moved += 1
    return moved


def move_folder_to_private(relative: str) -> int:
    """Data migration for outputs written to a folder rather than a FileField (analysis runs):
    `MEDIA_ROOT/<relative>` moves to `PRIVATE_MEDIA_ROOT/<relative>`, file by file, keeping names
    (they are found by the record's id, and served only by its permission-checked view).
    Returns how many files moved."""
    source = Path(settings.MEDIA_ROOT) / relative
    target = Path(settings.PRIVATE_MEDIA_ROOT) / relative
    moved = 0
    if not source.is_dir():
        return 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        dest = target / path.relative_to(source)
        if dest.exists():
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(dest))
        moved += 1
    for folder in sorted((p for p in source.rglob("*") if p.is_dir()), reverse=True) + [source]:
        if not any(folder.iterdir()):
            folder.rmdir()   # empty folders go; a file that was already private stays put
    return moved
