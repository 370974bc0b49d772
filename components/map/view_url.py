"""The map's position in the page address, so that a shared link opens the same view.

A link is untrusted input: values that are not numbers, or fall outside the world, are
ignored and the map opens on its default view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from components.map.settings import MAX_ZOOM, MIN_ZOOM

__all__ = ["LAT_PARAM", "LNG_PARAM", "ZOOM_PARAM", "MapView", "view_from_map", "view_from_params"]

LAT_PARAM, LNG_PARAM, ZOOM_PARAM = "lat", "lng", "zoom"
# Five decimals are about a metre: enough to reopen a view, short enough to read in a link.
DECIMALS = 5


@dataclass(frozen=True)
class MapView:
    """Where the map looks: a centre in decimal degrees and a Leaflet zoom level."""

    lat: float
    lng: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        return self.lat, self.lng

    def as_params(self) -> dict[str, str]:
        """The query parameters that reopen this view."""
        return {
            LAT_PARAM: f"{self.lat:.{DECIMALS}f}",
            LNG_PARAM: f"{self.lng:.{DECIMALS}f}",
            ZOOM_PARAM: str(self.zoom),
        }


def view_from_params(params: Mapping[str, str]) -> MapView | None:
    """The view a link asks for, or None when it asks for none or for an impossible one."""
    lat = _number(params.get(LAT_PARAM))
    lng = _number(params.get(LNG_PARAM))
    zoom = _number(params.get(ZOOM_PARAM))
    if lat is None or lng is None or zoom is None:
        return None
    if abs(lat) > 90 or abs(lng) > 180 or zoom != int(zoom):
        return None
    if not MIN_ZOOM <= zoom <= MAX_ZOOM:
        return None
    return MapView(lat, lng, int(zoom))


def view_from_map(map_state: Mapping[str, Any] | None) -> MapView | None:
    """The view st_folium reports after the analyst pans or zooms, or None before any."""
    state = map_state or {}
    centre, zoom = state.get("center"), state.get("zoom")
    if not isinstance(centre, Mapping) or not isinstance(zoom, int | float):
        return None
    lat, lng = _number(centre.get("lat")), _number(centre.get("lng"))
    if lat is None or lng is None:
        return None
    # Leaflet reports longitudes past ±180 after panning across the antimeridian.
    if not -180 <= lng <= 180:
        lng = (lng + 180) % 360 - 180
    return MapView(max(-90.0, min(90.0, lat)), lng, int(max(MIN_ZOOM, min(MAX_ZOOM, zoom))))


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
