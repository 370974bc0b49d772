"""Query mode in a real Chromium, held to the pandas page's behaviour: the same file opened by
two servers, one with the row threshold lowered (STRIKEMAP_QUERY_ROWS=1, DuckDB over Parquet)
and one as usual; each shows the same status line, points, a slider step, a preset and a click
that opens the panel. Waits end on what the page shows.

A page costs Chromium seconds of CPU: in each mode the tests that start from the opened page
share one, in the order written.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from components.map.assets import LEAFLET_JS
from components.table import schema as s
from tests.dashboard import (
    IDLE,
    MAP_POINTS,
    click_map_at,
    map_frame_locator,
    new_context,
    open_page,
    running_dashboard,
    settle,
    status_line,
)

pytestmark = pytest.mark.browser

# Synthetic events written for this test (ids, places and reports marked as such).
EVENTS = [
    ("syn-q-1", "2019-01-05", "35.336", "40.141", "Air/drone strike", "4"),
    ("syn-q-2", "2019-01-20", "36.20", "37.16", "Shelling/artillery/missile attack", ""),
    ("syn-q-3", "2019-02-10", "", "", "Air/drone strike", "2"),
    ("syn-q-4", "2019-03-01", "34.80", "38.90", "Air/drone strike", "7"),
]


@pytest.fixture(scope="module")
def events_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("query-events") / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        for event_id, day, lat, lng, kind, killed in EVENTS:
            writer.writerow(
                {
                    s.EVENT_ID: event_id,
                    s.DATE_START: day,
                    s.LATITUDE: lat,
                    s.LONGITUDE: lng,
                    s.EVENT_TYPE: kind,
                    s.COUNTRY: "Synthetic country",
                    s.KILLED_MIN: killed,
                    s.KILLED_MAX: killed,
                    s.SOURCE_TEXT: f"A synthetic report of {event_id}.",
                }
            )
    return path


@pytest.fixture(scope="module", params=["pandas", "query"])
def dashboard(request, events_file, tmp_path_factory) -> Iterator[str]:
    env = {"STRIKEMAP_QUERY_ROWS": "1"} if request.param == "query" else {}
    log = tmp_path_factory.mktemp(f"{request.param}-dashboard") / "server.log"
    with running_dashboard(log, events_file, env) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """One page per mode for the tests that start from the opened page."""
    context = new_context(browser)
    yield open_page(context, dashboard)
    context.close()


def points(page):
    return map_frame_locator(page).locator(f"{MAP_POINTS} >> visible=true")


def test_the_page_shows_the_same_status_and_points(page) -> None:
    expect(status_line(page)).to_have_text("3 events shown · 0 filtered out · 1 not on the map")
    expect(points(page)).to_have_count(3)


def test_a_click_on_a_point_opens_its_panel(page) -> None:
    click_map_at(page, 36.20, 37.16)
    panel = page.locator(".st-key-detail_panel")
    expect(panel.get_by_text("A synthetic report of syn-q-2.")).to_be_visible()


def test_a_slider_step_and_a_preset_narrow_the_view(page) -> None:
    settle(page)  # the click's runs are over
    slider = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    slider.last.focus()
    for _ in range(10):  # the end moves back ten days, before 2019-03-01
        page.keyboard.press("ArrowLeft")
    expect(status_line(page)).to_have_text("2 events shown · 1 filtered out · 1 not on the map")
    expect(points(page)).to_have_count(2)
    settle(page)
    page.locator("[data-testid='stButtonGroup']").get_by_text("Last 7 days", exact=True).click()
    expect(status_line(page)).to_have_text("1 event shown · 3 filtered out · 0 not on the map")
    expect(points(page)).to_have_count(1)


def test_dates_moved_while_the_map_still_loads_are_kept(context, dashboard: str) -> None:
    # The map's frame is held before Leaflet arrives while the slider moves; once it loads and
    # reports its view, the app reruns with the browser's widgets as they were when that run
    # began: none of those reruns may move the slider back.
    held = []
    context.route(f"**{LEAFLET_JS}", lambda route: held.append(route))
    page = context.new_page()
    page.goto(dashboard)
    expect(status_line(page)).to_have_text("3 events shown · 0 filtered out · 1 not on the map")
    map_frame_locator(page).locator(f"script[src$='{LEAFLET_JS}']").wait_for(state="attached")
    slider = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    slider.last.focus()
    for _ in range(10):
        page.keyboard.press("ArrowLeft")
    expect(status_line(page)).to_have_text("2 events shown · 1 filtered out · 1 not on the map")
    page.wait_for_selector(IDLE)
    assert len(held) == 1, "the map's frame waits for Leaflet"
    assert not points(page).count(), "no map is drawn yet"
    for route in held:
        route.continue_()
    points(page).first.wait_for()
    settle(page)
    expect(slider.last).to_have_attribute("aria-valuetext", "2019-02-19")
    expect(status_line(page)).to_have_text("2 events shown · 1 filtered out · 1 not on the map")
    expect(points(page)).to_have_count(2)
