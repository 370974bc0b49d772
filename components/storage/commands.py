"""The ``db`` verbs of the command line: init, load and dump (the logic; cli/main.py parses)."""

from __future__ import annotations

import sys
from pathlib import Path

from components.storage import database_url
from components.storage.base import StoreError

__all__ = ["run_db"]


def run_db(action: str, url: str | None, path: Path | None, places: Path | None) -> int:
    """Create the tables, load the canonical files into the database, or dump them out."""
    from components.storage import transfer
    from components.storage.postgres import PostgresStore, redacted

    chosen = database_url(url)
    if chosen is None:
        raise StoreError(
            "no database given: set STRIKEMAP_DATABASE_URL or pass --database URL "
            "(`make db` starts a local one and prints its URL)"
        )
    if action != "init" and path is None:
        raise StoreError(f"db {action} needs a file: python -m components db {action} FILE.csv")
    store = PostgresStore(chosen)
    try:
        store.init()
        if action == "init":
            print(f"db init: tables ready in {redacted(chosen)}")
        elif action == "load":
            places = places if places is not None else Path(path).with_name("places.csv")
            report = transfer.load_files(store, path, places)
            for problem in report.problems:
                print(problem, file=sys.stderr)
            print(f"db load: {report.summary()} into {redacted(chosen)}")
        else:
            events, sources, hand = transfer.dump_files(store, path)
            print(
                f"db dump: {events:,} events to {path}, {sources:,} sources and {hand:,} hand "
                "places beside it"
            )
    finally:
        store.close()
    return 0
