"""GDELT 2.0 event exports (components/formats/gdelt.py): strikes kept by CAMEO code, places
by ActionGeo, casualties unknown (never 0)."""

from __future__ import annotations

import pandas as pd
import pytest

from components import formats
from components.formats import ImportOptions
from components.formats.gdelt import COLUMNS
from components.table import schema as s
from tests import FIXTURES

FIXTURE = FIXTURES / "gdelt_20180208.export.CSV"


def gdelt_line(**cells: str) -> str:
    """A GDELT 2.0 event line: an air strike in a Syrian city, with the given cells changed."""
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        GLOBALEVENTID="1",
        SQLDATE="20180207",
        EventCode="195",
        Actor1Name="UNITED STATES",
        Actor2Name="SYRIA",
        ActionGeo_Type="4",
        ActionGeo_FullName="Hajin, Dayr az Zawr, Syria",
        ActionGeo_Lat="34.6939",
        ActionGeo_Long="40.8311",
        DATEADDED="20180208063000",
        SOURCEURL="https://www.reuters.com/article/x",
    )
    row.update(cells)
    return "\t".join(row[c] for c in COLUMNS)


def import_lines(*lines: str, options: ImportOptions | None = None) -> formats.ImportedEvents:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return formats.import_bytes(data, "export.CSV", options=options)


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    [index] = events.index[events[s.EVENT_ID] == event_id]
    return events.loc[index]


def test_the_table_has_the_61_columns_of_the_codebook():
    assert len(COLUMNS) == 61
    assert (COLUMNS[0], COLUMNS[1], COLUMNS[26], COLUMNS[51], COLUMNS[60]) == (
        "GLOBALEVENTID",
        "SQLDATE",
        "EventCode",
        "ActionGeo_Type",
        "SOURCEURL",
    )


# --- semantics -------------------------------------------------------------------------------


def test_fight_events_are_kept_and_the_others_counted_as_skipped():
    imported = formats.import_file(FIXTURE)

    assert imported.events["cameo_code"].tolist() == ["195", "1951", "194", "190", "1952"]
    assert imported.skipped == 1


def test_casualties_are_unknown_never_zero():
    events = formats.import_file(FIXTURE).events

    assert events[list(s.COUNT_COLUMNS)].isna().all().all()


def test_gdelt_fields_land_in_their_canonical_columns():
    event = by_id(formats.import_file(FIXTURE).events, "737500001")

    assert event[s.DATE_START] == pd.Timestamp("2018-02-07")
    assert event[s.DATE_PRECISION] == "day"
    assert event[s.EVENT_TYPE] == "Air/drone strike"
    assert (event[s.ACTOR1], event[s.ACTOR2]) == ("UNITED STATES", "SYRIA")
    assert (event[s.LOCATION], event[s.ADMIN1], event[s.COUNTRY]) == (
        "Khasham",
        "Dayr az Zawr",
        "Syria",
    )
    assert (event[s.LATITUDE], event[s.LONGITUDE], event[s.GEO_PRECISION]) == (35.15, 40.35, 1)
    assert event[s.GEOCODER] == "source"
    assert (
        event[s.SOURCE_URL] == "https://www.reuters.com/article/us-mideast-crisis-syria-coalition"
    )
    assert event[s.SOURCE_NAME] == "www.reuters.com"
    assert event[s.SOURCE_DATE] == "2018-02-08"


def test_broken_lines_and_bad_dates_are_reported_with_row_and_id():
    imported = formats.import_file(FIXTURE)

    assert [(p.row, p.event_id, p.column) for p in imported.problems] == [
        (7, "737500007", None),
        (8, "737500008", s.DATE_START),
    ]
    assert "61 tab-separated cells" in imported.problems[0].expected


# --- which CAMEO codes are kept --------------------------------------------------------------

KEPT_BY_DEFAULT = [
    ("194", "Shelling/artillery/missile attack"),
    ("195", "Air/drone strike"),
    ("1951", "Air/drone strike"),
    ("1952", "Air/drone strike"),
]
OTHER_FIGHT_CODES = [
    ("190", "CAMEO 190: Use conventional military force"),
    ("193", "CAMEO 193: Fight with small arms and light weapons"),
    ("196", "CAMEO 196: Violate ceasefire"),
]
SKIPPED_BY_DEFAULT = ["042", "1831", "202", "180", "091"]


@pytest.mark.parametrize(("code", "event_type"), KEPT_BY_DEFAULT)
def test_strike_codes_are_kept_with_acled_style_event_types(code, event_type):
    imported = import_lines(gdelt_line(EventCode=code))

    assert imported.events[s.EVENT_TYPE].tolist() == [event_type]
    assert imported.skipped == 0


@pytest.mark.parametrize(("code", "event_type"), OTHER_FIGHT_CODES)
def test_other_fight_codes_are_kept_by_default_under_their_cameo_name(code, event_type):
    imported = import_lines(gdelt_line(EventCode=code))

    assert imported.events[s.EVENT_TYPE].tolist() == [event_type]
    assert imported.skipped == 0


@pytest.mark.parametrize("code", SKIPPED_BY_DEFAULT)
def test_other_codes_are_skipped_by_default_and_not_reported_as_problems(code):
    imported = import_lines(gdelt_line(EventCode=code), gdelt_line(GLOBALEVENTID="2"))

    assert imported.events[s.EVENT_ID].tolist() == ["2"]
    assert imported.skipped == 1
    assert imported.problems == []


def test_strikes_only_when_asked_for():
    options = ImportOptions(event_codes=("194", "195"))

    imported = formats.import_file(FIXTURE, options=options)

    assert imported.events["cameo_code"].tolist() == ["195", "1951", "194", "1952"]
    assert "737500004" not in imported.events[s.EVENT_ID].tolist()
    assert imported.skipped == 2


# --- ActionGeo_Type → geo_precision: the documented rule -------------------------------------

# (ActionGeo_Type, FullName, geo_precision, placed, location, admin1, country)
GEO_TYPES = [
    ("4", "Hajin, Dayr az Zawr, Syria", 1, True, "Hajin", "Dayr az Zawr", "Syria"),
    (
        "3",
        "Indian Springs, Nevada, United States",
        1,
        True,
        "Indian Springs",
        "Nevada",
        "United States",
    ),
    ("5", "Dayr az Zawr, Syria", 3, True, "Dayr az Zawr", "Dayr az Zawr", "Syria"),
    ("2", "Nevada, United States", 3, True, "Nevada", "Nevada", "United States"),
    ("1", "Syria", None, False, "", "", "Syria"),
    ("0", "", None, False, "", "", ""),
]


@pytest.mark.parametrize(
    ("geo_type", "full_name", "geo_precision", "placed", "location", "admin1", "country"),
    GEO_TYPES,
)
def test_action_geo_type_sets_precision_and_whether_the_point_is_kept(
    geo_type, full_name, geo_precision, placed, location, admin1, country
):
    [event] = [
        row
        for _, row in import_lines(
            gdelt_line(ActionGeo_Type=geo_type, ActionGeo_FullName=full_name)
        ).events.iterrows()
    ]

    assert (None if pd.isna(event[s.GEO_PRECISION]) else event[s.GEO_PRECISION]) == geo_precision
    assert pd.notna(event[s.LATITUDE]) == placed
    assert (event[s.LOCATION], event[s.ADMIN1], event[s.COUNTRY]) == (location, admin1, country)


@pytest.mark.parametrize(
    "cells",
    [{"SQLDATE": "07022018"}, {"SQLDATE": "20181307"}, {"ActionGeo_Lat": "134.6"}],
    ids=["day first instead of YYYYMMDD", "month 13", "latitude out of range"],
)
def test_impossible_values_reject_the_row(cells):
    imported = import_lines(gdelt_line(GLOBALEVENTID="9", **cells), gdelt_line())

    assert [p.event_id for p in imported.problems] == ["9"]
    assert imported.events[s.EVENT_ID].tolist() == ["1"]
