"""Places learned from the user's own datasets: a local gazetteer of exact event points.

Events whose coordinates the dataset says are the place itself (ACLED ``geo_precision`` 1,
UCDP ``where_prec`` 1, imported events at precision 1) teach where a named place is. Later
geocoding consults them below the manual places file (data/places.csv) and above the
gazetteer's guesses; each answer names its evidence as ``learned:<source>:<event_id>``.

They live in SQLite (``learned-places.sqlite`` in the cache directory), one row per
(source, event id); learning a file again replaces what it taught before.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from components.geo.answers import GeocodeAnswer
from components.geo.gazetteer import Gazetteer, default_gazetteer, resolve_cache_dir
from components.geo.names import fold_name, normalize_name, reported_name
from components.geo.resolve import ADMIN2
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    EVENT_ID,
    GEO_PRECISION,
    LATITUDE,
    LOCATION,
    LONGITUDE,
)

__all__ = [
    "LEARNED_FILE",
    "LearnedPlaces",
    "learned_counts",
    "learned_places",
    "learned_summary",
    "place_key",
]

LEARNED_FILE = "learned-places.sqlite"
LEARNED_PREFIX = "learned"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS learned (
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    admin1_key TEXT NOT NULL,
    admin2_key TEXT NOT NULL,
    country_code TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    PRIMARY KEY (source, event_id)
)
"""


@dataclass(frozen=True, slots=True)
class _Entry:
    source: str
    event_id: str
    name: str
    admin1_key: str
    admin2_key: str
    latitude: float
    longitude: float


def place_key(name: str) -> str:
    """The key a learned place is stored and found under: "Kiev city" and "Kiev" meet."""
    key = normalize_name(name)
    reported = reported_name(key)
    return reported.key if reported is not None and not reported.is_region else key


class LearnedPlaces:
    """The learned places in one SQLite file (``":memory:"`` for a throw-away store)."""

    def __init__(self, path: str | os.PathLike[str], gazetteer: Gazetteer | None = None) -> None:
        self.path = str(path)
        self._gazetteer = gazetteer
        self._connection = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        with self._connection:
            self._connection.execute(_SCHEMA)
        self._lock = threading.Lock()
        self._index: dict[tuple[str, str], list[_Entry]] | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def close(self) -> None:
        self._connection.close()

    def learn(self, events: pd.DataFrame, source: str, *, skip_ids: Iterable[str] = ()) -> int:
        """Learn the rows of ``events`` placed at precision 1 with a location and an event id;
        the rows ``source`` taught before are replaced. Returns how many were learned."""
        skipped = set(skip_ids)
        rows = []
        for event in _exact_rows(events).itertuples(index=False):
            code = self._country_code(event.country)
            name_key = place_key(event.location)
            if not code or not name_key or event.event_id in skipped:
                continue
            rows.append(
                (source, event.event_id, event.location, name_key,
                 region_key(event.admin1), region_key(event.admin2), code, event.latitude,
                 event.longitude)
            )  # fmt: skip
        with self._lock, self._connection:
            self._connection.execute("DELETE FROM learned WHERE source = ?", (source,))
            self._connection.executemany(
                "INSERT OR REPLACE INTO learned VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )
            self._index = None
        return len(rows)

    def forget(self, source: str) -> int:
        """Remove what one source taught; returns how many places went."""
        with self._lock, self._connection:
            removed = self._connection.execute("DELETE FROM learned WHERE source = ?", (source,))
            self._index = None
        return removed.rowcount

    def counts(self) -> dict[str, int]:
        """How many events each source taught, by source name."""
        rows = self._connection.execute(
            "SELECT source, COUNT(*) FROM learned GROUP BY source ORDER BY source"
        ).fetchall()
        return dict(rows)

    def find(
        self, name: str, country_code: str | None, admin1: str = "", *, exclude_source: str = ""
    ) -> GeocodeAnswer | None:
        """Where the events of that name in that country (and province, when both say) were,
        at the point most of them give; None when nothing was learned about it."""
        if not country_code:
            return None
        entries = self._entries().get((place_key(name), country_code), [])
        entries = [e for e in entries if e.source != exclude_source]
        wanted = region_key(admin1)
        if wanted:
            # A namesake in another province is another place.
            entries = [e for e in entries if not e.admin1_key or _same_region(e.admin1_key, wanted)]
        if not entries:
            return None
        most_given = Counter(_point(e) for e in entries).most_common(1)[0][0]
        evidence = next(e for e in entries if _point(e) == most_given)
        return GeocodeAnswer(
            latitude=evidence.latitude,
            longitude=evidence.longitude,
            geocoder=f"{LEARNED_PREFIX}:{evidence.source}:{evidence.event_id}",
            matched_name=evidence.name,
            geo_precision=1,
        )

    def _entries(self) -> dict[tuple[str, str], list[_Entry]]:
        with self._lock:
            if self._index is None:
                index: dict[tuple[str, str], list[_Entry]] = {}
                rows = self._connection.execute(
                    "SELECT source, event_id, name, name_key, admin1_key, admin2_key, "
                    "country_code, latitude, longitude FROM learned ORDER BY source, event_id"
                )
                for source, event_id, name, key, admin1, admin2, code, lat, lon in rows:
                    entry = _Entry(source, event_id, name, admin1, admin2, lat, lon)
                    index.setdefault((key, code), []).append(entry)
                self._index = index
            return self._index

    def _country_code(self, text: str) -> str | None:
        return self.gazetteer.country_code(text) if text else None


def learned_places(
    cache_dir: str | os.PathLike[str] | None = None, *, create: bool = False
) -> LearnedPlaces | None:
    """The learned places in the cache directory; None if nothing was learned yet (unless
    ``create``)."""
    path = resolve_cache_dir(cache_dir) / LEARNED_FILE
    if not create and not path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    return LearnedPlaces(path)


def learned_counts(cache_dir: str | os.PathLike[str] | None = None) -> dict[str, int]:
    """How many places were learned from which file (for the app to tell the user)."""
    store = learned_places(cache_dir)
    if store is None:
        return {}
    try:
        return store.counts()
    finally:
        store.close()


def learned_summary(cache_dir: str | os.PathLike[str] | None = None, *, most: int = 3) -> str:
    """One line for the app: how many places were learned from which files ("" if none)."""
    counts = learned_counts(cache_dir)
    if not counts:
        return ""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    shown = ", ".join(f"{count:,} from {source}" for source, count in ranked[:most])
    others = len(ranked) - most
    if others > 0:
        shown += f" and {others} more file{'s' if others > 1 else ''}"
    total = sum(counts.values())
    return (
        f"Places learned from your files: {total:,} ({shown}). Geocoding consults them after "
        "data/places.csv; `python -m components gazetteer forget FILE` removes a file's."
    )


@contextlib.contextmanager
def throwaway(gazetteer: Gazetteer | None = None) -> Iterator[LearnedPlaces]:
    """An in-memory store, closed after use (for measuring without touching the user's)."""
    store = LearnedPlaces(":memory:", gazetteer)
    try:
        yield store
    finally:
        store.close()


def _exact_rows(events: pd.DataFrame) -> pd.DataFrame:
    """Rows at precision 1 with a location, an event id and coordinates on the globe."""
    columns = {}
    for name in (LOCATION, ADMIN1, ADMIN2, COUNTRY, EVENT_ID):
        values = events[name] if name in events.columns else pd.Series("", index=events.index)
        columns[name] = values.fillna("").astype(str).str.strip()
    for name in (LATITUDE, LONGITUDE, GEO_PRECISION):
        values = events[name] if name in events.columns else pd.Series(None, index=events.index)
        columns[name] = pd.to_numeric(values, errors="coerce")
    frame = pd.DataFrame(columns)
    keep = (frame[GEO_PRECISION] == 1) & (frame[LOCATION] != "") & (frame[EVENT_ID] != "")
    keep &= frame[LATITUDE].between(-90, 90) & frame[LONGITUDE].between(-180, 180)
    return frame[keep]


def _point(entry: _Entry) -> tuple[float, float]:
    return round(entry.latitude, 4), round(entry.longitude, 4)


def region_key(admin1: str) -> str:
    """A province's key without its kind: "Donetsk oblast" and "Donetsk" meet."""
    key = normalize_name(admin1)
    reported = reported_name(key)
    return reported.key if reported is not None else key


def _same_region(stored: str, wanted: str) -> bool:
    if stored == wanted:
        return True
    folded = fold_name(stored)
    return bool(folded) and folded == fold_name(wanted)


def file_source(path: str | os.PathLike[str]) -> str:
    """The source name learned events of a file carry: the file's name without folders."""
    return Path(path).name
