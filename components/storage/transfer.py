"""Moving between the modes: the canonical files into the database, and back out."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from components.formats.writers import csv_text, to_csv
from components.geo import overrides
from components.storage import cells
from components.storage import rows as r
from components.storage.base import current_user
from components.storage.pg_io import SOURCE_TEXT, copy_in, place_key, record, upsert_place
from components.storage.postgres import PostgresStore
from components.storage.schema import DDL
from components.table import schema as s
from components.table import sources as src
from components.table.events import Problem, read_events
from components.table.files import replace_atomically

__all__ = ["LoadReport", "dump_files", "insert_chunk", "load_files"]

_SECONDARY_INDEXES = (
    "events_seq",
    "events_unplaced",
    "points_start",
    "points_last",
    "points_type",
    "points_actor1",
    "points_actor2",
    "points_place",
)


@dataclass
class LoadReport:
    """What ``db load`` did."""

    events: int
    sources: int
    places: int
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        left_out = len({(p.source, p.row) for p in self.problems})
        return (
            f"{self.events:,} events, {self.sources:,} sources and {self.places:,} hand places "
            f"loaded; {left_out:,} rows left out"
        )


def load_files(
    store: PostgresStore,
    events_path: str | os.PathLike[str],
    places_path: str | os.PathLike[str] | None = None,
    *,
    who: str | None = None,
) -> LoadReport:
    """Replace the database's events, sources and hand places with those of the files.

    ``sources.csv`` beside the events file comes along; one transaction, so readers see the
    old table or the new one, never a mix.
    """
    events_path = Path(events_path)
    loaded = read_events(events_path)
    more = src.read_sources(src.sources_path(events_path))
    places = (
        list(overrides.read_overrides(places_path, gazetteer=None).values())
        if (places_path is not None and Path(places_path).exists())
        else []
    )
    who = who or current_user()
    with store.transaction() as conn:
        conn.execute("LOCK TABLE events, event_points, sources, places IN EXCLUSIVE MODE")
        conn.execute("DELETE FROM places WHERE NOT learned")
        for place in places:
            upsert_place(conn, place, *place_key(place.name, place.country), learned=False)
        conn.execute("TRUNCATE events, event_points, sources")
        _drop_indexes(conn)
        copy_in(conn, "sources", r.SOURCE_COPY_COLUMNS, r.sources_copy_text(more.sources),
                 SOURCE_TEXT)  # fmt: skip
        change = record(
            conn, None, "loaded", who, {"file": str(events_path), "events": len(loaded.events)}
        )
        store.insert_events(conn, loaded.events, change)
        conn.execute(DDL)  # the indexes again, built once over the whole table
        cells.rebuild(conn)
        conn.execute("CLUSTER event_points USING points_start")
    with store.transaction() as conn:
        conn.execute("ANALYZE events")
        conn.execute("ANALYZE event_points")
    return LoadReport(len(loaded.events), len(more.sources), len(places), [
        *loaded.problems, *more.problems])  # fmt: skip


def insert_chunk(store: PostgresStore, given: pd.DataFrame, *, who: str = "bench") -> None:
    """Add typed events (ids new to the table) in one transaction; for bulk loads, the grid
    counts recounted by ``restore_indexes`` at the end."""
    with store.transaction() as conn:
        change = record(conn, None, "loaded", who, {"events": len(given)})
        store.insert_events(conn, given, change)


def replace_with_chunks(
    store: PostgresStore, chunks: Iterable[pd.DataFrame], *, who: str = "bench"
) -> int:
    """Replace every event with typed chunks of events, in one transaction (the table is
    emptied in it, so PostgreSQL can skip the write-ahead log); return how many."""
    total = 0
    with store.transaction() as conn:
        conn.execute("LOCK TABLE events, event_points, sources IN EXCLUSIVE MODE")
        conn.execute("TRUNCATE events, event_points, sources")
        _drop_indexes(conn)
        change = record(conn, None, "loaded", who, {})
        for given in chunks:
            store.insert_events(conn, given, change)
            total += len(given)
        conn.execute(DDL)
        cells.rebuild(conn)
        # The filters' date windows then read neighbouring pages, not the whole table.
        conn.execute("CLUSTER event_points USING points_start")
    with store.transaction() as conn:
        conn.execute("ANALYZE events")
        conn.execute("ANALYZE event_points")
    return total


def drop_indexes(store: PostgresStore) -> None:
    """Drop the events' secondary indexes before a bulk load (``restore_indexes`` after)."""
    with store.transaction() as conn:
        _drop_indexes(conn)


def restore_indexes(store: PostgresStore) -> None:
    """The indexes and the grid counts again, after chunks were added with insert_chunk."""
    with store.transaction() as conn:
        conn.execute(DDL)
        cells.rebuild(conn)
        conn.execute("ANALYZE events")
        conn.execute("ANALYZE event_points")


def dump_files(store: PostgresStore, out: str | os.PathLike[str]) -> tuple[int, int, int]:
    """Write the events as the canonical CSV (as the file mode exports them), and
    ``sources.csv`` and ``places.csv`` beside it; return the three row counts."""
    out = Path(out)
    events = store.given_events()
    data = to_csv(events, spreadsheet_safe=False)
    replace_atomically(out, lambda temp: temp.write_bytes(data))
    more = store.sources().sources
    source_columns = [*s.SOURCE_COLUMNS, *r.extra_columns(more, s.SOURCE_COLUMNS)]
    source_lines = [source_columns] + [
        [_cell(v) for v in row] for row in more[source_columns].itertuples(index=False)
    ]
    sources_out = src.sources_path(out)
    replace_atomically(sources_out, lambda temp: temp.write_text(csv_text(source_lines)))
    places = store.hand_places()
    place_lines = [overrides.PLACES_COLUMNS] + [
        [p.name, p.country, repr(p.latitude), repr(p.longitude), str(p.geo_precision), p.note]
        for p in places
    ]
    places_out = out.with_name("places.csv")
    replace_atomically(places_out, lambda temp: temp.write_text(csv_text(place_lines)))
    return len(events), len(more), len(places)


def _drop_indexes(conn) -> None:
    from psycopg import sql

    for name in _SECONDARY_INDEXES:
        conn.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))


def _cell(value: object) -> str:
    """A sources cell as the file holds it: whole numbers, text, empty when unknown."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(int(value)) if not isinstance(value, str) else value
