"""Draw the app icons (the favicon's two rings) once with Pillow; the PNGs are committed.

    .venv/bin/python scripts/make_icons.py

Writes static/img/icon-192.png, icon-512.png, icon-maskable-512.png (the rings inside the
maskable safe zone, a circle of 80% of the side, on a full green ground) and
apple-touch-icon.png (180 px, opaque: iOS fills transparency with black).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
GREEN, AMBER, PAPER = (47, 111, 79, 255), (200, 135, 43, 217), (246, 248, 246, 255)
SCALE = 4  # draw large, then shrink: smooth edges without antialiasing support in ImageDraw


def _rings(size: int, *, ground, inset: float) -> Image.Image:
    big = size * SCALE
    img = Image.new("RGBA", (big, big), ground)
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    # The favicon's geometry (32-unit box: circles r=9 at x=11 and x=21, y=16), fitted into
    # the box left after `inset` on each side.
    box = big * (1 - 2 * inset)
    unit, off = box / 32, big * inset
    for cx, colour in ((11, GREEN if ground != GREEN else PAPER), (21, AMBER)):
        r = 9 * unit
        x, y = off + cx * unit, off + 16 * unit
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    img = Image.alpha_composite(img, layer)
    return img.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        _rings(size, ground=PAPER, inset=0.04).save(OUT / f"icon-{size}.png", optimize=True)
    _rings(512, ground=GREEN, inset=0.16).save(OUT / "icon-maskable-512.png", optimize=True)
    _rings(180, ground=PAPER, inset=0.08).convert("RGB").save(OUT / "apple-touch-icon.png",
                                                              optimize=True)


if __name__ == "__main__":
    main()
