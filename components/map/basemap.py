"""The base map: Leaflet served by the app, and the offline map of land, regions and places.

The browser code and its style are files in ``components/map/static``; they go into the map's
own script (st_folium runs that, while it drops scripts of the page's header), so the map
needs no other address than the app's own.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import ClassVar

import folium
from branca.element import MacroElement
from folium.template import Template

from components.map import assets
from components.map.settings import MAX_ZOOM, MIN_ZOOM

__all__ = ["OfflineMap", "base_map"]

STATIC = Path(__file__).parent / "static"


@functools.cache
def static_text(name: str) -> str:
    """A browser file of the map (JavaScript or CSS), read once."""
    return (STATIC / name).read_text(encoding="utf-8")


class OfflineMap(folium.Map):
    """A folium Map whose Leaflet files are served by the app instead of a CDN."""

    default_js: ClassVar = [("leaflet", assets.LEAFLET_JS)]
    default_css: ClassVar = [("leaflet_css", assets.LEAFLET_CSS)]


class OfflineBasemap(MacroElement):
    """Land, coasts, borders, regions and place names from the files built at set-up.

    With online tiles it lies under them and shows through, with a note, when they fail.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        {{ this.events_js }}
        {{ this.basemap_js }}
        strikemapFocusWithoutScrolling({{ this._parent.get_name() }});
        strikemapBasemap({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, *, online: bool) -> None:
        super().__init__()
        self._name = "OfflineBasemap"
        self.css = static_text("basemap.css")
        self.events_js = static_text("events.js")
        self.basemap_js = static_text("basemap.js")
        self.options = {"root": assets.BASEMAP_URL, "online": online}


def base_map(center: tuple[float, float], zoom: int, *, online_tiles: bool = False) -> folium.Map:
    """The map that stays the same while filters change, so zoom and position survive."""
    fmap = OfflineMap(
        location=list(center),
        zoom_start=zoom,
        tiles="OpenStreetMap" if online_tiles else None,
        max_zoom=MAX_ZOOM,
        min_zoom=MIN_ZOOM,
        control_scale=True,
        world_copy_jump=True,
    )
    OfflineBasemap(online=online_tiles).add_to(fmap)
    return fmap
