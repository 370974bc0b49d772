"""Too many events for the browser: the map shows grid cells, and a cell clicked zooms in."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from components.map.layer import MAX_POINTS
from components.map.settings import CELL_SHOWS_EVENTS
from components.table import schema as s
from tests.dashboard import MAP_POINTS, click_map_at, map_frame, map_frame_locator

pytestmark = pytest.mark.browser

CLUSTERS = {"Sanaa": (15.3694, 44.191), "Homs": (34.7324, 36.7137)}
CELLS_CAPTION = "click a cell or zoom in to see single events"


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("crowded") / "events.csv"
    _write_crowded_events(path, per_cluster=MAX_POINTS // 2 + 500)
    return path


def test_a_crowded_view_shows_cells_and_a_cell_clicked_zooms_into_it(page) -> None:
    expect(page.get_by_text(CELLS_CAPTION)).to_have_count(1)
    points = map_frame_locator(page).locator(MAP_POINTS)
    assert points.count() < 50, "the browser gets a few cells, not thousands of points"

    frame = map_frame(page)
    zoom_before = frame.evaluate("() => window.map.getZoom()")
    click_map_at(page, *CLUSTERS["Homs"])
    frame.wait_for_function("(before) => window.map.getZoom() > before", arg=zoom_before)
    # Zoomed in where the cluster's box still fits: its events are drawn one by one wherever
    # they can be told apart, and only its crowded middle is still counted in cells.
    labels = """() => [...document.querySelectorAll('path[aria-label]')]
        .map((e) => e.getAttribute('aria-label'))"""
    frame.wait_for_function(f"() => ({labels})().filter((l) => !/events here/.test(l)).length > 10")
    counts = [
        int(label.split(" ")[0].replace(",", ""))
        for label in frame.evaluate(labels)
        if " events here" in label
    ]
    assert all(count > CELL_SHOWS_EVENTS for count in counts), counts
    centre = frame.evaluate("() => window.map.getCenter()")
    assert abs(centre["lat"] - CLUSTERS["Homs"][0]) < 1.0
    assert abs(centre["lng"] - CLUSTERS["Homs"][1]) < 1.0


def _write_crowded_events(path: Path, per_cluster: int) -> None:
    rng = np.random.default_rng(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        for name, (lat, lng) in CLUSTERS.items():
            for number in range(per_cluster):
                writer.writerow(
                    {
                        s.EVENT_ID: f"{name.lower()}-{number}",
                        s.DATE_START: f"2019-03-{1 + number % 28:02d}",
                        s.EVENT_TYPE: "Air/drone strike",
                        s.COUNTRY: "Syria",
                        s.LOCATION: name,
                        s.LATITUDE: f"{lat + rng.normal(0, 0.05):.5f}",
                        s.LONGITUDE: f"{lng + rng.normal(0, 0.05):.5f}",
                        s.GEO_PRECISION: 1,
                        s.KILLED_MIN: number % 5,
                        s.KILLED_MAX: number % 5,
                    }
                )
