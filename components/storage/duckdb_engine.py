"""An embedded columnar engine: the dashboard's filters, counts and grid cells run by DuckDB in
place over a Parquet file of the loaded events, so a table of ten million events never has to
sit in pandas whole.

The filter is the team database's own (:func:`components.storage.query.where_clause`): written
once, as SQL with bound parameters, it runs here on DuckDB as it runs on PostgreSQL. The
Parquet file holds the columns that SQL names (``date_last``, ``shown_killed_min``, …) beside
the points and the text a map label needs; it is written batch by batch, so building it holds
one batch in memory at a time.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from components.storage.query import where_clause
from components.table import schema as s
from components.view.filters import EventFilter, FilterCounts, event_end, lowest_killed

__all__ = [
    "CELL_PIXELS",
    "COLUMNS",
    "ColumnarEvents",
    "filter_sql",
    "write_parquet",
]

# Grid cells are this many screen pixels wide at the map's zoom, as in the map layer.
CELL_PIXELS = 64
# The engine's memory: DuckDB spills beyond it instead of growing.
MEMORY_LIMIT = os.environ.get("STRIKEMAP_DUCKDB_MEMORY", "1GB")
_ROW_GROUP = 256 * 1024

# Columns of the Parquet file: the names the shared filter SQL uses, then what labels need.
_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("date_start", pa.date32()),
        ("date_last", pa.date32()),
        ("date_precision", pa.string()),
        ("event_type", pa.string()),
        ("actor1", pa.string()),
        ("actor2", pa.string()),
        ("place_precision", pa.int16()),
        ("shown_killed_min", pa.int64()),
        ("shown_killed_max", pa.int64()),
        ("shown_injured_min", pa.int64()),
        ("shown_injured_max", pa.int64()),
        ("shown_confidence", pa.string()),
        ("lowest_killed", pa.int64()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("location", pa.string()),
        ("country", pa.string()),
    ]
)
COLUMNS: tuple[str, ...] = tuple(_SCHEMA.names)
_TEXT = {
    "event_type": s.EVENT_TYPE,
    "actor1": s.ACTOR1,
    "actor2": s.ACTOR2,
    "location": s.LOCATION,
    "country": s.COUNTRY,
}
_FIGURES = {
    "shown_killed_min": s.KILLED_MIN,
    "shown_killed_max": s.KILLED_MAX,
    "shown_injured_min": s.INJURED_MIN,
    "shown_injured_max": s.INJURED_MAX,
}
# PostgreSQL's names for what DuckDB calls otherwise, so the shared SQL runs on both.
_POSTGRES_SHIMS = ("CREATE OR REPLACE MACRO btrim(text) AS trim(text)",)


def filter_sql(event_filter: EventFilter | None) -> tuple[str, list[object]]:
    """The filter as DuckDB ``WHERE`` text with ``?`` placeholders, and the bound values.

    The text is the team database's (only fixed column names, never a chosen value); only its
    placeholders change style.
    """
    where, params = where_clause(event_filter)
    text = where.as_string(None)
    if "%%" in text or text.count("%s") != len(params):
        raise ValueError("the shared filter SQL has a literal % sign; cannot change its style")
    return text.replace("%s", "?"), params


def write_parquet(batches: Iterable[pd.DataFrame], path: Path) -> Path:
    """Write events (typed frames as loaded, sources attached), batch by batch, atomically."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    try:
        with pq.ParquetWriter(partial, _SCHEMA, compression="zstd") as writer:
            for batch in batches:
                writer.write_table(columnar_rows(batch), row_group_size=_ROW_GROUP)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def columnar_rows(events: pd.DataFrame) -> pa.Table:
    """One batch of typed events as the engine's columns."""
    out = {
        "event_id": events[s.EVENT_ID].astype("string"),
        "date_start": events[s.DATE_START].dt.date,
        "date_last": event_end(events).dt.date,
        "date_precision": events[s.DATE_PRECISION].fillna("").astype("string"),
        "place_precision": events[s.GEO_PRECISION].astype("Int16"),
        "shown_confidence": _text(events, s.CONFIDENCE),
        "lowest_killed": lowest_killed(events).astype("Int64"),
        "latitude": events[s.LATITUDE].astype("Float64"),
        "longitude": events[s.LONGITUDE].astype("Float64"),
    }
    out.update({name: _text(events, column) for name, column in _TEXT.items()})
    out.update({name: events[column].astype("Int64") for name, column in _FIGURES.items()})
    frame = pd.DataFrame({name: out[name] for name in COLUMNS})
    return pa.Table.from_pandas(frame, schema=_SCHEMA, preserve_index=False)


@dataclass(frozen=True)
class Cells:
    """Grid cells of the events in view, one row each, and the size they were counted at."""

    rows: pd.DataFrame  # events, killed, unknown, latitude, longitude, south, west, north, east
    cell: float  # a cell's width as a share of the Web Mercator world's width


class ColumnarEvents:
    """Filters, counts and grid cells over one Parquet file of events, run in place by DuckDB.

    One DuckDB connection per instance, used by one thread at a time (a lock), as Streamlit
    sessions share a cached instance.
    """

    def __init__(self, path: Path, *, memory_limit: str = MEMORY_LIMIT, threads: int = 2) -> None:
        import duckdb

        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
        for shim in _POSTGRES_SHIMS:
            self._db.execute(shim)
        # A view, not a copy: each query reads the Parquet file's columns it needs.
        # The row number in the file keeps "file order" when DuckDB reads with several threads.
        self._db.read_parquet(str(self.path), file_row_number=True).create_view("events")
        self.total = self._one("SELECT count(*) FROM events")[0]

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and last date_start of the table; None when it is empty."""
        first, last = self._one("SELECT min(date_start), max(date_start) FROM events")
        return None if first is None else (first, last)

    def counts(self, event_filter: EventFilter | None) -> FilterCounts:
        """The status line's figures: shown, filtered out, not on the map."""
        where, params = filter_sql(event_filter)
        passed, placed = self._one(
            "SELECT count(*), count(*) FILTER (WHERE latitude IS NOT NULL AND longitude IS NOT "
            f"NULL) FROM events WHERE {where}",
            params,
        )
        return FilterCounts(
            shown=placed, filtered_out=self.total - passed, not_on_map=passed - placed
        )

    def in_view(self, event_filter: EventFilter | None, bounds: Sequence[float] | None) -> int:
        """How many events that pass are placed inside ``bounds`` (south, west, north, east)."""
        where, params = self._where_in_view(event_filter, bounds)
        return self._one(f"SELECT count(*) FROM events WHERE {where}", params)[0]

    def events(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None, limit: int
    ) -> pd.DataFrame:
        """Up to ``limit`` placed events that pass, inside ``bounds``, in file order."""
        where, params = self._where_in_view(event_filter, bounds)
        with self._lock:
            return self._db.execute(
                f"SELECT * EXCLUDE (file_row_number) FROM events WHERE {where} "
                "ORDER BY file_row_number LIMIT ?",
                [*params, int(limit)],
            ).df()

    def cells(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        zoom: int,
        max_cells: int,
    ) -> Cells:
        """The events in view grouped into grid cells of CELL_PIXELS at ``zoom``; the cells
        double in size until there are at most ``max_cells``."""
        where, params = self._where_in_view(event_filter, bounds)
        cell = CELL_PIXELS / (256 * 2.0 ** int(zoom))
        while True:
            rows = self._cells(where, params, cell)
            if len(rows) <= max_cells or cell >= 1:
                return Cells(rows, cell)
            cell *= 2

    def period_counts(self, event_filter: EventFilter | None, period: str) -> pd.DataFrame:
        """Events and killed per ``period`` ('day', 'week', 'month' or 'year') of date_start."""
        if period not in ("day", "week", "month", "year"):
            raise ValueError(f"unknown period {period!r}")
        where, params = filter_sql(event_filter)
        with self._lock:
            return self._db.execute(
                f"SELECT date_trunc('{period}', date_start) AS period, count(*) AS events, "
                "COALESCE(sum(lowest_killed), 0) AS killed FROM events "
                f"WHERE {where} GROUP BY 1 ORDER BY 1",
                params,
            ).df()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _cells(self, where: str, params: list[object], cell: float) -> pd.DataFrame:
        # Web Mercator x and y in world units (0 to 1), as the map layer grids them.
        sql = f"""
            SELECT count(*) AS events,
                   COALESCE(sum(lowest_killed), 0) AS killed,
                   count(*) FILTER (WHERE lowest_killed IS NULL) AS unknown,
                   avg(latitude) AS latitude, avg(longitude) AS longitude,
                   min(latitude) AS south, min(longitude) AS west,
                   max(latitude) AS north, max(longitude) AS east,
                   min(event_id) AS first_id
            FROM (
                SELECT latitude, longitude, lowest_killed, event_id,
                       floor((longitude + 180) / 360 / ?) AS cx,
                       floor((0.5 - ln(tan(pi() / 4 + radians(
                           greatest(-85.05, least(85.05, latitude))) / 2)) / (2 * pi())) / ?)
                           AS cy
                FROM events WHERE {where}
            ) AS placed
            GROUP BY cx, cy ORDER BY cx, cy
        """
        with self._lock:
            return self._db.execute(sql, [cell, cell, *params]).df()

    def _where_in_view(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None
    ) -> tuple[str, list[object]]:
        where, params = filter_sql(event_filter)
        where += " AND latitude IS NOT NULL AND longitude IS NOT NULL"
        if bounds is None:
            return where, params
        south, west, north, east = (float(v) for v in bounds)
        if not all(math.isfinite(v) for v in (south, west, north, east)):
            raise ValueError("map bounds must be finite numbers")
        where += " AND latitude BETWEEN ? AND ?"
        params = [*params, south, north]
        width = east - west
        if width >= 360:
            return where, params
        # Leaflet's world copies: longitudes past ±180 wrap round.
        west = west if -180 <= west <= 180 else (west + 180) % 360 - 180
        east = west + width
        if east <= 180:
            return where + " AND longitude BETWEEN ? AND ?", [*params, west, east]
        return where + " AND (longitude >= ? OR longitude <= ?)", [*params, west, east - 360]

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple:
        with self._lock:
            return self._db.execute(sql, list(params)).fetchone()


def _text(events: pd.DataFrame, column: str) -> pd.Series:
    if column not in events:
        return pd.Series("", index=events.index, dtype="string")
    return events[column].fillna("").astype("string")
