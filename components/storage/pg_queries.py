"""The team database's answers to the page (:class:`components.storage.queries.EventQueries`):
counts, the histogram, the map's points and grid cells, table pages, the summary and the
panel's rows, each one query over the narrow ``event_points`` table (joined to ``events``
only for the columns it lacks), so the page never loads every row.

The filter is the shared :func:`components.storage.query.where_clause`; the summary's sums and
the table's orders are the embedded engine's SQL (:mod:`components.storage.engine_sql`), run
over a relation with the names it expects. Every chosen value is a bound parameter.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql

from components.storage import engine_sql as q
from components.storage import pg_io as db
from components.storage import rows as r
from components.storage.base import StoreError
from components.storage.cells_read import cells_query, in_squares, read_parts
from components.storage.queries import CELL_COLUMNS, TableLists, ViewSummary
from components.storage.query import where_clause
from components.table import schema as s
from components.table import sources as src
from components.table.events import validate_events
from components.table.rules import ROW
from components.view.filters import EventFilter, FilterCounts

if TYPE_CHECKING:
    from components.storage.postgres import PostgresStore

__all__ = ["PostgresQueries", "placed_events"]

_PLACED = ("place_lat", "place_lng", "place_precision", "place_geocoder", "matched_name")
# event_points with the names the shared summary and order SQL read (engine_sql), its own
# filter columns kept; ``_row`` is the table's order.
_ROWS = (
    "(SELECT p.*, p.shown_killed_min AS killed_min, p.shown_killed_max AS killed_max, "
    "p.shown_injured_min AS injured_min, p.shown_injured_max AS injured_max, "
    "e.location, e.admin1, e.country, e.seq AS _row "
    "FROM event_points AS p JOIN events AS e USING (event_id)) AS events"
)


def placed_events(conn: psycopg.Connection, where: sql.Composable, params: list) -> pd.DataFrame:
    """The events of ``events`` that pass ``where``, typed as the loader types them, placed
    where the database placed them (sources not attached)."""
    columns = [ROW, *r.GIVEN_COLUMNS, "extra", *_PLACED]
    # The row number is the event's place in the table's order as loaded or added (the file's
    # line for a table loaded from a file); events merged away leave gaps.
    select = sql.SQL(
        "SELECT seq - (SELECT min(seq) FROM events) + 2, {given}, extra, place_latitude, "
        "place_longitude, place_precision, place_geocoder, matched_name FROM events "
        "WHERE {where} ORDER BY seq"
    ).format(given=sql.SQL(", ").join(map(sql.Identifier, r.GIVEN_COLUMNS)), where=where)
    frame = r.with_extra_columns(db.fetch_strings(conn, select, params, columns))
    frame[ROW] = frame[ROW].astype("int64")
    placed = {c: frame.pop(c) for c in _PLACED}
    loaded = validate_events(frame, source="the database")
    if loaded.problems:  # only rows written past this package could do that
        raise StoreError(f"the database holds rows that do not pass: {loaded.problems[0]}")
    events = loaded.events
    events[s.LATITUDE] = pd.to_numeric(placed["place_lat"].replace("", None)).astype(float)
    events[s.LONGITUDE] = pd.to_numeric(placed["place_lng"].replace("", None)).astype(float)
    precision = pd.to_numeric(placed["place_precision"].replace("", None))
    events[s.GEO_PRECISION] = precision.astype("Float64").astype("Int64")
    events[s.GEOCODER] = placed["place_geocoder"].astype(str)
    events[s.MATCHED_NAME] = placed["matched_name"].astype(str)
    return events


class PostgresQueries:
    """The EventQueries of one PostgreSQL store; safe to share between sessions (a pool)."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cached: dict[str, tuple[str, object]] = {}

    # -- the table as a whole -------------------------------------------------------------

    def version(self) -> str:
        return self.store.version()

    def total(self) -> int:
        return self._per_version("total", lambda: int(self._one("SELECT count(*) FROM events")))

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        def span():
            first, last = self._row(
                "SELECT min(date_start), max(COALESCE(date_end, date_start)) FROM events"
            )
            return None if first is None or last is None else (first, last)

        return self._per_version("span", span)

    def lists(self) -> TableLists:
        def lists():
            killed, injured = self._row(
                "SELECT max(greatest(shown_killed_min, shown_killed_max)), "
                "max(greatest(shown_injured_min, shown_injured_max)) FROM event_points"
            )
            return TableLists(
                killed=int(killed or 0),
                injured=int(injured or 0),
                types=self._texts("SELECT DISTINCT event_type FROM event_points"),
                actors=self._texts(
                    "SELECT DISTINCT a FROM (SELECT actor1 AS a FROM event_points UNION "
                    "SELECT actor2 FROM event_points) AS both_sides"
                ),
                grades=self._texts("SELECT DISTINCT btrim(shown_confidence) FROM event_points"),
            )

        return self._per_version("lists", lists)

    # -- what passes ----------------------------------------------------------------------

    def counts(self, event_filter: EventFilter | None) -> FilterCounts:
        where, params = where_clause(event_filter)
        passed, placed = self._row(
            sql.SQL(
                "SELECT count(*), count(*) FILTER (WHERE place IS NOT NULL) FROM event_points "
                "WHERE {}"
            ).format(where),
            params,
        )
        return FilterCounts(
            shown=int(placed),
            filtered_out=self.total() - int(passed),
            not_on_map=int(passed - placed),
        )

    def period_counts(self, event_filter: EventFilter | None, period: str) -> pd.DataFrame:
        unit = q.PERIOD_UNITS.get(period)
        if unit is None:
            raise ValueError(f"unknown period {period!r}; one of {sorted(q.PERIOD_UNITS)}")
        where, params = where_clause(event_filter)
        query = sql.SQL(
            "SELECT date_trunc({unit}, date_start)::date AS period, count(*) AS events, "
            "COALESCE(sum(lowest_killed), 0) AS killed FROM event_points WHERE {where} "
            "GROUP BY 1 ORDER BY 1"
        ).format(unit=sql.Literal(unit), where=where)
        return q.period_frame(self._frame(query, params, ["period", "events", "killed"]))

    def event_days(self, event_filter: EventFilter | None) -> np.ndarray:
        where, params = where_clause(event_filter)
        query = sql.SQL("SELECT DISTINCT date_start FROM event_points WHERE {} ORDER BY 1")
        days = self._frame(query.format(where), params, ["day"])["day"]
        return pd.to_datetime(days).to_numpy(dtype="datetime64[ns]")

    def count(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None = None,
        *,
        up_to: int | None = None,
    ) -> int:
        where, params = where_clause(event_filter, bounds)
        query = sql.SQL("SELECT 1 FROM event_points WHERE place IS NOT NULL AND {}").format(where)
        if up_to is not None:
            query += sql.SQL(" LIMIT %s")
            params = [*params, int(up_to) + 1]
        counted = sql.SQL("SELECT count(*) FROM ({}) AS passed").format(query)
        return int(self._one(counted, params))

    def map_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        limit: int,
        *,
        ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        where, params = where_clause(event_filter, bounds)
        where = sql.SQL("place IS NOT NULL AND {}").format(where)
        if ids is not None:
            where = sql.SQL("{} AND event_id = ANY(%s)").format(where)
            params = [*params, [str(i) for i in ids]]
        return self._points(where, params, limit)

    def cell_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        limit: int,
    ) -> pd.DataFrame:
        where, params = in_squares(event_filter, bounds, cell, keys)
        return self._points(where, params, limit)

    def crowded_parts(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        finest: Sequence[float],
        more_than: int,
    ) -> pd.DataFrame:
        def run(query) -> list[tuple]:
            with self.store.transaction() as conn:
                conn.execute("SET LOCAL jit = off")
                return conn.execute(query.text, query.params).fetchall()

        return read_parts(run, event_filter, bounds, cell, keys, finest, more_than)

    def _points(self, where: sql.Composable, params: list, limit: int) -> pd.DataFrame:
        """The map's columns of the events ``where`` picks, in the table's order."""
        query = sql.SQL(
            "SELECT p.event_id, p.date_start, p.date_precision, p.event_type, p.actor1, "
            "p.actor2, p.latitude, p.longitude, p.place_precision, p.shown_killed_min, "
            "p.shown_killed_max, p.shown_injured_min, p.shown_injured_max, p.shown_confidence, "
            "e.location FROM (SELECT * FROM event_points WHERE {}) AS p "
            "JOIN events AS e USING (event_id) ORDER BY e.seq LIMIT %s"
        ).format(where)
        with self.store.transaction() as conn:
            rows = conn.execute(query, [*params, int(limit)]).fetchall()
        return r.points_frame(rows)

    def cells(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None, cell: float
    ) -> pd.DataFrame:
        """The grid, from the counts kept ready where they answer (components.storage.cells)."""
        query = cells_query(event_filter, bounds, float(cell))
        with self.store.transaction() as conn:
            conn.execute("SET LOCAL jit = off")
            rows = conn.execute(query.text, query.params).fetchall()
        frame = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
        for column in ("events", "killed", "unknown"):
            frame[column] = frame[column].astype("int64")
        for column in ("latitude", "longitude", "south", "west", "north", "east"):
            frame[column] = frame[column].astype("float64")
        return frame

    # -- rows -----------------------------------------------------------------------------

    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame:
        """The events with these ids, placed, with their sources attached, in table order."""
        ids = [str(i) for i in ids]
        with self.store.transaction(snapshot=True) as conn:
            events = placed_events(conn, sql.SQL("event_id = ANY(%s)"), [ids])
            more = db.source_frame(
                conn, sql.SQL("event_id = ANY(%s)"), [ids], "the database's sources"
            )
        return src.attach_sources(events, more.sources)

    def sources_of(self, event_id: str) -> pd.DataFrame:
        with self.store.transaction(snapshot=True) as conn:
            more = db.source_frame(conn, sql.SQL("event_id = %s"), [str(event_id)], "sources")
        return src.sources_of(event_id, self.events_by_id([event_id]), more.sources)

    def page(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        order: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> pd.DataFrame:
        key = q.order_key(order, descending)  # one of the fixed orders, or ValueError
        where, params = where_clause(event_filter, bounds)
        if bounds is not None:
            where = sql.SQL("place IS NOT NULL AND {}").format(where)
        query = sql.SQL("SELECT event_id FROM {rows} WHERE {where} ORDER BY {key}, _row "
                        "LIMIT %s OFFSET %s").format(
            rows=sql.SQL(_ROWS), where=where, key=sql.SQL(key)
        )  # fmt: skip
        return self._rows_in_order(query, [*params, int(limit), int(offset)])

    def unplaced(self, event_filter: EventFilter | None, limit: int) -> pd.DataFrame:
        where, params = where_clause(event_filter)
        query = sql.SQL(
            "SELECT event_id FROM {rows} WHERE place IS NULL AND {where} ORDER BY _row LIMIT %s"
        ).format(rows=sql.SQL(_ROWS), where=where)
        return self._rows_in_order(query, [*params, int(limit)])

    # -- what the passing rows add up to -------------------------------------------------

    def summary(self, event_filter: EventFilter | None, top_places: int = 10) -> ViewSummary:
        where, params = where_clause(event_filter)
        with self.store.transaction(snapshot=True) as conn:
            totals = self._shared(conn, q.TOTALS_SQL, where, params)
            months = self._shared(conn, q.MONTHS_SQL, where, params)
            places = self._shared(conn, q.PLACES_SQL, where, [*params, int(top_places)])
        return ViewSummary(q.totals_from(totals), q.month_frame(months), q.place_frame(places))

    def extent(self, event_filter: EventFilter | None) -> tuple[float, float, float, float] | None:
        where, params = where_clause(event_filter)
        box = self._row(
            sql.SQL(
                "SELECT min(latitude), min(longitude), max(latitude), max(longitude) "
                "FROM event_points WHERE place IS NOT NULL AND {}"
            ).format(where),
            params,
        )
        return None if box[0] is None else tuple(float(v) for v in box)

    # -- helpers --------------------------------------------------------------------------

    def _shared(self, conn: psycopg.Connection, text: str, where, params: list) -> pd.DataFrame:
        """One of engine_sql's queries, over event_points with the names it reads."""
        query = text.replace("FROM events", "FROM " + _ROWS).replace("?", "%s")
        # date_trunc of a date is a timestamp with a time zone; the month is a plain day.
        month = "date_trunc('month', date_start)"
        query = query.replace(month, "date_trunc('month', date_start::timestamp)")
        composed = sql.SQL(query).format(where=where)
        cursor = conn.execute(composed, params)
        names = [c.name for c in cursor.description]
        return pd.DataFrame(cursor.fetchall(), columns=names)

    def _rows_in_order(self, query: sql.Composable, params: list) -> pd.DataFrame:
        with self.store.transaction(snapshot=True) as conn:
            ids = [row[0] for row in conn.execute(query, params).fetchall()]
        events = self.events_by_id(ids)
        if events.empty:
            return events
        position = {event_id: n for n, event_id in enumerate(ids)}
        order = np.argsort([position[i] for i in events[s.EVENT_ID]], kind="stable")
        return events.iloc[order].reset_index(drop=True)

    def _per_version(self, name: str, work):
        """``work()``, worked out once per version of the table."""
        version = self.version()
        with self._lock:
            cached = self._cached.get(name)
        if cached is not None and cached[0] == version:
            return cached[1]
        value = work()
        with self._lock:
            self._cached[name] = (version, value)
        return value

    def _row(self, query, params: Sequence[object] = ()) -> tuple:
        with self.store.transaction() as conn:
            return conn.execute(query, list(params)).fetchone()

    def _one(self, query, params: Sequence[object] = ()) -> object:
        return self._row(query, params)[0]

    def _texts(self, query: str) -> list[str]:
        with self.store.transaction() as conn:
            values = {str(row[0]) for row in conn.execute(query).fetchall()}
        return sorted(v for v in values if v)

    def _frame(self, query, params: list, columns: list[str]) -> pd.DataFrame:
        with self.store.transaction() as conn:
            return pd.DataFrame(conn.execute(query, params).fetchall(), columns=columns)
