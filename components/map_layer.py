"""The map: a constant offline base map, and one GeoJSON layer that carries the filtered events.

Report text never enters the map. A feature carries its event id, its style and a short
plain-text label, which the browser shows through ``textContent``, never as HTML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

import folium
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from folium.utilities import JsCode

from components import assets
from components import schema as s
from components.detail import format_range
from components.filters import is_approximate, lowest_killed

__all__ = [
    "OfflineMap",
    "base_map",
    "clicked_event_id",
    "event_features",
    "event_layer",
    "initial_view",
    "legend_items",
    "marker_radius",
    "new_click",
    "size_legend",
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

_STYLE_EACH_FEATURE = JsCode(
    """
    function (feature, layer) {
        const p = feature.properties;
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
) -> folium.FeatureGroup:
    """All events with coordinates as one GeoJSON layer (one folium object, whatever the count).

    Pass ``colours`` from :func:`type_colours` of the whole table so that a type keeps its
    colour while filters change.
    """
    features = event_features(events, selected_id, colours)
    layer = folium.FeatureGroup(name="Events")
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="events",
        marker=folium.CircleMarker(radius=6, fill=True),
        on_each_feature=_STYLE_EACH_FEATURE,
    ).add_to(layer)
    return layer


def event_features(
    events: pd.DataFrame,
    selected_id: str | None = None,
    colours: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """GeoJSON point features for the events that have coordinates, smallest drawn last."""
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    if colours is None:
        colours = type_colours(events[s.EVENT_TYPE])
    approximate = is_approximate(placed)
    radius = [
        marker_radius(k) + (APPROXIMATE_EXTRA_RADIUS if rough else 0)
        for k, rough in zip(lowest_killed(placed), approximate, strict=True)
    ]
    placed = placed.assign(marker_radius=radius, approximate=approximate).sort_values(
        "marker_radius", ascending=False, kind="stable"
    )
    features = []
    for row in placed.itertuples(index=False):
        event_id = getattr(row, s.EVENT_ID)
        selected = event_id == selected_id
        fill = colours.get(getattr(row, s.EVENT_TYPE), UNKNOWN_TYPE_COLOUR)
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(getattr(row, s.LONGITUDE), 6),
                        round(getattr(row, s.LATITUDE), 6),
                    ],
                },
                "properties": {
                    "event_id": event_id,
                    "fill": fill,
                    "radius": row.marker_radius,
                    "outline": SELECTED_OUTLINE
                    if selected
                    else (fill if row.approximate else "#ffffff"),
                    "weight": 3 if selected else (2 if row.approximate else 1),
                    "approximate": bool(row.approximate),
                    "label": _label(row) + (" · approximate" if row.approximate else ""),
                },
            }
        )
    return features


def type_colours(event_types: pd.Series) -> dict[str, str]:
    """A stable colour for each event type present: fixed ones first, then the spare palette."""
    colours: dict[str, str] = {}
    spare = iter(SPARE_COLOURS)
    for event_type in sorted(set(event_types.dropna())):
        colours[event_type] = TYPE_COLOURS.get(event_type) or next(spare, UNKNOWN_TYPE_COLOUR)
    return colours


def legend_items(events: pd.DataFrame) -> list[tuple[str, str]]:
    """(event type, colour) for each type in the events, for the legend."""
    return [(t or "(no type)", c) for t, c in type_colours(events[s.EVENT_TYPE]).items()]


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
    drawing = (map_state or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    if not isinstance(properties, Mapping):
        return None
    event_id = properties.get("event_id")
    return event_id if isinstance(event_id, str) else None


def _label(row: Any) -> str:
    """A short plain-text hover label: date, type, place and killed."""
    start = getattr(row, s.DATE_START)
    parts = [start.strftime("%Y-%m-%d") if not pd.isna(start) else "", getattr(row, s.EVENT_TYPE)]
    parts.append(getattr(row, s.LOCATION))
    low, high = getattr(row, s.KILLED_MIN), getattr(row, s.KILLED_MAX)
    if not pd.isna(low) or not pd.isna(high):
        parts.append(f"{format_range(low, high)} killed")
    return " · ".join(p for p in parts if p)


def new_click(
    map_state: Mapping[str, Any] | None, seen: tuple[Any, ...] | None
) -> tuple[str | None, tuple[Any, ...] | None]:
    """The event id of a click not handled yet (else None), and the signature to remember.

    st_folium keeps returning the last click on every rerun; its click counter changes with
    each new click, so (event id, counter) tells a new click from one already handled.
    """
    event_id = clicked_event_id(map_state)
    if event_id is None:
        return None, seen
    signature = (event_id, (map_state or {}).get("last_object_clicked_count"))
    return (event_id if signature != seen else None), signature
