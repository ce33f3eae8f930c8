"""The choropleth SVG (analytics.methods.geo) and the committed city shapes."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.methods.cities import load_cities
from analytics.methods.geo import (
    NO_DATA,
    PALETTE,
    SHAPES_JSON,
    choropleth_svg,
    format_value,
    load_shapes,
    quantile_classes,
)

SVG = "{http://www.w3.org/2000/svg}"
CITIES = load_cities()
CODES = CITIES["adcode"].tolist()
NAMES = dict(zip(CITIES["adcode"], CITIES["name_zh"], strict=True))


def _paths(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {p.get("data-adcode"): p for p in root.iter(f"{SVG}path") if p.get("data-adcode")}


def test_the_shapes_file_covers_every_city_and_is_small():
    shapes = load_shapes()
    assert sorted(shapes["cities"]) == sorted(CODES)
    assert all(shapes["cities"][c].startswith("M") for c in CODES)
    assert shapes["undrawn"] == [] and shapes["viewBox"][2] == 1000
    assert len(shapes["provinces"]) == 34 and shapes["rest"].startswith("M")
    assert SHAPES_JSON.stat().st_size < 300_000  # a phone page, not a GIS file


def test_every_city_is_drawn_with_its_name_and_value():
    values = {c: i / 10 for i, c in enumerate(CODES)}
    svg = choropleth_svg(values, measure="Dist", names=NAMES)
    paths = _paths(svg)
    assert set(paths) == set(CODES)
    tip = paths["530100"].find(f"{SVG}title").text
    assert tip == f"昆明市: {format_value(values['530100'])}"
    assert ET.fromstring(svg).get("viewBox") == "0 0 1000 " + str(load_shapes()["viewBox"][3])


def test_no_data_is_grey_and_named_in_the_legend():
    values = {c: float(i) for i, c in enumerate(CODES[:100])}
    values[CODES[100]] = float("nan")
    values[CODES[101]] = None
    svg = choropleth_svg(values, measure="Dist", names=NAMES, no_data="无数据")
    paths = _paths(svg)
    for code in CODES[100:]:
        assert paths[code].get("fill") == NO_DATA
        assert paths[code].find(f"{SVG}title").text.endswith(": 无数据")
    assert all(paths[c].get("fill") in PALETTE for c in CODES[:100])
    legend = ET.fromstring(svg).find(f".//{SVG}g[@class='legend']")
    texts = [t.text for t in legend.iter(f"{SVG}text")]
    assert texts[0] == "Dist" and texts[-1] == "无数据" and len(texts) == 1 + 5 + 1


def test_fills_follow_the_classes_light_to_dark():
    values = {c: float(i) for i, c in enumerate(CODES)}
    paths = _paths(choropleth_svg(values, measure="x"))
    assert paths[CODES[0]].get("fill") == PALETTE[0]
    assert paths[CODES[-1]].get("fill") == PALETTE[-1]
    order = [PALETTE.index(paths[c].get("fill")) for c in CODES]
    assert order == sorted(order)  # values increase along CODES, so classes never go down


def test_values_and_words_are_escaped():
    evil = '<script>alert("x")</script> & co'
    svg = choropleth_svg({CODES[0]: 1.0}, measure=evil, title=evil,
                         names={CODES[0]: evil}, no_data=evil)
    ET.fromstring(svg)  # well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg


@given(st.lists(st.one_of(st.none(), st.just(math.nan),
                          st.floats(min_value=-1e9, max_value=1e9)), min_size=0, max_size=60))
def test_class_bounds_are_strictly_increasing_and_cover_the_values(xs):
    classes = quantile_classes(xs)
    finite = [x for x in xs if x is not None and math.isfinite(x)]
    if not finite:
        assert classes.bounds == () and classes.colour(1.0) == NO_DATA
        return
    b = classes.bounds
    assert len(classes.colours) == len(b) - 1 <= 5
    assert b[0] == min(finite) and b[-1] >= max(finite) - 1e-9 * max(1, abs(max(finite)))
    if len(b) > 2 or b[0] != b[1]:
        assert all(lo < hi for lo, hi in zip(b, b[1:], strict=False))
    assert all(classes.colour(x) in PALETTE for x in finite)
    assert classes.colour(None) == NO_DATA


def test_svg_is_well_formed_for_any_subset_and_draws_no_script():
    svg = choropleth_svg(dict.fromkeys(CODES[::7], 1.0), measure="m")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and not list(root.iter(f"{SVG}script"))
    # One class only (every value equal): every city with a value has the same colour.
    fills = {p.get("fill") for code, p in _paths(svg).items() if code in CODES[::7]}
    assert len(fills) == 1 and fills != {NO_DATA}


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (0.12345, "0.123"), (0.0012345, "0.00123"),
                                             (12.5, "12.5"), (3.14159, "3.14"), (120.0, "120"),
                                             (12345.6, "12,346"), (None, "")])
def test_format_value(value, text):
    assert format_value(value) == text


def test_path_data_is_compact_integers():
    d = load_shapes()["cities"]["530100"]
    assert re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", d)
