"""The file back end: data/events.csv, sources.csv beside it, data/places.csv and the geocode
cache, through the functions the app has always used. No history is kept in this mode."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from components.geo import overrides
from components.geo.gazetteer import resolve_cache_dir
from components.geo.geocoder import CACHE_FILE, GeocodeCache
from components.geo.overrides import Override
from components.storage.base import Change, Contents, MergeConflict
from components.table import pipeline, sources
from components.table import store as event_files
from components.table.sources import LoadedSources
from components.view.filters import EventFilter, filter_events

__all__ = ["LEARNED_PLACES_FILE_NAME", "FileStore"]

LEARNED_PLACES_FILE_NAME = "learned-places.csv"


class FileStore:
    """The store as files on one machine; writes are atomic and take turns through locks."""

    kind = "files"

    def __init__(
        self,
        events_path: str | os.PathLike[str],
        places_path: str | os.PathLike[str] | None = None,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.events_path = Path(events_path)
        self.places_path = (
            Path(places_path) if places_path is not None else overrides.DEFAULT_PLACES_FILE
        )
        self.sources_path = sources.sources_path(self.events_path)
        self.learned_path = self.places_path.with_name(LEARNED_PLACES_FILE_NAME)
        self.cache_dir = cache_dir

    def version(self) -> str:
        stamps = [_stamp(p) for p in (self.events_path, self.sources_path, self.places_path)]
        return "|".join(stamps)

    def load(self) -> Contents:
        version = self.version()
        loaded = pipeline.load_placed_events(
            self.events_path, self.places_path, cache_dir=self.cache_dir
        )
        more = self.sources()
        loaded.events = sources.attach_sources(loaded.events, more.sources)
        return Contents(loaded, more, version)

    def load_events(
        self, event_filter: EventFilter | None = None, bounds: tuple | None = None
    ) -> pd.DataFrame:
        events = self.load().events.events
        if event_filter is not None:
            events = filter_events(events, event_filter)
        if bounds is not None:
            south, west, north, east = bounds
            latitude, longitude = events["latitude"], events["longitude"]
            inside = latitude.between(south, north) & longitude.between(west, east)
            events = events[inside.fillna(False).astype(bool)]
        return events.reset_index(drop=True)

    def sources(self) -> LoadedSources:
        return sources.read_sources(self.sources_path)

    def append_events(self, rows: pd.DataFrame, *, who: str | None = None) -> list[str]:
        return event_files.append_events(self.events_path, rows)

    def merge_duplicates(
        self,
        keep_id: str,
        merge_ids: list[str],
        *,
        seen_version: str | None = None,
        who: str | None = None,
    ) -> int:
        if seen_version is not None and seen_version != self.version():
            # Files keep no per-event history: any change to them since the analyst's view
            # may touch these events, so the merge waits for a reload.
            raise MergeConflict(
                f"{self.events_path}: the files changed since these events were shown; "
                "reload the page and choose again (nothing was merged)"
            )
        return sources.merge_events(self.events_path, self.sources_path, keep_id, merge_ids)

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
        return overrides.add_override(
            self.places_path, name, country, latitude, longitude, precision, note
        )

    def hand_places(self) -> list[Override]:
        return _places_in(self.places_path)

    def learned_places(self) -> list[Override]:
        return _places_in(self.learned_path)

    def learn_place(self, place: Override) -> None:
        overrides.add_override(
            self.learned_path,
            place.name,
            place.country,
            place.latitude,
            place.longitude,
            place.geo_precision,
            place.note,
        )

    def geocode_cache(self) -> GeocodeCache:
        return GeocodeCache(resolve_cache_dir(self.cache_dir) / CACHE_FILE)

    def history(self, event_id: str) -> list[Change]:
        return []


def _places_in(path: Path) -> list[Override]:
    """The rows of a places file (none when it is absent)."""
    return list(overrides.read_overrides(path, gazetteer=None).values())


def _stamp(path: Path) -> str:
    try:
        stat = path.stat()
    except OSError:
        return "-"
    return f"{stat.st_mtime_ns}:{stat.st_size}"
