"""The one storage interface the pages, the command line and the coder talk to.

Two back ends implement it: :mod:`components.storage.files` (the CSV files beside the app,
today's default) and :mod:`components.storage.postgres` (a shared PostgreSQL/PostGIS
database). :func:`components.storage.open_store` picks one.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pandas as pd

from components.geo.geocoder import GeocodeCache
from components.geo.overrides import Override
from components.table.errors import StrikemapError
from components.table.events import LoadedEvents
from components.table.sources import LoadedSources, MergeError
from components.view.filters import EventFilter

__all__ = [
    "Change",
    "Contents",
    "MergeConflict",
    "Store",
    "StoreError",
    "current_user",
]


class StoreError(StrikemapError, RuntimeError):
    """The store cannot be reached or used (no server, wrong URL, tables missing)."""


class MergeConflict(MergeError):
    """A merge refused because another analyst changed one of its events meanwhile."""


@dataclass(frozen=True)
class Change:
    """One line of an event's history: who did what, when."""

    at: dt.datetime
    who: str
    action: str
    detail: str


@dataclass
class Contents:
    """Everything the dashboard shows: placed events with their sources attached."""

    events: LoadedEvents
    sources: LoadedSources
    version: str


@runtime_checkable
class Store(Protocol):
    """Where the events, their sources, the places and the geocoder's answers live."""

    kind: str  # "files" or "database"

    def version(self) -> str:
        """A token that changes whenever anything in the store changes (for caches)."""
        ...

    def load(self) -> Contents:
        """Every event, placed, with its sources attached (figures span every source)."""
        ...

    def load_events(
        self, event_filter: EventFilter | None = None, bounds: tuple | None = None
    ) -> pd.DataFrame:
        """The placed events that pass ``event_filter`` inside ``bounds`` (s, w, n, e)."""
        ...

    def sources(self) -> LoadedSources:
        """The extra reports of events, one row each."""
        ...

    def append_events(self, rows: pd.DataFrame, *, who: str | None = None) -> list[str]:
        """Save new events (canonical columns) in one step; return their ids."""
        ...

    def merge_duplicates(
        self,
        keep_id: str,
        merge_ids: list[str],
        *,
        seen_version: str | None = None,
        who: str | None = None,
    ) -> int:
        """Merge events into ``keep_id``; refuse (MergeConflict) if one changed since
        ``seen_version``. Returns the number of sources rows written."""
        ...

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
        """Put every event naming ``name`` in ``country`` at this point, now and later."""
        ...

    def hand_places(self) -> list[Override]:
        """The places set by hand."""
        ...

    def learned_places(self) -> list[Override]:
        """Places the geocoder learned (kept apart from the ones set by hand)."""
        ...

    def learn_place(self, place: Override) -> None:
        """Remember a learned place (replacing one of the same name and country)."""
        ...

    def geocode_cache(self) -> GeocodeCache:
        """The geocoder's answer cache, shared by everyone using this store."""
        ...

    def history(self, event_id: str) -> list[Change]:
        """What happened to one event, oldest first (empty where no history is kept)."""
        ...


def current_user() -> str:
    """Who is making a change: $STRIKEMAP_USER, else the login name."""
    name = os.environ.get("STRIKEMAP_USER", "").strip()
    if name:
        return name[:200]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
