"""An embedded columnar engine: the page's filters, counts, grid cells, table pages and summary
run by DuckDB in place over a Parquet file of the loaded events, so a table of ten million
events never has to sit in pandas whole. It is the embedded mode's
:class:`components.storage.queries.EventQueries`.

The filter is the team database's own (:func:`components.storage.query.where_clause`): written
once, as SQL with bound parameters, it runs here on DuckDB as it runs on PostgreSQL. The
Parquet file (:mod:`components.storage.parquet_events`) holds every column the panel and the
table show, under the loader's names. The columns the filters and the grid read are held in
memory once read (:mod:`components.storage.hot_columns`); the map's questions are those of
:mod:`components.storage.engine_map`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from components.storage import engine_sql as q
from components.storage import hot_columns as hot
from components.storage.answers import MAX_ROWS, Answers, KeptRows, remembered
from components.storage.engine_map import MapQuestions
from components.storage.parquet_events import VIEW_SQL, sql_literal, typed, write_parquet
from components.storage.queries import POINT_COLUMNS, TableLists, ViewSummary
from components.storage.query import where_clause
from components.table import sources as src
from components.table.rules import ROW
from components.view.filters import EventFilter, FilterCounts

__all__ = ["ColumnarEvents", "filter_sql", "write_parquet"]

# The engine's memory: DuckDB spills beyond it instead of growing.
MEMORY_LIMIT = os.environ.get("STRIKEMAP_DUCKDB_MEMORY", "1GB")
# Rows a short table page reads after its own, for the next step or page (their row groups
# are read for the page anyway).
READ_AHEAD = 900
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


class ColumnarEvents(MapQuestions):
    """The EventQueries of one Parquet file of events (and the sources table beside them).

    One DuckDB connection per instance, used by one thread at a time (a lock), as Streamlit
    sessions share a cached instance.
    """

    def __init__(
        self,
        path: Path,
        *,
        sources: pd.DataFrame | None = None,
        memory_limit: str = MEMORY_LIMIT,
        threads: int = 2,
        columns_in_memory: str = "later",
    ) -> None:
        import duckdb

        self.path = Path(path)
        self._sources = sources if sources is not None else src.empty_sources()
        self._lock = hot.QuietLock()
        self._db = duckdb.connect(config={"memory_limit": memory_limit, "threads": threads})
        for shim in _POSTGRES_SHIMS:
            self._db.execute(shim)
        # A view, not a copy: each query reads the Parquet file's columns it needs.
        self._db.execute(f"CREATE VIEW events AS {VIEW_SQL.replace('?', sql_literal(self.path))}")
        stat = self.path.stat()
        self._version = f"{self.path.name}:{stat.st_size}:{stat.st_mtime_ns}"
        self._total = int(self._one("SELECT count(*) FROM events")[0])
        # The view the filters, counts and grids read: the file's until its hot columns are
        # held in memory (see components.storage.hot_columns), then theirs.
        self._scan = "events"
        self._hold = hot.hold_columns(self.path, self._register, columns_in_memory, self._lock)
        self._lists: TableLists | None = None
        self._span: tuple | None = None
        # The file never changes under this engine: the last answers are kept per question,
        # as a rerun (the map's report after a click, a second browser) asks them again.
        self._answers = Answers()
        self._kept = KeptRows(ROW)
        self._kept_points = KeptRows(ROW)
        # The last grids' groups (a few: each may hold many thousand squares).
        self._grids = Answers(kept=4)

    def _register(self, name: str, table, view_sql: str) -> None:
        with self._lock:
            self._db.register(name, table)
            self._db.execute(view_sql)
            self._scan = hot.HOT_VIEW

    # --- the table as a whole -----------------------------------------------------------------

    def version(self) -> str:
        return self._version

    def total(self) -> int:
        return self._total

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        if self._span is None:
            first, last = self._one(
                "SELECT min(date_start), max(coalesce(date_end, date_start)) FROM events"
            )
            self._span = (None,) if first is None or last is None else (first.date(), last.date())
        return None if self._span == (None,) else self._span

    def lists(self) -> TableLists:
        if self._lists is None:
            killed, injured = self._one(
                "SELECT max(greatest(killed_min, killed_max)), "
                "max(greatest(injured_min, injured_max)) FROM events"
            )
            self._lists = TableLists(
                killed=int(killed or 0),
                injured=int(injured or 0),
                types=self._column("SELECT DISTINCT event_type FROM events WHERE event_type <> ''"),
                actors=self._column(
                    "SELECT DISTINCT a FROM (SELECT actor1 AS a FROM events UNION ALL "
                    "SELECT actor2 FROM events) WHERE a <> ''"
                ),
                grades=self._column(
                    "SELECT DISTINCT trim(confidence) AS g FROM events WHERE trim(confidence) <> ''"
                ),
            )
        return self._lists

    # --- what passes ----------------------------------------------------------------------------

    @remembered
    def counts(self, event_filter: EventFilter | None) -> FilterCounts:
        where, params = filter_sql(event_filter)
        passed, placed = self._one(
            f"SELECT count(*), count(*) FILTER (WHERE {q.PLACED}) FROM {self._scan} WHERE {where}",
            params,
        )
        return FilterCounts(
            shown=int(placed),
            filtered_out=self._total - int(passed),
            not_on_map=int(passed - placed),
        )

    @remembered
    def period_counts(self, event_filter: EventFilter | None, period: str) -> pd.DataFrame:
        unit = q.PERIOD_UNITS.get(period)
        if unit is None:
            raise ValueError(f"unknown period {period!r}; one of {sorted(q.PERIOD_UNITS)}")
        where, params = filter_sql(event_filter)
        frame = self._frame(
            f"SELECT date_trunc('{unit}', date_start) AS period, count(*) AS events, "
            f"COALESCE(sum(lowest_killed), 0) AS killed FROM {self._scan} "
            f"WHERE {where} AND date_start IS NOT NULL GROUP BY 1 ORDER BY 1",
            params,
        )
        return q.period_frame(frame)

    @remembered
    def event_days(self, event_filter: EventFilter | None) -> np.ndarray:
        where, params = filter_sql(event_filter)
        frame = self._frame(
            f"SELECT DISTINCT CAST(date_start AS DATE) AS day FROM {self._scan} "
            f"WHERE {where} AND date_start IS NOT NULL ORDER BY 1",
            params,
        )
        return pd.to_datetime(frame["day"]).to_numpy(dtype="datetime64[ns]")

    @remembered
    def count(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None = None,
        *,
        up_to: int | None = None,
    ) -> int:
        where, params = self._where_in_view(event_filter, bounds)
        if up_to is None:
            return int(self._one(f"SELECT count(*) FROM {self._scan} WHERE {where}", params)[0])
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {self._scan} WHERE {where} LIMIT ?)"
        return int(self._one(sql, [*params, int(up_to) + 1])[0])

    @remembered
    def map_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        limit: int,
        *,
        ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        where, params = self._where_in_view(event_filter, bounds)
        if ids is not None:
            chosen, values = q.ids_sql(ids)
            where, params = f"{where} AND {chosen}", [*params, *values]
        columns = ", ".join(POINT_COLUMNS)
        return self._typed(
            f"SELECT {columns} FROM events WHERE {where} ORDER BY _row LIMIT ?",
            [*params, int(limit)],
        )

    # --- rows -----------------------------------------------------------------------------------

    @remembered
    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame:
        chosen, values = q.ids_sql(ids)
        return self._typed(f"SELECT {q.LOADED} FROM events WHERE {chosen} ORDER BY _row", values)

    def sources_of(self, event_id: str) -> pd.DataFrame:
        return src.sources_of(event_id, self.events_by_id([event_id]), self._sources)

    @remembered
    def page(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        order: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> pd.DataFrame:
        if bounds is None:
            where, params = filter_sql(event_filter)
        else:
            where, params = self._where_in_view(event_filter, bounds)
        key = q.order_key(order, descending)
        # A short page reads the rows after it too: a step of the slider or the next page.
        ahead = READ_AHEAD if limit <= READ_AHEAD else 0
        return self._whole_rows(
            f"SELECT _row FROM {self._scan} WHERE {where} ORDER BY {key}, _row LIMIT ? OFFSET ?",
            [*params, int(limit) + ahead, int(offset)],
            int(limit),
        )

    @remembered
    def unplaced(self, event_filter: EventFilter | None, limit: int) -> pd.DataFrame:
        where, params = filter_sql(event_filter)
        return self._whole_rows(
            f"SELECT _row FROM {self._scan} WHERE {where} AND NOT ({q.PLACED}) "
            "ORDER BY _row LIMIT ?",
            [*params, int(limit)],
            int(limit),
        )

    # --- what the filtered rows add up to ---------------------------------------------------

    def summary(self, event_filter: EventFilter | None, top_places: int = 10) -> ViewSummary:
        where, params = filter_sql(event_filter)
        totals = q.totals_from(self._frame(q.TOTALS_SQL.format(where=where), params))
        by_month = q.month_frame(self._frame(q.MONTHS_SQL.format(where=where), params))
        by_place = q.place_frame(
            self._frame(q.PLACES_SQL.format(where=where), [*params, int(top_places)])
        )
        return ViewSummary(totals, by_month, by_place)

    @remembered
    def extent(self, event_filter: EventFilter | None) -> tuple[float, float, float, float] | None:
        where, params = self._where_in_view(event_filter, None)
        box = self._one(
            "SELECT min(latitude), min(longitude), max(latitude), max(longitude) "
            f"FROM {self._scan} "
            f"WHERE {where}",
            params,
        )
        return None if box[0] is None else tuple(float(v) for v in box)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- helpers ------------------------------------------------------------------------------

    def _where_in_view(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None
    ) -> tuple[str, list[object]]:
        where, params = filter_sql(event_filter)
        where += f" AND {q.PLACED}"
        if bounds is None:
            return where, params
        box, more = q.bounds_sql(bounds)
        return f"{where} AND {box}", [*params, *more]

    def _whole_rows(self, sql: str, params: Sequence[object], limit: int) -> pd.DataFrame:
        """Every column of the first ``limit`` rows ``sql`` picks (it selects ``_row``), in its
        order: chosen first on the few columns the order needs, then read whole for those rows
        alone. Rows read whole are kept (bounded); those ``sql`` picks past ``limit`` are read
        ahead with them when some must be read anyway, as the next step of the slider or the
        next page asks for them (one read of the row groups either way)."""
        order = [int(r[0]) for r in self._rows(sql, params)]
        if not order or len(order) > MAX_ROWS:  # a download: read once, not kept
            return self._read_whole(order[:limit])
        if self._kept.missing(order[:limit]):
            missing = self._kept.missing(order)
            self._kept.add(self._read_whole(missing))
        return self._kept.take(order[:limit])

    def _read_whole(self, rows: list[int]) -> pd.DataFrame:
        """The rows numbered ``rows``, every column, in that order."""
        # Joined to the list, not `_row IN (…)`: a quarter less work for a page's rows.
        read = self._typed(
            f"SELECT {q.LOADED} FROM events JOIN (SELECT unnest(?::BIGINT[]) AS wanted) "
            "AS chosen ON _row = chosen.wanted",
            [[int(r) for r in rows]],
        )
        position = {row: i for i, row in enumerate(rows)}
        read = read.iloc[sorted(range(len(read)), key=lambda i: position[int(read[ROW].iat[i])])]
        return read.reset_index(drop=True)

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, list(params)).fetchall()

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple:
        with self._lock:
            return self._db.execute(sql, list(params)).fetchall()[0]

    def _column(self, sql: str) -> list[str]:
        with self._lock:
            return sorted(str(r[0]) for r in self._db.execute(sql).fetchall())

    def _frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        with self._lock:
            return self._db.execute(sql, list(params)).df()

    def _typed(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        with self._lock:
            table = self._db.sql(sql, params=list(params)).to_arrow_table()
        return typed(table)
