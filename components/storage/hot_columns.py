"""The columns every view's questions read, held in memory for the embedded engine.

A step of the date slider asks the engine to filter, count and group every row again: over
the Parquet file, each pass decompresses the same columns (at ten million rows, about 2.5 s
of CPU for the map's grid alone). The columns the filters, the grid, the counts and the
table's orders read are therefore read from the file once, on a thread of their own, into an
Arrow table that DuckDB scans in place (no copy, outside its memory limit): about 110 bytes a
row, text as dictionaries. Whole rows (the panel, the table's page, the map's points) are still
read from the file, by row number.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from components.storage.parquet_events import VIEW_SQL
from components.table import schema as s
from components.table.rules import ROW

__all__ = ["HOT_COLUMNS", "HOT_VIEW", "Hold", "hold_columns", "read_hot"]

# What the shared filter (components.storage.query.where_clause), the grid, the counts, the
# timeline and the table's orders read; nothing else is asked of the in-memory table.
HOT_COLUMNS: tuple[str, ...] = (
    ROW,
    s.DATE_START,
    "date_last",
    s.LATITUDE,
    s.LONGITUDE,
    "mx",
    "my",
    "lowest_killed",
    s.KILLED_MIN,
    s.KILLED_MAX,
    s.INJURED_MIN,
    s.INJURED_MAX,
    s.GEO_PRECISION,
    s.EVENT_TYPE,
    s.DATE_PRECISION,
    s.CONFIDENCE,
    s.ACTOR1,
    s.ACTOR2,
    s.LOCATION,
)
# Text with few values: kept as indices into a dictionary (four bytes a row).
_DICTIONARIES = (
    s.EVENT_TYPE,
    s.DATE_PRECISION,
    s.CONFIDENCE,
    s.ACTOR1,
    s.ACTOR2,
    s.LOCATION,
)
HOT_VIEW = "hot_events"
_TABLE = "hot_columns"
# The file view's names over the table (one definition of the filter's names).
_VIEW = f"CREATE OR REPLACE VIEW {HOT_VIEW} AS " + VIEW_SQL.replace("read_parquet(?)", _TABLE)
# When the columns are read: on a thread (the server answers from the file meanwhile), before
# the engine is used, or never (every question read from the file).
WHEN = ("later", "now", "never")


def read_hot(path: Path) -> pa.Table:
    """The file's hot columns, read on one core (the page's first view has the other)."""
    return pq.read_table(
        path, columns=list(HOT_COLUMNS), read_dictionary=list(_DICTIONARIES), use_threads=False
    )


class Hold:
    """Whether the hot columns of one engine are read (or failed to be), and why not."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: BaseException | None = None

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the columns are read or failed; whether the engine now asks them."""
        self.done.wait(timeout)
        return self.done.is_set() and self.error is None


def hold_columns(path: Path, register: Callable[[str, pa.Table, str], None], when: str) -> Hold:
    """Read the hot columns of ``path`` (now, later on a thread, or never) and hand them to
    ``register(table_name, table, view_sql)``, which makes them the engine's to ask."""
    if when not in WHEN:
        raise ValueError(f"when to read the columns: one of {WHEN}, not {when!r}")
    hold = Hold()

    def read() -> None:
        try:
            register(_TABLE, read_hot(path), _VIEW)
        except Exception as error:  # the file still answers every question
            hold.error = error
            if when == "now":
                raise
        finally:
            hold.done.set()

    if when == "now":
        read()
    elif when == "later":
        threading.Thread(target=read, daemon=True, name="strikemap-hot-columns").start()
    return hold
