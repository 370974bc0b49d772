"""One map view straight from a query engine (DuckDB or PostgreSQL): the events in view when
they are few, else grid cells counted by the engine, so a view sends the same few megabytes
whatever the table's size.

The features are those the map layer draws (components.map): points for events, circles
labelled with their count and killed total for cells.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from components.map.aggregate import _cell_label, _cell_radius
from components.map.bounds import Bounds as MapBounds
from components.map.bounds import widened
from components.map.features import event_features
from components.map.settings import CELL_PIXELS, MAX_POINTS, MAX_ZOOM, VIEW_MARGIN
from components.map.style import AGGREGATE_FILL
from components.storage.postgres import PostgresStore
from components.storage.queries import CELL_COLUMNS, EventQueries
from components.storage.query import cell_size, grid_query
from components.table import schema as s
from components.view.filters import EventFilter

__all__ = ["MAX_CELLS", "DatabaseView", "database_view", "grid_cells"]

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


def database_view(
    engine: EventQueries | PostgresStore,
    event_filter: EventFilter | None,
    bounds: Sequence[float] | None,
    zoom: int,
    *,
    colours: Mapping[str, str],
    colour_by: str = s.EVENT_TYPE,
    selected: str | None = None,
) -> DatabaseView:
    """The events that pass the filter in ``bounds`` at ``zoom``, as map features.

    ``engine`` is any EventQueries (DuckDB, PostgreSQL): only its ``count``, ``map_points`` and
    ``cells`` are used. As the map layer does, events a little beyond the view (VIEW_MARGIN)
    are included, so a small pan shows them at once.
    """
    if bounds is not None:
        south, west, north, east = bounds
        wide = widened(MapBounds(south, west, north, east), VIEW_MARGIN)
        bounds = (wide.south, wide.west, wide.north, wide.east)
    count = engine.count(event_filter, bounds, up_to=MAX_POINTS)
    if count <= MAX_POINTS:
        events = engine.map_points(event_filter, bounds, MAX_POINTS)
        features = event_features(events, selected, colours, colour_by=colour_by)
        return DatabaseView("events", features, count)
    cells, cell = grid_cells(engine, event_filter, bounds, zoom)
    count = int(cells["events"].sum())
    lone = cells[cells["events"] == 1]
    features = []
    if not lone.empty:
        chosen = engine.map_points(EventFilter(), None, len(lone), ids=list(lone["first_id"]))
        features = event_features(chosen, selected, colours, colour_by=colour_by)
    drawn_zoom = math.log2(CELL_PIXELS / (256 * cell))
    for row in cells[cells["events"] > 1].itertuples(index=False):
        features.append(_cell_feature(row, drawn_zoom))
    return DatabaseView("aggregated", features, count)


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


def _cell_feature(row: Any, drawn_zoom: float) -> dict[str, Any]:
    box = MapBounds(row.south, row.west, row.north, row.east)
    target = min(MAX_ZOOM, max(math.floor(drawn_zoom) + 1, box.fitting_zoom()))
    count, killed, unknown = int(row.events), int(row.killed), int(row.unknown)
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(float(row.longitude), 5), round(float(row.latitude), 5)],
        },
        "properties": {
            "fill": AGGREGATE_FILL,
            "radius": _cell_radius(count),
            "outline": "#ffffff",
            "weight": 2,
            "approximate": False,
            "count": count,
            "killed": killed,
            "zoom_to": [round(float(v), 5) for v in (row.south, row.west, row.north, row.east)],
            "zoom": int(target),
            "label": _cell_label(count, killed, unknown),
        },
    }
