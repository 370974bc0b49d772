"""One map view straight from a query engine (DuckDB or PostgreSQL), drawn by the map's own
grid code (:func:`components.map.aggregate.cell_features`): the engine counts the cells, hands
over the few events of the cells drawn one by one and the crowded parts of the others, so the
cells, fans, labels and landing zooms are those of a loaded table, and a view sends the same
few megabytes whatever the table's size.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from components.map.aggregate import cell_features
from components.map.bounds import Bounds as MapBounds
from components.map.bounds import mercator_x, mercator_y, widened
from components.map.cell_source import CellTable, Parts, keys_of
from components.map.settings import MAP_PIXELS, MAX_POINTS, MAX_ZOOM, VIEW_MARGIN
from components.storage.postgres import PostgresStore
from components.storage.queries import CELL_COLUMNS, EventQueries
from components.storage.query import cell_size, grid_query
from components.table import schema as s
from components.view.filters import EventFilter

__all__ = ["MAX_CELLS", "DatabaseView", "EngineCells", "database_view", "grid_cells"]

MAX_CELLS = 4 * MAX_POINTS // 10


@dataclass(frozen=True)
class DatabaseView:
    """What one view of the map gets: its features and how many events are in view."""

    mode: str  # "events" or "aggregated"
    features: list[dict[str, Any]]
    events_in_view: int

    @property
    def bytes(self) -> int:
        return len(json.dumps({"type": "FeatureCollection", "features": self.features}))


class EngineCells:
    """The map's :class:`components.map.cell_source.CellSource` answered by a query engine,
    for the events that pass ``event_filter`` inside ``bounds``."""

    def __init__(
        self, engine: EventQueries, event_filter: EventFilter | None, bounds: Sequence[float] | None
    ) -> None:
        self.engine, self.event_filter, self.bounds = engine, event_filter, bounds
        self.events_in_view = 0

    def cells(self, cell: float) -> CellTable:
        frame = self.engine.cells(self.event_filter, self.bounds, cell)
        box = frame[["south", "west", "north", "east"]].to_numpy(dtype="float64").reshape(-1, 4)
        # A cell's key is that of any of its events: its north-west corner's is one of them.
        keys = np.column_stack(
            [np.floor(mercator_x(box[:, 1]) / cell), np.floor(mercator_y(box[:, 2]) / cell)]
        ).astype("int64")
        order = np.lexsort((keys[:, 1], keys[:, 0]))
        count = frame["events"].to_numpy(dtype="int64")[order]
        self.events_in_view = int(count.sum())
        return CellTable(
            keys=keys[order],
            count=count,
            box=box[order],
            killed=frame["killed"].to_numpy(dtype="int64")[order],
            unknown=frame["unknown"].to_numpy(dtype="int64")[order],
            mean=frame[["latitude", "longitude"]].to_numpy(dtype="float64").reshape(-1, 2)[order],
        )

    def points(self, cell: float, keys: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        # The grid asks only for cells it draws one by one: never more than it can draw.
        limit = int(1 + np.iinfo("int32").max)
        points = self.engine.cell_points(self.event_filter, self.bounds, cell, _pairs(keys), limit)
        latitude = points[s.LATITUDE].to_numpy(dtype="float64")
        longitude = points[s.LONGITUDE].to_numpy(dtype="float64")
        return points, keys_of(latitude, longitude, cell)

    def crowded(self, cell: float, keys: np.ndarray, finest: np.ndarray, more_than: int) -> Parts:
        frame = self.engine.crowded_parts(
            self.event_filter, self.bounds, cell, _pairs(keys), finest.tolist(), more_than
        )
        return Parts(
            part=frame["part"].to_numpy(dtype="float64"),
            keys=frame[["cx", "cy"]].to_numpy(dtype="int64").reshape(-1, 2),
            count=frame["events"].to_numpy(dtype="int64"),
            box=frame[["south", "west", "north", "east"]].to_numpy(dtype="float64").reshape(-1, 4),
        )


def database_view(
    engine: EventQueries | PostgresStore,
    event_filter: EventFilter | None,
    bounds: Sequence[float] | None,
    zoom: int,
    *,
    colours: Mapping[str, str],
    colour_by: str = s.EVENT_TYPE,
    selected: str | None = None,
    pixels: tuple[int, int] = MAP_PIXELS,
    max_points: int = MAX_POINTS,
) -> DatabaseView:
    """The events that pass the filter in ``bounds`` at ``zoom``, as map features: the same
    features the map draws of a loaded table (:func:`components.map.layer.view_layer`).

    As the map layer does, events a little beyond the view (VIEW_MARGIN) are included, so a
    small pan shows them at once. ``pixels`` is the map's size on screen (where a clicked
    cell lands depends on it); at most ``max_points`` events are drawn one by one.
    """
    if isinstance(engine, PostgresStore):
        from components.storage.pg_queries import PostgresQueries

        engine = PostgresQueries(engine)
    if bounds is not None:
        south, west, north, east = bounds
        wide = widened(MapBounds(south, west, north, east), VIEW_MARGIN)
        bounds = (wide.south, wide.west, wide.north, wide.east)
    zoom = int(min(max(zoom, 0), MAX_ZOOM))
    source = EngineCells(engine, event_filter, bounds)
    features, counted = cell_features(
        source, zoom, selected, colours, colour_by, pixels=pixels, max_points=max_points
    )
    mode = "aggregated" if counted else "events"
    return DatabaseView(mode, features, source.events_in_view)


def _pairs(keys: np.ndarray) -> list[tuple[int, int]]:
    return [(int(x), int(y)) for x, y in np.asarray(keys, dtype="int64").reshape(-1, 2)]


def grid_cells(
    engine: EventQueries | PostgresStore,
    event_filter: EventFilter | None,
    bounds: Sequence[float] | None,
    zoom: int,
    *,
    max_cells: int = MAX_CELLS,
) -> tuple[pd.DataFrame, float]:
    """Grid cells at ``zoom``, doubled in size until there are at most ``max_cells``."""
    cell = cell_size(int(min(max(zoom, 0), MAX_ZOOM)))
    while True:
        rows = _cell_rows(engine, event_filter, bounds, cell)
        if len(rows) <= max_cells or cell >= 1:
            return rows, cell
        cell *= 2


def _cell_rows(engine, event_filter: EventFilter | None, bounds, cell: float) -> pd.DataFrame:
    if not isinstance(engine, PostgresStore):
        return engine.cells(event_filter, bounds, cell)
    # The store itself (before its EventQueries existed): the shared grid query.
    query = grid_query(event_filter, bounds, 0, cell)
    with engine.transaction() as conn:
        conn.execute("SET LOCAL jit = off")
        rows = conn.execute(query.text, query.params).fetchall()
    return pd.DataFrame(rows, columns=list(CELL_COLUMNS))
