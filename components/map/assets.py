"""The map's JavaScript, CSS and base-map data, served by the app itself so the map works offline.

The files come from the npm registry (``npm ci`` reads package.json) and are copied into
``static/vendor``, which Streamlit serves at ``/app/static/vendor`` when
``server.enableStaticServing`` is on; the offline base map's tiles are built there too (see
:mod:`components.map.basemap_build`). Neither folder is committed.
"""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

from components import PROJECT_ROOT

NODE_MODULES = PROJECT_ROOT / "node_modules"
STATIC_VENDOR = PROJECT_ROOT / "static" / "vendor"
STATIC_URL = "/app/static/vendor"

# npm package path -> path under static/vendor. A folder is copied whole.
VENDOR_FILES: dict[str, str] = {
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "topojson-client/dist/topojson-client.min.js": "topojson-client/topojson-client.min.js",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
}

LEAFLET_JS = f"{STATIC_URL}/leaflet/leaflet.js"
LEAFLET_CSS = f"{STATIC_URL}/leaflet/leaflet.css"
TOPOJSON_JS = f"{STATIC_URL}/topojson-client/topojson-client.min.js"
COUNTRIES_TOPOJSON = f"{STATIC_URL}/world-atlas/countries-50m.json"
BASEMAP_DIR = "basemap"
BASEMAP_URL = f"{STATIC_URL}/{BASEMAP_DIR}"
# Written last by the build: its presence means the base map is complete.
BASEMAP_INDEX = f"{BASEMAP_DIR}/index.json"
# The files' layout, written in the index: a build of an older layout is built again.
BASEMAP_LAYOUT = 2


def missing_assets(static_vendor: Path = STATIC_VENDOR) -> list[str]:
    """The vendor files the map needs that are not in place yet."""
    return [target for target in VENDOR_FILES.values() if not (static_vendor / target).exists()]


def basemap_installed(static_vendor: Path = STATIC_VENDOR) -> bool:
    """Whether the offline base map's land, regions and place names are built, in the layout
    this version reads."""
    index = static_vendor / BASEMAP_INDEX
    try:
        return _index_layout(index, index.stat().st_mtime_ns) == BASEMAP_LAYOUT
    except OSError:
        return False


@functools.lru_cache(maxsize=4)
def _index_layout(index: Path, _modified: int) -> object:
    """The layout an index names, read once per version of the file (the page asks each run)."""
    try:
        content = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return content.get("layout") if isinstance(content, dict) else None


def install_assets(
    node_modules: Path = NODE_MODULES, static_vendor: Path = STATIC_VENDOR
) -> list[Path]:
    """Copy the map's files from node_modules into the served folder; return what was copied."""
    absent = [name for name in VENDOR_FILES if not (node_modules / name).exists()]
    if absent:
        raise FileNotFoundError(
            f"{node_modules} lacks {', '.join(absent)}; run `npm ci` in the project folder first"
        )
    copied = []
    for name, target in VENDOR_FILES.items():
        source, destination = node_modules / name, static_vendor / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, destination)
        copied.append(destination)
    if not basemap_installed(static_vendor):
        # Imported here: building needs shapely and a few minutes, serving needs neither.
        from components.map.basemap_build import build_basemap

        copied += build_basemap(node_modules, static_vendor / BASEMAP_DIR)
    return copied
