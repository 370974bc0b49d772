"""Issue 18 through the dashboard (AppTest): one bad cell, header or side-file row never takes
the page down; the good rows show and the bad ones are named in one line each."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.formats import writers
from components.table import sources as src
from components.ui.state import MAP
from tests.dashboard import PROJECT_ROOT
from tests.ui.apptest import MAP_DRAWN

APP = str(PROJECT_ROOT / "app.py")
HEADER = "event_id,date_start,event_type,location,latitude,longitude,killed_min,killed_max"
GOOD = "good,2018-02-07,Air/drone strike,Aleppo,36.2,37.15,1,2"
OTHER = "other,2018-02-09,Air/drone strike,Idlib,35.93,36.63,4,5"


def run_app(events: Path, places: Path | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    sys.argv = ["app.py", "--events", str(events), "--places", str(places or events.parent / "p")]
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.session_state[MAP] = MAP_DRAWN
    return at.run()


def write(tmp_path: Path, *lines: str, name: str = "events.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n".join(lines) + "\n").encode())
    return path


def shown(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "shown" in m.value)


def everything(at: AppTest) -> str:
    parts = [t.value for t in at.text] + [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def assert_up_with(at: AppTest, events: int) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert shown(at).startswith(f"**{events} event"), shown(at)


CASES = {
    "year typo 1018": ("typo,1018-02-07,Air/drone strike,A,36,37,1,2", "check the year"),
    "year typo 9999": ("typo,9999-12-31,Air/drone strike,A,36,37,1,2", "check the year"),
    "figure 2**53": ("typo,2018-02-07,Air/drone strike,A,36,37,10000000000000000,", "at most"),
    "figure 1e30": ("typo,2018-02-07,Air/drone strike,A,36,37,1e30,", "at most"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_cell_is_named_and_the_good_rows_show(tmp_path, case):
    row, words = CASES[case]
    at = run_app(write(tmp_path, HEADER, GOOD, row, OTHER))
    assert_up_with(at, 2)
    assert "row 3" in everything(at) and words in everything(at)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        (HEADER + ",extra,extra", GOOD + ",x,y"),
        (HEADER + ",event_id", GOOD + ",second"),
        (HEADER + ",_row", GOOD + ",5000"),
        (HEADER + ",killed_min_own,killed_max_own", GOOD + ",lots,-3"),
        (HEADER + ",source_count,matched_name", GOOD + ",,"),
    ],
)
def test_a_repeated_or_reserved_header_keeps_the_page_up(tmp_path, header, row):
    at = run_app(write(tmp_path, header, row))
    assert not at.exception, at.exception
    assert not at.error
    assert "row 1" in everything(at)


def test_a_bad_figure_in_sources_costs_only_that_row(tmp_path):
    events = write(tmp_path, HEADER, GOOD, OTHER)
    write(tmp_path, "event_id,source_name,killed_min", "good,AFP,1e30", "good,SANA,3",
          name="sources.csv")  # fmt: skip
    at = run_app(events)
    assert_up_with(at, 2)
    assert "sources file" in everything(at) and "row 2" in everything(at)


def test_a_bad_row_in_places_and_a_semicolon_bom_places_file_keep_the_page(tmp_path):
    events = write(
        tmp_path, HEADER, GOOD, "unplaced,2018-02-08,Air/drone strike,Nowhereville,,,1,1"
    )
    places = write(
        tmp_path,
        "name;country;latitude;longitude;geo_precision;note",
        "Nowhereville;;35.1;38.2;1;by hand",
        "Bad;;north;38;1;",
        name="places.csv",
        bom=True,
    )
    at = run_app(events, places)
    assert_up_with(at, 2)
    assert "places file" in everything(at) and "row 3, column latitude" in everything(at)


def test_the_views_csv_download_opens_again_as_the_events_file(tmp_path):
    events = write(tmp_path, HEADER, GOOD, OTHER)
    write(tmp_path, "event_id,source_name,killed_min", "good,AFP,7", name="sources.csv")
    at = run_app(events)
    from components.table.events import read_events

    view = src.attach_sources(
        read_events(events).events, src.read_sources(tmp_path / "sources.csv").sources
    )
    download = tmp_path / "download" / "events.csv"
    download.parent.mkdir()
    download.write_bytes(writers.to_csv(view))
    at = run_app(download)
    assert_up_with(at, 2)


def test_a_reversed_killed_range_in_a_link_is_read_low_to_high(tmp_path):
    # killed=5&killed=4 means 4 to 5: the event with 4-5 killed, not the one with 1-2.
    at = run_app(write(tmp_path, HEADER, GOOD, OTHER), params={"killed": ["5", "4"]})
    assert_up_with(at, 1)


def test_a_link_cannot_switch_on_online_tiles_without_the_viewer(tmp_path):
    at = run_app(write(tmp_path, HEADER, GOOD), params={"tiles": "true"})
    assert not at.exception
    assert "tiles_consent" not in at.session_state
    (consent,) = [b for b in at.button if b.label == "Load the online map"]
    at = consent.click().run()
    assert at.session_state["tiles_consent"] is True
    assert not any(b.label == "Load the online map" for b in at.button)


def test_errors_name_files_relative_to_the_project_not_the_servers_folders(tmp_path):
    data = PROJECT_ROOT / "data"
    at = run_app(data / "no-such-events-file.csv")
    assert not at.exception
    text = everything(at)
    assert "data/no-such-events-file.csv" in text
    assert str(PROJECT_ROOT) not in text


def test_an_event_with_thousands_of_reports_opens_its_panel_a_page_at_a_time(tmp_path):
    events = write(tmp_path, HEADER, GOOD)
    lines = ["event_id,source_name,killed_min"] + [f"good,Report {i},{i % 7}" for i in range(2000)]
    write(tmp_path, *lines, name="sources.csv")
    at = run_app(events, params={"event": "good"})
    assert not at.exception
    assert any("2,000 reports of this strike" in m.value for m in at.markdown)
    (more,) = [b for b in at.button if b.label.startswith("Show 20 more reports")]
    assert "1,980 not shown" in more.label
    at = more.click().run()
    assert any(b.label.startswith("Show 20 more reports (1,960") for b in at.button)


DUPLICATES = (
    "a,2018-02-07,Air/drone strike,Aleppo,36.2,37.15,1,2",
    "b,2018-02-07,Air/drone strike,Aleppo,36.2,37.15,3,4",
    "b,2018-02-08,Air/drone strike,Idlib,35.9,36.6,9,9",  # left out at load: the id repeats
)


def look_for_duplicates(events: Path) -> AppTest:
    from components.ui.state import ANALYSIS_TABS

    at = run_app(events)
    at.session_state[ANALYSIS_TABS] = "Likely duplicates"
    at = at.run()
    return next(b for b in at.button if b.label.startswith("Look among")).click().run()


def test_a_merge_that_cannot_write_says_nothing_changed_and_changes_nothing(tmp_path, monkeypatch):
    from components.table import merge as merge_module

    events = write(tmp_path, HEADER, *DUPLICATES)
    before = events.read_bytes()
    at = look_for_duplicates(events)
    real_replace = merge_module.os.replace

    def disk_full(temp, target):
        if Path(target).name == "events.csv":
            raise OSError(28, "No space left on device")
        real_replace(temp, target)

    monkeypatch.setattr(merge_module.os, "replace", disk_full)
    at = next(b for b in at.button if b.label == "Merge into the kept event").click().run()
    assert not at.exception
    assert any("The merge was not made" in e.value for e in at.error)
    assert any("the merge was not made; nothing changed (No space left" in t.value
               for t in at.text)  # fmt: skip
    assert events.read_bytes() == before
    assert not (tmp_path / "sources.csv").exists()


def test_a_merge_keeps_the_row_left_out_at_load_in_the_events_file(tmp_path):
    events = write(tmp_path, HEADER, *DUPLICATES)
    at = look_for_duplicates(events)
    at = next(b for b in at.button if b.label == "Merge into the kept event").click().run()
    assert not at.exception
    lines = events.read_text().splitlines()
    assert lines == [HEADER, DUPLICATES[0], DUPLICATES[2]]
    assert "merged from b" in (tmp_path / "sources.csv").read_text()
