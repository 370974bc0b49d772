"""The database back end: PostgreSQL with PostGIS, shared by every analyst and app replica.

Every write is one transaction: it either happens whole or not at all. New ids are given out
under a transaction-wide advisory lock, so two analysts saving at once both keep their events;
a merge locks its rows and is refused when one of them changed after the analyst's view was
loaded. Each change is a row of ``changes`` (who, when, what).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool

from components.geo.geocoder import GeocodeCache, geocode_events
from components.geo.overrides import Override
from components.storage import cells
from components.storage import pg_io as db
from components.storage import rows as r
from components.storage.base import Change, Contents, MergeConflict, StoreError, current_user
from components.storage.dbcache import DatabaseGeocodeCache
from components.storage.pg_queries import PostgresQueries, placed_events
from components.storage.query import where_clause
from components.storage.schema import DDL
from components.table import schema as s
from components.table import sources as src
from components.table import store as event_files
from components.table.events import LoadedEvents, printable, validate_events
from components.table.merge import merged_cell  # the file store's rule for a merged row
from components.table.sources import LoadedSources, MergeError
from components.view.filters import EventFilter, lowest_killed

__all__ = ["PostgresStore", "redacted"]

_ID_LOCK = 0x5354_524B  # advisory lock key: "STRK", held while new ids are given out


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore:
    """The store in one PostgreSQL database with PostGIS (see components/storage/schema.py)."""

    kind = "database"

    def __init__(self, url: str, *, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self.url = url
        self.cache_dir = cache_dir
        self._queries: PostgresQueries | None = None
        self._pool = ConnectionPool(
            url, min_size=1, max_size=4, open=False, timeout=15, name="strikemap"
        )
        try:
            self._pool.open(wait=True, timeout=15)
        except Exception as error:  # psycopg_pool raises PoolTimeout without the cause
            self._pool.close()
            raise StoreError(
                f"cannot connect to the database {redacted(url)} ({error}); start it with "
                "`make db`, or check STRIKEMAP_DATABASE_URL"
            ) from error

    def close(self) -> None:
        self._pool.close()

    @contextlib.contextmanager
    def transaction(self, *, snapshot: bool = False) -> Iterator[psycopg.Connection]:
        """A connection inside one transaction (REPEATABLE READ with ``snapshot``)."""
        try:
            with self._pool.connection() as conn:
                if snapshot:
                    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                else:
                    conn.isolation_level = None
                with conn.transaction():
                    yield conn
        except psycopg.OperationalError as error:
            raise StoreError(f"the database {redacted(self.url)} failed: {error}") from error

    # -- schema and version -------------------------------------------------------------

    def init(self) -> None:
        """Create the tables and indexes (nothing happens to those already there)."""
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ID_LOCK,))
            conn.execute(DDL)
            if not cells.ready(conn):  # a database from before the counts were kept ready
                cells.rebuild(conn)

    def version(self) -> str:
        with self.transaction() as conn:
            return str(db.one(conn, "SELECT COALESCE(max(change_id), 0) FROM changes"))

    # -- reading --------------------------------------------------------------------------

    def load(self) -> Contents:
        with self.transaction(snapshot=True) as conn:
            version = str(db.one(conn, "SELECT COALESCE(max(change_id), 0) FROM changes"))
            events = placed_events(conn, sql.SQL("TRUE"), [])
            more = self._sources(conn)
        loaded = LoadedEvents(src.attach_sources(events, more.sources), source="database")
        return Contents(loaded, more, version)

    def queries(self) -> PostgresQueries:
        """The page's questions answered in the database (one per store)."""
        if self._queries is None:
            self._queries = PostgresQueries(self)
        return self._queries

    def load_events(
        self, event_filter: EventFilter | None = None, bounds: tuple | None = None
    ) -> pd.DataFrame:
        where, params = where_clause(event_filter, bounds)
        query = sql.SQL("SELECT event_id FROM event_points WHERE {}").format(where)
        with self.transaction(snapshot=True) as conn:
            ids = [row[0] for row in conn.execute(query, params).fetchall()]
        return self.events_by_id(ids)

    def count(self, event_filter=None, bounds=None, *, up_to: int | None = None) -> int:
        return self.queries().count(event_filter, bounds, up_to=up_to)

    def map_points(self, event_filter, bounds, limit: int, *, ids=None) -> pd.DataFrame:
        return self.queries().map_points(event_filter, bounds, limit, ids=ids)

    def events_by_id(self, ids: list[str]) -> pd.DataFrame:
        return self.queries().events_by_id(ids)

    def sources(self) -> LoadedSources:
        with self.transaction(snapshot=True) as conn:
            return self._sources(conn)

    def _sources(self, conn: psycopg.Connection) -> LoadedSources:
        return db.source_frame(conn, sql.SQL("TRUE"), [], "the database's sources")

    def given_events(self) -> pd.DataFrame:
        """The events as written in the file they came from (for ``db dump``)."""
        with self.transaction(snapshot=True) as conn:
            return db.given(conn, sql.SQL("TRUE"), [])

    # -- writing --------------------------------------------------------------------------

    def append_events(self, rows: pd.DataFrame, *, who: str | None = None) -> list[str]:
        new_rows = event_files.validated_cells(rows, Path("the database"))
        if not new_rows:
            return []
        who = who or current_user()
        with self.transaction() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ID_LOCK,))
            ids = []
            for row in new_rows:
                row[s.EVENT_ID] = db.free_id(conn, row[s.EVENT_ID], set(ids))
                ids.append(row[s.EVENT_ID])
            raw = pd.DataFrame(new_rows, dtype=object).fillna("")
            given = validate_events(raw, source="the new events").events
            self.insert_events(conn, given, None)
            cells.touch(conn, ids)
            cells.recompute(conn)
            for row in new_rows:
                db.record(conn, row[s.EVENT_ID], "added", who, {"row": row})
        return ids

    def insert_events(
        self, conn: psycopg.Connection, given: pd.DataFrame, created_change: int | None
    ) -> None:
        """Place, attach sources to and copy typed events into the table, in ``conn``'s
        transaction."""
        placed = self.place_events(conn, given)
        ids = list(given[s.EVENT_ID])
        more = db.source_frame(conn, sql.SQL("event_id = ANY(%s)"), [ids], "sources").sources
        shown = src.attach_sources(placed, more)
        codes = db.country_codes(given[s.COUNTRY])
        events_text, points_text = r.events_copy_text(given, shown, codes, created_change)
        db.copy_in(conn, "events", r.EVENT_COPY_COLUMNS, events_text, db.EVENT_TEXT)
        db.copy_in(conn, "event_points", r.POINT_COPY_COLUMNS, points_text, r.POINT_TEXT_COLUMNS)

    def place_events(self, conn: psycopg.Connection, given: pd.DataFrame) -> pd.DataFrame:
        """``given`` with places found for rows without coordinates (hand places win)."""
        if not (given[s.LATITUDE].isna() & (given[s.LOCATION].str.strip() != "")).any():
            return geocode_events(given, places_file=None, cache_dir=self.cache_dir)
        cache = DatabaseGeocodeCache(self, conn)
        with tempfile.TemporaryDirectory(prefix="strikemap-places-") as folder:
            places = Path(folder) / "places.csv"
            db.write_places(places, self._places(conn, learned=False))
            return geocode_events(given, cache=cache, places_file=places, cache_dir=self.cache_dir)

    def merge_duplicates(
        self,
        keep_id: str,
        merge_ids: list[str],
        *,
        seen_version: str | None = None,
        who: str | None = None,
    ) -> int:
        merge_ids = list(dict.fromkeys(i for i in merge_ids if i != keep_id))
        if not merge_ids:
            raise MergeError("nothing to merge: give at least one event id other than the kept one")
        who = who or current_user()
        everyone = [keep_id, *merge_ids]
        with self.transaction() as conn:
            found = conn.execute(
                "SELECT event_id FROM events WHERE event_id = ANY(%s) ORDER BY event_id FOR UPDATE",
                (everyone,),
            ).fetchall()
            absent = [i for i in everyone if i not in {row[0] for row in found}]
            if absent:
                listed = ", ".join(repr(printable(i)) for i in absent)
                raise MergeConflict(
                    f"the database has no event with id {listed} any more (merged or changed "
                    "by someone else); reload the page and choose again; nothing was merged"
                )
            if seen_version is not None:
                db.refuse_if_changed(conn, everyone, int(seen_version))
            cells.touch(conn, everyone)
            moved = conn.execute(
                "UPDATE sources SET notes = 'merged from ' || event_id || CASE WHEN "
                "btrim(notes) <> '' THEN '; ' || notes ELSE '' END, event_id = %s "
                "WHERE event_id = ANY(%s)",
                (keep_id, merge_ids),
            ).rowcount
            merged = db.given(conn, sql.SQL("event_id = ANY(%s)"), [merge_ids])
            merged = merged.set_index(s.EVENT_ID).loc[merge_ids]
            new_rows = [
                [merged_cell(c, event_id, event, keep_id) for c in s.SOURCE_COLUMNS]
                for event_id, event in merged.iterrows()
            ]
            typed = src.validate_sources(list(s.SOURCE_COLUMNS), new_rows, "merged events").sources
            db.copy_in(
                conn, "sources", r.SOURCE_COPY_COLUMNS, r.sources_copy_text(typed), db.SOURCE_TEXT
            )
            conn.execute("DELETE FROM events WHERE event_id = ANY(%s)", (merge_ids,))
            conn.execute("DELETE FROM event_points WHERE event_id = ANY(%s)", (merge_ids,))
            self._refresh_shown(conn, keep_id)
            cells.recompute(conn)
            db.record(conn, keep_id, "merged", who, {"merged": merge_ids})
            for event_id in merge_ids:
                db.record(conn, event_id, "merged into", who, {"into": keep_id})
        return moved + len(new_rows)

    def _refresh_shown(self, conn: psycopg.Connection, event_id: str) -> None:
        """Recompute an event's figures and confidence from its row and all its sources."""
        given = db.given(conn, sql.SQL("event_id = %s"), [event_id])
        more = db.source_frame(conn, sql.SQL("event_id = %s"), [event_id], "sources").sources
        shown = src.attach_sources(given, more)
        lowest = lowest_killed(shown).astype("Int64").iloc[0]
        shown = shown.iloc[0]
        values = (
            *(db.whole(shown[c]) for c in (s.KILLED_MIN, s.KILLED_MAX)),
            *(db.whole(shown[c]) for c in (s.INJURED_MIN, s.INJURED_MAX)),
            str(shown[s.CONFIDENCE]),
            db.whole(lowest),
        )
        conn.execute(
            "UPDATE events SET shown_killed_min = %s, shown_killed_max = %s, "
            "shown_injured_min = %s, shown_injured_max = %s, shown_confidence = %s, "
            "lowest_killed = %s, source_count = %s, revision = revision + 1 "
            "WHERE event_id = %s",
            (*values, int(shown[src.SOURCE_COUNT]), event_id),
        )
        conn.execute(
            "UPDATE event_points SET shown_killed_min = %s, shown_killed_max = %s, "
            "shown_injured_min = %s, shown_injured_max = %s, shown_confidence = %s, "
            "lowest_killed = %s WHERE event_id = %s",
            (*values, event_id),
        )

    def place_by_hand(
        self,
        name: str,
        country: str,
        latitude: float,
        longitude: float,
        precision: int = 1,
        note: str = "",
        *,
        who: str | None = None,
    ) -> Override:
        place = db.checked_place(name, country, latitude, longitude, precision, note)
        who = who or current_user()
        name_key, country_key = db.place_key(place.name, place.country)
        with self.transaction() as conn:
            db.upsert_place(conn, place, name_key, country_key, learned=False)
            moved = conn.execute(
                "UPDATE events AS e SET place_longitude = %s, place_latitude = %s, "
                "place_precision = GREATEST(COALESCE(e.geo_precision, 0), %s), "
                "place_geocoder = 'manual', matched_name = %s, revision = revision + 1 "
                "WHERE e.latitude IS NULL AND e.location_key = %s AND (e.country_code = %s "
                "OR (%s = '' AND NOT EXISTS (SELECT 1 FROM places p WHERE NOT p.learned "
                "AND p.name_key = e.location_key AND p.country_key = e.country_code))) "
                "RETURNING e.event_id",
                (
                    place.longitude,
                    place.latitude,
                    place.geo_precision,
                    place.name,
                    name_key,
                    country_key,
                    country_key,
                ),
            ).fetchall()
            moved_ids = [i for (i,) in moved]
            cells.touch(conn, moved_ids)  # where they were drawn before
            x, y = r.mercator(place.latitude, place.longitude)
            conn.execute(
                "UPDATE event_points AS p SET place_precision = "
                "e.place_precision, latitude = %s, longitude = %s, mx = %s, my = %s "
                "FROM events AS e WHERE e.event_id = p.event_id AND p.event_id = ANY(%s)",
                (place.latitude, place.longitude, float(x), float(y), moved_ids),
            )
            cells.touch(conn, moved_ids)
            cells.recompute(conn)
            detail = {"name": place.name, "country": place.country, "latitude": place.latitude}
            detail |= {"longitude": place.longitude, "note": place.note}
            for (event_id,) in moved:
                db.record(conn, event_id, "placed by hand", who, detail)
        return place

    def hand_places(self) -> list[Override]:
        with self.transaction() as conn:
            return self._places(conn, learned=False)

    def learned_places(self) -> list[Override]:
        with self.transaction() as conn:
            return self._places(conn, learned=True)

    def learn_place(self, place: Override) -> None:
        name_key, country_key = db.place_key(place.name, place.country)
        with self.transaction() as conn:
            db.upsert_place(conn, place, name_key, country_key, learned=True)

    def _places(self, conn: psycopg.Connection, *, learned: bool) -> list[Override]:
        rows = conn.execute(
            "SELECT name, country, latitude, longitude, geo_precision, note FROM places "
            "WHERE learned = %s ORDER BY seq",
            (learned,),
        ).fetchall()
        return [Override(*row) for row in rows]

    def geocode_cache(self) -> GeocodeCache:
        return DatabaseGeocodeCache(self)

    def history(self, event_id: str) -> list[Change]:
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT at, who, action, detail FROM changes WHERE event_id = %s OR change_id = "
                "(SELECT created_change FROM events WHERE event_id = %s) ORDER BY change_id",
                (event_id, event_id),
            ).fetchall()
        return [Change(at, who, action, db.detail_text(detail)) for at, who, action, detail in rows]
