"""The map: a constant offline base map, and one GeoJSON layer that carries the filtered events.

Report text never enters the map. A feature carries its event id, its style and a short
plain-text label, which the browser shows through ``textContent``, never as HTML.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import folium
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.utilities import JsCode

from components.map import assets
from components.table import schema as s
from components.view.detail import format_range
from components.view.filters import is_approximate, lowest_killed

__all__ = [
    "MAX_POINTS",
    "Bounds",
    "OfflineMap",
    "ViewLayer",
    "base_map",
    "bounds_from_map",
    "clicked_event_id",
    "clicked_target",
    "colours_for",
    "event_features",
    "event_layer",
    "events_in_bounds",
    "initial_view",
    "legend_items",
    "marker_radius",
    "new_target",
    "size_legend",
    "type_colours",
    "view_layer",
]

# ACLED's sub-event types of explosions/remote violence get fixed colours; others take the rest.
TYPE_COLOURS: dict[str, str] = {
    "Air/drone strike": "#d62728",
    "Shelling/artillery/missile attack": "#ff7f0e",
    "Remote explosive/landmine/IED": "#9467bd",
    "Grenade": "#8c564b",
    "Suicide bomb": "#e377c2",
    "Armed clash": "#1f77b4",
}
SPARE_COLOURS: tuple[str, ...] = (
    "#2ca02c",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)
UNKNOWN_TYPE_COLOUR = "#7f7f7f"
SELECTED_OUTLINE = "#000000"
SIZE_EXAMPLES: tuple[int | None, ...] = (None, 1, 10, 100, 1000)
APPROXIMATE_EXTRA_RADIUS = 3
# Confidence grades, weakest first, from pale to dark.
CONFIDENCE_COLOURS: dict[str, str] = dict(
    zip(s.CONFIDENCE_GRADES, ("#fdae61", "#abd9e9", "#4575b4", "#313695"), strict=True)
)
FIXED_COLOURS: dict[str, dict[str, str]] = {
    s.EVENT_TYPE: TYPE_COLOURS,
    s.CONFIDENCE: CONFIDENCE_COLOURS,
}

# Above this many events in view, the map shows grid cells with counts instead of events:
# one event is ~300 bytes of GeoJSON, so the page stays under ~2 MB, and Leaflet stays smooth.
MAX_POINTS = 5_000
MAX_LAYER_BYTES = 5_000_000
# A grid cell is this many screen pixels wide at the zoom it is drawn for.
CELL_PIXELS = 64
# How far beyond the visible map events are still sent, as a share of its width and height,
# so that a small pan shows events at once.
VIEW_MARGIN = 0.25
MAX_ZOOM = 18
# The size of the map on the page, for the zoom that fits an aggregate's events.
MAP_PIXELS = (700, 560)
AGGREGATE_FILL = "#2f4b7c"
# Events at exactly the same spot are drawn around it: a ring of this radius (pixels) for a
# few, a spiral for more.
SPREAD_PIXELS = 14
SPREAD_RING_MAX = 8
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

_STYLE_EACH_FEATURE = JsCode(
    """
    function (feature, layer) {
        const p = feature.properties;
        if (p.spread && layer.setLatLng) {
            // Drawn a few pixels away from its spot, at every zoom, so none hides another.
            const spot = L.latLng(p.lat, p.lng);
            let map = null;
            const place = function () {
                const point = map.project(spot).add(L.point(p.spread[0], p.spread[1]));
                layer.setLatLng(map.unproject(point));
            };
            layer.on("add", function () { map = layer._map; map.on("zoomend", place); place(); });
            layer.on("remove", function () { if (map) { map.off("zoomend", place); } map = null; });
        }
        if (layer.setStyle) {
            layer.setStyle({
                radius: p.radius, fillColor: p.fill, color: p.outline, weight: p.weight,
                fillOpacity: p.approximate ? 0.15 : 0.7, opacity: 0.9,
                dashArray: p.approximate ? "3 3" : null
            });
        }
        layer.bindTooltip(function () {
            const label = document.createElement("div");
            label.textContent = p.label;
            return label;
        });
    }
    """
)


class OfflineMap(folium.Map):
    """A folium Map whose Leaflet files are served by the app instead of a CDN."""

    default_js: ClassVar = [("leaflet", assets.LEAFLET_JS)]
    default_css: ClassVar = [("leaflet_css", assets.LEAFLET_CSS)]


class CountryOutlines(JSCSSMixin, MacroElement):
    """Natural Earth country outlines (npm world-atlas) drawn under the events, offline."""

    default_js: ClassVar = [("topojson_client", assets.TOPOJSON_JS)]
    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            const pane = map.createPane("outlines");
            pane.style.zIndex = 350;
            pane.style.pointerEvents = "none";
            fetch({{ this.url|tojson }})
                .then((response) => response.json())
                .then((topology) => {
                    L.geoJSON(topojson.feature(topology, topology.objects.countries), {
                        pane: "outlines",
                        interactive: false,
                        style: {color: "#8a8a8a", weight: 0.8, fillColor: "#f2efe9",
                                fillOpacity: 1}
                    }).addTo(map);
                });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str = assets.COUNTRIES_TOPOJSON) -> None:
        super().__init__()
        self._name = "CountryOutlines"
        self.url = url


class FocusWithoutScrolling(MacroElement):
    """Let the map take keyboard focus on a click without scrolling the page.

    Leaflet focuses the map on mouse down. When the map's frame is only partly on screen,
    the browser then scrolls the page between mouse down and mouse up, and the click on a
    marker is lost. The same focus with ``preventScroll`` keeps keyboard panning and clicks.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (keyboard) {
            if (!keyboard) { return; }
            keyboard.disable();
            keyboard._onMouseDown = function () {
                if (!this._focused) { this._map._container.focus({preventScroll: true}); }
            };
            keyboard.enable();
        })({{ this._parent.get_name() }}.keyboard);
        {% endmacro %}
        """
    )


def base_map(center: tuple[float, float], zoom: int, *, online_tiles: bool = False) -> folium.Map:
    """The map that stays the same while filters change, so zoom and position survive."""
    fmap = OfflineMap(
        location=list(center),
        zoom_start=zoom,
        tiles="OpenStreetMap" if online_tiles else None,
        max_zoom=18,
        min_zoom=1,
        control_scale=True,
        world_copy_jump=True,
    )
    FocusWithoutScrolling().add_to(fmap)
    if not online_tiles:
        fmap.get_root().header.add_child(
            folium.Element("<style>.leaflet-container{background:#c9dbe6}</style>")
        )
        CountryOutlines().add_to(fmap)
    return fmap


def event_layer(
    events: pd.DataFrame,
    selected_id: str | None = None,
    colours: Mapping[str, str] | None = None,
    *,
    colour_by: str = s.EVENT_TYPE,
) -> folium.FeatureGroup:
    """All events with coordinates as one GeoJSON layer (one folium object, whatever the count).

    Pass ``colours`` from :func:`colours_for` of the whole table so that a value keeps its
    colour while filters change. For large tables use :func:`view_layer`.
    """
    return _layer(event_features(events, selected_id, colours, colour_by=colour_by))


@dataclass(frozen=True)
class Bounds:
    """A box on the map in degrees, and the zoom level to show it at (when known)."""

    south: float
    west: float
    north: float
    east: float
    zoom: int | None = None

    @property
    def center(self) -> tuple[float, float]:
        return (self.south + self.north) / 2, (self.west + self.east) / 2

    def fitting_zoom(self, pixels: tuple[int, int] = MAP_PIXELS) -> int:
        """The largest zoom level at which the whole box fits a map of ``pixels``."""
        width = max(_mercator_x(self.east) - _mercator_x(self.west), 1e-9)
        height = max(_mercator_y(self.south) - _mercator_y(self.north), 1e-9)
        scale = min(pixels[0] / (256 * width), pixels[1] / (256 * height))
        return int(min(MAX_ZOOM, max(0, math.floor(math.log2(scale)))))


@dataclass(frozen=True)
class ViewLayer:
    """The layer for one view of the map, and what it holds."""

    layer: folium.FeatureGroup
    mode: str  # "events" or "aggregated"
    features: int
    events_in_view: int
    bytes: int


def view_layer(
    events: pd.DataFrame,
    *,
    bounds: Bounds | Mapping[str, Any] | None = None,
    zoom: int | None = None,
    selected: str | None = None,
    colours: Mapping[str, str] | None = None,
    colour_by: str = s.EVENT_TYPE,
    max_points: int = MAX_POINTS,
) -> ViewLayer:
    """The layer for the part of the map in view: its events, or grid cells when too many.

    ``bounds`` and ``zoom`` are the view st_folium reports (its ``bounds`` dict is accepted as
    is); None means the whole world at zoom 2. Events a little beyond the view are included,
    so a small pan shows them at once. When more than ``max_points`` events are in view, each
    grid cell of ``CELL_PIXELS`` on screen becomes one circle sized by its number of events,
    labelled with that number and the killed total, that zooms in when clicked (see
    :func:`clicked_target`); a cell holding a single event shows that event.
    """
    zoom = 2 if zoom is None else int(min(max(zoom, 0), MAX_ZOOM))
    view = bounds if isinstance(bounds, Bounds) or bounds is None else _map_bounds(bounds)
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)
    in_view = ~(np.isnan(latitude) | np.isnan(longitude))
    if view is not None:
        in_view &= _inside(latitude, longitude, _widened(view, VIEW_MARGIN))
    count = int(in_view.sum())
    if colours is None:
        colours = colours_for(events[colour_by], colour_by)
    if count <= max_points:
        shown = events.iloc[np.flatnonzero(in_view)]
        features = event_features(shown, selected, colours, colour_by=colour_by)
        text = _collection_json(features)
        if len(text) <= MAX_LAYER_BYTES:
            return ViewLayer(_layer(features), "events", len(features), count, len(text))
    features = _aggregate_features(events, in_view, zoom, selected, colours, colour_by)
    text = _collection_json(features)
    return ViewLayer(_layer(features), "aggregated", len(features), count, len(text))


def event_features(
    events: pd.DataFrame,
    selected_id: str | None = None,
    colours: Mapping[str, str] | None = None,
    *,
    colour_by: str = s.EVENT_TYPE,
) -> list[dict[str, Any]]:
    """GeoJSON point features for the events that have coordinates, smallest drawn last.

    Events at exactly the same spot keep their coordinates and carry a ``spread`` offset in
    pixels, which the map uses to draw them around the spot; their label says how many share it.
    """
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    if placed.empty:
        return []
    if colours is None:
        colours = colours_for(events[colour_by], colour_by)
    approximate = is_approximate(placed).to_numpy()
    killed = lowest_killed(placed).to_numpy(dtype="float64", na_value=np.nan)
    radius = _marker_radii(killed) + np.where(approximate, APPROXIMATE_EXTRA_RADIUS, 0)
    ids = placed[s.EVENT_ID].astype(str).to_numpy()
    selected = ids == selected_id
    fills = placed[colour_by].map(colours).fillna(UNKNOWN_TYPE_COLOUR).astype(str).to_numpy()
    outline = np.where(selected, SELECTED_OUTLINE, np.where(approximate, fills, "#ffffff"))
    weight = np.where(selected, 3, np.where(approximate, 2, 1))
    labels = _labels(placed) + np.where(approximate, " · approximate", "")
    latitude = placed[s.LATITUDE].to_numpy(dtype="float64").round(6)
    longitude = placed[s.LONGITUDE].to_numpy(dtype="float64").round(6)
    spread, sharing = _spread(latitude, longitude)
    shared = sharing > 1
    labels[shared] = _counted(sharing[shared], "event") + " at this spot · " + labels[shared]
    order = np.argsort(-radius, kind="stable")
    features = []
    for i in order.tolist():
        properties = {
            "event_id": ids[i],
            "fill": fills[i],
            "radius": int(radius[i]),
            "outline": str(outline[i]),
            "weight": int(weight[i]),
            "approximate": bool(approximate[i]),
            "label": str(labels[i]),
        }
        if sharing[i] > 1:
            properties.update(
                lat=float(latitude[i]), lng=float(longitude[i]), spread=spread[i].tolist()
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude[i], latitude[i]]},
                "properties": properties,
            }
        )
    return features


def events_in_bounds(events: pd.DataFrame, bounds: Bounds) -> pd.DataFrame:
    """The placed events inside ``bounds`` (edges included), e.g. those of a clicked aggregate."""
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)
    return events[_inside(latitude, longitude, bounds)]


def bounds_from_map(map_state: Mapping[str, Any] | None) -> Bounds | None:
    """The view st_folium reports (its ``bounds`` and ``zoom``), or None when it reports none."""
    state = map_state or {}
    view = _map_bounds(state.get("bounds"))
    zoom = state.get("zoom")
    if view is None:
        return None
    if isinstance(zoom, int | float) and not isinstance(zoom, bool) and math.isfinite(zoom):
        return Bounds(view.south, view.west, view.north, view.east, int(zoom))
    return view


def colours_for(values: pd.Series, column: str = s.EVENT_TYPE) -> dict[str, str]:
    """A stable colour for each value of ``column`` present: fixed ones first, then spares."""
    fixed = FIXED_COLOURS.get(column, {})
    colours: dict[str, str] = {}
    spare = iter(SPARE_COLOURS)
    for value in sorted(str(v) for v in values.dropna().unique()):
        colours[value] = fixed.get(value) or next(spare, UNKNOWN_TYPE_COLOUR)
    return colours


def type_colours(event_types: pd.Series) -> dict[str, str]:
    """A stable colour for each event type present: fixed ones first, then the spare palette."""
    return colours_for(event_types, s.EVENT_TYPE)


def legend_items(events: pd.DataFrame, colour_by: str = s.EVENT_TYPE) -> list[tuple[str, str]]:
    """(value, colour) for each value of the colour column in the events, for the legend."""
    empty = "(no type)" if colour_by == s.EVENT_TYPE else "(none)"
    return [(v or empty, c) for v, c in colours_for(events[colour_by], colour_by).items()]


def size_legend() -> list[tuple[str, int]]:
    """(label, radius) examples for the size legend."""
    return [
        ("killed not reported" if k is None else f"{k:,} killed", marker_radius(k))
        for k in SIZE_EXAMPLES
    ]


def marker_radius(killed: float | int | None) -> int:
    """Radius in pixels: area grows with the killed figure, on a log scale so 1,000 stays usable."""
    if killed is None or pd.isna(killed):
        return 5
    return 6 + round(3 * math.log10(1 + max(killed, 0)) ** 1.3)


def initial_view(events: pd.DataFrame) -> tuple[tuple[float, float], int]:
    """A centre and zoom level that show every placed event."""
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    if placed.empty:
        return (30.0, 20.0), 2
    lat_min, lat_max = placed[s.LATITUDE].min(), placed[s.LATITUDE].max()
    lon_min, lon_max = placed[s.LONGITUDE].min(), placed[s.LONGITUDE].max()
    # At least a few degrees across, so a lone event is shown among its neighbours.
    span = max(lat_max - lat_min, lon_max - lon_min, 4.0)
    zoom = max(2, min(10, int(math.log2(360 / span)) - 1))
    return ((lat_min + lat_max) / 2, (lon_min + lon_max) / 2), zoom


def clicked_event_id(map_state: Mapping[str, Any] | None) -> str | None:
    """The event id of the feature last clicked on the map, from st_folium's returned state."""
    event_id = _clicked_properties(map_state).get("event_id")
    return event_id if isinstance(event_id, str) else None


def clicked_target(map_state: Mapping[str, Any] | None) -> str | Bounds | None:
    """What the last click on the map asks for: an event's id, or a box to zoom to.

    A click on a grid cell (see :func:`view_layer`) answers the box of that cell's events
    with the zoom level to show it at, always deeper than the zoom the cell was drawn for.
    """
    event_id = clicked_event_id(map_state)
    if event_id is not None:
        return event_id
    properties = _clicked_properties(map_state)
    box, zoom = properties.get("zoom_to"), properties.get("zoom")
    if not (isinstance(box, list | tuple) and len(box) == 4 and _is_number(zoom)):
        return None
    if not all(_is_number(v) for v in box):
        return None
    south, west, north, east = (float(v) for v in box)
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        return None
    return Bounds(south, west, north, east, int(min(max(zoom, 0), MAX_ZOOM)))


def new_target(
    map_state: Mapping[str, Any] | None, seen: tuple[Any, ...] | None
) -> tuple[str | Bounds | None, tuple[Any, ...] | None]:
    """What a click not handled yet asks for (else None), and the signature to remember.

    st_folium keeps returning the last click on every rerun; its click counter changes with
    each new click, so (target, counter) tells a new click from one already handled. The
    target is an event id, or a box to zoom to for a grid cell.
    """
    target = clicked_target(map_state)
    if target is None:
        return None, seen
    signature = (target, (map_state or {}).get("last_object_clicked_count"))
    return (target if signature != seen else None), signature


# ---------------------------------------------------------------------------------------
# Helpers


def _layer(features: list[dict[str, Any]]) -> folium.FeatureGroup:
    layer = folium.FeatureGroup(name="Events")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="events",
        marker=folium.CircleMarker(radius=6, fill=True),
        on_each_feature=_STYLE_EACH_FEATURE,
    ).add_to(layer)
    return layer


def _collection_json(features: list[dict[str, Any]]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


def _clicked_properties(map_state: Mapping[str, Any] | None) -> Mapping[str, Any]:
    drawing = (map_state or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    return properties if isinstance(properties, Mapping) else {}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _map_bounds(bounds: object) -> Bounds | None:
    """st_folium's ``{"_southWest": {"lat", "lng"}, "_northEast": {...}}`` as Bounds."""
    if not isinstance(bounds, Mapping):
        return None
    south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
    if not (isinstance(south_west, Mapping) and isinstance(north_east, Mapping)):
        return None
    values = [south_west.get("lat"), south_west.get("lng"), north_east.get("lat")]
    values.append(north_east.get("lng"))
    if not all(_is_number(v) for v in values):
        return None
    south, west, north, east = (float(v) for v in values)
    return Bounds(min(south, north), west, max(south, north), max(west, east))


def _widened(view: Bounds, margin: float) -> Bounds:
    height, width = view.north - view.south, view.east - view.west
    return Bounds(
        max(-90.0, view.south - margin * height),
        view.west - margin * width,
        min(90.0, view.north + margin * height),
        view.east + margin * width,
    )


def _inside(latitude: np.ndarray, longitude: np.ndarray, view: Bounds) -> np.ndarray:
    """Points inside ``view``; its longitudes may run past ±180 (Leaflet's world copies)."""
    inside = (latitude >= view.south) & (latitude <= view.north)
    if view.east - view.west >= 360:
        return inside
    west = view.west if -180 <= view.west <= 180 else (view.west + 180) % 360 - 180
    east = west + (view.east - view.west)
    if east <= 180:
        return inside & (longitude >= west) & (longitude <= east)
    return inside & ((longitude >= west) | (longitude <= east - 360))


def _mercator_x(longitude: Any) -> Any:
    """Web Mercator x in world units: 0 at 180° W, 1 at 180° E."""
    return (np.asarray(longitude, dtype="float64") + 180) / 360


def _mercator_y(latitude: Any) -> Any:
    """Web Mercator y in world units: 0 at the top of the map, 1 at the bottom."""
    radians = np.radians(np.clip(np.asarray(latitude, dtype="float64"), -85.05, 85.05))
    return 0.5 - np.log(np.tan(np.pi / 4 + radians / 2)) / (2 * np.pi)


def _aggregate_features(
    events: pd.DataFrame,
    in_view: np.ndarray,
    zoom: int,
    selected: str | None,
    colours: Mapping[str, str],
    colour_by: str,
) -> list[dict[str, Any]]:
    """One circle per grid cell in view; a cell holding one event shows that event instead."""
    rows = np.flatnonzero(in_view)
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    killed = lowest_killed(events).to_numpy(dtype="float64", na_value=np.nan)[rows]
    x, y = _mercator_x(longitude), _mercator_y(latitude)
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    while True:
        key = np.floor(x / cell).astype("int64") * (1 << 32) + np.floor(y / cell).astype("int64")
        codes, distinct = pd.factorize(key)
        if len(distinct) <= 4 * MAX_POINTS // 10:
            break
        cell *= 2
    count = np.bincount(codes, minlength=len(distinct))
    cells = pd.DataFrame(
        {
            "code": codes,
            "latitude": latitude,
            "longitude": longitude,
            "killed": np.nan_to_num(killed),
            "unknown": np.isnan(killed),
        }
    ).groupby("code", sort=True)
    mean = cells[["latitude", "longitude"]].mean().to_numpy()
    low = cells[["latitude", "longitude"]].min().to_numpy()
    high = cells[["latitude", "longitude"]].max().to_numpy()
    killed_total = cells["killed"].sum().to_numpy().astype("int64")
    unknown = cells["unknown"].sum().to_numpy().astype("int64")
    lone = count == 1
    features = event_features(
        events.iloc[rows[lone[codes]]], selected, colours, colour_by=colour_by
    )
    drawn_zoom = math.log2(CELL_PIXELS / (256 * cell))
    for i in np.flatnonzero(~lone).tolist():
        box = Bounds(low[i, 0], low[i, 1], high[i, 0], high[i, 1])
        target = min(MAX_ZOOM, max(math.floor(drawn_zoom) + 1, box.fitting_zoom()))
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(mean[i, 1], 5), round(mean[i, 0], 5)],
                },
                "properties": {
                    "fill": AGGREGATE_FILL,
                    "radius": _cell_radius(int(count[i])),
                    "outline": "#ffffff",
                    "weight": 2,
                    "approximate": False,
                    "count": int(count[i]),
                    "killed": int(killed_total[i]),
                    "zoom_to": [
                        round(float(v), 5) for v in (box.south, box.west, box.north, box.east)
                    ],
                    "zoom": int(target),
                    "label": _cell_label(int(count[i]), int(killed_total[i]), int(unknown[i])),
                },
            }
        )
    return features


def _cell_radius(count: int) -> float:
    """Radius in pixels of a grid cell's circle: grows with the log of its number of events."""
    return round(8 + 4 * math.log10(max(count, 1)), 1)


def _cell_label(count: int, killed: int, unknown: int) -> str:
    if unknown == count:
        killed_text = "no killed figure reported"
    else:
        killed_text = f"{killed:,} killed (lowest reported figures"
        killed_text += f"; {_counted(unknown, 'event')} report none)" if unknown else ")"
    return f"{count:,} events here · {killed_text} · click to zoom in"


def _counted(count: Any, word: str) -> Any:
    """'1 event', '2 events'; for one number or for an array of them."""
    if np.ndim(count) == 0:
        return f"{int(count):,} {word}{'' if count == 1 else 's'}"
    return np.array([_counted(c, word) for c in np.asarray(count).tolist()], dtype=object)


def _marker_radii(killed: np.ndarray) -> np.ndarray:
    """:func:`marker_radius` for an array of killed figures (NaN: not reported)."""
    grown = 6 + np.round(3 * np.log10(1 + np.maximum(np.nan_to_num(killed), 0)) ** 1.3)
    return np.where(np.isnan(killed), 5, grown).astype("int64")


def _labels(events: pd.DataFrame) -> np.ndarray:
    """Short plain-text hover labels: date, type, place and killed."""
    start = events[s.DATE_START].dt.strftime("%Y-%m-%d").fillna("")
    low, high = events[s.KILLED_MIN], events[s.KILLED_MAX]
    reported = (low.notna() | high.notna()).to_numpy()
    killed = np.full(len(events), "", dtype=object)
    killed[reported] = [
        f"{format_range(a, b)} killed"
        for a, b in zip(low[reported].tolist(), high[reported].tolist(), strict=True)
    ]
    parts = [
        start.astype(str).to_numpy(dtype=object),
        events[s.EVENT_TYPE].fillna("").astype(str).to_numpy(dtype=object),
        events[s.LOCATION].fillna("").astype(str).to_numpy(dtype=object),
        killed,
    ]
    label = parts[0]
    for part in parts[1:]:
        joiner = np.where((label != "") & (part != ""), " · ", "")
        label = label + joiner + part
    return label


def _spread(latitude: np.ndarray, longitude: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets that put events at one spot around it, and how many share each spot."""
    spots = pd.DataFrame({"latitude": latitude, "longitude": longitude}).groupby(
        ["latitude", "longitude"], sort=False
    )
    rank = spots.cumcount().to_numpy()
    sharing = spots["latitude"].transform("size").to_numpy()
    ring = sharing <= SPREAD_RING_MAX
    angle = np.where(ring, 2 * np.pi * rank / sharing - np.pi / 2, rank * _GOLDEN_ANGLE)
    distance = np.where(ring, SPREAD_PIXELS, 0.7 * SPREAD_PIXELS * np.sqrt(rank + 1))
    offsets = np.column_stack([distance * np.cos(angle), distance * np.sin(angle)]).round(1)
    return offsets, sharing
