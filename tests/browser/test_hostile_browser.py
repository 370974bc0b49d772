"""Hostile text in every column, in a real Chromium: nothing runs, everything reads literally.

The payloads would set ``window.__pwned`` or fetch from another host if they ever ran: on page
load, on hover, on click, or in the detail panel.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from components.table import schema as s
from tests.dashboard import (
    IDLE,
    click_map_at,
    hover_map_at,
    map_frame,
    map_frame_locator,
    running_dashboard,
    wait_for,
)
from tests.payloads import PAYLOADS, hostile_rows

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(scope="module")
def hostile_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import csv

    folder = tmp_path_factory.mktemp("hostile")
    events = folder / "hostile.csv"
    with events.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(hostile_rows())
    with running_dashboard(folder / "server.log", events) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, hostile_dashboard):
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.requests, page.dialogs = [], []
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_dashboard)
    page.wait_for_selector(IDLE, timeout=90_000)
    map_frame_locator(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    yield page
    context.close()


def test_every_hostile_event_is_on_the_map_and_nothing_ran_on_load(page) -> None:
    assert map_frame_locator(page).locator("path.leaflet-interactive").count() == len(PAYLOADS)
    assert_nothing_ran(page)


@pytest.mark.parametrize("number", range(len(PAYLOADS)))
def test_hovering_and_clicking_shows_the_payload_literally_and_runs_nothing(page, number) -> None:
    row = hostile_rows()[number]
    latitude, longitude = float(row[s.LATITUDE]), float(row[s.LONGITUDE])
    frame = map_frame(page)
    frame.evaluate(
        "([lat, lng]) => { window.map.setView([lat, lng], 7, { animate: false }); }",
        [latitude, longitude],
    )
    wait_for(lambda: frame.evaluate("() => window.map.getZoom()") == 7)

    hover_map_at(page, latitude, longitude)
    tooltip = map_frame_locator(page).locator(".leaflet-tooltip")
    wait_for(lambda: tooltip.count() > 0 and row[s.EVENT_TYPE] in tooltip.first.inner_text())
    assert_nothing_ran(page)
    click_map_at(page, latitude, longitude)
    panel = page.locator(".st-key-detail_panel")
    wait_for(lambda: row[s.SOURCE_TEXT] in panel.inner_text())

    text = panel.inner_text()
    for column in (s.EVENT_TYPE, s.ACTOR1, s.ACTOR2, s.SOURCE_NAME, s.SOURCE_TEXT):
        assert row[column] in text, f"{column} is shown literally"
    assert panel.locator("a[href^='javascript']").count() == 0
    assert page.get_by_role("link", name="Open the source").count() == 0, "not an http(s) URL"
    assert_nothing_ran(page)


def assert_nothing_ran(page) -> None:
    for frame in page.frames:
        assert frame.evaluate("() => window.__pwned === undefined"), f"script ran in {frame.url}"
    assert page.dialogs == []
    outside = [u for u in page.requests if urlsplit(u).scheme in ("http", "https")]
    assert [u for u in outside if urlsplit(u).hostname not in LOCAL_HOSTS] == []
