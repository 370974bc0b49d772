"""Start the dashboard with its imports and its events already on the way.

``streamlit run app.py`` imports the page's modules and reads the events file only when the
first browser connects, so the first page waits for both (seconds at a million events).
``python -m components serve`` starts the same server and, beside it, imports the page and
reads the events into the same cache the page asks: the first browser finds them ready, or
waits only for what is left.
"""

from __future__ import annotations

import argparse
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from components import PROJECT_ROOT, SHIPPED_EVENTS, SHIPPED_PLACES

__all__ = ["APP", "app_arguments", "serve"]

APP = PROJECT_ROOT / "app.py"
EVENTS_ENV, PLACES_ENV = "STRIKEMAP_EVENTS", "STRIKEMAP_PLACES"
WATCHER_ENV = "STREAMLIT_SERVER_FILE_WATCHER_TYPE"
READ_AHEAD_THREAD = "strikemap-read-ahead"
BUILD_AHEAD_THREAD = "strikemap-build-ahead"
# Streamlit warns at each call made outside a page's run; reading ahead makes such calls.
_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"

log = logging.getLogger(__name__)


def app_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The page's own options (after ``--`` on Streamlit's command line)."""
    parser = argparse.ArgumentParser(prog="streamlit run app.py --")
    events = Path(os.environ.get(EVENTS_ENV, SHIPPED_EVENTS))
    parser.add_argument("--events", type=Path, default=events, help="canonical events CSV")
    places = Path(os.environ.get(PLACES_ENV, SHIPPED_PLACES))
    parser.add_argument("--places", type=Path, default=places, help="places placed by hand")
    return parser.parse_known_args(list(argv))[0]


def serve(app_argv: Sequence[str], streamlit_options: Sequence[str]) -> int:
    """Run the dashboard server until it stops, reading ahead for its first page.

    The server does not watch the project's files for changes (Streamlit's watcher walks and
    hashes them on the thread that also answers the browser: about 0.3 s of it per page
    opened); restart it after editing the code, or set STREAMLIT_SERVER_FILE_WATCHER_TYPE.
    """
    os.environ.setdefault(WATCHER_ENV, "none")
    arguments = app_arguments(app_argv)
    # Streamlit is imported before the read-ahead starts: imported by two threads at once, it
    # was once left half made in one of them, and the start failed ("DeltaGeneratorSingleton
    # instance already exists"). It costs the read-ahead a fifth of a second.
    from streamlit.web import cli

    ahead = threading.Thread(
        target=_read_ahead,
        args=(arguments.events, arguments.places),
        name=READ_AHEAD_THREAD,
        daemon=True,
    )
    ahead.start()
    command = ["run", str(APP), *streamlit_options, "--", *app_argv]
    return cli.main.main(args=command, prog_name="streamlit", standalone_mode=False) or 0


def _read_ahead(events: Path, places: Path) -> None:
    """Import the page and load its events; the page shows any problem itself, later."""
    logging.getLogger(_CONTEXT_LOGGER).addFilter(_not_reading_ahead)
    # A large file with no cache is built beside the imports, not after them (they take a
    # core for a second or two; the build's parsing and writing run without Python's lock).
    threading.Thread(
        target=_build_ahead, args=(events, places), name=BUILD_AHEAD_THREAD, daemon=True
    ).start()
    try:
        from components.ui import dashboard, report  # noqa: F401  (the pages' imports)

        _warm_up_the_map()
        dashboard.read_ahead(events, places)
    except Exception:  # reading ahead only saves time: the first page tries again
        log.exception("reading %s ahead for the first page failed", events)


def _build_ahead(events: Path, places: Path) -> None:
    """Build the query mode's cache of a large events file, as the page would (the same key:
    the page then finds it built, or waits for it on the cache's lock)."""
    try:
        from components import storage
        from components.table import pipeline, sources

        if storage.database_url() or not pipeline.wants_query_mode(events):
            return  # the database is asked in place; a small file loads with the page
        more = sources.read_sources(sources.sources_path(events))
        pipeline.load_columnar(events, places, more.sources)
    except Exception:  # the page builds it again and shows what went wrong
        log.exception("building the cache of %s ahead failed", events)


def _warm_up_the_map() -> None:
    """Import folium's plugins and compile its page templates once, as the first map would.

    streamlit-folium itself waits for the page's run (it registers its frame with the server
    only there); the plugins it imports and the templates do not.
    """
    import folium.plugins  # noqa: F401

    from components.map import basemap

    basemap.base_map((0.0, 0.0), 2).get_root().render()


def _not_reading_ahead(record: logging.LogRecord) -> bool:
    """Keep Streamlit's warnings, except those about the read-ahead threads' calls."""
    return record.threadName not in (READ_AHEAD_THREAD, BUILD_AHEAD_THREAD)
