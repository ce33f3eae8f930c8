"""synergy.core.images: photos are validated, re-encoded without EXIF, and thumbnailed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from synergy.core.errors import Invalid
from synergy.core.images import MAX_BYTES, process_image
from tests.imagefiles import bomb_png, image_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_jpeg_is_reencoded_upright_without_exif_and_thumbnailed():
    result = process_image(_upload(image_bytes(size=(1200, 800), exif=True)), field="photo")
    full = Image.open(io.BytesIO(result.image.read()))
    thumb = Image.open(io.BytesIO(result.thumbnail.read()))
    assert full.format == "JPEG" and thumb.format == "JPEG"
    assert dict(full.getexif()) == {} and dict(thumb.getexif()) == {}
    # Orientation 6 was applied: the 1200x800 landscape is now an 800x1200 portrait.
    assert (result.width, result.height) == full.size == (800, 1200)
    assert max(thumb.size) == 400
    assert result.image.name.endswith(".jpg") and result.thumbnail.name.endswith("_thumb.jpg")


def test_large_picture_is_scaled_down():
    result = process_image(_upload(image_bytes(fmt="PNG", size=(3000, 1000)), name="a.png"))
    assert (result.width, result.height) == (1600, 533)


def test_transparent_png_is_flattened_onto_white():
    image = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = process_image(_upload(out.getvalue(), name="t.png"))
    assert Image.open(io.BytesIO(result.image.read())).getpixel((10, 10))[0] > 240


@pytest.mark.parametrize("data, expected", [
    (b"%PDF-1.4 definitely not a picture", "not one"),
    (b"", "empty"),
])
def test_non_images_are_refused_naming_the_field(data, expected):
    with pytest.raises(Invalid) as err:
        process_image(_upload(data, name="x.jpg"), field="cover")
    assert err.value.field == "cover"
    assert expected in err.value.message


def test_truncated_file_is_refused():
    data = image_bytes(size=(600, 400))
    with pytest.raises(Invalid) as err:
        process_image(_upload(data[: len(data) // 2]), field="photo")
    assert err.value.field == "photo"


def test_decompression_bomb_is_refused_before_decoding():
    data = bomb_png()
    assert len(data) < 100_000  # small on the wire, 144 million pixels once decoded
    with pytest.raises(Invalid) as err:
        process_image(_upload(data, name="bomb.png", content_type="image/png"))
    assert "pixels" in err.value.message


def test_oversized_file_is_refused():
    data = image_bytes() + b"\0" * MAX_BYTES
    with pytest.raises(Invalid) as err:
        process_image(_upload(data))
    assert "large" in err.value.message


def test_unsupported_format_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, format="BMP")
    with pytest.raises(Invalid):
        process_image(_upload(out.getvalue(), name="x.bmp"))
