"""The geocoder's answer cache in the database, shared by every analyst and replica."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import psycopg

from components.geo.geocoder import GeocodeAnswer, GeocodeCache

if TYPE_CHECKING:
    from components.storage.postgres import PostgresStore

__all__ = ["DatabaseGeocodeCache"]


class DatabaseGeocodeCache(GeocodeCache):
    """A :class:`GeocodeCache` whose answers live in the ``geocode_answers`` table.

    Answers are read once when the cache is made and written on ``save`` (every 50 new
    answers, and when geocoding ends); a row another process wrote first is kept.
    """

    def __init__(self, store: PostgresStore, conn: psycopg.Connection | None = None) -> None:
        self._store = store
        self._conn = conn
        super().__init__(path="geocode_answers (database)")
        self._saved = set(self._answers)

    def save(self) -> None:
        with self._lock:
            new = {k: v for k, v in self._answers.items() if k not in self._saved}
            if not new:
                return
            rows = [
                (
                    json.dumps(list(key), ensure_ascii=False),
                    answer is not None,
                    *(
                        (
                            answer.latitude,
                            answer.longitude,
                            answer.geocoder,
                            answer.matched_name,
                            answer.geo_precision,
                        )
                        if answer is not None
                        else (None, None, None, None, None)
                    ),
                )
                for key, answer in new.items()
            ]
            self._with_conn(
                lambda conn: conn.cursor().executemany(
                    "INSERT INTO geocode_answers (key, found, latitude, longitude, geocoder, "
                    "matched_name, geo_precision) VALUES (%s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    rows,
                )
            )
            self._saved |= set(new)
            self._unsaved = 0

    def _read(self) -> dict[tuple[str, str, str], GeocodeAnswer | None]:
        rows = self._with_conn(
            lambda conn: conn.execute(
                "SELECT key, found, latitude, longitude, geocoder, matched_name, geo_precision "
                "FROM geocode_answers"
            ).fetchall()
        )
        answers: dict[tuple, GeocodeAnswer | None] = {}
        for key, found, *answer in rows:
            answers[tuple(json.loads(key))] = GeocodeAnswer(*answer) if found else None
        return answers

    def _with_conn(self, work):
        if self._conn is not None:
            return work(self._conn)
        with self._store.transaction() as conn:
            return work(conn)
