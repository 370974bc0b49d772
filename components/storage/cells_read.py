"""A map view's grid from the ready counts (:mod:`components.storage.cells`).

A view is answered from the rows that are wholly inside it (whole months of the date window,
whole cells of the map's box) plus the raw events of the edges (the window's first and last
month, a strip along the box's sides), grouped alike: the answer is exactly the raw grid's.
Filters the rows cannot answer (actors, casualty ranges) and cells finer than the finest
level take the raw scan (:func:`components.storage.query.grid_query`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from psycopg import sql

from components.map.bounds import mercator_x, mercator_y
from components.map.cell_source import key_codes, part_sizes
from components.storage.cells import LEVELS, MEASURES, across
from components.storage.query import Bounds, GridQuery, envelopes, grid_query, where_clause
from components.view.filters import EventFilter

__all__ = ["cells_query", "in_squares", "read_parts"]

# Inner cells stay this far (in cells) inside the box, so float rounding at the box's edge
# never counts a point outside it; the points between go through the raw scan.
_EPSILON = 1e-6


@dataclass(frozen=True)
class _Cover:
    """What the ready rows answer: events ending on or after ``first`` and starting on or
    before ``last`` (whole months), in the cells ``rows`` × ``columns`` (None: everywhere)."""

    first: dt.date | None
    last: dt.date | None
    rows: tuple[int, int] | None
    columns: tuple[tuple[int, int], ...]


def cells_query(
    event_filter: EventFilter | None, bounds: Sequence[float] | Bounds | None, cell: float
) -> GridQuery:
    """The grid at ``cell`` (a share of the world's width), from the ready rows where they
    answer the filter, else the raw scan; the columns of :func:`grid_query`.

    In a box, the coarsest level answers its whole cells, the finest level the ring of its
    own whole cells around them, and the raw events only the thin strip along the box's
    sides and the window's partial months.
    """
    f = event_filter or EventFilter()
    levels = _levels_for(cell)
    if not levels or f.actors is not None or f.killed is not None or f.injured is not None:
        return grid_query(f, bounds, 0, cell)
    box = Bounds.of(bounds)
    coarse, fine = levels[0], levels[-1]
    cover = _cover(f, box, coarse)
    if cover is not None and cover.rows is None:  # no box: the coarse level answers it all
        fine, ring = coarse, cover
    else:
        ring = _cover(f, box, fine)
        if ring is None:
            return grid_query(f, bounds, 0, cell)
        if cover is None:  # the box holds no whole cell of the coarse level
            coarse, cover = fine, ring
    n = across(coarse)
    ready, params = _ready_where(f, cover)
    parts = [
        sql.SQL("SELECT cx, cy, {} FROM event_cells WHERE level = %s AND {}").format(
            sql.SQL(_READY), ready
        )
    ]
    params = [coarse, *params]
    if coarse != fine:
        shift = across(fine) // n
        ring_where, ring_params = _ready_where(f, ring)
        inside, inside_params = _inside(cover, shift)
        parts.append(
            sql.SQL(
                "SELECT cx / %s, cy / %s, {} FROM event_cells WHERE level = %s AND {} AND NOT {}"
            ).format(sql.SQL(_READY), ring_where, inside)
        )
        params += [shift, shift, fine, *ring_params, *inside_params]
    raw_where, raw_params = where_clause(f, bounds)
    edges, edge_params = _edges(ring, across(fine), box)
    parts.append(
        sql.SQL(
            "SELECT floor(mx * %s)::integer, floor(my * %s)::integer, {} FROM event_points "
            "WHERE place IS NOT NULL AND {} AND {} GROUP BY 1, 2"
        ).format(sql.SQL(MEASURES), raw_where, edges)
    )
    params += [n, n, *raw_params, *edge_params]
    union = sql.SQL(" UNION ALL ").join(parts)
    step = round(cell * n)
    text = sql.SQL(
        """
        SELECT sum(events)::bigint AS events, sum(killed)::bigint AS killed,
               sum(unknown)::bigint AS unknown,
               sum(lat_sum) / sum(events) AS latitude, sum(lng_sum) / sum(events) AS longitude,
               min(south) AS south, min(west) AS west, max(north) AS north, max(east) AS east
        FROM (
            SELECT parts.*, cx / %s AS gx, cy / %s AS gy FROM ({union}) AS parts
        ) AS grouped
        GROUP BY gx, gy ORDER BY gx, gy
        """
    ).format(union=union)
    return GridQuery(text, [step, step, *params])


_READY = "events, killed, unknown, lat_sum, lng_sum, south, west, north, east"


def _levels_for(cell: float) -> list[int]:
    """The ready levels whose cells tile ``cell`` exactly, coarsest first."""
    chosen = []
    for level in sorted(LEVELS):
        ratio = cell * across(level)
        if ratio >= 1 and float(ratio).is_integer() and (int(ratio) & (int(ratio) - 1)) == 0:
            chosen.append(level)
    return chosen


def _inside(cover: _Cover, shift: int) -> tuple[sql.Composable, list[object]]:
    """Whether a finer level's row lies in the cover's whole cells (``shift`` finer cells to
    one of the cover's)."""
    spans = [sql.SQL("cx / %s BETWEEN %s AND %s") for _ in cover.columns]
    text = sql.SQL("(cy / %s BETWEEN %s AND %s AND ({}))").format(sql.SQL(" OR ").join(spans))
    params = [shift, *cover.rows, *(v for span in cover.columns for v in (shift, *span))]
    return text, params


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _cover(f: EventFilter, box: Bounds | None, level: int) -> _Cover | None:
    """The part of the view the ready rows answer; None when they answer nothing."""
    first = last = None
    if f.date_from is not None:
        day = _as_date(f.date_from)
        first = day if day.day == 1 else _next_month(day)
    if f.date_to is not None:
        day = _as_date(f.date_to)
        month_end = _next_month(day) - dt.timedelta(days=1)
        last = day if day == month_end else _month_start(day) - dt.timedelta(days=1)
    if first is not None and last is not None and first > last:
        return None
    if box is None or (box.south <= -90 and box.north >= 90 and box.east - box.west >= 360):
        return _Cover(first, last, None, ())
    n = across(level)
    rows = (_row_below(box.north, n), _row_above(box.south, n))
    columns = []
    for west, east in envelopes(box):
        low = 0 if west <= -180 else math.ceil((west + 180) / 360 * n + _EPSILON)
        high = n if east >= 180 else math.floor((east + 180) / 360 * n - _EPSILON) - 1
        if low <= high:
            columns.append((low, high))
    if rows[0] > rows[1] or not columns:
        return None
    return _Cover(first, last, rows, tuple(columns))


def _mercator_y(latitude: float) -> float:
    clamped = math.radians(min(max(latitude, -85.05), 85.05))
    return float(0.5 - np.log(np.tan(np.pi / 4 + clamped / 2)) / (2 * np.pi))


def _row_below(north: float, n: int) -> int:
    """The first whole row south of ``north`` (row 0 also holds points north of 85.05°)."""
    return 0 if north >= 90 else math.ceil(_mercator_y(north) * n + _EPSILON)


def _row_above(south: float, n: int) -> int:
    """The last whole row north of ``south`` (the last row also holds points below -85.05°)."""
    return n - 1 if south <= -90 else math.floor(_mercator_y(south) * n - _EPSILON) - 1


def _ready_where(f: EventFilter, cover: _Cover) -> tuple[sql.Composed, list[object]]:
    """The ready rows that pass: the filter's own columns, whole months, whole cells."""
    parts, params = [sql.SQL("TRUE")], []
    if f.event_types is not None:
        parts.append(sql.SQL("event_type = ANY(%s)"))
        params.append(sorted(f.event_types))
    if not f.include_unknown_casualties:
        parts.append(sql.SQL("NOT no_figures"))
    if f.exact_only:
        parts.append(sql.SQL("NOT inexact"))
    if f.confidence is not None:
        parts.append(sql.SQL("confidence = ANY(%s)"))
        params.append(sorted(f.confidence))
    if cover.first is not None:
        parts.append(sql.SQL("last_month >= %s"))
        params.append(cover.first)
    if cover.last is not None:
        parts.append(sql.SQL("start_month <= %s"))
        params.append(_month_start(cover.last))
    if cover.rows is not None:
        spans = [sql.SQL("cx BETWEEN %s AND %s") for _ in cover.columns]
        parts.append(sql.SQL("cy BETWEEN %s AND %s AND ({})").format(sql.SQL(" OR ").join(spans)))
        params += [*cover.rows, *(v for span in cover.columns for v in span)]
    return sql.SQL(" AND ").join(parts), params


def _edges(cover: _Cover, n: int, box: Bounds | None) -> tuple[sql.Composable, list[object]]:
    """The raw events the ready rows leave out: those of the window's partial months, and
    those outside the whole cells (written so the date and place indexes find them)."""
    parts: list[sql.Composable] = []
    params: list[object] = []
    if cover.first is not None:
        parts.append(sql.SQL("date_last < %s"))
        params.append(cover.first)
    if cover.last is not None:
        parts.append(sql.SQL("date_start > %s"))
        params.append(cover.last)
    strips = _clipped(_strips(cover, n), box) if cover.rows is not None else []
    if strips:
        near = [sql.SQL("place && ST_MakeEnvelope(%s, %s, %s, %s, 4326)") for _ in strips]
        spans = [sql.SQL("floor(mx * %s) BETWEEN %s AND %s") for _ in cover.columns]
        parts.append(
            sql.SQL("(({}) AND NOT (floor(my * %s) BETWEEN %s AND %s AND ({})))").format(
                sql.SQL(" OR ").join(near), sql.SQL(" OR ").join(spans)
            )
        )
        params += [v for strip in strips for v in strip]
        params += [n, *cover.rows, *(v for span in cover.columns for v in (n, *span))]
    if not parts:
        return sql.SQL("FALSE"), []
    return sql.SQL("({})").format(sql.SQL(" OR ").join(parts)), params


def _strips(cover: _Cover, n: int) -> list[tuple[float, float, float, float]]:
    """Envelopes (west, south, east, north) holding every point outside the whole cells: the
    rows above and below them, the columns between and beside them; a little wide, the exact
    test on the cells follows."""
    pad = 1e-6
    strips = []
    top, bottom = cover.rows
    if top > 0:
        strips.append((-180.0, _latitude(top / n) - pad, 180.0, 90.0))
    if bottom < n - 1:
        strips.append((-180.0, -90.0, 180.0, _latitude((bottom + 1) / n) + pad))
    edge = 0
    for low, high in sorted(cover.columns):
        if low > edge:
            strips.append((_longitude(edge, n) - pad, -90.0, _longitude(low, n) + pad, 90.0))
        edge = max(edge, high + 1)
    if edge < n:
        strips.append((_longitude(edge, n) - pad, -90.0, 180.0, 90.0))
    return strips


def _clipped(strips: list[tuple], box: Bounds) -> list[tuple[float, float, float, float]]:
    """The strips' parts inside the box, so the place index reads only those."""
    kept = []
    for west, south, east, north in strips:
        for span_west, span_east in envelopes(box):
            part = (max(west, span_west), max(south, box.south), min(east, span_east),
                    min(north, box.north))  # fmt: skip
            if part[0] <= part[2] and part[1] <= part[3]:
                kept.append(part)
    return kept


def _latitude(y: float) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def _longitude(column: int, n: int) -> float:
    return column / n * 360 - 180


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def in_squares(
    event_filter: EventFilter | None,
    bounds: Sequence[float] | Bounds | None,
    cell: float,
    keys: Sequence[tuple[int, int]],
) -> tuple[sql.Composed, list[object]]:
    """The placed events that pass inside ``bounds`` and lie in the grid squares ``keys`` of
    ``cell`` (each key as one number, column * 2**32 + row, as the map's grid has them)."""
    where, params = where_clause(event_filter, bounds)
    codes = key_codes(keys).tolist()
    text = sql.SQL(
        "place IS NOT NULL AND {} AND floor(mx / %s)::bigint * 4294967296 "
        "+ floor(my / %s)::bigint = ANY(%s::bigint[])"
    ).format(where)
    return text, [*params, float(cell), float(cell), codes]


def read_parts(
    run: Callable[[GridQuery], list[tuple]],
    event_filter: EventFilter | None,
    bounds: Sequence[float] | Bounds | None,
    cell: float,
    keys: Sequence[tuple[int, int]],
    finest: Sequence[float],
    more_than: int,
) -> pd.DataFrame:
    """Inside each square ``keys[i]`` of ``cell``, the squares ``cell / 2``, ... down to
    ``finest[i]`` wide holding more than ``more_than`` events: columns of
    queries.PART_COLUMNS, widest first, then by key. ``run`` runs a query and returns its rows.

    Widths the ready counts tile are read from them (the whole view's grid at that width, its
    crowded squares kept); finer ones raw, only inside the asked squares (the place index finds
    them), which by then hold the compact places a click has not parted yet.
    """
    asked = np.array(keys, dtype="int64").reshape(-1, 2)
    finest = np.array(finest, dtype="float64")
    f = event_filter or EventFilter()
    rows: list[tuple] = []
    deeper: list[float] = []
    for part in part_sizes(cell, finest):
        if _levels_for(part) and f.actors is None and f.killed is None and f.injured is None:
            grid = cells_query(f, bounds, part)
            text = sql.SQL(
                "SELECT %s::float8, south, west, north, east, events FROM ({}) AS g "
                "WHERE events > %s"
            ).format(grid.text)
            rows += run(GridQuery(text, [part, *grid.params, int(more_than)]))
        else:
            deeper.append(part)
    if deeper:
        rows += run(_raw_parts(f, bounds, cell, asked, finest, deeper, more_than))
    return _parts_frame(rows, cell, asked, finest)


def _raw_parts(f, bounds, cell: float, asked, finest, widths, more_than: int) -> GridQuery:
    """The crowded squares of ``widths`` inside the asked squares, from the raw events."""
    wanted = finest <= max(widths)
    squares = asked[wanted]
    west, east = squares[:, 0] * cell * 360 - 180, (squares[:, 0] + 1) * cell * 360 - 180
    north = [_latitude(v) for v in (squares[:, 1] * cell).tolist()]
    south = [_latitude(v) for v in ((squares[:, 1] + 1) * cell).tolist()]
    where, params = where_clause(f, bounds)
    text = sql.SQL(
        """
        SELECT part, min(latitude), min(longitude), max(latitude), max(longitude), count(*)
        FROM (
            SELECT latitude, longitude, part,
                   floor(mx / part)::bigint AS cx, floor(my / part)::bigint AS cy
            FROM unnest(%s::float8[], %s::float8[], %s::float8[], %s::float8[], %s::bigint[],
                        %s::bigint[], %s::float8[]) AS asked(west, south, east, north, kx, ky,
                                                         finest)
            JOIN event_points AS p
              ON p.place && ST_MakeEnvelope(asked.west, asked.south, asked.east, asked.north,
                                            4326)
             AND floor(p.mx / %s)::bigint = asked.kx AND floor(p.my / %s)::bigint = asked.ky
            JOIN unnest(%s::float8[]) AS widths(part) ON part >= asked.finest
            WHERE p.place IS NOT NULL AND {}
        ) AS parts
        GROUP BY part, cx, cy HAVING count(*) > %s
        """
    ).format(where)
    pad = 1e-6
    values = [
        (west - pad).tolist(),
        [v - pad for v in south],
        (east + pad).tolist(),
        [v + pad for v in north],
        squares[:, 0].tolist(),
        squares[:, 1].tolist(),
        finest[wanted].tolist(),
        float(cell),
        float(cell),
        [float(w) for w in widths],
        *params,
        int(more_than),
    ]
    return GridQuery(text, values)


def _parts_frame(rows: list[tuple], cell: float, asked: np.ndarray, finest: np.ndarray):
    """The parts' rows with their keys (from a corner: any point of a part gives it), those
    of the asked squares to their finest width, widest first, then by key."""
    frame = pd.DataFrame(rows, columns=["part", "south", "west", "north", "east", "events"])
    part = frame["part"].to_numpy(dtype="float64")
    x = np.floor(mercator_x(frame["west"].to_numpy(dtype="float64")) / part)
    y = np.floor(mercator_y(frame["north"].to_numpy(dtype="float64")) / part)
    frame["cx"], frame["cy"] = x.astype("int64"), y.astype("int64")
    ratio = np.round(cell / np.maximum(part, 1e-300)).astype("int64")
    parent = key_codes(np.column_stack([frame["cx"] // ratio, frame["cy"] // ratio]))
    depth = dict(zip(key_codes(asked).tolist(), finest.tolist(), strict=True))
    limit = np.array([depth.get(c, np.inf) for c in parent.tolist()], dtype="float64")
    frame = frame[part >= limit]
    frame = frame.sort_values(["part", "cx", "cy"], ascending=[False, True, True])
    frame = frame.astype({"events": "int64"}).reset_index(drop=True)
    return frame[["part", "cx", "cy", "events", "south", "west", "north", "east"]]
