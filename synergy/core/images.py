"""Uploaded photos: validate with Pillow, re-encode without EXIF, make a thumbnail.

`process_image(upload, field="photo")` returns a `ProcessedImage` with two JPEG `ContentFile`s
(the photo, at most `max_side` pixels on its long side, and a thumbnail), or raises
`synergy.core.errors.Invalid` naming `field` (the API maps it to a 400 with that field's error).

Rules: at most `max_bytes` on the wire; only JPEG, PNG, WebP or GIF; at most `max_pixels`
pixels (decompression bombs are refused before their pixels are decoded); a truncated or corrupt
file is refused. The photo is turned upright (EXIF orientation), then written anew, so no EXIF
(GPS, camera serial, ...) survives. Call it *before* opening a transaction: resizing is slow.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from synergy.core.errors import Invalid

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_BYTES = 8 * 1024 * 1024  # a phone camera photo fits; the proxy caps bodies a little above
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
THUMB_SIDE = 400


class CleanImage(ContentFile):
    """A photo made by `process_image`: a JPEG written anew, with no metadata. Forms and
    serializers clean an upload into one (so the error is shown on the field); the service then
    calls `image_clean` again, which passes a `CleanImage` through untouched, so the rule holds
    whoever calls the service, without re-encoding twice."""


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _read(upload, max_bytes: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise Invalid(_("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 2**20},
                      field=field)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Invalid(_("The file is too large (at most %(mb)s MB).") % {"mb": max_bytes // 2**20},
                      field=field)
    if not data:
        raise Invalid(_("The file is empty."), field=field)
    return data


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No `exif=` argument: the new file carries no metadata at all.
    image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def process_image(
    upload, *, field: str = "photo", max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
    max_side: int = MAX_SIDE, thumb_side: int = THUMB_SIDE,
) -> ProcessedImage:
    data = _read(upload, max_bytes, field)
    not_an_image = _("Upload a photo (JPEG, PNG, WebP or GIF); this file is not one.")
    fmt = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in ALLOWED_FORMATS:
                    raise Invalid(not_an_image, field=field)
                if width * height > max_pixels or width < 1 or height < 1:
                    raise Invalid(_("The picture has too many pixels (at most %(mp)s million).")
                                  % {"mp": max_pixels // 1_000_000}, field=field)
                probe.verify()
            # verify() leaves the image unusable; open again and decode every pixel, which
            # raises on a truncated file (ImageFile.LOAD_TRUNCATED_IMAGES stays False).
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
                    rgba = image.convert("RGBA")
                    flat = Image.new("RGB", rgba.size, (255, 255, 255))
                    flat.paste(rgba, mask=rgba.getchannel("A"))
                    image = flat
                else:
                    image = image.convert("RGB")
                image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                thumb = image.copy()
                thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.LANCZOS)
                full_bytes, thumb_bytes = _encode(image), _encode(thumb)
                size = image.size
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(_("The picture has too many pixels (at most %(mp)s million).")
                      % {"mp": max_pixels // 1_000_000}, field=field) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise Invalid(not_an_image if fmt is None
                      else _("The picture is damaged or incomplete."), field=field) from None
    stem = uuid.uuid4().hex
    return ProcessedImage(
        image=CleanImage(full_bytes, name=f"{stem}.jpg"),
        thumbnail=CleanImage(thumb_bytes, name=f"{stem}_thumb.jpg"),
        width=size[0], height=size[1],
    )


def image_clean(upload, *, field: str = "photo", max_bytes: int = MAX_BYTES, max_side: int = MAX_SIDE
                ) -> CleanImage:
    """The re-encoded photo alone, for records that keep no thumbnail (repair tickets, housing,
    spending receipts). An upload that is already a `CleanImage` is returned as it is."""
    if isinstance(upload, CleanImage):
        return upload
    return process_image(upload, field=field, max_bytes=max_bytes, max_side=max_side,
                         max_pixels=MAX_PIXELS).image
