"""The analyst's workflow in a real Chromium: rough points look rough, every report is there,
and the time window can be set from presets and played forward.

A page costs Chromium seconds of CPU: the tests that start from the opened page share one, in
the order written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from components.table import schema as s
from tests.dashboard import (
    click_map_at,
    map_frame,
    new_context,
    open_page,
    settle,
    status_line,
    wait_for_address,
    wait_for_zoom,
)

pytestmark = pytest.mark.browser

HOMS = (34.7324, 36.7137)
HAMA = (35.1318, 36.7578)
# The date slider's handles, as the page's own scripts find them.
HANDLES = "[role='slider'], input[type='range']"
IDLIB_REGION = (35.8, 36.6)

EVENTS = [
    {
        s.EVENT_ID: "homs-strike",
        s.DATE_START: "2019-03-01",
        s.EVENT_TYPE: "Air/drone strike",
        s.COUNTRY: "Syria",
        s.LOCATION: "Homs",
        s.LATITUDE: HOMS[0],
        s.LONGITUDE: HOMS[1],
        s.GEO_PRECISION: 1,
        s.KILLED_MIN: 4,
        s.KILLED_MAX: 4,
        s.SOURCE_NAME: "First wire",
        s.SOURCE_TEXT: "Four people were killed in an air strike on Homs.",
    },
    {
        s.EVENT_ID: "hama-shelling",
        s.DATE_START: "2019-03-10",
        s.EVENT_TYPE: "Shelling/artillery/missile attack",
        s.COUNTRY: "Syria",
        s.LOCATION: "Hama",
        s.LATITUDE: HAMA[0],
        s.LONGITUDE: HAMA[1],
        s.GEO_PRECISION: 1,
        s.SOURCE_TEXT: "Shelling hit Hama.",
    },
    {
        s.EVENT_ID: "idlib-somewhere",
        s.DATE_START: "2019-03-20",
        s.EVENT_TYPE: "Air/drone strike",
        s.COUNTRY: "Syria",
        s.ADMIN1: "Idlib",
        s.LATITUDE: IDLIB_REGION[0],
        s.LONGITUDE: IDLIB_REGION[1],
        s.GEO_PRECISION: 3,
        s.SOURCE_TEXT: "Strikes were reported in Idlib governorate.",
    },
]
SECOND_REPORT = {
    s.EVENT_ID: "homs-strike",
    s.SOURCE_NAME: "Second wire",
    s.SOURCE_TEXT: "A monitor counted six dead in Homs.",
    s.KILLED_MIN: 6,
    s.KILLED_MAX: 6,
}


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workflow")
    _write(folder / "events.csv", s.CANONICAL_COLUMNS, EVENTS)
    _write(folder / "sources.csv", s.SOURCE_COLUMNS, [SECOND_REPORT])
    return folder / "events.csv"


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """One page for the tests that start from the opened page."""
    context = new_context(browser)
    yield open_page(context, dashboard)
    context.close()


def test_a_point_at_a_regions_centre_is_drawn_hollow_and_dashed(page) -> None:
    styles = map_frame(page).evaluate(
        """() => Array.from(document.querySelectorAll('path.leaflet-interactive')).map(
            p => [p.getAttribute('stroke-dasharray'), p.getAttribute('fill-opacity')])"""
    )
    assert sorted(styles, key=str) == sorted(
        [["3 3", "0.15"], [None, "0.7"], [None, "0.7"]], key=str
    )


def test_the_panel_shows_every_report_and_a_range_that_spans_them(page) -> None:
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([34.9, 36.7], 8, { animate: false }); }")
    wait_for_zoom(frame, 8)
    settle(page)
    click_map_at(page, *HOMS)
    panel = page.locator(".st-key-detail_panel")
    expect(panel).to_contain_text("A monitor counted six dead in Homs.")
    text = panel.inner_text()
    assert "2 reports of this strike" in text
    assert "Four people were killed in an air strike on Homs." in text
    assert "Killed: 4–6" in text


def test_a_preset_keeps_the_last_days_of_the_data(page) -> None:
    settle(page)  # the runs of what was done on the page before are over
    _preset(page, "Last 7 days")
    expect(status_line(page)).to_have_text(re.compile(r"^1 event shown · 2 filtered out"))
    wait_for_address(page, "dates=")
    settle(page)
    other = open_page(page.context, page.evaluate("() => location.href"))
    expect(status_line(other)).to_have_text(re.compile(r"^1 event shown · 2 filtered out"))


def test_playback_moves_the_window_forward_until_the_end(context, dashboard) -> None:
    # A link opens the page on the first seven days of the data: the Homs strike alone.
    first_week = open_page(context, f"{dashboard}/?dates=2019-03-01&dates=2019-03-07")
    _wait_for_window(first_week, ["2019-03-01", "2019-03-07"])
    first_week.get_by_role("button", name="Playback").click()
    # The page itself notes every window and count it shows on the way, at each frame drawn.
    first_week.evaluate(
        """(HANDLES) => {
            window.__seen = new Set();
            const note = () => {
                const line = Array.from(document.querySelectorAll("[data-testid='stMarkdown']"))
                    .find(e => e.innerText.includes('shown'));
                const slider = Array.from(document.querySelectorAll("[data-testid='stSlider']"))
                    .find(e => e.innerText.includes('Dates'));
                if (line && slider) {
                    const days = Array.from(slider.querySelectorAll(HANDLES))
                        .map(h => h.getAttribute('aria-valuetext')).join(' to ');
                    window.__seen.add(days + ': ' + line.innerText.split(' · ')[0]);
                }
                requestAnimationFrame(note);
            };
            note();
        }""",
        HANDLES,
    )
    first_week.get_by_role("button", name="Play from the chosen dates").click()
    # A week-wide window moving a day at a time, until it ends on the data's last day.
    _wait_for_window(first_week, ["2019-03-14", "2019-03-20"])
    seen = set(first_week.evaluate("() => Array.from(window.__seen)"))
    # The windows that hold no event are skipped; the one that first reaches the Hama
    # shelling of 10 March is shown on the way.
    assert "2019-03-04 to 2019-03-10: 1 event shown" in seen
    assert not any(s.endswith(": 0 events shown") for s in seen)


def _preset(page, name: str) -> None:
    page.locator("[data-testid='stButtonGroup']").get_by_text(name, exact=True).click()


def _wait_for_window(page, days: list[str]) -> None:
    """Wait until the date slider's two handles show the first and last day given."""
    slider = page.locator("[data-testid='stSlider']").filter(has_text="Dates")
    handles = slider.get_by_role("slider")
    for number, day in enumerate(days):
        expect(handles.nth(number)).to_have_attribute("aria-valuetext", day)


def _write(path: Path, columns, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
