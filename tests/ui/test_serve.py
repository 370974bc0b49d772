"""`python -m components serve`: the page's options as `streamlit run app.py -- …` reads them,
and the events read beside the server into the very cache the first page asks.

The browser tests start every dashboard this way (benchmarks/page.py), so the page served
after a read-ahead is specified there."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from components import SHIPPED_EVENTS, SHIPPED_PLACES
from components.table import schema as s
from components.ui import dashboard
from components.ui.serve import EVENTS_ENV, PLACES_ENV, app_arguments


def test_the_page_opens_the_shipped_files_when_given_none(monkeypatch) -> None:
    monkeypatch.delenv(EVENTS_ENV, raising=False)
    monkeypatch.delenv(PLACES_ENV, raising=False)
    arguments = app_arguments([])
    assert (arguments.events, arguments.places) == (SHIPPED_EVENTS, SHIPPED_PLACES)


def test_the_command_line_wins_over_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(EVENTS_ENV, str(tmp_path / "from-env.csv"))
    monkeypatch.setenv(PLACES_ENV, str(tmp_path / "places-env.csv"))
    arguments = app_arguments(["--events", str(tmp_path / "given.csv")])
    assert arguments.events == tmp_path / "given.csv"
    assert arguments.places == tmp_path / "places-env.csv"


def test_events_read_ahead_are_the_ones_the_first_page_gets(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    header = ",".join(s.CANONICAL_COLUMNS)
    row = {s.EVENT_ID: "e-1", s.DATE_START: "2024-03-01", s.EVENT_TYPE: "Air/drone strike"}
    row |= {s.LATITUDE: "36.2", s.LONGITUDE: "37.1", s.SOURCE_TEXT: "A report."}
    events.write_text(
        header + "\n" + ",".join(row.get(c, "") for c in s.CANONICAL_COLUMNS) + "\n",
        encoding="utf-8",
    )
    places = tmp_path / "places.csv"
    dashboard.read_ahead(events, places)
    first_page = dashboard._load(str(events), str(places))
    # The same object, not an equal one: the page found the read-ahead's answer in the cache.
    assert first_page is dashboard._load(str(events), str(places))
    loaded = first_page.events.events
    assert list(loaded[s.EVENT_ID]) == ["e-1"]
    assert (loaded[s.LATITUDE].iloc[0], loaded[s.LONGITUDE].iloc[0]) == (36.2, 37.1)


def test_reading_ahead_leaves_the_map_frame_to_the_page() -> None:
    # streamlit-folium registers its frame with the server only when imported inside a page's
    # run; imported by the read-ahead, the map's frame would be missing (HTTP 404).
    imports = "import sys; from components.ui import dashboard, report; "
    imports += "print('streamlit_folium' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", imports], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"
