"""The map by keyboard, tooltips inside the map, and the online map's offline fallback, in a real
Chromium. Waits end on what the page shows, never after a set time.

The tests share one page (a page costs Chromium seconds of CPU), in the order written: each
starts from the view the one before left, which holds what it needs.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from components.table import schema as s
from tests.dashboard import map_frame, new_context, open_page, settle

pytestmark = pytest.mark.browser

# Synthetic events written for this test: four towns apart, and a pile of forty in one town
# that the opening view shows as one counted cell.
APART = [
    ("key-a", "2019-04-01", 35.336, 40.141, "Air/drone strike", "Deir ez-Zor", "3"),
    ("key-b", "2019-04-02", 36.20, 37.16, "Shelling/artillery/missile attack", "Aleppo", ""),
    ("key-c", "2019-04-03", 33.51, 36.29, "Air/drone strike", "Damascus", "12"),
    ("key-d", "2019-04-04", 36.34, 43.13, "Air/drone strike", "Mosul", "1"),
]
PILE_CENTRE, PILE = (34.73, 36.71), 40
FOCUSED = """() => { const e = document.activeElement;
    return e && e.tagName === 'path' ? e.getAttribute('aria-label') : null; }"""


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map-access") / "events.csv"
    rng = np.random.default_rng(11)
    rows = [
        {
            s.EVENT_ID: event_id,
            s.DATE_START: day,
            s.LATITUDE: lat,
            s.LONGITUDE: lng,
            s.EVENT_TYPE: kind,
            s.LOCATION: place,
            s.COUNTRY: "Syria",
            s.KILLED_MIN: killed,
            s.KILLED_MAX: killed,
            s.SOURCE_TEXT: f"A synthetic report of {event_id}.",
        }
        for event_id, day, lat, lng, kind, place, killed in APART
    ]
    rows += [
        {
            s.EVENT_ID: f"pile-{n}",
            s.DATE_START: "2019-04-05",
            s.LATITUDE: f"{PILE_CENTRE[0] + rng.normal(0, 0.01):.5f}",
            s.LONGITUDE: f"{PILE_CENTRE[1] + rng.normal(0, 0.01):.5f}",
            s.EVENT_TYPE: "Air/drone strike",
            s.LOCATION: "Homs",
            s.COUNTRY: "Syria",
        }
        for n in range(PILE)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """One page for the module; the tile fallback, which changes the base map, comes last."""
    context = new_context(browser)
    yield open_page(context, dashboard)
    context.close()


def tab_to(page, frame, wanted: re.Pattern, presses: int = 150) -> str:
    """Press Tab, from wherever the focus is, until a map marker named like ``wanted`` has it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        label = frame.evaluate(FOCUSED)
        if label and wanted.search(label):
            return label
    raise AssertionError(f"no marker named like {wanted.pattern} within {presses} Tab presses")


def test_tab_reaches_each_marker_by_name_and_enter_opens_its_panel(page) -> None:
    frame = map_frame(page)
    names = frame.evaluate(
        "() => [...document.querySelectorAll('path.leaflet-interactive[tabindex=\"0\"]')]"
        ".map((e) => e.getAttribute('aria-label'))"
    )
    assert "2019-04-03 · Air/drone strike · Damascus · 12 killed" in names
    assert any(n.startswith(f"{PILE} events here") for n in names), names

    label = tab_to(page, frame, re.compile(r"Damascus"))
    assert frame.evaluate("() => document.activeElement.getAttribute('role')") == "button"
    page.keyboard.press("Enter")

    expect(page.locator(".st-key-detail_panel")).to_contain_text("A synthetic report of key-c.")
    page.wait_for_function("() => location.search.includes('event=key-c')")
    assert label.startswith("2019-04-03")
    # The map is drawn again with the event selected; the keyboard's place is kept.
    settle(page)
    frame.wait_for_function(f"() => ({FOCUSED})() === {label!r}")


def test_space_on_a_counted_cell_zooms_in_like_a_click(page) -> None:
    frame = map_frame(page)
    before = frame.evaluate("() => window.map.getZoom()")

    tab_to(page, frame, re.compile(rf"^{PILE} events here"))
    page.keyboard.press(" ")

    frame.wait_for_function("(before) => window.map.getZoom() > before", arg=before)
    # It lands on the pile's events one by one: forty named points, no count left.
    frame.wait_for_function(
        "(pile) => document.querySelectorAll('path[aria-label*=\"Homs\"]').length === pile",
        arg=PILE,
    )


def test_a_tooltip_at_the_maps_corner_stays_inside_the_map(page) -> None:
    frame = map_frame(page)
    for corner in ("top-right", "bottom-left", "top-left", "bottom-right"):
        # The Mosul event moved to a corner of the map, a few pixels from both edges.
        frame.evaluate(
            """(corner) => {
                const size = window.map.getSize();
                const at = window.map.latLngToContainerPoint([36.34, 43.13]);
                const x = corner.endsWith('right') ? size.x - 14 : 14;
                const y = corner.startsWith('top') ? 14 : size.y - 14;
                window.map.panBy([at.x - x, at.y - y], {animate: false});
            }""",
            corner,
        )
        settle(page)
        path = frame.locator('path[aria-label*="Mosul"]')
        path.focus()  # the tooltip opens on focus as on hover
        tooltip = frame.locator(".leaflet-tooltip.sm-event-label")
        expect(tooltip).to_contain_text("Mosul")
        inside = frame.evaluate(
            """() => {
                const tip = document.querySelector('.leaflet-tooltip.sm-event-label')
                    .getBoundingClientRect();
                const box = window.map.getContainer().getBoundingClientRect();
                return [tip.left >= box.left, tip.top >= box.top,
                        tip.right <= box.right, tip.bottom <= box.bottom];
            }"""
        )
        assert inside == [True, True, True, True], corner
        path.blur()
        expect(tooltip).to_have_count(0)


def test_the_online_map_unreachable_falls_back_to_the_offline_map_and_says_so(page) -> None:
    # The tiles' requests fail, as they do with no network, whichever network this machine has.
    page.context.route(TILE_REQUESTS, lambda route: route.abort("internetdisconnected"))
    page.get_by_text("Online base map (OpenStreetMap tiles)").click()
    page.wait_for_function("() => location.search.includes('tiles=true')")
    # The map is built anew with the tiles (a stale copy may linger while Streamlit swaps
    # them): the note is looked for in the map frames on the page.
    # Waited for from the page (the map frames are of its origin), so Playwright keeps serving
    # the frames' events and requests while it waits.
    page.wait_for_function(
        """(text) => [...document.querySelectorAll("iframe[title='streamlit_folium.st_folium']")]
            .some((f) => {
                const n = f.contentDocument && f.contentDocument.querySelector('.sm-offline-note');
                return n && n.textContent === text;
            })""",
        arg=FALLBACK,
    )
    note = (
        "() => { const n = document.querySelector('.sm-offline-note'); return n && n.textContent; }"
    )
    (frame,) = [f for f in map_frames(page) if f.evaluate(note) == FALLBACK]
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-tile').length") > 0
    # The offline map shows through: land drawn and place names back.
    frame.wait_for_function("() => document.querySelector('.leaflet-sm-land-pane canvas')")
    frame.wait_for_function("() => document.querySelectorAll('.sm-place').length > 0")


FALLBACK = "Online map tiles cannot be reached: showing the offline map."
TILE_REQUESTS = "https://tile.openstreetmap.org/**"


def map_frames(page) -> list:
    return [f for f in page.frames if "streamlit_folium" in f.url and not f.is_detached()]
