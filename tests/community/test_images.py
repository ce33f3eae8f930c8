"""synergy.core.images.image_clean: type and size limits, EXIF stripped, re-encoded."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from synergy.core.errors import Invalid
from synergy.core.images import image_clean
from tests.community.conftest import make_jpeg


def _png(mode="RGBA", size=(20, 20)):
    buf = io.BytesIO()
    Image.new(mode, size, (10, 20, 30, 128) if mode == "RGBA" else (10, 20, 30)).save(buf, "PNG")
    return SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")


def test_exif_and_gps_are_stripped():
    upload = make_jpeg()
    assert b"SpyPhone" in upload.read()
    cleaned = image_clean(upload)
    data = cleaned.read()
    assert b"SpyPhone" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and not img.getexif()
        assert img.size == (64, 48)
    assert cleaned.name.endswith(".jpg") and cleaned.name != "leak.jpg"


def test_transparent_png_becomes_a_jpeg_on_white():
    cleaned = image_clean(_png())
    with Image.open(io.BytesIO(cleaned.read())) as img:
        assert img.format == "JPEG" and img.mode == "RGB"


def test_large_photo_is_scaled_down():
    cleaned = image_clean(make_jpeg(size=(3000, 1500), exif=False), max_side=1000)
    with Image.open(io.BytesIO(cleaned.read())) as img:
        assert img.size == (1000, 500)


def test_too_many_bytes_refused():
    with pytest.raises(Invalid, match="too large") as info:
        image_clean(make_jpeg(), max_bytes=100)
    assert info.value.field == "photo"


def test_not_an_image_refused():
    with pytest.raises(Invalid, match="this file is not one"):
        image_clean(SimpleUploadedFile("x.jpg", b"GIF89a not really", content_type="image/jpeg"))


def test_other_formats_refused():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "BMP")
    with pytest.raises(Invalid, match="JPEG, PNG, WebP or GIF") as info:
        image_clean(SimpleUploadedFile("x.bmp", buf.getvalue()), field="photos")
    assert info.value.field == "photos"


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr("synergy.core.images.MAX_PIXELS", 100)
    with pytest.raises(Invalid, match="too many pixels"):
        image_clean(make_jpeg(size=(20, 20), exif=False))
