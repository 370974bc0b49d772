"""What a click on the map asks for: an event's id, or a box of a grid cell to zoom to; and the
box the map will show once it has moved there."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from components.map.bounds import Bounds, is_number, mercator_x, mercator_y
from components.map.settings import CELL_PIXELS, MAX_ZOOM

__all__ = ["clicked_event_id", "clicked_target", "new_target", "on_grid", "view_box"]

_ON_EDGE = 1e-6  # of a cell's width


def clicked_event_id(map_state: Mapping[str, Any] | None) -> str | None:
    """The event id of the feature last clicked on the map, from st_folium's returned state."""
    event_id = _clicked_properties(map_state).get("event_id")
    return event_id if isinstance(event_id, str) else None


def clicked_target(map_state: Mapping[str, Any] | None) -> str | Bounds | None:
    """What the last click on the map asks for: an event's id, or a box to zoom to.

    A click on a grid cell (see :func:`view_layer`) answers the box of that cell's events
    with the zoom level to show it at, always deeper than the zoom the cell was drawn for.
    The browser (static/events.js) zooms there at once, to the box's middle (``Bounds.center``,
    the same arithmetic) at that zoom: the page moving the map there then finds it there.
    """
    event_id = clicked_event_id(map_state)
    if event_id is not None:
        return event_id
    properties = _clicked_properties(map_state)
    box, zoom = properties.get("zoom_to"), properties.get("zoom")
    if not (isinstance(box, list | tuple) and len(box) == 4 and is_number(zoom)):
        return None
    if not all(is_number(v) for v in box):
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


def _clicked_properties(map_state: Mapping[str, Any] | None) -> Mapping[str, Any]:
    drawing = (map_state or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") if isinstance(drawing, Mapping) else None
    return properties if isinstance(properties, Mapping) else {}


def view_box(center: tuple[float, float], zoom: int, pixels: tuple[int, int]) -> Bounds:
    """The box a map ``pixels`` wide and high shows around ``center`` at ``zoom``, as Leaflet
    works it out (the centre's Web Mercator point, half the map's size either way)."""
    scale = 256 * 2.0**zoom
    x, y = float(mercator_x(center[1])), float(mercator_y(center[0]))
    half_x, half_y = pixels[0] / 2 / scale, pixels[1] / 2 / scale
    return Bounds(
        _latitude(y + half_y),
        (x - half_x) * 360 - 180,
        _latitude(y - half_y),
        (x + half_x) * 360 - 180,
    )


def on_grid(view: Bounds, zoom: int) -> Bounds:
    """``view`` widened to the edges of the map's grid cells at ``zoom``: views a few pixels
    apart (a small pan, the view a move was expected to end at and the one the map reports)
    are then one view, answered once."""
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    # An edge a rounding error off a cell's edge is on it (so a view on the grid stays put).
    west = math.floor(float(mercator_x(view.west)) / cell + _ON_EDGE) * cell
    east = math.ceil(float(mercator_x(view.east)) / cell - _ON_EDGE) * cell
    top = math.floor(float(mercator_y(view.north)) / cell + _ON_EDGE) * cell
    bottom = math.ceil(float(mercator_y(view.south)) / cell - _ON_EDGE) * cell
    # Never narrower (the grid stops at ±85.05°, where Web Mercator does).
    return Bounds(
        min(view.south, _latitude(bottom)),
        min(view.west, west * 360 - 180),
        max(view.north, _latitude(top)),
        max(view.east, east * 360 - 180),
        view.zoom,
    )


def _latitude(y: float) -> float:
    """The latitude of Web Mercator y (world units)."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))
