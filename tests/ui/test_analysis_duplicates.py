"""Likely-duplicate groups show what an analyst compares: each member's date, place, type,
killed and source (components/ui/analysis.py, components/view/duplicates.py)."""

from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from components.table import schema as s
from components.ui.state import ANALYSIS_TABS, MAP
from components.view import duplicates
from tests.dashboard import PROJECT_ROOT
from tests.frames import make_events
from tests.ui.apptest import MAP_DRAWN

APP = str(PROJECT_ROOT / "app.py")

FIRST = {
    s.EVENT_ID: "first-report",
    s.DATE_START: "2019-05-03",
    s.EVENT_TYPE: "Air/drone strike",
    s.COUNTRY: "Syria",
    s.ADMIN1: "Idlib",
    s.LOCATION: "Synthetic Town",
    s.LATITUDE: "35.9",
    s.LONGITUDE: "36.6",
    s.KILLED_MIN: "4",
    s.KILLED_MAX: "6",
    s.SOURCE_NAME: "Outlet One",
    s.SOURCE_DATE: "2019-05-04",
}
SECOND = {
    **FIRST,
    s.EVENT_ID: "second-report",
    s.DATE_START: "2019-05-04",
    s.LOCATION: "Synthetic Village",
    s.LATITUDE: "35.91",
    s.KILLED_MIN: "",
    s.KILLED_MAX: "",
    s.SOURCE_NAME: "Outlet Two",
    s.SOURCE_DATE: "",
}


@pytest.fixture(autouse=True)
def keep_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", list(sys.argv))


def test_group_members_lists_each_event_side_by_side_in_the_groups_order():
    events = make_events(FIRST, SECOND)

    members = duplicates.group_members(events, ["second-report", "first-report", "gone"])

    assert list(members.columns) == list(duplicates.MEMBER_COLUMNS)
    assert members.to_dict(orient="records") == [
        {
            "event": "second-report",
            "date": "4 May 2019 (exact day)",
            "place": "Synthetic Village, Idlib, Syria",
            "type": "Air/drone strike",
            "killed": "not reported",
            "source": "Outlet Two",
        },
        {
            "event": "first-report",
            "date": "3 May 2019 (exact day)",
            "place": "Synthetic Town, Idlib, Syria",
            "type": "Air/drone strike",
            "killed": "4–6",
            "source": "Outlet One, 2019-05-04",
        },
    ]


def test_the_page_shows_each_group_members_details_before_the_merge(write_events):
    path = write_events([FIRST, SECOND])
    at = AppTest.from_file(APP, default_timeout=60)
    sys.argv = ["app.py", "--events", str(path)]
    at.session_state[MAP] = MAP_DRAWN
    at.run()
    at.session_state[ANALYSIS_TABS] = "Likely duplicates"
    at.run()
    next(b for b in at.button if b.label.startswith("Look among the 2 events")).click().run()
    assert not at.exception

    tables = [frame.value for frame in at.dataframe]
    members = next(t for t in tables if list(t.columns) == list(duplicates.MEMBER_COLUMNS))
    assert sorted(members["event"]) == ["first-report", "second-report"]
    by_event = members.set_index("event")
    assert by_event.loc["first-report", "killed"] == "4–6"
    assert by_event.loc["second-report", "killed"] == "not reported"
    assert by_event.loc["second-report", "source"] == "Outlet Two"
    assert by_event.loc["first-report", "date"] == "3 May 2019 (exact day)"
