"""GeoJSON (components/formats/geojson.py): Point features with canonical properties."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from components import formats
from components.table import schema as s
from components.table.errors import ImportFileError
from tests import FIXTURES

FIXTURE = FIXTURES / "strikes.geojson"


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def point(geometry: object = None, **properties: object) -> dict:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"event_id": "x", "date_start": "2018-02-07", **properties},
    }


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    [index] = events.index[events[s.EVENT_ID] == event_id]
    return events.loc[index]


# --- semantics -------------------------------------------------------------------------------


def test_point_features_become_events_with_their_properties():
    event = by_id(formats.import_file(FIXTURE).events, "coalition-2018-02-07")

    assert (event[s.LATITUDE], event[s.LONGITUDE]) == (35.15, 40.35)
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (100, 100)
    assert (event[s.INJURED_MIN], event[s.INJURED_MAX]) == (0, 0)
    assert pd.isna(event[s.CIVILIANS_KILLED_MIN])
    assert event[s.DATE_END] == pd.Timestamp("2018-02-08")
    assert event[s.GEO_PRECISION] == 2
    assert event[s.SOURCE_URL] == "https://www.reuters.com/"


def test_feature_with_null_geometry_is_an_event_not_yet_placed():
    event = by_id(formats.import_file(FIXTURE).events, "shelling-unplaced")

    assert pd.isna(event[s.LATITUDE]) and pd.isna(event[s.LONGITUDE])
    assert event[s.LOCATION] == "Deir ez-Zor"
    assert pd.isna(event[s.KILLED_MIN])


def test_feature_id_is_the_event_id_when_properties_have_none_and_extras_are_kept():
    event = by_id(formats.import_file(FIXTURE).events, "id-from-feature")

    assert (event[s.LATITUDE], event[s.LONGITUDE]) == (34.6939, 40.8311)
    assert event["confidence"] == "high"
    assert json.loads(event["sources"]) == {"primary": "SOHR", "others": ["SANA"]}


def test_non_point_feature_and_bad_date_are_rejected_with_feature_number_and_id():
    imported = formats.import_file(FIXTURE)

    assert [(p.row, p.event_id, p.column, p.value) for p in imported.problems] == [
        (3, "front-line", "geometry", "LineString"),
        (5, "bad-date", s.DATE_START, "07/02/2018"),
    ]
    assert len(imported.events) == 3


def test_geometry_wins_over_coordinate_properties():
    data = collection(
        point({"type": "Point", "coordinates": [40.0, 35.0]}, latitude=1, longitude=2)
    )

    event = formats.import_bytes(data, "x.geojson").events.iloc[0]

    assert (event[s.LATITUDE], event[s.LONGITUDE]) == (35.0, 40.0)


# --- geometries: valid ones and ones that must be rejected -----------------------------------

VALID_GEOMETRIES = [
    ("point", {"type": "Point", "coordinates": [40.35, 35.15]}, (35.15, 40.35)),
    ("point with altitude", {"type": "Point", "coordinates": [40.35, 35.15, 200]}, (35.15, 40.35)),
    ("whole-number point", {"type": "Point", "coordinates": [40, 35]}, (35.0, 40.0)),
    ("null", None, (None, None)),
]
INVALID_GEOMETRIES = [
    ("line", {"type": "LineString", "coordinates": [[40, 35], [41, 36]]}),
    ("polygon", {"type": "Polygon", "coordinates": [[[40, 35], [41, 35], [41, 36], [40, 35]]]}),
    ("multipoint", {"type": "MultiPoint", "coordinates": [[40, 35]]}),
    ("one coordinate", {"type": "Point", "coordinates": [40]}),
    ("text coordinates", {"type": "Point", "coordinates": ["40", "35"]}),
    ("no coordinates", {"type": "Point"}),
    ("geometry not an object", "POINT (40 35)"),
]


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [c[1:] for c in VALID_GEOMETRIES],
    ids=[c[0] for c in VALID_GEOMETRIES],
)
def test_valid_geometry_loads(geometry, expected):
    imported = formats.import_bytes(collection(point(geometry)), "x.geojson")

    assert imported.problems == []
    event = imported.events.iloc[0]
    got = tuple(None if pd.isna(event[c]) else event[c] for c in (s.LATITUDE, s.LONGITUDE))
    assert got == expected


@pytest.mark.parametrize(
    "geometry", [c[1] for c in INVALID_GEOMETRIES], ids=[c[0] for c in INVALID_GEOMETRIES]
)
def test_geometry_that_is_not_a_point_rejects_the_feature_and_the_others_load(geometry):
    data = collection(point(geometry, event_id="bad"), point(event_id="good"))

    imported = formats.import_bytes(data, "x.geojson")

    [problem] = imported.problems
    assert (problem.row, problem.event_id, problem.column) == (1, "bad", "geometry")
    assert imported.events[s.EVENT_ID].tolist() == ["good"]


def test_point_outside_the_globe_is_rejected_by_the_event_checks():
    data = collection(point({"type": "Point", "coordinates": [40, 95]}))

    [problem] = formats.import_bytes(data, "x.geojson").problems

    assert problem.column == s.LATITUDE


def test_single_feature_document_is_read_as_one_event():
    data = json.dumps(point({"type": "Point", "coordinates": [40, 35]})).encode()

    imported = formats.import_bytes(data, "one.geojson")

    assert imported.events[s.EVENT_ID].tolist() == ["x"]


@pytest.mark.parametrize(
    "data",
    [b'{"type": "FeatureCollection", "features": [}', b'{"type": "FeatureCollection"}'],
    ids=["broken JSON", "no features list"],
)
def test_unreadable_geojson_is_refused_as_a_whole(data):
    with pytest.raises(ImportFileError):
        formats.import_bytes(data, "x.geojson")


def test_a_document_nested_too_deep_is_refused_in_one_line_not_a_crash():
    deep = "[" * 100_000 + "]" * 100_000
    data = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null, '
        f'"properties": {{"event_id": "x", "date_start": "2018-02-07", "deep": {deep}}}}}]}}'
    )

    with pytest.raises(ImportFileError, match="deeper than can be read"):
        formats.import_bytes(data.encode(), "deep.geojson")


def test_properties_that_differ_in_every_feature_stay_a_bounded_table():
    features = [
        point({"type": "Point", "coordinates": [36.2, 37.0]}, event_id=f"e{n}", **{f"p{n}": n})
        for n in range(1_000)
    ]

    imported = formats.import_bytes(collection(*features), "wide.geojson")

    assert len(imported.events) == 1_000
    assert len(imported.events.columns) <= len(s.CANONICAL_COLUMNS) + 250
    assert json.loads(by_id(imported.events, "e999")["other_properties"]) == {"p999": "999"}
    assert any("rarely used property names" in note for note in imported.notes)
