"""The map (components/map/layer.py): one GeoJSON layer of ids and labels, and an offline base."""

from __future__ import annotations

import json
import math
import re

import folium
import pandas as pd
import pytest

from components.map import assets
from components.map import layer as ml
from components.table import schema as s
from components.table.events import validate_events

AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"

HOSTILE_SOURCE_TEXT = "<script>alert('SOURCE-TEXT-LEAK')</script>${alert(`SOURCE-TEXT-LEAK`)}\\`"
HOSTILE_NOTES = "<img src=x onerror=alert('NOTES-LEAK')>"
HOSTILE_PLACE = "</script><img src=x onerror=alert('PLACE')>"
ALLOWED_PROPERTIES = {"event_id", "fill", "radius", "outline", "weight", "label", "approximate"}
# Events sharing a spot also carry that spot and their offset from it.
ALLOWED_PROPERTIES |= {"lat", "lng", "spread"}


def make_events(*rows: dict[str, str]) -> pd.DataFrame:
    """Events from cells as a coder writes them, through the real validation gate."""
    defaults = {s.DATE_START: "2018-02-07", s.LATITUDE: "35.33", s.LONGITUDE: "40.14"}
    loaded = validate_events(
        pd.DataFrame([{**defaults, **row} for row in rows], dtype=object), source="test"
    )
    assert [str(p) for p in loaded.problems] == []
    return loaded.events


def numbered_events(count: int) -> pd.DataFrame:
    return make_events(
        *(
            {s.EVENT_ID: f"e{i}", s.LONGITUDE: f"{35 + i / 1000:.3f}", s.KILLED_MIN: str(i)}
            for i in range(count)
        )
    )


@pytest.fixture
def hostile_events() -> pd.DataFrame:
    return make_events(
        {
            s.EVENT_ID: "hostile",
            s.EVENT_TYPE: AIR,
            s.LOCATION: HOSTILE_PLACE,
            s.SOURCE_TEXT: HOSTILE_SOURCE_TEXT,
            s.NOTES: HOSTILE_NOTES,
            s.SOURCE_URL: "javascript:alert('URL-LEAK')",
            s.KILLED_MIN: "100",
            s.KILLED_MAX: "100",
        },
        {s.EVENT_ID: "plain", s.EVENT_TYPE: SHELLING, s.LOCATION: "Hajin"},
    )


def rendered(layer: folium.FeatureGroup | None = None) -> str:
    fmap = ml.base_map((35.0, 40.0), 6)
    if layer is not None:
        layer.add_to(fmap)
    return fmap.get_root().render()


def feature_ids(features: list[dict]) -> list[str]:
    return [f["properties"]["event_id"] for f in features]


def by_id(features: list[dict], name: str) -> dict[str, object]:
    """One property of each feature, keyed by event id."""
    return {f["properties"]["event_id"]: f["properties"][name] for f in features}


# --- what a feature carries -------------------------------------------------------------------


def test_features_carry_only_event_id_style_and_a_plain_label(hostile_events):
    features = ml.event_features(hostile_events)

    assert sorted(feature_ids(features)) == ["hostile", "plain"]
    for feature in features:
        assert set(feature["properties"]) <= ALLOWED_PROPERTIES
        assert isinstance(feature["properties"]["label"], str)
        assert feature["geometry"]["type"] == "Point"


def test_features_never_carry_source_text_notes_or_source_url(hostile_events):
    as_json = json.dumps(ml.event_features(hostile_events))

    for leak in ("SOURCE-TEXT-LEAK", "NOTES-LEAK", "URL-LEAK"):
        assert leak not in as_json


def test_hostile_source_text_does_not_appear_anywhere_in_the_rendered_map(hostile_events):
    html = rendered(ml.event_layer(hostile_events))

    for leak in ("SOURCE-TEXT-LEAK", "NOTES-LEAK", "URL-LEAK"):
        assert leak not in html


def test_hostile_place_name_reaches_the_page_only_as_escaped_json(hostile_events):
    html = rendered(ml.event_layer(hostile_events))

    assert HOSTILE_PLACE not in html
    assert "<img" not in html


def test_label_says_date_type_place_and_killed_in_plain_words():
    events = make_events(
        {
            s.EVENT_ID: "a",
            s.EVENT_TYPE: AIR,
            s.LOCATION: "Deir ez-Zor",
            s.KILLED_MIN: "100",
            s.KILLED_MAX: "100",
        },
        {s.EVENT_ID: "b", s.EVENT_TYPE: SHELLING, s.LOCATION: "Hajin", s.LATITUDE: "34.45"},
    )

    labels = by_id(ml.event_features(events), "label")

    assert labels["a"] == "2018-02-07 · Air/drone strike · Deir ez-Zor · 100 killed"
    assert labels["b"] == "2018-02-07 · Shelling/artillery/missile attack · Hajin"


def test_feature_coordinates_are_longitude_then_latitude():
    events = make_events({s.EVENT_ID: "a", s.LATITUDE: "35.3312345678", s.LONGITUDE: "40.14"})

    [feature] = ml.event_features(events)

    assert feature["geometry"]["coordinates"] == [40.14, 35.331235]


def test_events_without_coordinates_are_left_out_of_the_layer():
    events = make_events(
        {s.EVENT_ID: "placed"},
        {s.EVENT_ID: "not-geocoded", s.LATITUDE: "", s.LONGITUDE: ""},
    )

    assert feature_ids(ml.event_features(events)) == ["placed"]


def test_selected_event_gets_a_dark_thick_outline_and_the_others_do_not():
    events = make_events({s.EVENT_ID: "a"}, {s.EVENT_ID: "b", s.LONGITUDE: "41"})

    properties = {
        f["properties"]["event_id"]: f["properties"] for f in ml.event_features(events, "b")
    }

    assert (properties["b"]["outline"], properties["b"]["weight"]) == (ml.SELECTED_OUTLINE, 3)
    assert properties["a"]["outline"] != ml.SELECTED_OUTLINE
    assert properties["a"]["weight"] < properties["b"]["weight"]


def test_bigger_markers_come_first_so_small_ones_are_drawn_on_top():
    events = make_events(
        {s.EVENT_ID: "small", s.KILLED_MIN: "1"},
        {s.EVENT_ID: "big", s.KILLED_MIN: "500"},
        {s.EVENT_ID: "unknown"},
    )

    assert feature_ids(ml.event_features(events)) == ["big", "small", "unknown"]


# --- one folium object, whatever the number of events ------------------------------------------


@pytest.mark.parametrize("count", [0, 1, 250])
def test_layer_is_one_geojson_object_whatever_the_number_of_events(count):
    layer = ml.event_layer(numbered_events(count))

    children = list(layer._children.values())
    assert len(children) == 1
    assert isinstance(children[0], folium.GeoJson)
    assert len(children[0].data["features"]) == count
    assert descendants(layer) == 1, "no folium object per event"


def descendants(element) -> int:
    return sum(1 + descendants(child) for child in element._children.values())


def test_layer_with_events_renders_on_the_base_map():
    html = rendered(ml.event_layer(numbered_events(3)))

    assert html.count('"event_id": "e') == 3


# --- colours and sizes ------------------------------------------------------------------------


def test_known_event_types_get_their_fixed_colours():
    events = make_events(
        {s.EVENT_ID: "a", s.EVENT_TYPE: AIR}, {s.EVENT_ID: "b", s.EVENT_TYPE: SHELLING}
    )

    fills = by_id(ml.event_features(events), "fill")

    assert fills == {"a": ml.TYPE_COLOURS[AIR], "b": ml.TYPE_COLOURS[SHELLING]}


def test_events_of_one_type_share_one_colour_and_types_differ():
    events = make_events(
        {s.EVENT_ID: "a", s.EVENT_TYPE: "Drone crash"},
        {s.EVENT_ID: "b", s.EVENT_TYPE: "Drone crash"},
        {s.EVENT_ID: "c", s.EVENT_TYPE: "Sniper fire"},
    )

    fills = by_id(ml.event_features(events), "fill")

    assert fills["a"] == fills["b"]
    assert fills["a"] != fills["c"]


def test_colour_of_a_type_stays_the_same_when_other_types_are_filtered_out():
    """The page passes the colours of the whole table, as here, to the filtered layer."""
    events = make_events(
        {s.EVENT_ID: "z", s.EVENT_TYPE: "Sniper fire"},
        {s.EVENT_ID: "a", s.EVENT_TYPE: "Arson"},
        {s.EVENT_ID: "air", s.EVENT_TYPE: AIR},
    )
    only_sniper = events[events[s.EVENT_TYPE] == "Sniper fire"]

    colours = ml.type_colours(events[s.EVENT_TYPE])

    def fill_of(frame: pd.DataFrame) -> str:
        return next(
            f["properties"]["fill"]
            for f in ml.event_features(frame, colours=colours)
            if f["properties"]["event_id"] == "z"
        )

    assert fill_of(events) == fill_of(only_sniper)


def test_colours_do_not_depend_on_row_order():
    events = make_events(
        {s.EVENT_ID: "a", s.EVENT_TYPE: "Sniper fire"}, {s.EVENT_ID: "b", s.EVENT_TYPE: "Arson"}
    )

    def fills(frame: pd.DataFrame) -> dict[str, object]:
        return by_id(ml.event_features(frame), "fill")

    assert fills(events) == fills(events.iloc[::-1])


def test_legend_lists_each_type_with_the_colour_its_markers_have():
    events = make_events(
        {s.EVENT_ID: "a", s.EVENT_TYPE: AIR}, {s.EVENT_ID: "b", s.EVENT_TYPE: "Arson"}
    )
    fills = {f["properties"]["fill"] for f in ml.event_features(events)}

    legend = dict(ml.legend_items(events))

    assert set(legend) == {AIR, "Arson"}
    assert set(legend.values()) == fills


def test_marker_radius_grows_with_the_number_killed():
    radii = [ml.marker_radius(k) for k in (1, 10, 100, 1_000, 10_000)]

    assert radii == sorted(radii)
    assert len(set(radii)) == len(radii)


@pytest.mark.parametrize("unknown", [None, pd.NA, math.nan, float("nan")])
def test_unknown_killed_gets_the_smallest_marker(unknown):
    smallest = ml.marker_radius(unknown)

    assert all(smallest <= ml.marker_radius(k) for k in (0, 1, 2, 10, 100, 10_000))


def test_zero_killed_is_drawn_bigger_than_unknown_so_unknown_never_looks_like_zero():
    assert ml.marker_radius(0) > ml.marker_radius(None)


def test_marker_size_uses_killed_min_and_falls_back_to_killed_max():
    events = make_events(
        {s.EVENT_ID: "range", s.KILLED_MIN: "5", s.KILLED_MAX: "500"},
        {s.EVENT_ID: "at-most", s.KILLED_MAX: "500", s.LONGITUDE: "41"},
    )

    radius = by_id(ml.event_features(events), "radius")

    assert radius == {"range": ml.marker_radius(5), "at-most": ml.marker_radius(500)}


def test_size_legend_starts_with_not_reported_and_grows():
    legend = ml.size_legend()

    assert legend[0][0] == "killed not reported"
    radii = [radius for _, radius in legend]
    assert radii == sorted(radii)


# --- clicks -----------------------------------------------------------------------------------

ST_FOLIUM_CLICK = {
    "last_clicked": {"lat": 35.33, "lng": 40.14},
    "last_object_clicked": {"lat": 35.33, "lng": 40.14},
    "last_object_clicked_count": 4,
    "last_active_drawing": {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [40.14, 35.33]},
        "properties": {"event_id": "seed-000-2", "fill": "#d62728", "radius": 13},
    },
    "zoom": 6,
}


@pytest.mark.parametrize(
    ("map_state", "event_id"),
    [
        (ST_FOLIUM_CLICK, "seed-000-2"),
        ({"last_active_drawing": {"properties": {"event_id": "a"}}}, "a"),
        ({"last_active_drawing": {"properties": {"event_id": ""}}}, ""),
    ],
    ids=["st_folium state", "minimal state", "empty id is still the id clicked"],
)
def test_clicked_event_id_reads_the_id_from_the_last_active_drawing(map_state, event_id):
    assert ml.clicked_event_id(map_state) == event_id


JUNK_MAP_STATES = [
    None,
    {},
    {"last_active_drawing": None},
    {"last_active_drawing": ""},
    {"last_active_drawing": "seed-000-2"},
    {"last_active_drawing": []},
    {"last_active_drawing": {}},
    {"last_active_drawing": {"properties": None}},
    {"last_active_drawing": {"properties": {}}},
    {"last_active_drawing": {"properties": "event_id"}},
    {"last_active_drawing": {"properties": ["event_id"]}},
    {"last_active_drawing": {"properties": {"event_id": None}}},
    {"last_active_drawing": {"properties": {"event_id": 7}}},
    {"last_active_drawing": {"properties": {"event_id": ["a"]}}},
    {"last_object_clicked": {"lat": 35.33, "lng": 40.14}},
]


@pytest.mark.parametrize(
    "map_state", JUNK_MAP_STATES, ids=[json.dumps(state) for state in JUNK_MAP_STATES]
)
def test_clicked_event_id_is_none_for_anything_but_a_clicked_feature(map_state):
    assert ml.clicked_event_id(map_state) is None


def click(event_id: str, count: int) -> dict:
    return {
        "last_active_drawing": {"properties": {"event_id": event_id}},
        "last_object_clicked_count": count,
    }


def test_a_click_reports_a_first_click_then_ignores_the_same_state_on_rerun():
    event_id, seen = ml.new_target(click("a", 4), None)
    assert event_id == "a"

    again, seen_again = ml.new_target(click("a", 4), seen)
    assert again is None
    assert seen_again == seen


def test_a_click_reports_a_second_click_on_the_same_marker():
    _, seen = ml.new_target(click("a", 4), None)

    event_id, _ = ml.new_target(click("a", 8), seen)

    assert event_id == "a"


def test_a_click_reports_a_click_on_another_marker():
    _, seen = ml.new_target(click("a", 4), None)

    event_id, _ = ml.new_target(click("b", 4), seen)

    assert event_id == "b"


@pytest.mark.parametrize("map_state", [None, {}, {"last_active_drawing": None}])
def test_a_click_without_a_clicked_feature_reports_nothing_and_keeps_what_was_seen(map_state):
    _, seen = ml.new_target(click("a", 4), None)

    assert ml.new_target(map_state, seen) == (None, seen)


# --- the offline base map ---------------------------------------------------------------------


def test_offline_map_loads_leaflet_from_the_app_not_a_cdn():
    for _, url in [*ml.OfflineMap.default_js, *ml.OfflineMap.default_css]:
        assert url.startswith("/app/static/vendor/"), url
    assert assets.STATIC_URL == "/app/static/vendor"


def test_base_map_is_an_offline_map():
    assert isinstance(ml.base_map((35.0, 40.0), 6), ml.OfflineMap)


@pytest.mark.parametrize("with_events", [False, True], ids=["base map", "base map with events"])
def test_rendered_offline_map_has_no_http_address(with_events):
    layer = ml.event_layer(numbered_events(3)) if with_events else None

    html = rendered(layer)

    assert re.findall(r"https?://[^\s\"'<>)]*", html) == []
    sources = re.findall(r'<script[^>]+src="([^"]+)"', html) + re.findall(
        r'<link[^>]+href="([^"]+)"', html
    )
    assert sources, "the page should load Leaflet from somewhere"
    assert all(src.startswith("/app/static/vendor/") for src in sources), sources


def test_online_tiles_are_an_explicit_choice():
    html = ml.base_map((35.0, 40.0), 6, online_tiles=True).get_root().render()

    assert "tile.openstreetmap.org" in html


# --- the first view ---------------------------------------------------------------------------


def test_initial_view_without_placed_events_shows_the_world():
    events = make_events({s.EVENT_ID: "a", s.LATITUDE: "", s.LONGITUDE: ""})

    assert ml.initial_view(events) == ((30.0, 20.0), 2)


def test_initial_view_of_one_event_centres_on_it_closely():
    (lat, lon), zoom = ml.initial_view(make_events({s.EVENT_ID: "a"}))

    assert (lat, lon) == pytest.approx((35.33, 40.14))
    assert 2 <= zoom <= 10


def test_initial_view_centres_between_events_and_zooms_out_to_show_them():
    one = make_events({s.EVENT_ID: "a", s.LATITUDE: "35", s.LONGITUDE: "40"})
    two = make_events(
        {s.EVENT_ID: "a", s.LATITUDE: "35", s.LONGITUDE: "40"},
        {s.EVENT_ID: "b", s.LATITUDE: "36", s.LONGITUDE: "50"},
        {s.EVENT_ID: "unplaced", s.LATITUDE: "", s.LONGITUDE: ""},
    )

    (lat, lon), zoom = ml.initial_view(two)

    assert (lat, lon) == pytest.approx((35.5, 45.0))
    assert zoom < ml.initial_view(one)[1]
    assert zoom >= 2


def test_initial_view_of_events_across_the_world_zooms_out_fully():
    events = make_events(
        {s.EVENT_ID: "a", s.LATITUDE: "-40", s.LONGITUDE: "-170"},
        {s.EVENT_ID: "b", s.LATITUDE: "60", s.LONGITUDE: "170"},
    )

    assert ml.initial_view(events)[1] == 2


@pytest.mark.parametrize(
    ("cells", "approximate"),
    [
        ({s.GEO_PRECISION: "1"}, False),
        ({s.GEO_PRECISION: "2"}, False),
        ({}, False),
        ({s.GEO_PRECISION: "3"}, True),
        ({s.DATE_START: "2018-02", s.DATE_PRECISION: "month"}, True),
        ({s.DATE_START: "2018", s.DATE_PRECISION: "year"}, True),
        ({s.DATE_PRECISION: "week"}, False),
    ],
)
def test_region_centres_and_month_or_year_dates_are_drawn_approximate(cells, approximate):
    events = make_events({s.EVENT_ID: "exact"}, {s.EVENT_ID: "rough", **cells})
    features = {f["properties"]["event_id"]: f["properties"] for f in ml.event_features(events)}
    assert features["rough"]["approximate"] is approximate
    assert features["exact"]["approximate"] is False
    if approximate:
        assert features["rough"]["radius"] > features["exact"]["radius"], "drawn larger"
        assert features["rough"]["label"].endswith("approximate")
