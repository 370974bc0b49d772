"""The "Add report" page, run headless with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.coding.coder import Evidence
from components.table import schema as s
from components.table.events import read_events
from components.ui.report import (
    DRAFTS_KEY,
    KEPT_COPY_KEY,
    PUBLISHED_KEY,
    TEXT_KEY,
    highlighted_report,
)
from tests.dashboard import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
REPORT = (
    "date 2019-07-03\nAn air strike on a migrant detention centre in Tajoura, east of "
    "Tripoli, killed at least 44 people and wounded more than 130 late on Tuesday."
)


def page(events, places):
    from components.ui.report import add_report_page

    add_report_page(events, places)


def open_page(tmp_path: Path) -> tuple[AppTest, Path]:
    events = tmp_path / "events.csv"
    at = AppTest.from_function(page, args=(events, tmp_path / "places.csv"), default_timeout=60)
    return at.run(), events


def code(at: AppTest, text: str) -> AppTest:
    at.text_area(key=TEXT_KEY).input(text)
    return next(b for b in at.button if b.label == "Code report").click().run()


def field(at: AppTest, name: str):
    return next(w for w in at.text_input if w.key == f"report_draft_0_{name}")


def number(at: AppTest, name: str):
    return next(w for w in at.number_input if w.key == f"report_draft_0_{name}")


def save(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Save checked events").click().run()


def test_a_pasted_report_becomes_a_draft_with_its_evidence(tmp_path):
    at, _ = open_page(tmp_path)
    at = code(at, REPORT)
    assert not at.exception
    assert field(at, s.DATE_START).value == "2019-07-02"
    assert number(at, s.KILLED_MIN).value == 44
    assert number(at, s.KILLED_MAX).value is None
    assert number(at, s.INJURED_MIN).value == 130
    shown = " ".join(str(h.proto.body) for h in at.get("html"))
    assert 'class="strikemap-evidence"' in shown
    assert "from: <q>An air strike on a migrant detention centre" in shown


def test_saving_appends_the_corrected_event_and_names_its_id(tmp_path):
    at, events = open_page(tmp_path)
    at = code(at, REPORT)
    number(at, s.KILLED_MAX).set_value(53)
    field(at, s.ACTOR1).input("Libyan National Army")
    at = save(at)
    assert not at.exception
    (message,) = [m.value for m in at.success]
    assert "now on the map" in message
    saved = read_events(events).events
    assert len(saved) == 1
    row = saved.iloc[0]
    assert message.count(row[s.EVENT_ID]) == 1
    assert (row[s.KILLED_MIN], row[s.KILLED_MAX]) == (44, 53)
    assert row[s.ACTOR1] == "Libyan National Army"
    assert row[s.LOCATION] == "Tripoli" and row[s.LATITUDE] == pytest.approx(32.887, abs=0.01)
    assert row[s.SOURCE_TEXT].startswith("An air strike on a migrant detention centre")


def test_a_failed_save_keeps_everything_typed(tmp_path):
    at, events = open_page(tmp_path)
    at = code(at, REPORT)
    field(at, s.DATE_START).input("not a date")
    field(at, s.ACTOR2).input("migrants")
    at = save(at)
    assert not at.exception
    assert any("nothing was saved" in t.value for t in at.text)
    assert not events.exists()
    assert field(at, s.DATE_START).value == "not a date"
    assert field(at, s.ACTOR2).value == "migrants"
    assert at.session_state[TEXT_KEY] == REPORT


def test_typed_values_are_kept_outside_the_widgets_for_when_the_page_is_left(tmp_path):
    at, _ = open_page(tmp_path)
    at = code(at, REPORT)
    field(at, s.ACTOR2).input("migrants").run()
    kept = at.session_state[KEPT_COPY_KEY]
    assert kept["report_draft_0_actor2"] == "migrants"
    assert kept[TEXT_KEY] == REPORT


def test_the_report_text_is_escaped_where_it_is_highlighted():
    body = 'Strike on <img src=x onerror="alert(1)"> killed 3 & more.'
    evidence = [Evidence(0, s.KILLED_MIN, "3", 0, 0, len(body), body)]
    markup = highlighted_report(body, evidence)
    assert "<img" not in markup
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in markup


def test_hostile_report_text_never_reaches_the_page_unescaped(tmp_path):
    at, _ = open_page(tmp_path)
    at = code(at, "date 2020-01-01\n<script>alert(1)</script> An air strike on Aleppo killed 3.")
    shown = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_the_dashboard_is_the_default_page_and_keeps_its_addresses(tmp_path, write_events):
    events = write_events([{s.EVENT_ID: "e-1", s.DATE_START: "2018-02-07"}])
    at = AppTest.from_file(APP, default_timeout=60)
    sys.argv = ["app.py", "--events", str(events)]
    at.query_params["event"] = "e-1"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Strikemap"
    # The dashboard's own address (/?event=...) opens the dashboard, not the report page.
    assert DRAFTS_KEY not in at.session_state
    assert PUBLISHED_KEY not in at.session_state


# --- issue 18: the Add report page holds the values the rest of the app uses ---------------


def drafts(at: AppTest) -> list:
    return at.session_state[DRAFTS_KEY] if DRAFTS_KEY in at.session_state else []  # noqa: SIM401


@pytest.mark.parametrize("typo", ["1018-02-07", "3018-02-08", "0001-01-01", "9999-12-31"])
def test_a_year_typo_is_refused_before_saving_and_nothing_is_saved(tmp_path, typo):
    at, events = open_page(tmp_path)
    at = code(at, REPORT)
    field(at, s.DATE_START).input(typo)
    at = save(at)
    assert not at.exception
    assert any("nothing was saved" in t.value and "check the year" in t.value for t in at.text)
    assert not at.success
    assert not events.exists()


def test_a_report_dated_year_one_with_yesterday_gives_one_line_not_a_crash(tmp_path):
    at, events = open_page(tmp_path)
    at = code(at, "date 0001-01-01\nAn air strike on Aleppo yesterday killed 3 people.")
    assert not at.exception
    if drafts(at):
        # The form says what saving would refuse, before the analyst saves.
        assert any("Check before saving" in t.value and "check the year" in t.value
                   for t in at.text)  # fmt: skip
        at = save(at)
        assert not at.exception and not at.success
    else:
        assert any("could not read" in e.value for e in at.error)
    assert not events.exists()


def test_a_run_of_thousands_of_digits_keeps_the_page(tmp_path):
    at, _ = open_page(tmp_path)
    at = code(at, "date 2019-07-03\nAn air strike on Tripoli killed " + "9" * 5000 + " people.")
    assert not at.exception
    if drafts(at):
        assert number(at, s.KILLED_MIN).value is None
    else:
        assert any("could not read" in e.value for e in at.error)


def test_a_figure_too_large_for_the_form_is_left_empty_with_a_note(tmp_path):
    at, events = open_page(tmp_path)
    at = code(at, REPORT.replace("at least 44", "20000000"))
    assert not at.exception
    assert number(at, s.KILLED_MIN).value is None
    assert any("20000000" in t.value and "left empty" in t.value for t in at.text)
    at = save(at)
    assert read_events(events).events[s.KILLED_MIN].isna().all()


def test_a_report_over_the_command_lines_limit_is_not_coded(tmp_path):
    from components.coding.coder import MAX_REPORT_BYTES

    at, _ = open_page(tmp_path)
    at = code(at, REPORT + " Aleppo" * (MAX_REPORT_BYTES // 6))
    assert not at.exception
    assert any("the limit is" in e.value for e in at.error)
    assert not drafts(at)


def test_a_village_learned_from_the_analysts_datasets_is_placed_where_they_put_it(
    tmp_path, gazetteer_dir, monkeypatch
):
    from components.geo.gazetteer import CACHE_DIR_ENV
    from components.geo.learned import learned_places

    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    store = learned_places(cache, create=True)
    try:
        village = pd.DataFrame(
            {s.EVENT_ID: ["d1"], s.LOCATION: ["Qaryat Zahrun"], s.COUNTRY: ["Syria"],
             s.LATITUDE: [35.123], s.LONGITUDE: [36.456], s.GEO_PRECISION: [1]}
        )  # fmt: skip
        assert store.learn(village, "dataset.csv") == 1
    finally:
        store.close()
    at, _ = open_page(tmp_path)
    at = code(at, "date 2019-07-03\nAn air strike on the village of Qaryat Zahrun in Syria "
                  "killed 3 civilians on Tuesday.")  # fmt: skip
    assert not at.exception
    (place,) = [box for box in at.selectbox if box.label.startswith("Place on the map")]
    # The place chosen by default is the learned point, not a namesake of the gazetteer.
    assert place.options[place.value].startswith("As coded: Qaryat Zahrun, ")
    assert place.options[place.value].endswith(" · place · 35.123, 36.456")
