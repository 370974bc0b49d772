"""The events in view on a grid of cells: few events in a cell are drawn one by one (fanned apart
when they would hide each other), more become one circle labelled with their count.

A counted cell, clicked, zooms to its events' box at the first zoom where every cell of theirs
holds few enough to be drawn one by one (see :func:`landing_zooms`), or at the zoom where the
box fits the map when that comes first: one click lands on single events when it can.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from components.map.bounds import Bounds, mercator_x, mercator_y
from components.map.features import counted, event_features
from components.map.settings import (
    CELL_PIXELS,
    CELL_SHOWS_EVENTS,
    MAP_PIXELS,
    MAX_CELLS,
    MAX_POINTS,
    MAX_ZOOM,
    SPOT_SHOWS_EVENTS,
)
from components.map.spread import fan_cells
from components.map.style import AGGREGATE_FILL, APPROXIMATE_EXTRA_RADIUS, marker_radii
from components.table import schema as s
from components.view.filters import is_approximate, lowest_killed

__all__ = ["Grid", "aggregate_features", "grid", "landing_zooms"]


@dataclass(frozen=True)
class Grid:
    """The in-view events' cells at one zoom: each event's cell, and per cell its count,
    box (south, west, north, east) and whether its events are drawn one by one."""

    codes: np.ndarray
    count: np.ndarray
    box: np.ndarray
    as_points: np.ndarray
    cell: float  # the cell's width in world units (1 = the whole world)


def grid(
    x: np.ndarray,
    y: np.ndarray,
    latitude: np.ndarray,
    longitude: np.ndarray,
    zoom: int,
    max_points: int = MAX_POINTS,
) -> Grid:
    """Cells of ``CELL_PIXELS`` at ``zoom`` (twice as wide, and again, while there are more
    than ``MAX_CELLS`` of them or more than ``max_points`` events to draw one by one)."""
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    while True:
        codes, count, box = _cells(x, y, latitude, longitude, cell)
        as_points = _drawn_one_by_one(count, box, zoom)
        points = int(count[as_points].sum())
        if (len(count) <= MAX_CELLS and points <= max_points) or cell >= 1:
            break
        cell *= 2
    if points > max_points:
        # Still too many (crowded spots): the biggest groups are counted instead.
        for i in np.argsort(-count, kind="stable"):
            if points <= max_points:
                break
            if as_points[i]:
                as_points[i] = False
                points -= int(count[i])
    return Grid(codes, count, box, as_points, cell)


def aggregate_features(
    events: pd.DataFrame,
    in_view: np.ndarray,
    zoom: int,
    selected: str | None,
    colours: Mapping[str, str],
    colour_by: str,
    *,
    pixels: tuple[int, int] = MAP_PIXELS,
    max_points: int = MAX_POINTS,
) -> tuple[list[dict[str, Any]], int]:
    """The features for the events in view (event points, then counted cells), and how many
    cells are counted; ``pixels`` is the map's size on screen."""
    rows = np.flatnonzero(in_view)
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    x, y = mercator_x(longitude), mercator_y(latitude)
    cells = grid(x, y, latitude, longitude, zoom, max_points)
    drawn = cells.as_points[cells.codes]
    # Only the events drawn one by one are taken whole: a view may hold most of a million.
    points = events.iloc[rows[drawn]]
    fans = _fans(points, x[drawn], y[drawn], cells.codes[drawn], cells.cell, zoom)
    features = event_features(points, selected, colours, colour_by=colour_by, fans=fans)
    counted_cells = np.flatnonzero(~cells.as_points)
    if not counted_cells.size:
        return features, 0
    # As plain arrays before taking the rows: taking from Arrow columns costs far more.
    low, high = (
        events[c].to_numpy(dtype="float64", na_value=np.nan)[rows]
        for c in (s.KILLED_MIN, s.KILLED_MAX)
    )
    killed = np.where(np.isnan(low), high, low)  # lowest_killed, for the counted cells
    killed_total = np.bincount(cells.codes, np.nan_to_num(killed), len(cells.count))
    unknown = np.bincount(cells.codes, np.isnan(killed), len(cells.count))
    mean_xy = np.column_stack(
        [np.bincount(cells.codes, v, len(cells.count)) / cells.count for v in (x, y)]
    )
    centre = _inside_cells(mean_xy, cells.cell, cells.count, zoom)
    drawn_zoom = round(math.log2(CELL_PIXELS / (256 * cells.cell)))
    landing = landing_zooms(x, y, latitude, longitude, cells, drawn_zoom, pixels)
    for i in counted_cells.tolist():
        count, killed_sum = int(cells.count[i]), int(killed_total[i])
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(centre[i, 1], 5), round(centre[i, 0], 5)],
                },
                "properties": {
                    "fill": AGGREGATE_FILL,
                    "radius": _cell_radius(count),
                    "outline": "#ffffff",
                    "weight": 2,
                    "approximate": False,
                    "count": count,
                    "killed": killed_sum,
                    "zoom_to": _outward(cells.box[i]),
                    "zoom": int(landing[i]),
                    "label": _cell_label(count, killed_sum, int(unknown[i])),
                },
            }
        )
    return features, len(counted_cells)


def landing_zooms(
    x: np.ndarray,
    y: np.ndarray,
    latitude: np.ndarray,
    longitude: np.ndarray,
    cells: Grid,
    drawn_zoom: int,
    pixels: tuple[int, int] = MAP_PIXELS,
) -> np.ndarray:
    """Per cell, the zoom a click on it goes to: the first zoom, deeper than the one drawn, at
    which every cell of its events is drawn one by one, unless its events' box stops fitting
    the map before that (then the deepest zoom at which it fits)."""
    fits = np.array(
        [Bounds(*box).fitting_zoom(pixels) for box in cells.box.tolist()], dtype="int64"
    )
    deepest = np.clip(fits, drawn_zoom + 1, MAX_ZOOM)
    landing = deepest.copy()
    waiting = ~cells.as_points
    for zoom in range(drawn_zoom + 1, MAX_ZOOM + 1):
        # Cells whose box stops fitting here keep the deepest zoom at which it fits.
        waiting &= deepest >= zoom
        events = np.flatnonzero(waiting[cells.codes])
        if not events.size:
            break
        sub = CELL_PIXELS / (256 * 2.0**zoom)
        parent = cells.codes[events]
        codes, count, box = _cells(x[events], y[events], latitude[events], longitude[events], sub)
        crowded = ~_drawn_one_by_one(count, box, zoom)
        still = np.zeros(len(cells.count), dtype=bool)
        still[np.unique(parent[crowded[codes]])] = True
        done = waiting & ~still
        landing[done] = zoom
        waiting &= still
    return landing


def _cells(
    x: np.ndarray, y: np.ndarray, latitude: np.ndarray, longitude: np.ndarray, cell: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each point's cell number, and per cell its count and box (south, west, north, east)."""
    key = np.floor(x / cell).astype("int64") * (1 << 32) + np.floor(y / cell).astype("int64")
    codes, distinct = pd.factorize(key)
    count = np.bincount(codes, minlength=len(distinct))
    frame = pd.DataFrame({"code": codes, "lat": latitude, "lng": longitude}).groupby("code")
    low, high = frame.min(), frame.max()
    box = np.column_stack([low["lat"], low["lng"], high["lat"], high["lng"]])
    return codes, count, box


def _drawn_one_by_one(count: np.ndarray, box: np.ndarray, zoom: int) -> np.ndarray:
    """Cells drawn as their events: a few, or up to a ring's worth at one spot (zooming in
    never parts those), or any number at the deepest zoom."""
    shown = (count <= CELL_SHOWS_EVENTS) | (_one_spot(box) & (count <= SPOT_SHOWS_EVENTS))
    return shown | (zoom >= MAX_ZOOM)


def _one_spot(box: np.ndarray) -> np.ndarray:
    return (box[:, 0] == box[:, 2]) & (box[:, 1] == box[:, 3])


def _fans(
    points: pd.DataFrame, x: np.ndarray, y: np.ndarray, codes: np.ndarray, cell: float, zoom: int
) -> tuple[np.ndarray, np.ndarray]:
    """Fan centres (latitude, longitude) and pixel offsets for the events drawn one by one."""
    scale = 256 * 2.0**zoom
    killed = lowest_killed(points).to_numpy(dtype="float64", na_value=np.nan)
    radius = marker_radii(killed) + np.where(
        is_approximate(points).to_numpy(), APPROXIMATE_EXTRA_RADIUS, 0
    )
    fans = fan_cells(x * scale, y * scale, radius, codes, cell * scale)
    centre_x, centre_y = fans.centre[:, 0] / scale, fans.centre[:, 1] / scale
    latitude = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * centre_y))))
    return np.column_stack([latitude, centre_x * 360 - 180]), fans.offset


def _outward(box: np.ndarray) -> list[float]:
    """A box rounded to 5 decimals outwards, so that it still holds its edge events."""
    south, west, north, east = (float(v) for v in box)
    down, up = (
        (math.floor(v * 1e5) / 1e5 for v in (south, west)),
        (math.ceil(v * 1e5) / 1e5 for v in (north, east)),
    )
    return [*down, *up]


def _cell_radius(count: int) -> float:
    """Radius in pixels of a grid cell's circle: grows with the log of its number of events,
    and stays within half a cell, so that circles of two cells never overlap."""
    return round(min(CELL_PIXELS / 2 - 2, 10 + 4 * math.log10(max(count, 1))), 1)


def _inside_cells(mean_xy: np.ndarray, cell: float, count: np.ndarray, zoom: int) -> np.ndarray:
    """Each cell's circle at the mean of its events, moved just enough to lie inside its own
    cell: no two circles overlap, and none stands where its events are not. (lat, lng) rows."""
    pixel = 1 / (256 * 2.0**zoom)
    margin = np.array([_cell_radius(int(c)) for c in count]) * pixel
    margin = np.minimum(margin, cell / 2)
    low = np.floor(mean_xy / cell) * cell
    x = np.clip(mean_xy[:, 0], low[:, 0] + margin, low[:, 0] + cell - margin)
    y = np.clip(mean_xy[:, 1], low[:, 1] + margin, low[:, 1] + cell - margin)
    longitude = x * 360 - 180
    latitude = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y))))
    return np.column_stack([latitude, longitude])


def _cell_label(count: int, killed: int, unknown: int) -> str:
    if unknown == count:
        killed_text = "no killed figure reported"
    else:
        killed_text = f"{killed:,} killed (lowest reported figures"
        killed_text += f"; {counted(unknown, 'event')} report none)" if unknown else ")"
    return f"{count:,} events here · {killed_text} · click to zoom in"
