"""From a file to placed events: load and validate, then geocode the rows that lack a place.

Two ways: the whole table in pandas (:func:`load_placed_events`), or, for a table too large
for that (:func:`wants_query_mode`), batch by batch into a Parquet file the page queries in
place (:func:`load_columnar`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from components.geo.gazetteer import resolve_cache_dir
from components.geo.geocoder import CACHE_FILE, GazetteerGeocoder, GeocodeCache, geocode_events
from components.geo.overrides import DEFAULT_PLACES_FILE
from components.table import cache as event_cache
from components.table import sources as src
from components.table.batches import BATCH_ROWS, NotStreamable, count_lines, event_batches
from components.table.events import LoadedEvents, Problem, read_events
from components.table.rules import rejected_rows
from components.table.schema import EVENT_ID

__all__ = [
    "QUERY_ROWS",
    "ColumnarLoad",
    "load_columnar",
    "load_placed_events",
    "wants_query_mode",
]

# From this many rows on, the page queries the table in place instead of holding it in pandas.
QUERY_ROWS = int(os.environ.get("STRIKEMAP_QUERY_ROWS", "200000"))
# A row of an events file is rarely shorter than this: smaller files are not even counted.
_MIN_ROW_BYTES = 40


def load_placed_events(
    path: Path,
    places_file: Path | None = DEFAULT_PLACES_FILE,
    *,
    use_cache: bool = True,
    cache_dir: str | os.PathLike[str] | None = None,
) -> LoadedEvents:
    """Read an events CSV, keep its good rows, and give coordinates to those that lack them.

    Places named in ``places_file`` (placed by hand) win over the gazetteer. Answers are kept
    in the on-disk geocode cache, so each place is looked up once. The result is kept in the
    events cache (:mod:`components.table.cache`) and reused until the CSV, the places file
    or the code changes; ``use_cache=False`` reads the file afresh and leaves the cache alone.
    """

    def load() -> LoadedEvents:
        loaded = read_events(path)
        loaded.events = geocode_events(
            loaded.events,
            cache=GeocodeCache(resolve_cache_dir(cache_dir) / CACHE_FILE),
            cache_dir=cache_dir,
            places_file=places_file,
        )
        return loaded

    if not use_cache:
        return load()
    return event_cache.cached_load(Path(path), places_file, load, cache_dir=cache_dir)


def wants_query_mode(path: Path, rows: int | None = None) -> bool:
    """Whether the file has ``rows`` (default QUERY_ROWS) rows or more, by its line ends."""
    rows = QUERY_ROWS if rows is None else rows
    try:
        if Path(path).stat().st_size < rows * _MIN_ROW_BYTES and rows > 1000:
            return False
        return count_lines(Path(path), limit=rows) > rows
    except OSError:
        return False


@dataclass
class ColumnarLoad:
    """A file's placed events (sources attached) as a Parquet file, and its rows' problems."""

    parquet: Path
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return rejected_rows(self.problems)


def load_columnar(
    path: Path,
    places_file: Path | None,
    sources: pd.DataFrame,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> ColumnarLoad:
    """The file's events, placed and with ``sources`` attached, as a cached Parquet file.

    Built batch by batch (one batch in memory at a time) when the file streams; otherwise read
    whole, as :func:`load_placed_events` does, and written in slices.
    """
    from components.storage.hot_columns import Collected
    from components.storage.parquet_events import LAYOUT, drop_repeated_ids, write_parquet

    path = Path(path)
    geocoding = GeocodeCache(resolve_cache_dir(cache_dir) / CACHE_FILE)
    # One geocoder for every batch; it loads the gazetteer (once per process) while the first
    # batch is read, instead of after.
    geocoder = GazetteerGeocoder(cache_dir=cache_dir, places_file=None)
    _start(lambda: geocoder.gazetteer, "gazetteer-load")

    def placed(events: pd.DataFrame) -> pd.DataFrame:
        events = geocode_events(
            events,
            geocoder=geocoder,
            cache=geocoding,
            cache_dir=cache_dir,
            places_file=places_file,
        )
        return src.attach_sources(events, sources)

    def build(target: Path) -> list[Problem]:
        problems: list[Problem] = []
        # Each batch's ids: a repeat across batches is looked for in the file only if any.
        ids: list[pa.Array | pa.ChunkedArray] = []

        def batches() -> Iterator[pd.DataFrame]:
            for loaded in event_batches(path, batch_rows):
                problems.extend(loaded.problems)
                ids.append(pa.array(loaded.events[EVENT_ID], type=pa.string(), from_pandas=True))
                yield placed(loaded.events)

        # The columns every view asks, kept as they go by: the first server maps them.
        hot = Collected()
        try:
            write_parquet(batches(), target, each=hot.add)
        except NotStreamable:
            loaded = read_events(path)  # validated whole: a repeated id is already left out
            problems, ids, hot = list(loaded.problems), [], Collected()
            events = placed(loaded.events)
            slices = (events.iloc[i : i + 250_000] for i in range(0, len(events), 250_000))
            write_parquet(slices, target, each=hot.add)
        if _repeated(ids) and (dropped := drop_repeated_ids(target, str(path))):
            problems += dropped
            hot = Collected()  # the file was written again without those rows: read it back
        hot.keep(target)
        return sorted(problems, key=lambda p: p.row)

    parquet, problems = event_cache.cached_columnar(
        path, places_file, src.sources_path(path), build, cache_dir=cache_dir, layout=LAYOUT
    )
    return ColumnarLoad(parquet, problems, str(path))


def _repeated(ids: list[pa.Array | pa.ChunkedArray]) -> bool:
    """Whether any id is in more than one batch (each batch's ids are distinct already)."""
    if len(ids) < 2:
        return False
    chunks = [c for a in ids for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
    every = pa.chunked_array(chunks, pa.string())
    return pc.count_distinct(every).as_py() < len(every)


def _start(work: Callable[[], object], name: str) -> None:
    """Run ``work`` ahead on a thread of its own; an error is met again where it is needed."""

    def run() -> None:
        with contextlib.suppress(Exception):
            work()

    threading.Thread(target=run, name=name, daemon=True).start()
