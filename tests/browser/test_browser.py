"""End to end in a real Chromium: the dashboard on the shipped data, offline.

The browser is Debian's chromium (``make setup`` installs it), driven by Playwright.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.dashboard import (
    IDLE,
    SEED_STRIKE,
    click_map_at,
    map_frame,
    map_frame_locator,
    running_dashboard,
    wait_for,
)

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
SEED_TEXT = "De Amerikaanse luchtmacht heeft woensdagavond en donderdagochtend"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_dashboard(tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture
def page(browser, dashboard):
    """A fresh page on the dashboard that records every request it makes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.requests = requests
    page.goto(dashboard)
    page.wait_for_selector(IDLE, timeout=90_000)
    map_frame_locator(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    yield page
    context.close()


def test_dashboard_shows_the_seed_events_on_an_offline_map(page) -> None:
    assert _status(page).startswith("2 events shown · 0 filtered out · 0 not on the map")
    assert map_frame_locator(page).locator("path.leaflet-interactive").count() == 2
    # The outlines arrive after the markers: the browser fetches them from the app.
    count_outlines = "() => document.querySelectorAll('.leaflet-outlines-pane path').length"
    wait_for(lambda: map_frame(page).evaluate(count_outlines) > 100)


def test_narrow_dates_then_click_the_strike_and_read_its_report_offline(page) -> None:
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.0, 40.0], 7, { animate: false }); }")
    wait_for(lambda: frame.evaluate("() => window.map.getZoom()") == 7)

    # Move the start of the date range from 7 to 8 February: the shelling of the 7th goes.
    start = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    start.first.focus()
    page.keyboard.press("ArrowRight")
    wait_for(lambda: _status(page).startswith("1 event shown · 1 filtered out"))
    wait_for(lambda: map_frame_locator(page).locator("path.leaflet-interactive").count() == 1)
    assert frame.evaluate("() => window.map.getZoom()") == 7, "a filter change keeps the zoom"
    centre = frame.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 3), round(centre["lng"], 3)) == (35.0, 40.0)

    click_map_at(page, *SEED_STRIKE)
    panel = page.locator(".st-key-detail_panel")
    wait_for(lambda: SEED_TEXT in panel.inner_text())
    text = panel.inner_text()
    assert "Air/drone strike · Deir ez-Zor, Syria" in text
    assert "Killed: 100" in text
    assert "Injured: 1" in text
    assert "7 February 2018 – 8 February 2018 (exact day)" in text
    assert "gazetteer" in text

    outside = sorted({u for u in page.requests if urlsplit(u).hostname not in LOCAL_HOSTS})
    assert [u for u in outside if not u.startswith(("data:", "blob:", "about:"))] == []


def _address(page) -> str:
    """The address bar as the analyst would copy it (Playwright's page.url lags replaceState)."""
    return page.evaluate("() => location.href")


def _status(page) -> str:
    return page.locator("[data-testid='stMarkdown']").filter(has_text="shown").first.inner_text()


def test_a_view_opens_the_same_from_its_address_in_another_browser(page, browser) -> None:
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.2, 40.1], 8, { animate: false }); }")
    wait_for(lambda: "zoom=8" in _address(page) and "lat=35.2" in _address(page))
    start = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    start.first.focus()
    page.keyboard.press("ArrowRight")
    wait_for(lambda: _status(page).startswith("1 event shown"))
    wait_for(lambda: map_frame_locator(page).locator("path.leaflet-interactive").count() == 1)
    click_map_at(page, *SEED_STRIKE)
    wait_for(lambda: SEED_TEXT in page.locator(".st-key-detail_panel").inner_text())
    wait_for(lambda: "event=seed-000-2" in _address(page))

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = context.new_page()
    other.goto(_address(page))
    other.wait_for_selector(IDLE, timeout=90_000)
    wait_for(lambda: SEED_TEXT in other.locator(".st-key-detail_panel").inner_text())
    assert _status(other) == _status(page)
    assert (
        "Air/drone strike · Deir ez-Zor, Syria"
        in other.locator(".st-key-detail_panel").inner_text()
    )
    map_frame_locator(other).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    other_map = map_frame(other)
    wait_for(lambda: other_map.evaluate("() => window.map && window.map.getZoom()") == 8)
    centre = other_map.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 2), round(centre["lng"], 2)) == (35.2, 40.1)
    assert map_frame_locator(other).locator("path.leaflet-interactive").count() == 1
    context.close()
