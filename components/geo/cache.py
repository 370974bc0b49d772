"""Geocoding answers kept between runs, keyed by provider, normalized query and country."""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from components.geo.answers import GeocodeAnswer, is_valid
from components.geo.gazetteer import normalize_name, resolve_cache_dir
from components.table.files import locked, write_text_atomically

__all__ = ["CACHE_FILE", "GeocodeCache"]

CACHE_FILE = "geocode-cache.json"
CACHE_FORMAT = "strikemap-geocode-cache"
CACHE_VERSION = 1

log = logging.getLogger(__name__)


class GeocodeCache:
    """Geocoding answers on disk (JSON), keyed by provider, normalized query and country.

    "Not found" is an answer too, so a name is asked about once. Writes go through a temporary
    file and os.replace; a damaged file is set aside as ``*.corrupt`` and started afresh.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, autosave_every: int = 50):
        self.path = Path(path) if path is not None else resolve_cache_dir() / CACHE_FILE
        self.autosave_every = autosave_every
        self._answers: dict[tuple[str, str, str], GeocodeAnswer | None] = {}
        self._unsaved = 0
        self._lock = threading.RLock()
        self._answers.update(self._read())

    def __len__(self) -> int:
        return len(self._answers)

    def has(self, provider: str, query: str, country_code: str | None = None) -> bool:
        """Whether an answer (found or not) is cached for this query."""
        return _cache_key(provider, query, country_code) in self._answers

    def get(
        self, provider: str, query: str, country_code: str | None = None
    ) -> GeocodeAnswer | None:
        """The cached answer; None if the place was not found or is not cached (see has)."""
        return self._answers.get(_cache_key(provider, query, country_code))

    def put(
        self,
        provider: str,
        query: str,
        country_code: str | None,
        answer: GeocodeAnswer | None,
    ) -> None:
        """Remember an answer (None = not found); saves every ``autosave_every`` new answers."""
        with self._lock:
            self._answers[_cache_key(provider, query, country_code)] = answer
            self._unsaved += 1
            if self.autosave_every and self._unsaved >= self.autosave_every:
                self.save()

    def save(self) -> None:
        """Write the cache, merged with answers other processes saved meanwhile.

        The file lock makes the read-merge-write of concurrent savers take turns.
        """
        with self._lock:
            try:
                with locked(self.path):
                    merged = self._read() | self._answers
                    document = {
                        "format": CACHE_FORMAT,
                        "version": CACHE_VERSION,
                        "answers": [_entry(key, answer) for key, answer in merged.items()],
                    }
                    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
                    write_text_atomically(self.path, text)
            except OSError as error:
                log.warning("cannot save the geocode cache %s: %s", self.path, error)
                return
            self._answers = merged
            self._unsaved = 0

    def _read(self) -> dict[tuple[str, str, str], GeocodeAnswer | None]:
        """The answers in the file; a damaged file is renamed *.corrupt and ignored."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("cannot read the geocode cache %s: %s", self.path, error)
            return {}
        try:
            return _parse_cache(data.decode("utf-8"))
        except (ValueError, TypeError, KeyError) as error:
            corrupt = self.path.with_name(self.path.name + ".corrupt")
            log.warning("geocode cache %s is damaged (%s); moved to %s", self.path, error, corrupt)
            try:
                os.replace(self.path, corrupt)
            except OSError:
                log.warning("cannot move the damaged geocode cache %s aside", self.path)
            return {}


def _cache_key(provider: str, query: str, country_code: str | None) -> tuple[str, str, str]:
    return (provider, normalize_name(query), (country_code or "").upper())


def _entry(key: tuple[str, str, str], answer: GeocodeAnswer | None) -> dict[str, Any]:
    provider, query, country_code = key
    entry: dict[str, Any] = {"provider": provider, "query": query, "country_code": country_code}
    if answer is None:
        return entry | {"found": False}
    return entry | {"found": True} | asdict(answer)


def _parse_cache(text: str) -> dict[tuple[str, str, str], GeocodeAnswer | None]:
    """Cache file text → answers; raises ValueError unless every entry is well formed."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        raise ValueError("not a Strikemap geocode cache")
    if document.get("version") != CACHE_VERSION:
        raise ValueError(f"unknown cache version {document.get('version')!r}")
    answers: dict[tuple[str, str, str], GeocodeAnswer | None] = {}
    for entry in document["answers"]:
        key = (entry["provider"], entry["query"], entry["country_code"])
        if not all(isinstance(part, str) for part in key):
            raise ValueError(f"bad key in entry {entry!r}")
        if entry["found"] is False:
            answers[key] = None
            continue
        answer = GeocodeAnswer(
            latitude=entry["latitude"],
            longitude=entry["longitude"],
            geocoder=entry["geocoder"],
            matched_name=entry["matched_name"],
            geo_precision=entry["geo_precision"],
        )
        if not is_valid(answer) or entry["found"] is not True:
            raise ValueError(f"bad answer in entry {entry!r}")
        answers[key] = answer
    return answers
