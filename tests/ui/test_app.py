"""The dashboard page, run headless with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.ui.data import merge_events
from components.ui.state import ANALYSIS_TABS, PLACE_BY_HAND
from components.ui.state import MAP as MAP_KEY
from tests.dashboard import PROJECT_ROOT, SHIPPED_EVENTS
from tests.ui.apptest import MAP_DRAWN

APP = str(PROJECT_ROOT / "app.py")

STRIKE = {
    "event_id": "strike-1",
    "date_start": "2018-02-07",
    "date_end": "2018-02-08",
    "event_type": "Air/drone strike",
    "actor1": "US-led coalition",
    "actor2": "Pro-government forces",
    "country": "Syria",
    "location": "Deir ez-Zor",
    "killed_min": "100",
    "killed_max": "100",
    "source_name": "Report A",
    "source_text": "The report behind the strike.",
}
SHELLING = {
    "event_id": "shelling-1",
    "date_start": "2018-03-01",
    "event_type": "Shelling/artillery/missile attack",
    "actor1": "Pro-government forces",
    "actor2": "SDF",
    "country": "Syria",
    "location": "Aleppo",
    "latitude": "36.2",
    "longitude": "37.16",
    "source_text": "Another report.",
}


def run_app(events: Path, map_state: dict | None = None, places: Path | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    sys.argv = ["app.py", "--events", str(events)]
    if places is not None:
        sys.argv += ["--places", str(places)]
    at.session_state[MAP_KEY] = MAP_DRAWN if map_state is None else map_state
    return at.run()


def status(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "shown" in m.value).strip("*")


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def page_text(at: AppTest) -> str:
    """What a reader sees in plain-text and HTML elements, tags removed."""
    bodies = [html.unescape(re.sub(r"<[^>]+>", "", e.proto.body)) for e in at.get("html")]
    return "\n".join([texts(at), *(m.value for m in at.markdown), *bodies])


def click(event_id: str, count: int = 3) -> dict:
    """The state st_folium returns after a click on the feature of ``event_id``."""
    return {
        "last_active_drawing": {"type": "Feature", "properties": {"event_id": event_id}},
        "last_object_clicked_count": count,
    }


@pytest.fixture(autouse=True)
def keep_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", list(sys.argv))


def test_shipped_data_shows_both_seed_events_on_the_map() -> None:
    at = run_app(SHIPPED_EVENTS)
    assert not at.exception
    assert status(at) == "2 events shown · 0 filtered out · 0 not on the map"


def test_narrowing_the_dates_filters_events_out(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]))
    assert status(at).startswith("2 events shown")
    dates = next(s for s in at.slider if s.label == "Dates")
    dates.set_value((dt.date(2018, 2, 20), dt.date(2018, 3, 1))).run()
    assert status(at) == "1 event shown · 1 filtered out · 0 not on the map"


def test_killed_filter_keeps_unknown_casualties_only_when_asked(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]))
    killed = next(s for s in at.slider if s.label == "Killed")
    killed.set_value((50, 100)).run()
    assert status(at).startswith("2 events shown")
    at.checkbox(key="unknown").uncheck().run()
    assert status(at).startswith("1 event shown")


def test_event_type_filter(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]))
    at.multiselect(key="type").select("Air/drone strike").run()
    assert status(at) == "1 event shown · 1 filtered out · 0 not on the map"


def test_actor_filter_matches_striker_or_struck(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]))
    at.multiselect(key="actor").select("Pro-government forces").run()
    assert status(at).startswith("2 events shown")
    at.multiselect(key="actor").unselect("Pro-government forces").select("SDF").run()
    assert status(at).startswith("1 event shown")


def test_clicked_marker_opens_the_source_text_of_that_event(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]), map_state=click("strike-1"))
    shown = page_text(at)
    assert "The report behind the strike." in shown
    assert "Killed: 100" in shown
    assert "Source: Report A" in shown
    assert "Another report." not in shown


def test_without_a_click_the_panel_invites_one(write_events) -> None:
    at = run_app(write_events([STRIKE]))
    assert "Click a point on the map" in texts(at)


def test_unplaceable_event_is_counted_as_not_on_the_map(write_events) -> None:
    lost = {**SHELLING, "event_id": "x", "location": "Qqqxzzv", "latitude": "", "longitude": ""}
    at = run_app(write_events([STRIKE, lost]))
    assert status(at) == "1 event shown · 0 filtered out · 1 not on the map"


def test_bad_rows_are_reported_and_good_rows_still_load(write_events) -> None:
    at = run_app(write_events([STRIKE, {**SHELLING, "date_start": "yesterday"}]))
    assert not at.exception
    assert "1 row of the events file was left out" in at.warning[0].value
    assert "row 3, column date_start" in texts(at)
    assert status(at).startswith("1 event shown")


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"name,place\nfoo,bar\n"])
def test_unusable_file_gives_one_clear_message_and_no_traceback(tmp_path, content) -> None:
    path = tmp_path / "events.csv"
    path.write_bytes(content)
    at = run_app(path)
    assert not at.exception
    assert at.error[0].value == "The events file cannot be used."
    assert str(path) in texts(at)


def test_missing_file_is_named_in_the_message(tmp_path) -> None:
    at = run_app(tmp_path / "nowhere.csv")
    assert not at.exception
    assert "nowhere.csv: no such file" in texts(at)


def test_hostile_report_text_is_shown_as_plain_text(write_events) -> None:
    payload = "<img src=x onerror=alert(1)> ${alert(2)} [link](javascript:alert(3)) **bold**"
    at = run_app(
        write_events([{**STRIKE, "source_text": payload, "event_type": "<b>x</b>"}]),
        map_state=click("strike-1"),
    )
    assert payload in [t.value for t in at.text]
    assert all(payload not in m.value for m in at.markdown)
    assert all("<b>x</b>" not in e.proto.body for e in at.get("html"))
    assert "&lt;b&gt;x&lt;/b&gt;" in "".join(e.proto.body for e in at.get("html"))


def test_an_event_not_on_the_map_can_be_placed_by_hand_and_then_is_on_the_map(
    write_events, tmp_path
) -> None:
    village = {
        **SHELLING,
        "event_id": "v",
        "location": "Qaryat Zzyzx",
        "latitude": "",
        "longitude": "",
    }
    places_file = tmp_path / "places.csv"
    at = run_app(write_events([STRIKE, village]), places=places_file)
    assert status(at).endswith("1 not on the map")
    assert [e.label for e in at.expander] == ["1 event not on the map: place it by hand"]
    # Closed, the box asks for nothing: no rows listed, no suggestions looked up.
    assert not [r for r in at.radio if r.label == "Where is it?"]
    at.session_state[PLACE_BY_HAND] = True  # the analyst opens the box
    at.run()

    where = next(r for r in at.radio if r.label == "Where is it?")
    where.set_value(len(where.options) - 1).run()  # coordinates typed by hand
    latitude, longitude = (n for n in at.number_input if n.label in ("Latitude", "Longitude"))
    latitude.set_value(35.39).run()
    longitude.set_value(40.27).run()
    next(b for b in at.button if b.label.startswith("Save this place")).click().run()

    assert "Qaryat Zzyzx" in places_file.read_text(encoding="utf-8")
    assert status(at) == "2 events shown · 0 filtered out · 0 not on the map"


def test_merging_an_upload_replaces_events_with_the_same_id_and_keeps_the_rest() -> None:
    current = pd.DataFrame({"event_id": ["a", "b"], "notes": ["old a", "old b"]})
    added = pd.DataFrame({"event_id": ["b", "c"], "notes": ["new b", "new c"]})
    merged = merge_events(current, added)
    assert dict(zip(merged["event_id"], merged["notes"], strict=True)) == {
        "a": "old a",
        "b": "new b",
        "c": "new c",
    }


LATER_STRIKE = {**STRIKE, "event_id": "strike-2", "date_start": "2018-05-20", "date_end": ""}


def test_typed_dates_move_the_time_window(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING, LATER_STRIKE]))
    start = next(d for d in at.date_input if d.label == "From")
    start.set_value(dt.date(2018, 2, 20)).run()
    assert status(at) == "2 events shown · 1 filtered out · 0 not on the map"
    dates = next(s for s in at.slider if s.label == "Dates")
    assert dates.value == (dt.date(2018, 2, 20), dt.date(2018, 5, 20))


def test_the_slider_and_the_typed_dates_show_the_same_window(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING, LATER_STRIKE]))
    dates = next(s for s in at.slider if s.label == "Dates")
    dates.set_value((dt.date(2018, 3, 1), dt.date(2018, 3, 31))).run()
    typed = {d.label: d.value for d in at.date_input if d.label in ("From", "To")}
    assert typed == {"From": dt.date(2018, 3, 1), "To": dt.date(2018, 3, 31)}
    assert status(at).startswith("1 event shown")


def test_typing_the_end_before_the_start_swaps_them(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING, LATER_STRIKE]))
    next(d for d in at.date_input if d.label == "From").set_value(dt.date(2018, 5, 1)).run()
    next(d for d in at.date_input if d.label == "To").set_value(dt.date(2018, 3, 1)).run()
    dates = next(s for s in at.slider if s.label == "Dates")
    assert dates.value == (dt.date(2018, 3, 1), dt.date(2018, 5, 1))
    assert status(at).startswith("1 event shown")


def open_tab(at: AppTest, label: str) -> AppTest:
    """Open one of the tabs under the map (only the open one is computed)."""
    at.session_state[ANALYSIS_TABS] = label
    return at.run()


def test_the_summary_adds_up_the_view_and_says_that_unknowns_are_left_out(write_events) -> None:
    at = open_tab(run_app(write_events([STRIKE, SHELLING])), "Summary of this view")
    summary = texts(at)
    assert "Events: 2" in summary
    assert "Killed: 100 in 1 event; 1 event reports no figure and is left out" in summary


SECOND_REPORT = {
    **STRIKE,
    "event_id": "strike-1-again",
    "date_start": "2018-02-08",
    "date_end": "",
    "latitude": "35.34",
    "longitude": "40.15",
    "killed_min": "90",
    "killed_max": "120",
    "source_name": "Report B",
    "source_text": "A second report of the same strike.",
}
PLACED_STRIKE = {**STRIKE, "latitude": "35.336", "longitude": "40.141"}


def test_likely_duplicates_are_suggested_and_merged_into_one_event(write_events) -> None:
    path = write_events([PLACED_STRIKE, SECOND_REPORT, SHELLING])
    at = open_tab(run_app(path), "Likely duplicates")
    next(b for b in at.button if b.label.startswith("Look among the 3 events")).click().run()
    assert "1 group(s) of likely duplicates." in texts(at)
    next(b for b in at.button if b.label == "Merge into the kept event").click().run()

    assert "strike-1-again" not in path.read_text(encoding="utf-8")
    assert "A second report of the same strike." in (path.parent / "sources.csv").read_text(
        encoding="utf-8"
    )
    assert status(at).startswith("2 events shown")


def test_the_panel_lists_every_report_of_a_strike_and_the_range_spans_them(write_events) -> None:
    path = write_events([PLACED_STRIKE, SHELLING])
    (path.parent / "sources.csv").write_text(
        "event_id,source_name,source_text,killed_min,killed_max\n"
        "strike-1,Report B,A second report of the same strike.,90,120\n",
        encoding="utf-8",
    )
    at = run_app(path, map_state=click("strike-1"))
    shown = page_text(at)
    assert "2 reports of this strike" in shown
    assert "Killed: 90–120" in shown
    assert "The report behind the strike." in shown
    assert "A second report of the same strike." in shown


def test_a_preset_keeps_the_last_days_of_the_data(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING, LATER_STRIKE]))
    preset = next(w for w in at.button_group if w.label == "Time window")
    preset.set_value("Last 30 days").run()
    dates = next(s for s in at.slider if s.label == "Dates")
    assert dates.value == (dt.date(2018, 4, 21), dt.date(2018, 5, 20))
    assert status(at) == "1 event shown · 2 filtered out · 0 not on the map"


def test_points_can_be_coloured_by_confidence_and_filtered_by_it(write_events) -> None:
    path = write_events([PLACED_STRIKE, SHELLING])
    (path.parent / "sources.csv").write_text(
        "event_id,source_name,source_text\nstrike-1,Report B,A second report.\n", encoding="utf-8"
    )
    at = run_app(path)
    next(r for r in at.radio if r.label == "Colour the points by").set_value("confidence").run()
    assert "Colour: confidence" in page_text(at)
    assert "several sources" in page_text(at)
    grades = next(m for m in at.multiselect if m.label == "Confidence")
    grades.select("several sources").run()
    assert status(at) == "1 event shown · 1 filtered out · 0 not on the map"


def test_the_timeline_charts_and_the_table_wait_until_the_map_has_drawn(write_events) -> None:
    # The page's first run, before the map's frame has sent anything: status, map and slider.
    at = AppTest.from_file(APP, default_timeout=60)
    sys.argv = ["app.py", "--events", str(write_events([STRIKE, SHELLING]))]
    at.run()
    assert status(at) == "2 events shown · 0 filtered out · 0 not on the map"
    assert any(slider.label == "Dates" for slider in at.slider)
    assert at.get("vega_lite_chart") == []
    assert [d for d in at.dataframe if "event id" in d.value.columns] == []
    assert "The table follows once the map is drawn." in [c.value for c in at.caption]

    # The map has drawn and says so: the same page run again brings them.
    at.session_state[MAP_KEY] = MAP_DRAWN
    at.run()
    assert len(at.get("vega_lite_chart")) == 2
    table = next(d.value for d in at.dataframe if "event id" in d.value.columns)
    assert list(table["event id"]) == ["shelling-1", "strike-1"]
    assert "The table follows once the map is drawn." not in [c.value for c in at.caption]


def test_the_events_table_lists_the_events_shown_latest_first(write_events) -> None:
    at = run_app(write_events([STRIKE, SHELLING]))
    table = next(d.value for d in at.dataframe if "event id" in d.value.columns)
    assert list(table["event id"]) == ["shelling-1", "strike-1"]
    assert list(table["killed"]) == ["not reported", "100"]


def test_the_events_table_sorts_by_killed_and_pages() -> None:
    from components.ui import events_table

    count = 60
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(count)],
            "date_start": pd.to_datetime(["2018-02-07"] * count),
            "killed_min": pd.array([*range(count - 1), None], dtype="Int64"),
            "killed_max": pd.array([*range(count - 1), None], dtype="Int64"),
            "event_type": [""] * count,
            "location": [""] * count,
            "admin1": [""] * count,
            "country": [""] * count,
        }
    )
    first = events_table.table_page(frame, "killed, most first", 0)
    second = events_table.table_page(frame, "killed, most first", 1)
    assert list(first["event id"][:3]) == ["e58", "e57", "e56"]
    assert len(first) == events_table.PAGE_ROWS
    assert len(second) == count - events_table.PAGE_ROWS
    # Not reported sorts last, whichever the direction.
    assert list(second["event id"])[-1] == f"e{count - 1}"
    assert list(second["killed"])[-1] == "not reported"


def test_the_killed_chart_draws_each_month_as_a_range(write_events) -> None:
    from components.ui import analysis
    from components.view import summary

    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "date_start": pd.to_datetime(["2018-02-07", "2018-03-01"]),
            "killed_min": pd.array([10, 3], dtype="Int64"),
            "killed_max": pd.array([40, 3], dtype="Int64"),
            "injured_min": pd.array([None, None], dtype="Int64"),
            "injured_max": pd.array([None, None], dtype="Int64"),
            "location": ["Raqqa", "Aleppo"],
            "admin1": ["", ""],
            "country": ["Syria", "Syria"],
        }
    )
    chart = analysis.killed_range_chart(summary.summary_by_month(frame)).to_dict()
    data = next(iter(chart["datasets"].values()))
    assert [(d["lowest"], d["highest"]) for d in data] == [(10, 40), (3, 3)]
    span = chart["layer"][0]["encoding"]
    assert span["y"]["field"] == "lowest" and span["y2"]["field"] == "highest"


def test_the_places_chart_lists_places_by_count_with_whole_names() -> None:
    from components.ui import analysis

    by_place = pd.DataFrame(
        {"events": [9, 4, 1]},
        index=pd.Index(
            ["A very long place name, Syria", "Zabadani, Syria", "Aleppo, Syria"], name="place"
        ),
    )
    chart = analysis.place_chart(by_place, "events", "#000").to_dict()
    y = chart["encoding"]["y"]
    assert y["sort"] == list(by_place.index)
    assert y["axis"]["labelLimit"] == 0


def test_the_timeline_shades_the_chosen_window_on_a_time_axis() -> None:
    from components.ui import time as ui_time

    counts = pd.DataFrame(
        {"events": [1, 0, 2], "killed (lowest reported)": [0, 0, 5]},
        index=pd.Index(["2018-01", "2018-02", "2018-03"], name="month"),
    )
    chart = ui_time.timeline_chart(
        counts, "events", "#000", (dt.date(2018, 2, 1), dt.date(2018, 2, 28)), "M"
    ).to_dict()
    band, bars = chart["layer"]
    assert bars["encoding"]["x"]["type"] == "temporal"
    shade = chart["datasets"][band["data"]["name"]][0]
    assert shade["from"].startswith("2018-02-01") and shade["to"].startswith("2018-03-01")
