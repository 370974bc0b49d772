"""Hostile text in every column, in a real Chromium: nothing runs, everything reads literally.

The payloads would set ``window.__pwned`` or fetch from another host if they ever ran: on page
load, on hover, on click, or in the detail panel.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from components.table import schema as s
from tests.dashboard import (
    MAP_POINTS,
    VIEWPORT,
    map_frame,
    map_frame_locator,
    new_context,
    open_page,
    settle,
    wait_for_zoom,
)
from tests.payloads import PAYLOADS, hostile_rows

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    events = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    with events.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(hostile_rows())
    return events


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """One page for the whole module: every payload is visited in turn on the same page, so
    a script that ran on an earlier visit is still caught by the later checks."""
    context = new_context(browser, {**VIEWPORT, "height": 1100})
    yield open_page(context, dashboard)
    context.close()


def test_every_hostile_event_is_on_the_map_and_nothing_ran_on_load(page) -> None:
    expect(map_frame_locator(page).locator(MAP_POINTS)).to_have_count(len(PAYLOADS))
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
    wait_for_zoom(frame, 7)
    settle(page)

    # The event's own marker, by the name it carries for the keyboard and screen readers:
    # where several events would hide each other the map fans them apart from their points.
    marker = map_frame_locator(page).get_by_role("button", name=row[s.EVENT_TYPE])
    marker.hover()
    tooltip = map_frame_locator(page).locator(".leaflet-tooltip", has_text=row[s.EVENT_TYPE])
    expect(tooltip).to_be_visible()
    assert_nothing_ran(page)
    marker.click()
    panel = page.locator(".st-key-detail_panel")
    expect(panel).to_contain_text(row[s.SOURCE_TEXT])

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
