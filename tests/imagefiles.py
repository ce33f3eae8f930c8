"""Small image files made in memory for upload tests (nothing downloaded)."""

import io

from PIL import Image


def image_bytes(fmt: str = "JPEG", size=(800, 600), color=(200, 40, 40), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x0110] = "SecretCam 3000"   # Model
        data[0x0112] = 6                  # Orientation: rotate 90° clockwise to display
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


def bomb_png(side: int = 12_000) -> bytes:
    """A tiny PNG that claims side x side pixels (a decompression bomb), one colour."""
    image = Image.new("1", (side, side), 0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
