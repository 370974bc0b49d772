"""From a file to placed events: load and validate, then geocode the rows that lack a place."""

from __future__ import annotations

import os
from pathlib import Path

from components.geo.gazetteer import resolve_cache_dir
from components.geo.geocoder import CACHE_FILE, GeocodeCache, geocode_events
from components.geo.overrides import DEFAULT_PLACES_FILE
from components.table import cache as event_cache
from components.table.events import LoadedEvents, read_events

__all__ = ["load_placed_events"]


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
