"""Geocoding answers kept between runs in SQLite, keyed by provider, normalized query,
country and (for answers that used them) the province and district.

"Not found" is an answer too, so a name is asked about once. New answers are written in one
transaction every ``autosave_every`` answers and on :meth:`GeocodeCache.save`; SQLite's own
locking lets several processes share the file. A file that is not a readable cache is set
aside as ``*.corrupt`` and started afresh; a cache that cannot be written keeps its answers
in memory (logged) and geocoding goes on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from components.geo.answers import GeocodeAnswer, is_valid
from components.geo.gazetteer import normalize_name, resolve_cache_dir

__all__ = ["CACHE_FILE", "GeocodeCache"]

CACHE_FILE = "geocode-cache.sqlite"
SCHEMA_VERSION = 1
TIMEOUT_SECONDS = 30.0

log = logging.getLogger(__name__)

Key = tuple[str, str, str, str, str]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    provider TEXT NOT NULL,
    query TEXT NOT NULL,
    country_code TEXT NOT NULL,
    admin1 TEXT NOT NULL DEFAULT '',
    admin2 TEXT NOT NULL DEFAULT '',
    found INTEGER NOT NULL,
    latitude REAL,
    longitude REAL,
    geocoder TEXT,
    matched_name TEXT,
    geo_precision INTEGER,
    PRIMARY KEY (provider, query, country_code, admin1, admin2)
)
"""
_COLUMNS = "provider, query, country_code, admin1, admin2, found, latitude, longitude, "
_COLUMNS += "geocoder, matched_name, geo_precision"


class GeocodeCache:
    """Geocoding answers on disk (SQLite); see the module's docstring."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, autosave_every: int = 50):
        self.path = Path(path) if path is not None else resolve_cache_dir() / CACHE_FILE
        self.autosave_every = autosave_every
        self._answers: dict[Key, GeocodeAnswer | None] = {}
        self._unsaved: dict[Key, GeocodeAnswer | None] = {}
        self._lock = threading.RLock()
        self._answers.update(self._read())

    def __len__(self) -> int:
        return len(self._answers)

    def has(
        self,
        provider: str,
        query: str,
        country_code: str | None = None,
        *,
        admin1: str = "",
        admin2: str = "",
    ) -> bool:
        """Whether an answer (found or not) is cached for this query."""
        return _key(provider, query, country_code, admin1, admin2) in self._answers

    def get(
        self,
        provider: str,
        query: str,
        country_code: str | None = None,
        *,
        admin1: str = "",
        admin2: str = "",
    ) -> GeocodeAnswer | None:
        """The cached answer; None if the place was not found or is not cached (see has)."""
        return self._answers.get(_key(provider, query, country_code, admin1, admin2))

    def put(
        self,
        provider: str,
        query: str,
        country_code: str | None,
        answer: GeocodeAnswer | None,
        *,
        admin1: str = "",
        admin2: str = "",
    ) -> None:
        """Remember an answer (None = not found); saves every ``autosave_every`` new answers."""
        with self._lock:
            key = _key(provider, query, country_code, admin1, admin2)
            self._answers[key] = answer
            self._unsaved[key] = answer
            if self.autosave_every and len(self._unsaved) >= self.autosave_every:
                self.save()

    def save(self) -> None:
        """Write the new answers in one transaction and take in those others saved meanwhile."""
        with self._lock:
            if not self._unsaved and self.path.exists():
                return
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with _connect(self.path) as connection:
                    connection.executemany(
                        f"INSERT OR REPLACE INTO answers ({_COLUMNS}) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [_row(key, answer) for key, answer in self._unsaved.items()],
                    )
            except (OSError, sqlite3.Error) as error:
                log.warning("cannot save the geocode cache %s: %s", self.path, error)
                return
            self._unsaved.clear()
            self._answers = self._read() | self._answers

    def _read(self) -> dict[Key, GeocodeAnswer | None]:
        """The answers in the file; a file that is not a cache is renamed *.corrupt."""
        try:
            if self.path.stat().st_size == 0:
                # SQLite would take an empty file for an empty database; this cache always
                # writes its table first, so an empty file is damage (a disk full, a copy).
                self._set_aside(ValueError("empty file"))
                return {}
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("cannot read the geocode cache %s: %s", self.path, error)
            return {}
        try:
            with _connect(self.path) as connection:
                rows = connection.execute(f"SELECT {_COLUMNS} FROM answers").fetchall()
        except sqlite3.DatabaseError as error:
            self._set_aside(error)
            return {}
        except (OSError, sqlite3.Error) as error:
            log.warning("cannot read the geocode cache %s: %s", self.path, error)
            return {}
        answers: dict[Key, GeocodeAnswer | None] = {}
        for row in rows:
            key, answer = tuple(row[:5]), _answer(row)
            if answer is not False:
                answers[key] = answer
        return answers

    def _set_aside(self, error: Exception) -> None:
        corrupt = self.path.with_name(self.path.name + ".corrupt")
        log.warning("geocode cache %s is damaged (%s); moved to %s", self.path, error, corrupt)
        try:
            os.replace(self.path, corrupt)
        except OSError:
            log.warning("cannot move the damaged geocode cache %s aside", self.path)


def _create(path: Path) -> None:
    """A new cache file appears whole, with its schema, never as the empty file SQLite opens
    first: another process reading meanwhile would take that for damage and set it aside."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        connection = sqlite3.connect(temporary)
        try:
            with connection:
                connection.execute(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            connection.close()
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # unlike a rename, never replaces a cache made meanwhile
    finally:
        temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection with the schema in place, committed (or rolled back) and closed after."""
    _create(path)
    connection = sqlite3.connect(path, timeout=TIMEOUT_SECONDS)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"unknown geocode cache version {version}")
        with connection:
            connection.execute(_SCHEMA)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with connection:
            yield connection
    finally:
        connection.close()


def _key(provider: str, query: str, country_code: str | None, admin1: str, admin2: str) -> Key:
    return (
        provider,
        normalize_name(query),
        (country_code or "").upper(),
        normalize_name(admin1),
        normalize_name(admin2),
    )


def _row(key: Key, answer: GeocodeAnswer | None) -> tuple:
    if answer is None:
        return (*key, 0, None, None, None, None, None)
    return (
        *key,
        1,
        answer.latitude,
        answer.longitude,
        answer.geocoder,
        answer.matched_name,
        answer.geo_precision,
    )


def _answer(row: tuple) -> GeocodeAnswer | bool | None:
    """A row's answer, None for "not found", False for a row that is not a valid answer."""
    found, latitude, longitude, geocoder, matched_name, precision = row[5:]
    if found == 0:
        return None
    answer = GeocodeAnswer(latitude, longitude, geocoder, matched_name, precision)
    if found != 1 or not is_valid(answer):
        log.warning("geocode cache: ignoring an invalid answer %r", row)
        return False
    return answer
