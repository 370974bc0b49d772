"""UCDP GED (components/formats/ucdp.py): UCDP's estimates and precision codes survive."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from components import formats
from components.table import schema as s
from tests import FIXTURES

FIXTURE = FIXTURES / "ucdp_ged_syria_2018.csv"

with FIXTURE.open(encoding="utf-8", newline="") as _handle:
    GED_COLUMNS = tuple(next(csv.reader(_handle)))


def ged_row(**cells: str) -> dict[str, str]:
    """A valid GED event of 7 February 2018 at an exact place, with the given cells changed."""
    return {
        "id": "1",
        "type_of_violence": "1",
        "side_a": "Government of Syria",
        "side_b": "SDF",
        "where_prec": "1",
        "where_coordinates": "Hajin town",
        "latitude": "34.6939",
        "longitude": "40.8311",
        "country": "Syria",
        "date_prec": "1",
        "date_start": "2018-02-07 00:00:00.000",
        "date_end": "2018-02-07 00:00:00.000",
        "best": "5",
        "low": "4",
        "high": "7",
        **cells,
    }


def import_ged(*rows: dict[str, str]) -> formats.ImportedEvents:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=GED_COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return formats.import_bytes(buffer.getvalue().encode("utf-8"), "ged.csv")


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    [index] = events.index[events[s.EVENT_ID] == event_id]
    return events.loc[index]


def test_fixture_has_the_49_columns_of_the_ged_csv():
    assert len(GED_COLUMNS) == 49


# --- semantics -------------------------------------------------------------------------------


def test_low_and_high_become_the_killed_range_and_best_is_kept_beside_it():
    event = by_id(formats.import_file(FIXTURE).events, "244657")

    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (45, 300)
    assert event["killed_best"] == "100"


def test_civilian_deaths_are_a_single_figure_and_empty_stays_unknown():
    events = formats.import_file(FIXTURE).events

    hajin = by_id(events, "244658")
    at_sea = by_id(events, "244663")
    none_reported = by_id(events, "244657")
    assert (hajin[s.CIVILIANS_KILLED_MIN], hajin[s.CIVILIANS_KILLED_MAX]) == (3, 3)
    assert (none_reported[s.CIVILIANS_KILLED_MIN], none_reported[s.CIVILIANS_KILLED_MAX]) == (0, 0)
    assert pd.isna(at_sea[s.CIVILIANS_KILLED_MIN]) and pd.isna(at_sea[s.CIVILIANS_KILLED_MAX])


def test_ged_fields_land_in_their_canonical_columns():
    event = by_id(formats.import_file(FIXTURE).events, "244657")

    assert (event[s.DATE_START], event[s.DATE_END]) == (
        pd.Timestamp("2018-02-07"),
        pd.Timestamp("2018-02-08"),
    )
    assert event[s.DATE_PRECISION] == "day"
    assert event[s.EVENT_TYPE] == "State-based conflict"
    assert (event[s.ACTOR1], event[s.ACTOR2]) == ("Government of Syria", "SDF")
    assert (event[s.COUNTRY], event[s.ADMIN1], event[s.LOCATION]) == (
        "Syria",
        "Dayr az Zawr governorate",
        "Khasham village",
    )
    assert (event[s.LATITUDE], event[s.LONGITUDE], event[s.GEOCODER]) == (35.15, 40.35, "source")
    assert event[s.SOURCE_NAME] == "Reuters;AFP"
    assert event[s.SOURCE_DATE] == "2018-02-08"
    assert event[s.SOURCE_TEXT] == (
        "U.S.-led coalition says it killed about 100 pro-government fighters\n\n"
        'Reuters,2018-02-08,"U.S.-led coalition strikes pro-Assad forces in Syria"'
    )
    assert event["where_description"] == "near Khasham, east of the Euphrates"
    assert event["ucdp_where_prec"] == "1"


def test_inverted_estimates_keep_the_row_with_a_range_holding_all_three_and_a_warning():
    imported = formats.import_file(FIXTURE)

    assert imported.problems == []
    assert len(imported.events) == 8
    [warning] = imported.warnings
    assert (warning.row, warning.event_id, warning.column) == (9, "244664", s.KILLED_MAX)
    event = imported.events.set_index(s.EVENT_ID).loc["244664"]
    figures = [int(v) for v in warning.value.split("→")[0].replace(",", " ").split() if v.isdigit()]
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (min(figures), max(figures))
    assert any("244664" in line and "kept with a warning" in line for line in imported.report())


# --- where_prec → geo_precision: the documented rule -----------------------------------------

# (where_prec, geo_precision, coordinates kept)
WHERE_PREC_RULE = [
    ("1", 1, True),
    ("2", 2, True),
    ("3", 3, True),
    ("4", 3, True),
    ("5", 3, True),
    ("6", None, False),
    ("7", 3, True),
]


@pytest.mark.parametrize(("where_prec", "geo_precision", "placed"), WHERE_PREC_RULE)
def test_where_prec_becomes_geo_precision_by_the_documented_rule(where_prec, geo_precision, placed):
    [event] = [row for _, row in import_ged(ged_row(where_prec=where_prec)).events.iterrows()]

    assert (None if pd.isna(event[s.GEO_PRECISION]) else event[s.GEO_PRECISION]) == geo_precision
    assert pd.notna(event[s.LATITUDE]) == placed
    assert pd.notna(event[s.LONGITUDE]) == placed
    assert event[s.GEOCODER] == ("source" if placed else "")
    assert event["ucdp_where_prec"] == where_prec


def test_fixture_covers_every_where_prec_code():
    events = formats.import_file(FIXTURE).events

    assert set(events["ucdp_where_prec"]) == {"1", "2", "3", "4", "5", "6", "7"}
    country_only = by_id(events, "244662")
    assert pd.isna(country_only[s.LATITUDE]) and country_only[s.COUNTRY] == "Syria"


@pytest.mark.parametrize("where_prec", ["0", "8", "exact"])
def test_where_prec_outside_1_to_7_rejects_the_row(where_prec):
    [problem] = import_ged(ged_row(where_prec=where_prec)).problems

    assert (problem.column, problem.value) == (s.GEO_PRECISION, where_prec)


@pytest.mark.parametrize(
    ("date_prec", "precision"),
    [("1", "day"), ("2", "week"), ("3", "week"), ("4", "month"), ("5", "year")],
)
def test_date_prec_becomes_date_precision(date_prec, precision):
    imported = import_ged(ged_row(date_prec=date_prec))

    assert imported.events[s.DATE_PRECISION].tolist() == [precision]


@pytest.mark.parametrize("date_prec", ["6", "0"])
def test_unknown_date_prec_rejects_the_row(date_prec):
    [problem] = import_ged(ged_row(date_prec=date_prec)).problems

    assert problem.column == s.DATE_PRECISION


@pytest.mark.parametrize(
    ("type_of_violence", "event_type"),
    [("1", "State-based conflict"), ("2", "Non-state conflict"), ("3", "One-sided violence")],
)
def test_type_of_violence_names_the_event_type(type_of_violence, event_type):
    imported = import_ged(ged_row(type_of_violence=type_of_violence))

    assert imported.events[s.EVENT_TYPE].tolist() == [event_type]


@pytest.mark.parametrize(
    "cells",
    [{"date_end": "2018-02-06 00:00:00.000"}, {"low": "-1"}, {"high": "many"}],
    ids=["end before start", "negative low", "high in words"],
)
def test_impossible_values_reject_the_row(cells):
    imported = import_ged(ged_row(id="bad", **cells), ged_row(id="good"))

    assert [p.event_id for p in imported.problems] == ["bad"]
    assert imported.events[s.EVENT_ID].tolist() == ["good"]
