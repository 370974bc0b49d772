"""Single events clickable from a lower zoom: crowded events fanned apart inside their cell, and a
clicked cell landing where its events are drawn one by one (components/map/aggregate.py,
components/map/spread.py)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from components.map import layer as ml
from components.map.bounds import Bounds, mercator_x, mercator_y
from components.map.settings import CELL_SHOWS_EVENTS, MAP_PIXELS, MAX_ZOOM
from components.map.spread import fan_cells
from components.table import schema as s
from components.table.events import validate_events


def make_events(points: list[tuple[float, float]], **cells: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                s.EVENT_ID: f"e{i}",
                s.DATE_START: "2018-02-07",
                s.EVENT_TYPE: "Air/drone strike",
                s.LATITUDE: f"{lat:.6f}",
                s.LONGITUDE: f"{lng:.6f}",
                **cells,
            }
            for i, (lat, lng) in enumerate(points)
        ],
        dtype=object,
    )
    loaded = validate_events(frame, source="test")
    assert loaded.problems == []
    return loaded.events


def features(view: ml.ViewLayer) -> list[dict]:
    (geojson,) = list(view.layer._children.values())
    return geojson.data["features"]


def drawn_at(feature: dict, zoom: int) -> tuple[float, float]:
    """Where the map draws a feature, in pixels at ``zoom``: its fan's centre plus its offset."""
    p = feature["properties"]
    if "spread" in p:
        lat, lng, (dx, dy) = p["lat"], p["lng"], p["spread"]
    else:
        (lng, lat), dx, dy = feature["geometry"]["coordinates"], 0.0, 0.0
    scale = 256 * 2**zoom
    return float(mercator_x(lng)) * scale + dx, float(mercator_y(lat)) * scale + dy


def view_at(center: tuple[float, float], zoom: int, pixels=MAP_PIXELS) -> Bounds:
    """The box a map of ``pixels`` shows around ``center`` at ``zoom``."""
    scale = 256 * 2**zoom
    x, y = float(mercator_x(center[1])) * scale, float(mercator_y(center[0])) * scale
    west, east = ((x + d * pixels[0] / 2) / scale * 360 - 180 for d in (-1, 1))
    north, south = (
        float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * (y + d * pixels[1] / 2) / scale)))))
        for d in (-1, 1)
    )
    return Bounds(south, west, north, east, zoom)


def gaussian(count: int, centre: tuple[float, float], sigma: float, seed: int = 1):
    rng = np.random.default_rng(seed)
    return list(
        zip(
            (centre[0] + rng.normal(0, sigma, count)).tolist(),
            (centre[1] + rng.normal(0, sigma, count)).tolist(),
            strict=True,
        )
    )


# --- fanned apart -------------------------------------------------------------------------


def test_a_few_events_that_would_hide_each_other_are_fanned_apart_inside_their_cell():
    # Six events within a few pixels at zoom 9: they share a cell and sit on each other.
    events = make_events([(35.0 + i * 0.0004, 40.0 + (i % 2) * 0.0004) for i in range(6)])
    zoom = 9

    shown = features(ml.view_layer(events, zoom=zoom))

    assert sorted(f["properties"]["event_id"] for f in shown) == [f"e{i}" for i in range(6)]
    spots = [drawn_at(f, zoom) for f in shown]
    for (a, fa), (b, fb) in itertools.combinations(zip(spots, shown, strict=True), 2):
        reach = fa["properties"]["radius"] + fb["properties"]["radius"]
        assert np.hypot(a[0] - b[0], a[1] - b[1]) >= reach
    for feature in shown:  # the coordinates stay the event's own
        assert feature["geometry"]["coordinates"][1] == pytest.approx(35.0, abs=0.01)


def test_fanned_events_stay_inside_their_own_cell():
    rng = np.random.default_rng(5)
    px, py = rng.uniform(0, 640, 400), rng.uniform(0, 640, 400)
    cell = (np.floor(px / 64) * 16 + np.floor(py / 64)).astype("int64")
    radius = np.full(400, 5)

    fans = fan_cells(px, py, radius, cell, 64.0)

    moved = fans.fanned()
    assert moved.any()
    x = fans.centre[moved, 0] + fans.offset[moved, 0]
    y = fans.centre[moved, 1] + fans.offset[moved, 1]
    assert (np.floor(x / 64) * 16 + np.floor(y / 64) == cell[moved]).all()


def test_events_apart_in_their_cell_are_left_where_they_are():
    px, py = np.array([5.0, 40.0]), np.array([5.0, 40.0])

    fans = fan_cells(px, py, np.array([5, 5]), np.array([0, 0]), 64.0)

    assert not fans.fanned().any()


def test_fans_keep_the_directions_of_their_events_from_the_middle():
    # Four events at the corners of a small square: each keeps its corner's side.
    px = np.array([30.0, 34.0, 30.0, 34.0])
    py = np.array([30.0, 30.0, 34.0, 34.0])

    fans = fan_cells(px, py, np.full(4, 5), np.zeros(4, dtype="int64"), 64.0)

    dx, dy = fans.offset[:, 0], fans.offset[:, 1]
    assert (np.sign(dx) == [-1, 1, -1, 1]).all()
    assert (np.sign(dy) == [-1, -1, 1, 1]).all()


# --- a clicked cell lands on single events ---------------------------------------------------


@pytest.mark.parametrize(
    ("points", "zoom"),
    [
        (gaussian(40, (36.2, 37.16), 0.03), 4),
        (gaussian(500, (48.5, 36.5), 0.3, seed=2), 3),
        (gaussian(120, (15.35, 44.21), 0.01, seed=3) + gaussian(30, (15.0, 44.0), 0.2), 5),
    ],
    ids=["forty-in-a-town", "five-hundred-in-a-region", "a-town-and-around"],
)
def test_a_clicked_cell_lands_where_every_event_of_it_is_drawn_one_by_one(points, zoom):
    events = make_events(points)
    cells = [f for f in features(ml.view_layer(events, zoom=zoom)) if "count" in f["properties"]]
    cell = max(cells, key=lambda c: c["properties"]["count"])

    target = ml.clicked_target({"last_active_drawing": cell, "last_object_clicked_count": 1})
    landed = ml.view_layer(events, bounds=view_at(target.center, target.zoom), zoom=target.zoom)

    inside = set(ml.events_in_bounds(events, target)[s.EVENT_ID])
    assert len(inside) == cell["properties"]["count"]
    drawn = {f["properties"].get("event_id") for f in features(landed)}
    if target.zoom < target.fitting_zoom():
        assert inside <= drawn, "every event of the cell is a point of its own"
    else:  # the box stops fitting first: the click goes as deep as it still fits
        assert target.zoom == target.fitting_zoom()


def test_a_landing_never_goes_deeper_than_the_box_still_fits():
    # Two hundred events at one town's centre and a few around: the pile never parts.
    points = [(36.2, 37.16)] * 200 + gaussian(20, (36.2, 37.16), 0.5)
    events = make_events(points)
    (cell,) = [f for f in features(ml.view_layer(events, zoom=3)) if "count" in f["properties"]]

    target = ml.clicked_target({"last_active_drawing": cell, "last_object_clicked_count": 1})

    assert target.zoom == target.fitting_zoom()
    assert target.zoom < MAX_ZOOM


def test_however_crowded_the_view_the_points_drawn_stay_within_the_budget():
    events = make_events(gaussian(6000, (34.0, 43.5), 2.0))

    view = ml.view_layer(events, zoom=5, max_points=300)

    shown = features(view)
    points = [f for f in shown if "event_id" in f["properties"]]
    counts = [f["properties"]["count"] for f in shown if "count" in f["properties"]]
    assert len(points) <= 300
    assert len(points) + sum(counts) == 6000
    assert all(c > CELL_SHOWS_EVENTS for c in counts)
