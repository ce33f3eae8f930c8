"""Uploaded photos: validate with Pillow, re-encode, strip EXIF (and with it GPS positions).

Call `image_clean` in a service *before* opening a transaction or taking a lock: decoding and
re-encoding is the slow part. It returns a fresh file whose bytes came from Pillow alone, so
nothing of the original (metadata, trailing payloads, a lying extension) survives.
"""

from __future__ import annotations

import io
import uuid

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from synergy.core.errors import Invalid

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
MAX_SIDE = 2048  # photos are shown on phones; larger ones are scaled down
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}


def image_clean(
    upload, *, field: str = "photo", max_bytes: int = MAX_UPLOAD_BYTES, max_side: int = MAX_SIDE
) -> ContentFile:
    """Return a re-encoded copy of an uploaded image (JPEG, or PNG when it has transparency).

    Raises `Invalid(field=field)` with a sentence for: too large a file, not an image, a format
    other than JPEG/PNG/WebP, or too many pixels.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        raise Invalid(
            _("The photo is too large (%(size)d MB); the limit is %(limit)d MB.")
            % {"size": -(-size // (1024 * 1024)), "limit": max_bytes // (1024 * 1024)},
            field=field,
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(_("This file is not an image we can read; send a JPEG, PNG or WebP photo."),
                      field=field)
    if fmt not in ALLOWED_FORMATS:
        raise Invalid(_("Photos must be JPEG, PNG or WebP."), field=field)
    if width * height > MAX_PIXELS:
        raise Invalid(_("The photo has too many pixels; send a smaller one."), field=field)

    upload.seek(0)  # verify() leaves the image unusable: open it again to decode
    try:
        with Image.open(upload) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation the camera meant
            has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
            img.thumbnail((max_side, max_side))
            out = io.BytesIO()
            if has_alpha:
                img.convert("RGBA").save(out, format="PNG", optimize=True)
                ext = "png"
            else:
                img.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
                ext = "jpg"
    except (OSError, ValueError, Image.DecompressionBombError):
        raise Invalid(_("This file is not an image we can read; send a JPEG, PNG or WebP photo."),
                      field=field)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}")
