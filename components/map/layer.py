"""The events layer for one view of the map: its events, or grid cells when too many.

Report text never enters the map. A feature carries its event id, its style and a short
plain-text label, which the browser shows through ``textContent``, never as HTML. The
browser side is ``static/events.js``; the base map is :mod:`components.map.basemap`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.utilities import JsCode

from components.map.aggregate import aggregate_features
from components.map.basemap import OfflineMap, base_map
from components.map.bounds import (
    Bounds,
    bounds_from_map,
    data_bounds,
    events_in_bounds,
    initial_view,
    inside,
    map_bounds,
    mercator_x,
    mercator_y,
    widened,
)
from components.map.clicks import clicked_event_id, clicked_target, new_target
from components.map.features import event_features
from components.map.settings import (
    MAP_PIXELS,
    MAX_LAYER_BYTES,
    MAX_POINTS,
    MAX_ZOOM,
    VIEW_MARGIN,
)
from components.map.style import (
    AGGREGATE_FILL,
    APPROXIMATE_EXTRA_RADIUS,
    CONFIDENCE_COLOURS,
    SELECTED_OUTLINE,
    TYPE_COLOURS,
    UNKNOWN_TYPE_COLOUR,
    colours_for,
    legend_items,
    marker_radius,
    size_legend,
    type_colours,
)
from components.table import schema as s

# The map's other modules are re-exported: the page and the snapshot read them from here.
__all__ = [
    "AGGREGATE_FILL",
    "APPROXIMATE_EXTRA_RADIUS",
    "CONFIDENCE_COLOURS",
    "MAX_LAYER_BYTES",
    "MAX_POINTS",
    "SELECTED_OUTLINE",
    "TYPE_COLOURS",
    "UNKNOWN_TYPE_COLOUR",
    "Bounds",
    "OfflineMap",
    "ViewLayer",
    "base_map",
    "bounds_from_map",
    "clicked_event_id",
    "clicked_target",
    "colours_for",
    "data_bounds",
    "event_features",
    "event_layer",
    "events_in_bounds",
    "features_layer",
    "initial_view",
    "legend_items",
    "marker_radius",
    "new_target",
    "size_legend",
    "type_colours",
    "view_features",
    "view_layer",
]

# Defined in static/events.js, which the base map puts into the page.
_STYLE_EACH_FEATURE = JsCode("strikemapStyleEvent")


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
    return features_layer(event_features(events, selected_id, colours, colour_by=colour_by))


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
    """The layer for the part of the map in view: its events on a grid of cells.

    ``bounds`` and ``zoom`` are the view st_folium reports (its ``bounds`` dict is accepted as
    is); None means the whole world at zoom 2. Events a little beyond the view are included,
    so a small pan shows them at once. A grid cell of ``CELL_PIXELS`` on screen holding a few
    events draws them one by one, fanned apart when they would hide each other; one holding
    more becomes a circle sized and labelled by its number of events, which zooms in when
    clicked (see :func:`clicked_target`) to where its events are drawn one by one. At most
    ``max_points`` events are drawn one by one.
    """
    features, count, counted_cells = view_features(
        events,
        bounds=bounds,
        zoom=zoom,
        selected=selected,
        colours=colours,
        colour_by=colour_by,
        max_points=max_points,
    )
    text = _collection_json(features)
    mode = "aggregated" if counted_cells else "events"
    return ViewLayer(features_layer(features), mode, len(features), count, len(text))


def view_features(
    events: pd.DataFrame,
    *,
    bounds: Bounds | Mapping[str, Any] | None = None,
    zoom: int | None = None,
    selected: str | None = None,
    colours: Mapping[str, str] | None = None,
    colour_by: str = s.EVENT_TYPE,
    max_points: int = MAX_POINTS,
) -> tuple[list[dict[str, Any]], int, int]:
    """:func:`view_layer`'s features, the events in view and the cells counted."""
    zoom = 2 if zoom is None else int(min(max(zoom, 0), MAX_ZOOM))
    view = bounds if isinstance(bounds, Bounds) or bounds is None else map_bounds(bounds)
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)
    in_view = ~(np.isnan(latitude) | np.isnan(longitude))
    if view is not None:
        in_view &= inside(latitude, longitude, widened(view, VIEW_MARGIN))
    if colours is None:
        colours = colours_for(events[colour_by], colour_by)
    features, counted_cells = aggregate_features(
        events,
        in_view,
        zoom,
        selected,
        colours,
        colour_by,
        pixels=screen_pixels(view, zoom),
        max_points=max_points,
    )
    return features, int(in_view.sum()), counted_cells


def screen_pixels(view: Bounds | None, zoom: int) -> tuple[int, int]:
    """The map's size on screen, from the box it shows at ``zoom`` (the usual size when unknown)."""
    if view is None:
        return MAP_PIXELS
    scale = 256 * 2.0**zoom
    width = (mercator_x(view.east) - mercator_x(view.west)) * scale
    height = (mercator_y(view.south) - mercator_y(view.north)) * scale
    if not (width > 100 and height > 100):
        return MAP_PIXELS
    return int(min(width, 4000)), int(min(height, 4000))


def features_layer(features: list[dict[str, Any]]) -> folium.FeatureGroup:
    """The events layer drawn from features (whichever table or engine gave them)."""
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
