"""The map for many events (components/map/layer.py view_layer): events in view one by one
while few, grid cells with counts above the threshold, a clicked cell zooms in; events at
one spot drawn around it; colours by any column."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from components.map import layer as ml
from components.map.settings import SPOT_SHOWS_EVENTS
from components.table import schema as s
from components.table.events import validate_events

ALEPPO = (36.2, 37.16)
SANAA = (15.35, 44.21)
HOSTILE = "<script>alert('LEAK')</script>${x}"


def make_events(rows: list[dict[str, str]]) -> pd.DataFrame:
    defaults = {s.DATE_START: "2018-02-07", s.EVENT_TYPE: "Air/drone strike"}
    frame = pd.DataFrame([{**defaults, **row} for row in rows], dtype=object)
    loaded = validate_events(frame, source="test")
    assert loaded.problems == []
    return loaded.events


def cluster(name: str, spot: tuple[float, float], count: int, **cells: str) -> list[dict]:
    """``count`` events scattered within a few kilometres of ``spot``."""
    rng = np.random.default_rng(len(name) + count)
    return [
        {
            s.EVENT_ID: f"{name}-{i}",
            s.LATITUDE: f"{spot[0] + rng.uniform(-0.05, 0.05):.5f}",
            s.LONGITUDE: f"{spot[1] + rng.uniform(-0.05, 0.05):.5f}",
            **cells,
        }
        for i in range(count)
    ]


@pytest.fixture
def two_cities() -> pd.DataFrame:
    return make_events(
        cluster("aleppo", ALEPPO, 40, **{s.KILLED_MIN: "2", s.SOURCE_TEXT: HOSTILE})
        + cluster("sanaa", SANAA, 25)
    )


def cells(view: ml.ViewLayer) -> list[dict]:
    return [f for f in features(view) if "count" in f["properties"]]


def events_drawn(view: ml.ViewLayer) -> list[str]:
    return [f["properties"]["event_id"] for f in features(view) if "event_id" in f["properties"]]


def features(view: ml.ViewLayer) -> list[dict]:
    (geojson,) = [c for c in view.layer._children.values()]
    return geojson.data["features"]


def clicked(feature: dict, count: int = 4) -> dict:
    """st_folium's state after a click on ``feature``."""
    return {"last_active_drawing": feature, "last_object_clicked_count": count}


# --- events or cells ----------------------------------------------------------------------


@pytest.fixture
def apart() -> pd.DataFrame:
    """Events a degree apart along a line: no two hide each other from zoom 4 on."""
    return make_events(
        [
            {s.EVENT_ID: f"apart-{i}", s.LATITUDE: "34.0", s.LONGITUDE: f"{30 + i}.0"}
            for i in range(20)
        ]
    )


def test_while_the_events_in_view_are_apart_each_is_drawn_and_clickable(apart):
    view = ml.view_layer(apart, zoom=5)

    assert view.mode == "events"
    assert sorted(events_drawn(view)) == sorted(apart[s.EVENT_ID])
    assert cells(view) == []
    assert not [f for f in features(view) if "spread" in f["properties"]]


def test_a_pile_of_events_that_would_hide_each_other_is_one_counted_cell(two_cities):
    # At zoom 2, forty events within ten kilometres would be forty overlapping dots.
    view = ml.view_layer(two_cities, zoom=2)

    assert view.mode == "aggregated"
    assert sorted(c["properties"]["count"] for c in cells(view)) == [25, 40]
    assert events_drawn(view) == []


def test_above_the_threshold_the_map_shows_cells_that_count_every_event_once(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)

    assert view.mode == "aggregated"
    counted = sum(c["properties"]["count"] for c in cells(view)) + len(events_drawn(view))
    assert counted == len(two_cities) == view.events_in_view
    assert len(cells(view)) == 2


def test_a_cell_says_how_many_events_and_killed_in_plain_words(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)

    labels = sorted(c["properties"]["label"] for c in cells(view))

    assert labels == [
        "25 events here · no killed figure reported · click to zoom in",
        "40 events here · 80 killed (lowest reported figures) · click to zoom in",
    ]


def test_events_without_a_killed_figure_are_named_not_counted_as_zero():
    events = make_events(
        cluster("known", ALEPPO, 6, **{s.KILLED_MIN: "5"}) + cluster("unknown", ALEPPO, 4)
    )

    (cell,) = cells(ml.view_layer(events, zoom=3, max_points=5))

    assert cell["properties"]["label"] == (
        "10 events here · 30 killed (lowest reported figures; 4 events report none) · "
        "click to zoom in"
    )


def test_a_cell_with_more_events_is_drawn_bigger(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)

    radius = {c["properties"]["count"]: c["properties"]["radius"] for c in cells(view)}

    assert radius[40] > radius[25]


def test_cells_carry_no_report_text(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)

    assert HOSTILE not in json.dumps(features(view))
    fmap = ml.base_map((30.0, 40.0), 4)
    view.layer.add_to(fmap)
    assert "LEAK" not in fmap.get_root().render()


def test_a_lone_event_among_cells_is_drawn_as_itself():
    events = make_events(cluster("aleppo", ALEPPO, 30) + cluster("lone", SANAA, 1))

    view = ml.view_layer(events, zoom=4, max_points=10)

    assert view.mode == "aggregated"
    assert events_drawn(view) == ["lone-0"]


def test_cells_get_smaller_as_the_map_zooms_in(two_cities):
    wide = ml.view_layer(two_cities, zoom=2, max_points=10)
    close = ml.view_layer(two_cities, zoom=12, max_points=10)

    assert len(cells(close)) + len(events_drawn(close)) > len(cells(wide))


# --- a clicked cell zooms in --------------------------------------------------------------------


def test_a_clicked_cell_zooms_in_to_a_box_that_holds_its_events(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)
    aleppo = next(c for c in cells(view) if c["properties"]["count"] == 40)

    target = ml.clicked_target(clicked(aleppo))

    assert isinstance(target, ml.Bounds)
    assert target.zoom > 4
    inside = ml.events_in_bounds(two_cities, target)
    assert sorted(inside[s.EVENT_ID]) == sorted(e for e in two_cities[s.EVENT_ID] if "aleppo" in e)


def test_after_zooming_to_a_clicked_cell_its_events_are_drawn_one_by_one(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=30)
    aleppo = next(c for c in cells(view) if c["properties"]["count"] == 40)
    target = ml.clicked_target(clicked(aleppo))

    closer = ml.view_layer(two_cities, bounds=target, zoom=target.zoom, max_points=50)

    assert closer.mode == "events"
    assert {e.split("-")[0] for e in events_drawn(closer)} == {"aleppo"}


def test_a_cell_whose_many_events_share_one_spot_still_zooms_in():
    many = SPOT_SHOWS_EVENTS + 10
    events = make_events(
        [{s.EVENT_ID: f"e{i}", s.LATITUDE: "36.2", s.LONGITUDE: "37.16"} for i in range(many)]
    )
    (cell,) = cells(ml.view_layer(events, zoom=5))

    target = ml.clicked_target(clicked(cell))

    assert target.zoom > 5
    assert len(ml.events_in_bounds(events, target)) == many


def test_up_to_a_spiral_of_events_at_one_spot_are_drawn_around_it_at_any_zoom():
    events = make_events(
        [
            {s.EVENT_ID: f"e{i}", s.LATITUDE: "36.2", s.LONGITUDE: "37.16"}
            for i in range(SPOT_SHOWS_EVENTS)
        ]
    )

    view = ml.view_layer(events, zoom=3)

    assert cells(view) == []
    assert len({tuple(f["properties"]["spread"]) for f in features(view)}) == SPOT_SHOWS_EVENTS


def test_clicked_target_of_an_event_is_its_id(apart):
    view = ml.view_layer(apart, zoom=5)

    assert (
        ml.clicked_target(clicked(features(view)[0])) == features(view)[0]["properties"]["event_id"]
    )


JUNK_CELLS = [
    {"zoom_to": [1, 2, 3], "zoom": 5},
    {"zoom_to": [1, 2, 3, "4"], "zoom": 5},
    {"zoom_to": [1, 2, 3, 4], "zoom": None},
    {"zoom_to": [1, 2, 3, 4], "zoom": True},
    {"zoom_to": [3, 2, 1, 4], "zoom": 5},
    {"zoom_to": [1, 2, 95, 4], "zoom": 5},
    {"zoom_to": "1,2,3,4", "zoom": 5},
    {"zoom_to": [1, 2, float("nan"), 4], "zoom": 5},
]


@pytest.mark.parametrize("properties", JUNK_CELLS, ids=[str(p) for p in JUNK_CELLS])
def test_a_click_that_names_no_valid_box_asks_for_nothing(properties):
    assert ml.clicked_target(clicked({"properties": properties})) is None


def test_new_target_reports_a_cell_click_once_and_a_second_click_again(two_cities):
    view = ml.view_layer(two_cities, zoom=4, max_points=10)
    cell = cells(view)[0]

    first, seen = ml.new_target(clicked(cell, 4), None)
    rerun, seen = ml.new_target(clicked(cell, 4), seen)
    again, _ = ml.new_target(clicked(cell, 8), seen)

    assert isinstance(first, ml.Bounds)
    assert rerun is None
    assert again == first


# --- the view ------------------------------------------------------------------------------


def test_events_far_outside_the_view_are_not_sent(two_cities):
    around_aleppo = ml.Bounds(35.5, 36.5, 37.0, 38.0)

    view = ml.view_layer(two_cities, bounds=around_aleppo, zoom=12)

    assert {e.split("-")[0] for e in events_drawn(view)} == {"aleppo"}
    assert view.events_in_view == 40
    for feature in features(view):
        longitude, latitude = feature["geometry"]["coordinates"]
        assert 35.5 < latitude < 37.0 and 36.5 < longitude < 38.0


def test_a_view_across_the_date_line_holds_events_on_both_sides():
    events = make_events(
        [
            {s.EVENT_ID: "east", s.LATITUDE: "-17.7", s.LONGITUDE: "178.4"},
            {s.EVENT_ID: "west", s.LATITUDE: "-13.8", s.LONGITUDE: "-171.8"},
            {s.EVENT_ID: "far", s.LATITUDE: "0", s.LONGITUDE: "0"},
        ]
    )
    pacific = {"_southWest": {"lat": -25, "lng": 170}, "_northEast": {"lat": -5, "lng": 195}}

    view = ml.view_layer(events, bounds=pacific, zoom=5)

    assert sorted(events_drawn(view)) == ["east", "west"]


def test_the_view_st_folium_reports_is_read_with_its_zoom():
    state = {
        "bounds": {"_southWest": {"lat": 30, "lng": 35}, "_northEast": {"lat": 37, "lng": 42}},
        "zoom": 7,
    }

    assert ml.bounds_from_map(state) == ml.Bounds(30, 35, 37, 42, 7)


@pytest.mark.parametrize(
    "state",
    [None, {}, {"bounds": None}, {"bounds": {"_southWest": {"lat": 1}}}, {"bounds": "x"}],
)
def test_no_view_is_read_from_a_state_without_bounds(state):
    assert ml.bounds_from_map(state) is None


def test_many_events_across_the_world_stay_within_the_page_budget():
    rng = np.random.default_rng(1)
    count = 20_000
    events = make_events(
        [
            {s.EVENT_ID: f"e{i}", s.LATITUDE: f"{lat:.4f}", s.LONGITUDE: f"{lon:.4f}"}
            for i, (lat, lon) in enumerate(
                zip(rng.uniform(-60, 70, count), rng.uniform(-180, 180, count), strict=True)
            )
        ]
    )

    view = ml.view_layer(events)

    assert view.mode == "aggregated"
    assert view.bytes == len(json.dumps({"type": "FeatureCollection", "features": features(view)}))
    assert view.bytes < ml.MAX_LAYER_BYTES / 10
    assert view.features < ml.MAX_POINTS


# --- events at one spot ---------------------------------------------------------------------


def test_events_at_one_spot_are_drawn_around_it_and_keep_their_coordinates():
    events = make_events(
        [{s.EVENT_ID: f"e{i}", s.LATITUDE: "36.2", s.LONGITUDE: "37.16"} for i in range(3)]
        + [{s.EVENT_ID: "apart", s.LATITUDE: "36.3", s.LONGITUDE: "37.16"}]
    )

    shown = {f["properties"]["event_id"]: f for f in ml.event_features(events)}

    offsets = {tuple(shown[f"e{i}"]["properties"]["spread"]) for i in range(3)}
    assert len(offsets) == 3
    for i in range(3):
        feature = shown[f"e{i}"]
        assert feature["geometry"]["coordinates"] == [37.16, 36.2]
        assert (feature["properties"]["lat"], feature["properties"]["lng"]) == (36.2, 37.16)
        assert feature["properties"]["label"].startswith("3 events at this spot · ")
    assert "spread" not in shown["apart"]["properties"]
    assert not shown["apart"]["properties"]["label"].startswith("1 event")


def test_a_spot_with_many_events_spirals_out_with_every_event_in_its_own_place():
    events = make_events(
        [{s.EVENT_ID: f"e{i}", s.LATITUDE: "36.2", s.LONGITUDE: "37.16"} for i in range(40)]
    )

    offsets = [tuple(f["properties"]["spread"]) for f in ml.event_features(events)]

    assert len(set(offsets)) == 40
    distance = sorted(np.hypot(*zip(*offsets, strict=True)))
    assert distance[-1] > 3 * distance[0]


# --- colours by any column ------------------------------------------------------------------


def test_markers_can_be_coloured_by_confidence_and_the_legend_matches():
    grades = ["disputed", "confirmed by the striking party", "some grade of our own"]
    events = make_events(
        [
            {s.EVENT_ID: f"e{i}", s.LATITUDE: f"3{i}", s.LONGITUDE: "40", s.CONFIDENCE: g}
            for i, g in enumerate(grades)
        ]
    )

    fills = {
        f["properties"]["event_id"]: f["properties"]["fill"]
        for f in ml.event_features(events, colour_by=s.CONFIDENCE)
    }
    legend = dict(ml.legend_items(events, colour_by=s.CONFIDENCE))

    assert fills["e0"] == ml.CONFIDENCE_COLOURS["disputed"] == legend["disputed"]
    assert fills["e1"] == ml.CONFIDENCE_COLOURS["confirmed by the striking party"]
    assert fills["e2"] == legend["some grade of our own"]
    assert len(set(fills.values())) == 3


def test_event_features_still_takes_events_selection_and_colours_by_position(two_cities):
    colours = ml.type_colours(two_cities[s.EVENT_TYPE])

    shown = ml.event_features(two_cities, "aleppo-1", colours)

    selected = [f for f in shown if f["properties"]["outline"] == ml.SELECTED_OUTLINE]
    assert [f["properties"]["event_id"] for f in selected] == ["aleppo-1"]


def _pixels(lat: float, lng: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / (2 * np.pi)
    return (lng + 180) / 360 * scale, y * scale


def test_grid_cells_never_overlap_and_carry_their_count():
    rng = np.random.default_rng(3)
    rows = [
        {
            s.EVENT_ID: f"e{i}",
            s.DATE_START: "2018-02-07",
            s.LATITUDE: f"{35 + rng.normal(0, 0.4):.5f}",
            s.LONGITUDE: f"{40 + rng.normal(0, 0.4):.5f}",
        }
        for i in range(3000)
    ]
    zoom = 8
    layer = ml.view_layer(make_events(rows), zoom=zoom, max_points=100)
    assert layer.mode == "aggregated"
    cells = [f for f in features(layer) if "count" in f["properties"]]
    assert (
        sum(f["properties"]["count"] for f in cells) + (len(features(layer)) - len(cells)) == 3000
    )
    points = [
        (
            *_pixels(f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0], zoom),
            f["properties"]["radius"],
        )
        for f in cells
    ]
    for i, (x1, y1, r1) in enumerate(points):
        for x2, y2, r2 in points[i + 1 :]:
            assert np.hypot(x1 - x2, y1 - y2) >= r1 + r2 - 0.5
