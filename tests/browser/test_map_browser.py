"""The map and the work around it, in a real Chromium: the offline base map, fitting, the events
table, dates in links and playback. Waits end on what the page shows, never after a set time.

A page costs Chromium seconds of CPU: the tests that start at the dashboard's own address share
one page, in the order written, and each other page serves the checks made from its address.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from components.map import assets
from components.table import schema as s
from tests.dashboard import (
    PLAY_INTERVAL_ENV,
    TEST_PLAY_INTERVAL,
    map_frame,
    new_context,
    open_page,
    running_dashboard,
    settle,
    status_line,
)

pytestmark = pytest.mark.browser

# Synthetic events, written for this test: one set in eastern Syria, one near Kharkiv, so the
# data's extent spans both and is far from the world view the map used to open on.
SYNTHETIC = [
    ("syn-syria-1", "2018-02-07", "35.336", "40.141", "Air/drone strike", "Deir ez-Zor", "3"),
    ("syn-syria-2", "2018-03-15", "35.95", "39.01", "Air/drone strike", "Raqqa", "12"),
    (
        "syn-ukraine-1",
        "2022-05-02",
        "49.99",
        "36.23",
        "Shelling/artillery/missile attack",
        "Kharkiv",
        "",
    ),
    (
        "syn-ukraine-2",
        "2022-06-20",
        "48.72",
        "37.56",
        "Shelling/artillery/missile attack",
        "Kramatorsk",
        "1",
    ),
]


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map-events") / "events.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        for event_id, day, lat, lng, kind, place, killed in SYNTHETIC:
            writer.writerow(
                {
                    s.EVENT_ID: event_id,
                    s.DATE_START: day,
                    s.LATITUDE: lat,
                    s.LONGITUDE: lng,
                    s.EVENT_TYPE: kind,
                    s.LOCATION: place,
                    s.KILLED_MIN: killed,
                    s.KILLED_MAX: killed,
                    s.SOURCE_TEXT: f"A synthetic report of {event_id}.",
                }
            )
    return path


@pytest.fixture(scope="module")
def dashboard(dashboard_events: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("map-dashboard") / "server.log"
    with running_dashboard(log, dashboard_events, {PLAY_INTERVAL_ENV: TEST_PLAY_INTERVAL}) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """The dashboard's own address, opened once for the tests that start there."""
    context = new_context(browser)
    yield open_page(context, dashboard)
    context.close()


@pytest.fixture
def fresh(context, dashboard: str):
    """Open a page at an address of the module's dashboard (with a query string or not)."""

    def opened(query: str = ""):
        return open_page(context, dashboard + query)

    return opened


def test_the_map_opens_on_the_extent_of_the_data(page) -> None:
    frame = map_frame(page)
    inside = frame.evaluate(
        """(points) => points.every(([lat, lng]) => window.map.getBounds().contains([lat, lng]))""",
        [[float(e[2]), float(e[3])] for e in SYNTHETIC],
    )
    assert inside, "every event is in view when the page opens"
    assert frame.evaluate("() => window.map.getZoom()") >= 4, "not the whole world"


def test_a_row_of_the_events_table_opens_its_panel(page) -> None:
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    expect(table).to_be_visible()
    box = table.bounding_box()
    # The first row's selection cell: the left edge of the grid, one row under the header.
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 17)
    panel = page.locator(".st-key-detail_panel")
    # Sorted latest first: the Kramatorsk event of 20 June 2022.
    expect(panel).to_contain_text("A synthetic report of syn-ukraine-2.")
    page.wait_for_function("() => location.search.includes('event=syn-ukraine-2')")


def test_a_preset_writes_iso_dates_into_the_address(page) -> None:
    settle(page)
    page.locator("[data-testid='stButtonGroup']").get_by_text("Last 30 days", exact=True).click()
    page.wait_for_function("() => /dates=2022-05-22&dates=2022-06-20/.test(location.search)")
    settle(page)
    assert re.search(r"dates=\d{7,}", page.url) is None, page.url


@pytest.mark.skipif(not assets.basemap_installed(), reason="the offline base map is not built")
def test_the_world_view_fetches_light_outlines_then_zoom_10_names_places_in_view(fresh) -> None:
    # One page for both: the first reads what the page fetched from the start.
    page = fresh("?lat=35.33600&lng=40.14100&zoom=3")
    the_world_view_fetches_light_outlines_and_a_close_view_detailed_ones(page)
    the_offline_map_at_zoom_10_names_places_in_view(page)


def the_offline_map_at_zoom_10_names_places_in_view(page) -> None:
    frame = map_frame(page)
    frame.evaluate("() => { window.map.setView([35.336, 40.141], 10, {animate: false}); }")
    frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn === '10'")
    names = frame.evaluate(
        """() => [...document.querySelectorAll('.sm-place')]
            .filter((e) => { const r = e.getBoundingClientRect();
                return r.width > 0 && r.right > 0 && r.left < innerWidth
                    && r.bottom > 0 && r.top < innerHeight; })
            .map((e) => [e.textContent, e.title])"""
    )
    assert 5 <= len(names) <= 300, names
    assert all(re.fullmatch(r"[\w\s'’.,()\-]+", text) for text, _ in names), names
    # The local name, in the country's own script, is on hover.
    assert any(re.search(r"[\u0600-\u06ff]", title) for _, title in names), names
    # A move that ends where the map already was keeps the labels drawn, not new copies.
    kept = frame.evaluate(
        """() => { const before = document.querySelector('.sm-place');
            window.map.fire('moveend');
            return document.querySelector('.sm-place') === before && before.isConnected; }"""
    )
    assert kept, "the same view was drawn again"
    # A step out, first-level regions are named too.
    frame.evaluate("() => { window.map.setZoom(8, {animate: false}); }")
    frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn === '8'")
    assert frame.evaluate("() => document.querySelectorAll('.sm-region').length") >= 1


def the_world_view_fetches_light_outlines_and_a_close_view_detailed_ones(page) -> None:
    frame = map_frame(page)
    frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn === '3'")

    def outlines() -> list[str]:
        return [u.split("/basemap/", 1)[1] for u in page.requests if "/basemap/countries" in u]

    assert outlines() == ["countries-world.json"]
    frame.evaluate("() => { window.map.setZoom(6, {animate: false}); }")
    frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn === '6'")
    # Close in, the detailed outlines of the countries near the view, and only those.
    close = outlines()[1:]
    assert "countries/SY.json" in close, close
    assert not {"countries/US.json", "countries/BR.json", "countries/AU.json"} & set(close)
    assert len(set(close)) == len(close) < 40, close
    # Back out, the world's outlines are drawn again, and nothing is fetched twice.
    frame.evaluate("() => { window.map.setZoom(3, {animate: false}); }")
    frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn === '3'")
    assert outlines() == ["countries-world.json", *close]
    assert frame.evaluate("() => document.querySelectorAll('.leaflet-sm-land-pane canvas').length")


def test_an_old_link_in_microseconds_opens_its_window_and_playback_starts_from_it(fresh) -> None:
    # One page for both: the window the old link opens is the one played from.
    # 2022-05-01 and 2022-05-10 as Streamlit once wrote them.
    page = fresh("?dates=1651363200000000&dates=1652140800000000")
    expect(status_line(page)).to_have_text(re.compile(r"^1 event shown"))
    page.wait_for_function("() => /dates=2022-05-01&dates=2022-05-10/.test(location.search)")
    settle(page)
    playback_starts_from_the_chosen_window(page)


def playback_starts_from_the_chosen_window(page) -> None:
    # The page notes every address the app writes: a step's window may stay in the address bar
    # for one interval only, too short to be seen by polling on a loaded machine.
    page.evaluate(
        """() => {
            window.__addresses = [];
            for (const name of ["pushState", "replaceState"]) {
                const write = history[name].bind(history);
                history[name] = (state, title, url) => {
                    if (url) window.__addresses.push(String(new URL(url, location.href)));
                    return write(state, title, url);
                };
            }
        }"""
    )
    page.get_by_role("button", name=re.compile("Playback")).click()
    page.get_by_role("button", name=re.compile("Play from the chosen dates")).click()

    # Each step moves the window a day on: it starts after the chosen start, never earlier.
    page.wait_for_function(
        """() => window.__addresses.some(
            a => /^2022-05-0[2-9]/.test(new URL(a).searchParams.getAll("dates")[0] || ""))"""
    )
    written = page.evaluate("() => window.__addresses")
    starts = [parse_qs(urlsplit(a).query)["dates"][0] for a in written if "dates=" in a]
    assert min(starts) >= "2022-05-01", written
