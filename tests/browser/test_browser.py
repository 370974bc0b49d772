"""End to end in a real Chromium: the dashboard on the shipped data, offline.

The browser is Debian's chromium (``make setup`` installs it), driven by Playwright. The
module's dashboard and the fresh page per test come from tests/conftest.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from components.map import assets
from tests.dashboard import (
    MAP_POINTS,
    SEED_STRIKE,
    click_map_at,
    map_frame,
    map_frame_locator,
    new_context,
    open_page,
    settle,
    status_line,
    wait_for_address,
    wait_for_points,
    wait_for_zoom,
)

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SEED_TEXT = "De Amerikaanse luchtmacht heeft woensdagavond en donderdagochtend"


def test_the_seed_events_offline_then_a_report_read_then_its_view_opened_elsewhere(
    page, browser
) -> None:
    # One page for the three (a page costs Chromium seconds of CPU): the first only reads it,
    # the second narrows the dates and opens a report, the third moves the map and sends
    # that view, report open, to another browser.
    dashboard_shows_the_seed_events_on_an_offline_map(page)
    narrow_dates_then_click_the_strike_and_read_its_report_offline(page)
    a_view_opens_the_same_from_its_address_in_another_browser(page, browser)


def dashboard_shows_the_seed_events_on_an_offline_map(page) -> None:
    expect(status_line(page)).to_have_text(
        re.compile(r"^2 events shown · 0 filtered out · 0 not on the map")
    )
    expect(map_frame_locator(page).locator(MAP_POINTS)).to_have_count(2)
    if assets.basemap_installed():
        # The land arrives after the markers: the browser fetches it from the app.
        map_frame(page).wait_for_function(
            "() => document.querySelector('.leaflet-sm-land-pane canvas') !== null"
        )


def narrow_dates_then_click_the_strike_and_read_its_report_offline(page) -> None:
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.0, 40.0], 7, { animate: false }); }")
    wait_for_zoom(frame, 7)
    settle(page)

    # Move the start of the date range from 7 to 8 February: the shelling of the 7th goes.
    _narrow_dates_by_a_day(page)
    assert frame.evaluate("() => window.map.getZoom()") == 7, "a filter change keeps the zoom"
    centre = frame.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 3), round(centre["lng"], 3)) == (35.0, 40.0)

    click_map_at(page, *SEED_STRIKE)
    panel = page.locator(".st-key-detail_panel")
    expect(panel).to_contain_text(SEED_TEXT)
    text = panel.inner_text()
    assert "Air/drone strike · Deir ez-Zor, Syria" in text
    assert "Killed: 100" in text
    assert "Injured: 1" in text
    assert "7 February 2018 – 8 February 2018 (exact day)" in text
    assert "gazetteer" in text

    outside = sorted({u for u in page.requests if urlsplit(u).hostname not in LOCAL_HOSTS})
    assert [u for u in outside if not u.startswith(("data:", "blob:", "about:"))] == []


def a_view_opens_the_same_from_its_address_in_another_browser(page, browser) -> None:
    """From a window narrowed to the strike alone, its report open."""
    expect(status_line(page)).to_have_text(re.compile(r"^1 event shown · 1 filtered out"))
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.2, 40.1], 8, { animate: false }); }")
    wait_for_address(page, "zoom=8")
    wait_for_address(page, "lat=35.2")
    settle(page)
    expect(page.locator(".st-key-detail_panel")).to_contain_text(SEED_TEXT)
    wait_for_address(page, "event=seed-000-2")
    settle(page)

    context = new_context(browser)
    other = open_page(context, _address(page))
    expect(other.locator(".st-key-detail_panel")).to_contain_text(SEED_TEXT)
    expect(status_line(other)).to_have_text(status_line(page).inner_text())
    assert (
        "Air/drone strike · Deir ez-Zor, Syria"
        in other.locator(".st-key-detail_panel").inner_text()
    )
    other_map = map_frame(other)
    wait_for_zoom(other_map, 8)
    centre = other_map.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 2), round(centre["lng"], 2)) == (35.2, 40.1)
    expect(map_frame_locator(other).locator(MAP_POINTS)).to_have_count(1)
    context.close()


def _narrow_dates_by_a_day(page) -> None:
    """Move the date slider's start a day on with the keyboard; one event is left."""
    start = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    start.first.focus()
    page.keyboard.press("ArrowRight")
    expect(status_line(page)).to_have_text(re.compile(r"^1 event shown · 1 filtered out"))
    wait_for_points(map_frame(page), "n === 1")
    settle(page)


def _address(page) -> str:
    """The address bar as the analyst would copy it (Playwright's page.url lags replaceState)."""
    return page.evaluate("() => location.href")
