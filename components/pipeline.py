"""From a file to placed events: load and validate, then geocode the rows that lack a place."""

from __future__ import annotations

from pathlib import Path

from components.events import LoadedEvents, read_events
from components.geocoder import GeocodeCache, geocode_events
from components.places import DEFAULT_PLACES_FILE

__all__ = ["load_placed_events"]


def load_placed_events(path: Path, places_file: Path | None = DEFAULT_PLACES_FILE) -> LoadedEvents:
    """Read an events CSV, keep its good rows, and give coordinates to those that lack them.

    Places named in ``places_file`` (placed by hand) win over the gazetteer. Answers are kept
    in the on-disk geocode cache, so each place is looked up once.
    """
    loaded = read_events(path)
    loaded.events = geocode_events(loaded.events, cache=GeocodeCache(), places_file=places_file)
    return loaded
