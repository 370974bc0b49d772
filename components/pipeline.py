"""From a file to placed events: load and validate, then geocode the rows that lack a place."""

from __future__ import annotations

from pathlib import Path

from components.events import LoadedEvents, read_events
from components.geocoder import GeocodeCache, geocode_events

__all__ = ["load_placed_events"]


def load_placed_events(path: Path) -> LoadedEvents:
    """Read an events CSV, keep its good rows, and give coordinates to those that lack them.

    Answers are kept in the on-disk geocode cache, so each place is looked up once.
    """
    loaded = read_events(path)
    loaded.events = geocode_events(loaded.events, cache=GeocodeCache())
    return loaded
