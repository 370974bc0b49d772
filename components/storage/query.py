"""The dashboard's filters as one parameterised SQL condition, and the map's grid cells.

Every value the analyst chose travels as a bound parameter; only the fixed column names of
this module are written into the SQL text (through ``psycopg.sql``), never user text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import sql

from components.view.filters import EventFilter

__all__ = ["Bounds", "GridQuery", "cell_size", "envelopes", "grid_query", "where_clause"]

# Grid cells are 64 screen pixels wide at the map's zoom (the map layer's CELL_PIXELS).
CELL_PIXELS = 64


@dataclass(frozen=True)
class Bounds:
    """A box in degrees: south, west, north, east."""

    south: float
    west: float
    north: float
    east: float

    @classmethod
    def of(cls, box: Sequence[float] | Bounds | None) -> Bounds | None:
        if box is None or isinstance(box, Bounds):
            return box
        south, west, north, east = (float(v) for v in box)
        for value in (south, west, north, east):
            if not math.isfinite(value):
                raise ValueError(f"map bounds must be finite numbers, not {value!r}")
        # Longitudes stay as the map gives them: past ±180 on Leaflet's world copies.
        return cls(max(south, -90.0), west, min(north, 90.0), east)


def where_clause(
    event_filter: EventFilter | None, bounds: Sequence[float] | Bounds | None = None
) -> tuple[sql.Composed, list[object]]:
    """``WHERE`` text and its parameters for the events that pass the filter in the box.

    The rules are those of :func:`components.view.filters.filter_events`: the window keeps
    events that may have happened in it, unknown casualties pass only when included, a range
    passes when it meets the asked range, actors match either side.
    """
    parts: list[sql.Composable] = [sql.SQL("TRUE")]
    params: list[object] = []

    def add(text: str, *values: object) -> None:
        parts.append(sql.SQL(text))
        params.extend(values)

    f = event_filter or EventFilter()
    if f.date_from is not None:
        add("date_last >= %s", _day(f.date_from))
    if f.date_to is not None:
        add("date_start <= %s", _day(f.date_to))
    unknown = (
        "shown_killed_min IS NULL AND shown_killed_max IS NULL "
        "AND shown_injured_min IS NULL AND shown_injured_max IS NULL"
    )
    if not f.include_unknown_casualties:
        add(f"NOT ({unknown})")
    for word, bounds_asked in (("killed", f.killed), ("injured", f.injured)):
        if bounds_asked is None:
            continue
        low, high = bounds_asked
        low_col, high_col = sql.Identifier(f"shown_{word}_min"), sql.Identifier(f"shown_{word}_max")
        meets = sql.SQL("(COALESCE({hi}, 'Infinity'::float8) >= %s").format(hi=high_col)
        values: list[object] = [int(low)]
        if high is not None:
            meets += sql.SQL(" AND COALESCE({lo}, 0) <= %s").format(lo=low_col)
            values.append(int(high))
        meets += sql.SQL(")")
        none = sql.SQL("({lo} IS NULL AND {hi} IS NULL)").format(lo=low_col, hi=high_col)
        if f.include_unknown_casualties:
            parts.append(sql.SQL("({} OR (NOT {} AND {}))").format(none, none, meets))
        else:
            parts.append(sql.SQL("(NOT {} AND {})").format(none, meets))
        params.extend(values)
    if f.event_types is not None:
        add("event_type = ANY(%s)", sorted(f.event_types))
    if f.actors is not None:
        chosen = sorted(f.actors)
        add("(actor1 = ANY(%s) OR actor2 = ANY(%s))", chosen, chosen)
    if f.exact_only:
        add("NOT (COALESCE(place_precision, 0) >= 3 OR date_precision IN ('month', 'year'))")
    if f.confidence is not None:
        add("btrim(shown_confidence) = ANY(%s)", sorted(f.confidence))
    box = Bounds.of(bounds)
    if box is not None and box.south <= -90 and box.north >= 90 and box.east - box.west >= 360:
        box = None  # the whole world: every placed event
    if box is not None:
        spans = envelopes(box)
        parts.append(
            sql.SQL("({})").format(
                sql.SQL(" OR ").join(
                    sql.SQL("place && ST_MakeEnvelope(%s, %s, %s, %s, 4326)") for _ in spans
                )
            )
        )
        for west, east in spans:
            params.extend([west, box.south, east, box.north])
    return sql.SQL(" AND ").join(parts), params


@dataclass(frozen=True)
class GridQuery:
    """SQL that groups the events in view into grid cells, and its parameters."""

    text: sql.Composed
    params: list[object]


def cell_size(zoom: int) -> float:
    """A grid cell's width as a share of the Web Mercator world's width at ``zoom``."""
    return CELL_PIXELS / (256 * 2.0**zoom)


def grid_query(
    event_filter: EventFilter | None,
    bounds: Sequence[float] | Bounds | None,
    zoom: int,
    cell: float | None = None,
) -> GridQuery:
    """Cells of the grid at ``zoom``: count, killed total, events without a figure, mean and
    extent of their points."""
    where, params = where_clause(event_filter, bounds)
    text = sql.SQL(
        """
        SELECT count(*) AS events,
               COALESCE(sum(lowest_killed), 0) AS killed,
               count(*) FILTER (WHERE lowest_killed IS NULL) AS unknown,
               avg(latitude) AS latitude, avg(longitude) AS longitude,
               min(latitude) AS south, min(longitude) AS west,
               max(latitude) AS north, max(longitude) AS east
        FROM (
            SELECT latitude, longitude, lowest_killed,
                   floor(mx / %s) AS cx, floor(my / %s) AS cy
            FROM event_points
            WHERE place IS NOT NULL AND {where}
        ) AS placed
        GROUP BY cx, cy ORDER BY cx, cy
        """
    ).format(where=where)
    size = cell if cell is not None else cell_size(zoom)
    return GridQuery(text, [size, size, *params])


def envelopes(box: Bounds) -> list[tuple[float, float]]:
    """The box's longitudes as one or two spans within -180..180 (a view across the
    antimeridian, or on a world copy, wraps round)."""
    width = box.east - box.west
    if width >= 360:
        return [(-180.0, 180.0)]
    west = box.west if -180 <= box.west <= 180 else (box.west + 180) % 360 - 180
    east = west + width
    if east <= 180:
        return [(west, east)]
    return [(west, 180.0), (-180.0, east - 360)]


def _day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value
