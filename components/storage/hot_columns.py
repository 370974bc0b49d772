"""The columns every view's questions read, held in memory for the embedded engine.

A step of the date slider asks the engine to filter, count and group every row again: over
the Parquet file, each pass decompresses the same columns (at ten million rows, about 2.5 s
of CPU for the map's grid alone). The columns the filters, the grid, the counts and the
table's orders read are therefore read from the file once, on a thread of their own, into an
Arrow table that DuckDB scans in place (no copy, outside its memory limit): about 110 bytes a
row, text as dictionaries. Whole rows (the panel, the table's page, the map's points) are still
read from the file, by row number.

Once read, the columns are kept beside the Parquet file (:mod:`components.storage.hot_file`):
the next server maps them at once instead of reading them again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from components.storage import hot_file
from components.storage.parquet_events import LAYOUT, VIEW_SQL
from components.table import schema as s
from components.table.rules import ROW

__all__ = [
    "HOT_COLUMNS",
    "HOT_VIEW",
    "Collected",
    "Hold",
    "QuietLock",
    "hold_columns",
    "read_hot",
]

log = logging.getLogger(__name__)

# Text with few values: kept as indices into a dictionary (four bytes a row).
_DICTIONARIES = (
    s.EVENT_TYPE,
    s.DATE_PRECISION,
    s.CONFIDENCE,
    s.ACTOR1,
    s.ACTOR2,
    s.LOCATION,
)
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
    *_DICTIONARIES,
)
# The columns' names and types in a word: a kept file of another layout is not used.
HOT_LAYOUT = f"{LAYOUT}/{','.join(HOT_COLUMNS)}/{','.join(_DICTIONARIES)}"
HOT_VIEW = "hot_events"
_TABLE = "hot_columns"
# The file view's names over the table (one definition of the filter's names).
_VIEW = f"CREATE OR REPLACE VIEW {HOT_VIEW} AS " + VIEW_SQL.replace("read_parquet(?)", _TABLE)
# When the columns are read: on a thread (the server answers from the file meanwhile), before
# the engine is used, or never (every question read from the file).
WHEN = ("later", "now", "never")
# Later: once the engine was asked nothing for this long (a page's run asks back to back), or
# after the patience, whatever the page does.
QUIET_SECONDS = 0.5
PATIENCE = 30.0


class Collected:
    """The hot columns of a Parquet file, taken from its batches as they are written (see
    ``write_parquet(each=…)``), and kept beside the file once it is whole: its first server
    maps them instead of reading them back."""

    def __init__(self) -> None:
        self._chunks: list[pa.Table] = []

    def add(self, batch: pa.Table) -> None:
        """Take the hot columns of one batch of the file's columns, text as dictionaries."""
        hot = batch.select(list(HOT_COLUMNS))
        for name in _DICTIONARIES:
            column = hot.schema.get_field_index(name)
            hot = hot.set_column(column, name, pc.dictionary_encode(hot.column(name)))
        self._chunks.append(hot)

    def keep(self, path: Path) -> None:
        """Keep what was taken as the hot columns of ``path``, the file now written whole
        (the stamp is that file's: a file rewritten since is not matched)."""
        chunks, self._chunks = self._chunks, []
        if chunks:
            _keep(hot_file.hot_file(path), pa.concat_tables(chunks), _stamp(path))


def _stamp(path: Path) -> str:
    return hot_file.parquet_stamp(path, HOT_LAYOUT)


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
        # Whether they were mapped from the file kept beside the Parquet file (not read).
        self.mapped = False

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the columns are read or failed; whether the engine now asks them."""
        self.done.wait(timeout)
        return self.done.is_set() and self.error is None


class QuietLock:
    """A lock that remembers when it was last released: how long the engine has been idle."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.released = time.monotonic()

    def __enter__(self) -> QuietLock:
        self._lock.acquire()
        return self

    def __exit__(self, *_exception: object) -> None:
        self.released = time.monotonic()
        self._lock.release()

    def wait_until_quiet(self, quiet: float = QUIET_SECONDS, patience: float = PATIENCE) -> None:
        """Return once nothing was asked for ``quiet`` seconds, or after ``patience`` seconds."""
        give_up = time.monotonic() + patience
        while (now := time.monotonic()) < give_up and now - self.released < quiet:
            time.sleep(quiet / 4)


def hold_columns(
    path: Path,
    register: Callable[[str, pa.Table, str], None],
    when: str,
    lock: QuietLock | None = None,
) -> Hold:
    """Read the hot columns of ``path`` (now, later on a thread, or never) and hand them to
    ``register(table_name, table, view_sql)``, which makes them the engine's to ask.

    Kept beside the file by an earlier read, they are mapped at once, whatever ``when`` says
    (except never). Else, later, the read waits until the engine's ``lock`` has been quiet a
    moment: a page's first view, answered from the file, goes first, and the read takes a core
    while the browser draws it (read at once, it slowed the first map at 1M by seconds on two
    cores); what was read is then kept for the next server.
    """
    if when not in WHEN:
        raise ValueError(f"when to read the columns: one of {WHEN}, not {when!r}")
    hold = Hold()
    if when == "never":
        return hold
    kept, stamp = hot_file.hot_file(path), _stamp(path)
    mapped = hot_file.map_hot(kept, stamp)
    if mapped is not None:
        register(_TABLE, mapped, _VIEW)
        hold.mapped = True
        hold.done.set()
        return hold

    def read() -> None:
        try:
            table = read_hot(path)
            register(_TABLE, table, _VIEW)
            _keep(kept, table, stamp)
        except Exception as error:  # the file still answers every question
            hold.error = error
            if when == "now":
                raise
        finally:
            hold.done.set()

    def read_when_quiet() -> None:
        if lock is not None:
            lock.wait_until_quiet()
        read()

    if when == "now":
        read()
    else:
        threading.Thread(target=read_when_quiet, daemon=True, name="strikemap-hot-columns").start()
    return hold


def _keep(path: Path, table: pa.Table, stamp: str) -> None:
    """Keep the columns read for the next server; a cache that cannot be written only costs
    the next server the read."""
    try:
        hot_file.write_hot(path, table, stamp)
    except (OSError, pa.ArrowException) as error:
        log.warning("hot columns not kept in %s (%s)", path, error)
