"""Document attachments (notices, investment needs): type and size limits, one rule for all.

Photos go through `synergy.core.images` instead, which also re-encodes them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from synergy.core.errors import Invalid

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".txt")


def attachment_check(upload, *, field: str = "attachment") -> None:
    """Refuse (400 naming `field`) a file that is too large or of a type we do not keep."""
    size = getattr(upload, "size", None) or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise Invalid(_("The attachment is larger than %(mb)d MB.")
                      % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, field=field)
    if not size:
        raise Invalid(_("The attachment is empty."), field=field)
    if not str(upload.name).lower().endswith(ATTACHMENT_TYPES):
        raise Invalid(_("Attach a PDF, image, Word, Excel or text file."), field=field)
