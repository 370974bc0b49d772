"""The loaded events as a Parquet file: every column the page shows, plus what the filter needs.

A row holds the loaded table's columns (canonical ones, ``_row`` = the file's row number,
``matched_name``, ``source_count``, the event's own figures) under their own names, and the
columns the shared filter SQL names that are not plain copies (``date_last``,
``lowest_killed``). Copies under the filter's names (``shown_killed_min`` = ``killed_min``…)
are a view over the file (:data:`VIEW_SQL`), not stored twice. Files are written batch by
batch, atomically; rows read back are typed as the loader types them.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from components.map.bounds import mercator_x, mercator_y
from components.table import schema as s
from components.table.rules import ROW, Problem
from components.table.sources import OUTLET_COUNT
from components.view.filters import event_end, lowest_killed

__all__ = [
    "LAYOUT",
    "LOADED_COLUMNS",
    "SCHEMA",
    "VIEW_SQL",
    "columnar_rows",
    "drop_repeated_ids",
    "sql_literal",
    "typed",
    "write_parquet",
]

# Small row groups: a page of the table or a panel reads a few groups whole, not a tenth of
# the file; filters and counts read only the columns they need whatever the groups' size.
_ROW_GROUP = 16 * 1024
_DATES = (s.DATE_START, s.DATE_END)
_FLOATS = (s.LATITUDE, s.LONGITUDE)
_COUNTS = (ROW, s.SOURCE_COUNT, OUTLET_COUNT)
_INTS = (s.GEO_PRECISION, *s.COUNT_COLUMNS, *s.OWN_FIGURES.values())
# The loaded table's columns, in the loader's order, as the panel and the table read them.
LOADED_COLUMNS: tuple[str, ...] = (
    ROW,
    *s.CANONICAL_COLUMNS,
    s.MATCHED_NAME,
    *s.OWN_FIGURES.values(),
    s.SOURCE_COUNT,
    OUTLET_COUNT,
)


def _type(column: str) -> pa.DataType:
    if column in _DATES:
        return pa.timestamp("us")
    if column in _FLOATS:
        return pa.float64()
    if column in _INTS or column in _COUNTS:
        return pa.int64()
    return pa.string()


_TEXT = frozenset(c for c in LOADED_COLUMNS if _type(c) == pa.string())
SCHEMA = pa.schema(
    [(c, _type(c)) for c in LOADED_COLUMNS]
    + [("date_last", pa.date32()), ("lowest_killed", pa.int64())]
    # Web Mercator x and y in world units, worked out once: the grid cells only floor them.
    + [("mx", pa.float64()), ("my", pa.float64())]
)
# LZ4 rather than zstd: the file is a third larger, but written with a fifth less CPU and its
# whole rows (the table's page, the panel, the map's points) read back with a third less.
COMPRESSION = "lz4"
# Text that differs from row to row: a dictionary of it would only be built and dropped again.
_NO_DICTIONARY = frozenset((s.EVENT_ID, s.SOURCE_URL, s.SOURCE_TEXT, s.NOTES))
_DICTIONARY = [f.name for f in SCHEMA if f.name in _TEXT and f.name not in _NO_DICTIONARY]
# The columns' names and types in a word: a cached file of another layout is built again.
LAYOUT = hashlib.sha256(f"{SCHEMA.to_string()}/{_ROW_GROUP}".encode()).hexdigest()[:16]
# The names the shared filter SQL (components.storage.query) uses, over the file's columns.
VIEW_SQL = """
    SELECT *,
           geo_precision AS place_precision,
           killed_min AS shown_killed_min, killed_max AS shown_killed_max,
           injured_min AS shown_injured_min, injured_max AS shown_injured_max,
           confidence AS shown_confidence
    FROM read_parquet(?)
"""


def write_parquet(
    batches: Iterable[pd.DataFrame],
    path: Path,
    *,
    each: Callable[[pa.Table], object] | None = None,
) -> int:
    """Write loaded events (sources attached), batch by batch, atomically; the rows written.

    A batch is converted and compressed on a second thread while the next one is read,
    validated and placed (Arrow's work there runs without Python's lock: both cores work).
    ``each`` is given every batch as the file's columns, in order, on that thread.
    """
    path = Path(path)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
    rows = 0

    def write(writer: pq.ParquetWriter, batch: pd.DataFrame) -> None:
        table = columnar_rows(batch)
        writer.write_table(table, row_group_size=_ROW_GROUP)
        if each is not None:
            each(table)

    try:
        # Left in this order: the last write is over (or its error raised) before the file
        # is closed.
        with (
            pq.ParquetWriter(
                partial, SCHEMA, compression=COMPRESSION, use_dictionary=_DICTIONARY
            ) as writer,
            _Behind() as behind,
        ):
            for batch in batches:
                behind.run(write, writer, batch)
                rows += len(batch)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return rows


class _Behind:
    """One piece of work at a time on a second thread, the caller going on meanwhile; the next
    piece (and leaving) waits for the one before and raises its error."""

    def __enter__(self) -> _Behind:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parquet-writer")
        self._pending: Future | None = None
        return self

    def run(self, work: Callable[..., None], *args: object) -> None:
        self._wait()
        self._pending = self._pool.submit(work, *args)

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait()
        finally:
            self._pool.shutdown(wait=True)


def columnar_rows(events: pd.DataFrame) -> pa.Table:
    """One batch of loaded events as the file's columns (absent ones empty)."""
    arrays = []
    for field in SCHEMA:
        arrays.append(pa.array(_values(events, field.name), type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def _values(events: pd.DataFrame, column: str):
    if column == "date_last":
        return event_end(events).to_numpy(dtype="datetime64[D]")  # NaT: null
    if column == "lowest_killed":
        return lowest_killed(events).astype("Int64")
    if column in ("mx", "my"):
        placed = events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()
        world = (
            mercator_x(events[s.LONGITUDE]) if column == "mx" else mercator_y(events[s.LATITUDE])
        )
        return pd.Series(world, index=events.index).where(placed)
    if column == ROW and ROW not in events:
        return range(2, len(events) + 2)
    if column not in events:
        return [""] * len(events) if column in _TEXT else [None] * len(events)
    values = events[column]
    if column in _DATES:
        return values.astype("datetime64[us]")
    if column in _FLOATS:
        return values.astype("float64")
    if column in _INTS or column in _COUNTS:
        return values.astype("Int64")
    return values.fillna("").astype(str)


def typed(table: pa.Table) -> pd.DataFrame:
    """Rows read back from the file as the loader types them (Int64 figures, str text)."""
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    for column in frame.columns:
        if column in _DATES:
            frame[column] = frame[column].astype("datetime64[us]")
        elif column in _COUNTS:
            frame[column] = frame[column].astype("int64")
        elif column in _FLOATS:
            frame[column] = frame[column].astype("float64")
        elif column in _TEXT:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def drop_repeated_ids(path: Path, source: str) -> list[Problem]:
    """Leave out rows whose event_id an earlier row of the file already used (batches are
    validated apart, so a repeat across two batches is found here); one problem per row."""
    import duckdb

    # Bounded memory (DuckDB spills past it): the ids of ten million rows are counted here.
    with duckdb.connect(config={"memory_limit": "1GB", "threads": 2}) as db:
        db.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet({sql_literal(path)})")
        # Counting by id is a hash table; only the few repeated ids are then looked at by row.
        repeated = db.execute(
            "SELECT _row, event_id FROM (SELECT _row, event_id, row_number() OVER "
            "(PARTITION BY event_id ORDER BY _row) AS n FROM events WHERE event_id IN "
            "(SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1)) "
            "WHERE n > 1 ORDER BY _row"
        ).fetchall()
        if not repeated:
            return []
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.partial")
        try:
            db.execute(
                "COPY (SELECT * FROM events QUALIFY row_number() OVER "
                "(PARTITION BY event_id ORDER BY _row) = 1 ORDER BY _row) "
                f"TO {sql_literal(partial)} (FORMAT parquet, COMPRESSION {COMPRESSION})"
            )
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    why = "this id is already used by an earlier row"
    return [Problem(source, int(row), s.EVENT_ID, str(ident), why) for row, ident in repeated]


def sql_literal(path: Path) -> str:
    """A file path of ours as a SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"
