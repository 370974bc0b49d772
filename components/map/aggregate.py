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
from components.map.cell_source import CellSource, CellTable, FrameCells, key_codes, no_parts
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

__all__ = ["Grid", "aggregate_features", "cell_features", "grid", "landing_zooms"]


@dataclass(frozen=True)
class Grid:
    """The in-view events' cells at one zoom, and which of them are drawn one by one."""

    cells: CellTable
    as_points: np.ndarray
    cell: float  # the cell's width in world units (1 = the whole world)


def grid(source: CellSource, zoom: int, max_points: int = MAX_POINTS) -> Grid:
    """Cells of ``CELL_PIXELS`` at ``zoom`` (twice as wide, and again, while there are more
    than ``MAX_CELLS`` of them or more than ``max_points`` events to draw one by one)."""
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    while True:
        table = source.cells(cell)
        as_points = _drawn_one_by_one(table.count, table.box, zoom)
        points = int(table.count[as_points].sum())
        if (len(table.count) <= MAX_CELLS and points <= max_points) or cell >= 1:
            break
        cell *= 2
    if points > max_points:
        # Still too many (crowded spots): the biggest groups are counted instead.
        for i in np.argsort(-table.count, kind="stable"):
            if points <= max_points:
                break
            if as_points[i]:
                as_points[i] = False
                points -= int(table.count[i])
    return Grid(table, as_points, cell)


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
    """The features for the events of a loaded table in view (event points, then counted
    cells), and how many cells are counted; ``pixels`` is the map's size on screen."""
    source = FrameCells(events, np.flatnonzero(in_view))
    return cell_features(
        source, zoom, selected, colours, colour_by, pixels=pixels, max_points=max_points
    )


def cell_features(
    source: CellSource,
    zoom: int,
    selected: str | None,
    colours: Mapping[str, str],
    colour_by: str,
    *,
    pixels: tuple[int, int] = MAP_PIXELS,
    max_points: int = MAX_POINTS,
) -> tuple[list[dict[str, Any]], int]:
    """The features for the events ``source`` holds in view, whatever holds them (a loaded
    table, a query engine), and how many cells are counted."""
    cells = grid(source, zoom, max_points)
    table = cells.cells
    features: list[dict[str, Any]] = []
    if cells.as_points.any():
        points, keys = source.points(cells.cell, table.keys[cells.as_points])
        latitude = points[s.LATITUDE].to_numpy(dtype="float64")
        longitude = points[s.LONGITUDE].to_numpy(dtype="float64")
        x, y = mercator_x(longitude), mercator_y(latitude)
        fans = _fans(points, x, y, key_codes(keys), cells.cell, zoom)
        features = event_features(points, selected, colours, colour_by=colour_by, fans=fans)
    counted_cells = np.flatnonzero(~cells.as_points)
    if not counted_cells.size:
        return features, 0
    mean_xy = np.column_stack([mercator_x(table.mean[:, 1]), mercator_y(table.mean[:, 0])])
    centre = _inside_cells(mean_xy, table.keys, cells.cell, table.count, zoom)
    drawn_zoom = round(math.log2(CELL_PIXELS / (256 * cells.cell)))
    landing = landing_zooms(source, cells, drawn_zoom, pixels)
    for i in counted_cells.tolist():
        count, killed_sum = int(table.count[i]), int(table.killed[i])
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
                    "zoom_to": _outward(table.box[i]),
                    "zoom": int(landing[i]),
                    "label": _cell_label(count, killed_sum, int(table.unknown[i])),
                },
            }
        )
    return features, len(counted_cells)


def landing_zooms(
    source: CellSource, cells: Grid, drawn_zoom: int, pixels: tuple[int, int] = MAP_PIXELS
) -> np.ndarray:
    """Per cell, the zoom a click on it goes to: the first zoom, deeper than the one drawn, at
    which every cell of its events is drawn one by one, unless its events' box stops fitting
    the map before that (then the deepest zoom at which it fits)."""
    table = cells.cells
    fits = np.array(
        [Bounds(*box).fitting_zoom(pixels) for box in table.box.tolist()], dtype="int64"
    ).reshape(-1)
    deepest = np.clip(fits, drawn_zoom + 1, MAX_ZOOM)
    landing = deepest.copy()
    waiting = ~cells.as_points
    # A cell whose events share one spot is its own only part at every zoom: nothing to ask.
    spot = _one_spot(table.box)
    # The others' crowded parts at every zoom to the deepest, asked at once (one pass over the
    # events): a part that is drawn one by one has only such parts deeper in, so the answer is
    # that of asking zoom after zoom for the cells still waiting.
    asked = waiting & ~spot & (drawn_zoom + 1 < MAX_ZOOM)
    finest = CELL_PIXELS / (256 * 2.0 ** np.minimum(deepest[asked], MAX_ZOOM - 1))
    parts = no_parts()
    if asked.any():
        parts = source.crowded(cells.cell, table.keys[asked], finest, CELL_SHOWS_EVENTS)
    codes, parents = key_codes(table.keys), parts.parents(cells.cell)
    for zoom in range(drawn_zoom + 1, MAX_ZOOM + 1):
        # Cells whose box stops fitting here keep the deepest zoom at which it fits.
        waiting &= deepest >= zoom
        if not waiting.any():
            break
        still = spot & ~_drawn_one_by_one(table.count, table.box, zoom)
        here = parts.part == CELL_PIXELS / (256 * 2.0**zoom)
        # Parts of a few events are always drawn one by one: only the others were asked for.
        crowded = here.copy()
        crowded[here] = ~_drawn_one_by_one(parts.count[here], parts.box[here], zoom)
        still[np.searchsorted(codes, key_codes(parents[crowded]))] = True
        still &= waiting
        landing[waiting & ~still] = zoom
        waiting &= still
    return landing


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


def _inside_cells(
    mean_xy: np.ndarray, keys: np.ndarray, cell: float, count: np.ndarray, zoom: int
) -> np.ndarray:
    """Each cell's circle at the mean of its events, moved just enough to lie inside its own
    cell: no two circles overlap, and none stands where its events are not. (lat, lng) rows."""
    pixel = 1 / (256 * 2.0**zoom)
    margin = np.array([_cell_radius(int(c)) for c in count]) * pixel
    margin = np.minimum(margin, cell / 2)
    low = keys * cell
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
