"""Too many events for the browser: the map shows grid cells, and a cell clicked zooms in."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from components.map.layer import MAX_POINTS
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

CLUSTERS = {"Sanaa": (15.3694, 44.191), "Homs": (34.7324, 36.7137)}


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("crowded")
    _write_crowded_events(folder / "events.csv", per_cluster=MAX_POINTS // 2 + 500)
    with running_dashboard(folder / "server.log", folder / "events.csv") as url:
        yield url


def test_a_crowded_view_shows_cells_and_a_cell_clicked_zooms_into_it(browser, dashboard) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(dashboard)
    page.wait_for_selector(IDLE, timeout=90_000)
    points = map_frame_locator(page).locator("path.leaflet-interactive")
    points.first.wait_for(timeout=60_000)
    assert page.get_by_text("cells sized by their number of events").count() == 1
    assert points.count() < 50, "the browser gets a few cells, not thousands of points"

    frame = map_frame(page)
    zoom_before = frame.evaluate("() => window.map.getZoom()")
    click_map_at(page, *CLUSTERS["Homs"])
    wait_for(lambda: frame.evaluate("() => window.map.getZoom()") > zoom_before, timeout=60)
    centre = frame.evaluate("() => window.map.getCenter()")
    assert abs(centre["lat"] - CLUSTERS["Homs"][0]) < 1.0
    assert abs(centre["lng"] - CLUSTERS["Homs"][1]) < 1.0
    # Zoomed in on one cluster, few enough events are in view to be drawn one by one.
    wait_for(lambda: page.get_by_text("cells sized by their number of events").count() == 0)
    wait_for(lambda: points.count() > 1000, timeout=60)
    context.close()


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
