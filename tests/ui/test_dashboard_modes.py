"""The page holds to one specification in both modes: the pandas page (small tables) and query
mode (large tables, asked of DuckDB over Parquet; here switched on by lowering the row
threshold). The same assertions run in each: status line, map features, table, panel, a step
of the date slider, a preset, a grid cell clicked."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import sys

import pytest
from streamlit.testing.v1 import AppTest

from components.table import pipeline
from components.table import schema as s
from components.ui.state import ANALYSIS_TABS, REQUESTED_VIEW
from components.ui.state import MAP as MAP_KEY
from tests.dashboard import PROJECT_ROOT
from tests.ui.apptest import MAP_DRAWN

APP = str(PROJECT_ROOT / "app.py")

ROWS = [
    {
        s.EVENT_ID: "strike-1",
        s.DATE_START: "2018-02-07",
        s.DATE_END: "2018-02-08",
        s.EVENT_TYPE: "Air/drone strike",
        s.ACTOR1: "US-led coalition",
        s.COUNTRY: "Syria",
        s.LOCATION: "Deir ez-Zor",
        s.LATITUDE: "35.336",
        s.LONGITUDE: "40.141",
        s.KILLED_MIN: "100",
        s.KILLED_MAX: "100",
        s.SOURCE_NAME: "Report A",
        s.SOURCE_TEXT: "The report behind the strike.",
    },
    {
        s.EVENT_ID: "shelling-1",
        s.DATE_START: "2018-03-01",
        s.EVENT_TYPE: "Shelling/artillery/missile attack",
        s.ACTOR1: "Pro-government forces",
        s.COUNTRY: "Syria",
        s.LOCATION: "Aleppo",
        s.LATITUDE: "36.2",
        s.LONGITUDE: "37.16",
        s.SOURCE_TEXT: "Another report.",
    },
    {
        s.EVENT_ID: "lost-1",
        s.DATE_START: "2018-04-02",
        s.EVENT_TYPE: "Air/drone strike",
        s.COUNTRY: "Syria",
        s.KILLED_MIN: "3",
    },
    {
        s.EVENT_ID: "strike-2",
        s.DATE_START: "2018-05-20",
        s.EVENT_TYPE: "Air/drone strike",
        s.ACTOR1: "US-led coalition",
        s.COUNTRY: "Iraq",
        s.LOCATION: "Mosul",
        s.LATITUDE: "36.34",
        s.LONGITUDE: "43.13",
        s.KILLED_MIN: "4",
        s.KILLED_MAX: "9",
    },
]
SOURCES = (
    "event_id,source_name,source_text,killed_min,killed_max\n"
    "strike-1,Report B,A second report of the same strike.,90,120\n"
)


@pytest.fixture(params=["pandas", "query"])
def mode(request, monkeypatch) -> str:
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    if request.param == "query":
        monkeypatch.setattr(pipeline, "QUERY_ROWS", 2)
    return request.param


@pytest.fixture
def events_file(tmp_path):
    path = tmp_path / "events.csv"
    _write(path, ROWS)
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    return path


def _write(path, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)


def run_app(events, map_state: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    sys.argv = ["app.py", "--events", str(events)]
    at.session_state[MAP_KEY] = MAP_DRAWN if map_state is None else map_state
    return at.run()


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "shown" in m.value).strip("*")


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def map_features(at: AppTest) -> list[dict]:
    """The properties of every feature the map's layer was sent."""
    layer = next(
        json.loads(e.proto.json_args)["feature_group"]
        for e in at.get("component_instance")
        if "feature_group" in e.proto.json_args
    )
    decoder = json.JSONDecoder()
    return [
        decoder.raw_decode(layer, found.end() - 1)[0]
        for found in re.finditer(r'"properties": \{', layer)
    ]


def drawn_ids(at: AppTest) -> set[str]:
    return {p["event_id"] for p in map_features(at) if "event_id" in p}


def test_the_page_opens_with_the_same_status_map_and_table(mode, events_file):
    at = run_app(events_file)

    assert not at.exception
    assert status(at) == "3 events shown · 0 filtered out · 1 not on the map"
    assert drawn_ids(at) == {"strike-1", "shelling-1", "strike-2"}
    table = next(d.value for d in at.dataframe if "event id" in d.value.columns)
    assert list(table["event id"]) == ["strike-2", "lost-1", "shelling-1", "strike-1"]
    assert list(table["killed"]) == ["4–9", "3", "not reported", "90–120"]


def test_a_step_of_the_date_slider_narrows_status_and_map(mode, events_file):
    at = run_app(events_file)
    dates = next(w for w in at.slider if w.label == "Dates")

    dates.set_value((dt.date(2018, 2, 20), dt.date(2018, 4, 30))).run()

    assert status(at) == "1 event shown · 2 filtered out · 1 not on the map"
    assert drawn_ids(at) == {"shelling-1"}


def test_a_preset_keeps_the_last_days_of_the_data(mode, events_file):
    at = run_app(events_file)

    next(w for w in at.button_group if w.label == "Time window").set_value("Last 30 days").run()

    assert next(w for w in at.slider if w.label == "Dates").value == (
        dt.date(2018, 4, 21),
        dt.date(2018, 5, 20),
    )
    assert status(at) == "1 event shown · 3 filtered out · 0 not on the map"
    assert drawn_ids(at) == {"strike-2"}


def test_a_click_on_an_event_opens_its_panel_with_every_report(mode, events_file):
    click = {
        "last_active_drawing": {"type": "Feature", "properties": {"event_id": "strike-1"}},
        "last_object_clicked_count": 3,
    }
    at = run_app(events_file, map_state=click)

    shown = texts(at)
    assert "The report behind the strike." in shown
    assert "A second report of the same strike." in shown
    assert any("2 reports of this strike" in m.value for m in at.markdown)


def test_the_sidebar_and_summary_agree(mode, events_file):
    at = run_app(events_file)
    at.multiselect(key="type").select("Air/drone strike").run()
    assert status(at) == "2 events shown · 1 filtered out · 1 not on the map"

    at.session_state[ANALYSIS_TABS] = "Summary of this view"
    at.run()
    summary = texts(at)
    assert "Events: 3" in summary
    assert "Killed: 97–132 in 3 events (or more: 1 event gives only a lowest figure)" in summary


def test_a_crowded_view_is_grouped_into_cells_and_a_cell_click_zooms_in(mode, tmp_path):
    crowd = [
        {
            s.EVENT_ID: f"crowd-{n}",
            s.DATE_START: f"2020-01-{1 + n % 28:02d}",
            s.EVENT_TYPE: "Shelling/artillery/missile attack",
            s.LATITUDE: f"{48 + (n % 70) / 10:.2f}",
            s.LONGITUDE: f"{30 + (n // 70) / 10:.2f}",
            s.KILLED_MIN: str(n % 5),
        }
        for n in range(5_200)
    ]
    path = tmp_path / "crowd.csv"
    _write(path, crowd)

    at = run_app(path)

    assert status(at) == "5,200 events shown · 0 filtered out · 0 not on the map"
    cells = [p for p in map_features(at) if "count" in p]
    assert cells and sum(p["count"] for p in cells) == 5_200
    assert any("5,200 events in view, grouped into" in c.value for c in at.caption)
    biggest = max(cells, key=lambda p: p["count"])
    at.session_state[MAP_KEY] = {
        "last_active_drawing": {"type": "Feature", "properties": biggest},
        "last_object_clicked_count": 1,
    }
    at.run()
    requested = at.session_state[REQUESTED_VIEW]
    south, west, north, east = biggest["zoom_to"]
    assert south <= requested.center[0] <= north and west <= requested.center[1] <= east
    assert requested.zoom == biggest["zoom"]
