"""What a click on the map asks for: an event's id, or a box of a grid cell to zoom to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from components.map.bounds import Bounds, is_number
from components.map.settings import MAX_ZOOM

__all__ = ["clicked_event_id", "clicked_target", "new_target"]


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
