"""Where Strikemap keeps its data: files beside the app (the default) or a shared
PostgreSQL/PostGIS database, chosen by ``STRIKEMAP_DATABASE_URL`` (or ``--database URL``).

    store = open_store(events_path, places_path)
    contents = store.load()
    store.append_events(rows)

The only place with SQL is this package.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from components import SHIPPED_EVENTS
from components.storage.base import Change, Contents, MergeConflict, Store, StoreError
from components.storage.files import FileStore

__all__ = [
    "DATABASE_URL_ENV",
    "Change",
    "Contents",
    "MergeConflict",
    "Store",
    "StoreError",
    "database_url",
    "open_store",
]

DATABASE_URL_ENV = "STRIKEMAP_DATABASE_URL"
_stores: dict[str, Store] = {}
_lock = threading.Lock()


def database_url(url: str | None = None) -> str | None:
    """The database to use: ``url`` if given, else $STRIKEMAP_DATABASE_URL; None for files."""
    chosen = url if url is not None else os.environ.get(DATABASE_URL_ENV, "")
    return chosen.strip() or None


def open_store(
    events_path: str | os.PathLike[str] | None = None,
    places_path: str | os.PathLike[str] | None = None,
    *,
    url: str | None = None,
) -> Store:
    """The database store when a URL is set (one per URL and process), else the files."""
    chosen = database_url(url)
    if chosen is None:
        events = Path(events_path) if events_path else SHIPPED_EVENTS
        return FileStore(events, places_path)
    with _lock:
        if chosen not in _stores:
            from components.storage.postgres import PostgresStore

            store = PostgresStore(chosen)
            store.init()
            _stores[chosen] = store
        return _stores[chosen]
