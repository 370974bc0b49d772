"""Boxes on the map: what st_folium reports, which events fall inside, the zoom that fits."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from components.map.settings import MAP_PIXELS, MAX_FIT_ZOOM, MAX_ZOOM
from components.table import schema as s

__all__ = ["Bounds", "bounds_from_map", "data_bounds", "events_in_bounds", "initial_view"]


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
        width = max(mercator_x(self.east) - mercator_x(self.west), 1e-9)
        height = max(mercator_y(self.south) - mercator_y(self.north), 1e-9)
        scale = min(pixels[0] / (256 * width), pixels[1] / (256 * height))
        return int(min(MAX_ZOOM, max(0, math.floor(math.log2(scale)))))


def events_in_bounds(events: pd.DataFrame, bounds: Bounds) -> pd.DataFrame:
    """The placed events inside ``bounds`` (edges included), e.g. those of a clicked aggregate."""
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)
    return events[inside(latitude, longitude, bounds)]


def bounds_from_map(map_state: Mapping[str, Any] | None) -> Bounds | None:
    """The view st_folium reports (its ``bounds`` and ``zoom``), or None when it reports none."""
    state = map_state or {}
    view = map_bounds(state.get("bounds"))
    zoom = state.get("zoom")
    if view is None:
        return None
    if is_number(zoom):
        return Bounds(view.south, view.west, view.north, view.east, int(zoom))
    return view


def data_bounds(events: pd.DataFrame) -> Bounds | None:
    """The box of the placed events, or None when none is placed."""
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)
    placed = ~(np.isnan(latitude) | np.isnan(longitude))
    if not placed.any():
        return None
    latitude, longitude = latitude[placed], longitude[placed]
    south, north = float(latitude.min()), float(latitude.max())
    west, east = float(longitude.min()), float(longitude.max())
    # At least a few kilometres across, so a lone event is shown among its neighbours.
    pad_lat, pad_lng = max(0.0, 0.05 - (north - south) / 2), max(0.0, 0.05 - (east - west) / 2)
    return Bounds(south - pad_lat, west - pad_lng, north + pad_lat, east + pad_lng)


def initial_view(
    events: pd.DataFrame, pixels: tuple[int, int] = MAP_PIXELS
) -> tuple[tuple[float, float], int]:
    """A centre and zoom level that show every placed event on a map of ``pixels``."""
    box = data_bounds(events)
    if box is None:
        return (30.0, 20.0), 2
    return box.center, max(2, min(MAX_FIT_ZOOM, box.fitting_zoom(pixels)))


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def map_bounds(bounds: object) -> Bounds | None:
    """st_folium's ``{"_southWest": {"lat", "lng"}, "_northEast": {...}}`` as Bounds."""
    if not isinstance(bounds, Mapping):
        return None
    south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
    if not (isinstance(south_west, Mapping) and isinstance(north_east, Mapping)):
        return None
    values = [south_west.get("lat"), south_west.get("lng"), north_east.get("lat")]
    values.append(north_east.get("lng"))
    if not all(is_number(v) for v in values):
        return None
    south, west, north, east = (float(v) for v in values)
    return Bounds(min(south, north), west, max(south, north), max(west, east))


def widened(view: Bounds, margin: float) -> Bounds:
    height, width = view.north - view.south, view.east - view.west
    return Bounds(
        max(-90.0, view.south - margin * height),
        view.west - margin * width,
        min(90.0, view.north + margin * height),
        view.east + margin * width,
    )


def inside(latitude: np.ndarray, longitude: np.ndarray, view: Bounds) -> np.ndarray:
    """Points inside ``view``; its longitudes may run past ±180 (Leaflet's world copies)."""
    within = (latitude >= view.south) & (latitude <= view.north)
    if view.east - view.west >= 360:
        return within
    west = view.west if -180 <= view.west <= 180 else (view.west + 180) % 360 - 180
    east = west + (view.east - view.west)
    if east <= 180:
        return within & (longitude >= west) & (longitude <= east)
    return within & ((longitude >= west) | (longitude <= east - 360))


def mercator_x(longitude: Any) -> Any:
    """Web Mercator x in world units: 0 at 180° W, 1 at 180° E."""
    return (np.asarray(longitude, dtype="float64") + 180) / 360


def mercator_y(latitude: Any) -> Any:
    """Web Mercator y in world units: 0 at the top of the map, 1 at the bottom."""
    radians = np.radians(np.clip(np.asarray(latitude, dtype="float64"), -85.05, 85.05))
    return 0.5 - np.log(np.tan(np.pi / 4 + radians / 2)) / (2 * np.pi)
