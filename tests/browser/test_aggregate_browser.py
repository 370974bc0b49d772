"""Too many events for the browser: the map shows grid cells, and a cell clicked zooms in."""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from components.map.layer import MAX_POINTS
from components.map.settings import CELL_SHOWS_EVENTS
from components.table import schema as s
from tests.dashboard import (
    IDLE,
    MAP_FRAME,
    MAP_POINTS,
    click_map_at,
    map_frame,
    map_frame_locator,
)

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
    reruns = _reruns_requested(page)
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

    # One run of the page for the click: the map zoomed in the browser, so the click and the
    # view it lands on reached the server in one report, and nothing is left to report.
    page.wait_for_selector(IDLE)
    landed = frame.evaluate(f"() => ({_REPORTED_VIEW})(window.map)")
    assert frame.evaluate(f"() => ({_REPORTED_VIEW})(window.__GLOBAL_DATA__.previous_data)") == (
        landed
    ), "the map shows a view it has not reported: its report would run the page again"
    # (Every run request carries the map's last report: those that carry the click.)
    reports = [_map_reported(r) for r in reruns]
    clicked = [r for r in reports if r.get("last_object_clicked_count")]
    assert len(clicked) == 1, f"{len(clicked)} runs of the page for one click"
    assert clicked[0]["zoom"] == landed["zoom"]
    assert clicked[0]["last_active_drawing"]["properties"]["count"] > 0

    # A single event clicked opens its panel, in one run as well.
    clicks_before = clicked[0]["last_object_clicked_count"]
    x, y = frame.evaluate(_AN_EVENT_IN_SIGHT)
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.locator(".st-key-detail_panel")).to_contain_text("Homs")
    page.wait_for_selector(IDLE)
    reports = [_map_reported(r) for r in reruns]
    later = [r for r in reports if r.get("last_object_clicked_count", 0) > clicks_before]
    assert len(later) == 1, f"{len(later)} runs of the page for one click on an event"
    assert later[0]["last_active_drawing"]["properties"]["event_id"].startswith("homs-")


# Where a single event is drawn uncovered (the page point of its middle, in the map's frame).
_AN_EVENT_IN_SIGHT = """() => {
    const events = [...document.querySelectorAll('path[aria-label]')]
        .filter((e) => !/events here/.test(e.getAttribute('aria-label')));
    for (const e of events) {
        const r = e.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
        if (document.elementFromPoint(x, y) === e) return [x, y];
    }
    return null;
}"""

# The view as the map has it, or as st_folium last reported it (its returned bounds and zoom).
_REPORTED_VIEW = """(view) => {
    const box = typeof view.getBounds === "function" ? view.getBounds() : view.bounds;
    const zoom = typeof view.getZoom === "function" ? view.getZoom() : view.zoom;
    const corner = (c) => [c.lat, c.lng];
    return {zoom, box: [corner(box._southWest), corner(box._northEast)]};
}"""


def _reruns_requested(page) -> list[BackMsg]:
    """The page's requests to run the script from now on (a list that fills as they are sent)."""
    reruns: list[BackMsg] = []

    def sent(event: dict) -> None:
        response = event["response"]
        if response.get("opcode") == 2:  # binary: Streamlit's protobuf BackMsg
            message = BackMsg.FromString(base64.b64decode(response["payloadData"]))
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(message)

    session = page.context.new_cdp_session(page)
    session.on("Network.webSocketFrameSent", sent)
    session.send("Network.enable")
    return reruns


def _map_reported(rerun: BackMsg) -> dict:
    """What the map's frame reported in a run request (st_folium's value; empty if none)."""
    values = [w.json_value for w in rerun.rerun_script.widget_states.widgets if w.json_value]
    return next((json.loads(v) for v in values if "last_object_clicked_count" in v), {})


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
