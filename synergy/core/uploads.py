"""Document attachments (notices, investment needs): type, content and size limits, one rule for all.

`attachment_clean(upload)` is what services store: it refuses (400 naming the field) a file that
is too large, empty, of a type we do not keep, or whose bytes are not what its name says (an
executable renamed `plan.pdf`); a photo attached as a document goes through the image rule
(`synergy.core.images`), so it is re-encoded without EXIF (no GPS position) like every other
photo. Call it before opening a transaction: re-encoding is slow.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import Invalid
from synergy.core.images import image_clean

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".txt")
IMAGE_TYPES = (".jpg", ".jpeg", ".png")
# What the first bytes of each kind must be. Word and Excel files are ZIP archives.
_MAGIC = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
_EXECUTABLE = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def _head(upload, n: int = 8192) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    head = upload.read(n)
    if hasattr(upload, "seek"):
        upload.seek(0)
    return head or b""


def attachment_check(upload, *, field: str = "attachment") -> None:
    """Refuse (400 naming `field`) a file that is too large, empty, of a type we do not keep, or
    whose content does not match its name."""
    size = getattr(upload, "size", None) or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise Invalid(_("The attachment is larger than %(mb)d MB.")
                      % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, field=field)
    if not size:
        raise Invalid(_("The attachment is empty."), field=field)
    name = str(upload.name).lower()
    if not name.endswith(ATTACHMENT_TYPES):
        raise Invalid(_("Attach a PDF, image, Word, Excel or text file."), field=field)
    head = _head(upload)
    ext = "." + name.rsplit(".", 1)[-1]
    mismatch = Invalid(_("The file's content does not match its name (%(ext)s); attach the "
                         "document itself.") % {"ext": ext}, field=field)
    if head.startswith(_EXECUTABLE):
        raise mismatch
    if ext in _MAGIC and not head.startswith(_MAGIC[ext]):
        raise mismatch
    if ext == ".txt":
        if b"\x00" in head:
            raise mismatch
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is fine; anything else is not text.
            if exc.start < len(head) - 4:
                try:
                    head.decode("gb18030")
                except UnicodeDecodeError:
                    raise mismatch from None


def attachment_clean(upload, *, field: str = "attachment"):
    """The file to store for an attachment: the upload itself for a document, a re-encoded copy
    (no EXIF) for a photo. Raises `Invalid` naming `field` otherwise."""
    attachment_check(upload, field=field)
    if str(upload.name).lower().endswith(IMAGE_TYPES):
        return image_clean(upload, field=field, max_bytes=ATTACHMENT_MAX_BYTES)
    return upload
