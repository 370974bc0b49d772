"""The analyst's workflow in a real Chromium: rough points look rough, every report is there,
and the time window can be set from presets and played forward."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.table import schema as s
from tests.dashboard import (
    IDLE,
    click_map_at,
    map_frame,
    map_frame_locator,
    running_dashboard,
    wait_for,
)

pytestmark = pytest.mark.browser

HOMS = (34.7324, 36.7137)
HAMA = (35.1318, 36.7578)
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
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("workflow")
    _write(folder / "events.csv", s.CANONICAL_COLUMNS, EVENTS)
    _write(folder / "sources.csv", s.SOURCE_COLUMNS, [SECOND_REPORT])
    with running_dashboard(folder / "server.log", folder / "events.csv") as url:
        yield url


@pytest.fixture
def page(browser, dashboard):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(dashboard)
    page.wait_for_selector(IDLE, timeout=90_000)
    map_frame_locator(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    yield page
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
    click_map_at(page, *HOMS)
    panel = page.locator(".st-key-detail_panel")
    wait_for(lambda: "A monitor counted six dead in Homs." in panel.inner_text())
    text = panel.inner_text()
    assert "2 reports of this strike" in text
    assert "Four people were killed in an air strike on Homs." in text
    assert "Killed: 4–6" in text


def test_a_preset_keeps_the_last_days_of_the_data(page) -> None:
    _preset(page, "Last 7 days")
    wait_for(lambda: _status(page).startswith("1 event shown · 2 filtered out"))
    wait_for(lambda: "dates=" in page.evaluate("() => location.href"))
    other = page.context.new_page()
    other.goto(page.evaluate("() => location.href"))
    other.wait_for_selector(IDLE, timeout=90_000)
    wait_for(lambda: _status(other).startswith("1 event shown · 2 filtered out"))


def test_playback_moves_the_window_forward_until_the_end(page) -> None:
    _preset(page, "Last 7 days")
    wait_for(lambda: _window(page) == ["2019-03-14", "2019-03-20"])
    page.get_by_role("button", name="Playback").click()
    page.get_by_role("button", name="Play", exact=True).click()
    # A seven-day window moving a day at a time from 1 March: first the Homs strike alone.
    wait_for(lambda: _window(page) == ["2019-03-01", "2019-03-01"], timeout=60)
    seen = set()

    def reached_the_end() -> bool:
        seen.add(_status(page).split(" · ")[0])
        return _window(page) == ["2019-03-14", "2019-03-20"]

    wait_for(reached_the_end, timeout=120)
    assert {"1 event shown", "0 events shown"} <= seen


def _preset(page, name: str) -> None:
    page.locator("[data-testid='stButtonGroup']").get_by_text(name, exact=True).click()


def _window(page) -> list[str]:
    """The first and last day the date slider's two handles show."""
    slider = page.locator("[data-testid='stSlider']").filter(has_text="Dates")
    handles = slider.get_by_role("slider")
    return [handle.get_attribute("aria-valuetext") for handle in handles.all()]


def _status(page) -> str:
    return page.locator("[data-testid='stMarkdown']").filter(has_text="shown").first.inner_text()


def _write(path: Path, columns, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
