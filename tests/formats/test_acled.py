"""ACLED exports (components/formats/acled.py): ACLED's meaning survives the import."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from components import formats
from components.table import schema as s
from components.table.errors import ImportFileError
from tests import FIXTURES

FIXTURE = FIXTURES / "acled_syria_2018.csv"

# The columns of an ACLED export since the 2023 column changes, in file order.
ACLED_COLUMNS = tuple(
    [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "actor2",
        "assoc_actor_2",
        "inter2",
        "interaction",
        "civilian_targeting",
        "iso",
        "region",
        "country",
        "admin1",
        "admin2",
        "admin3",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "source_scale",
        "notes",
        "fatalities",
        "tags",
        "timestamp",
    ]
)


def acled_row(**cells: str) -> dict[str, str]:
    """A valid ACLED air strike of 7 February 2018, with the given cells changed."""
    return {
        "event_id_cnty": "SYR1",
        "event_date": "07 February 2018",
        "time_precision": "1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "country": "Syria",
        "location": "Khasham",
        "fatalities": "3",
        **cells,
    }


def import_acled(*rows: dict[str, str], columns=ACLED_COLUMNS) -> formats.ImportedEvents:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return formats.import_bytes(buffer.getvalue().encode("utf-8"), "acled.csv")


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    [index] = events.index[events[s.EVENT_ID] == event_id]
    return events.loc[index]


# --- semantics -------------------------------------------------------------------------------


def test_fatalities_zero_stays_zero_and_empty_stays_unknown_and_never_becomes_a_maximum():
    events = formats.import_file(FIXTURE).events

    struck = by_id(events, "SYR31001")
    shelled = by_id(events, "SYR31002")
    clash = by_id(events, "SYR31003")
    assert struck[s.KILLED_MIN] == 100 and pd.isna(struck[s.KILLED_MAX])
    assert shelled[s.KILLED_MIN] == 0 and pd.isna(shelled[s.KILLED_MAX])
    assert pd.isna(clash[s.KILLED_MIN]) and pd.isna(clash[s.KILLED_MAX])
    assert all(pd.isna(struck[c]) for c in (s.INJURED_MIN, s.CIVILIANS_KILLED_MIN))


def test_acled_fields_land_in_their_canonical_columns():
    struck = by_id(formats.import_file(FIXTURE).events, "SYR31001")

    assert struck[s.DATE_START] == pd.Timestamp("2018-02-07")
    assert struck[s.DATE_PRECISION] == "day"
    assert struck[s.EVENT_TYPE] == "Air/drone strike"
    assert struck["acled_event_type"] == "Explosions/Remote violence"
    assert struck[s.ACTOR1] == "Military Forces of the United States (2017-2021)"
    assert struck["assoc_actor_1"] == "Operation Inherent Resolve"
    assert struck[s.ACTOR2] == "Military Forces of Syria (2000-)"
    assert (struck[s.COUNTRY], struck[s.ADMIN1], struck[s.LOCATION]) == (
        "Syria",
        "Deir ez-Zor",
        "Khasham",
    )
    assert (struck[s.LATITUDE], struck[s.LONGITUDE]) == (35.15, 40.35)
    assert struck[s.GEO_PRECISION] == 2
    assert struck[s.GEOCODER] == "source"
    assert struck[s.SOURCE_NAME] == "Reuters; Syrian Observatory for Human Rights"
    assert struck[s.SOURCE_TEXT].startswith("On 7 February 2018, coalition aircraft")
    assert '"About 100"' in struck[s.SOURCE_TEXT]
    assert struck[s.SOURCE_TEXT].endswith("\nThe coalition called the strikes defensive.")
    assert struck[s.NOTES] == ""


def test_every_event_type_is_kept_for_the_app_to_filter():
    events = formats.import_file(FIXTURE).events

    assert set(events[s.EVENT_TYPE]) == {
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Armed clash",
    }


def test_columns_acled_has_and_strikemap_does_not_are_dropped():
    events = formats.import_file(FIXTURE).events

    for dropped in ("inter1", "interaction", "iso", "region", "tags", "timestamp", "year"):
        assert dropped not in events.columns


def test_upper_case_header_of_older_exports_is_read():
    upper = {column.upper(): cell for column, cell in acled_row().items()}

    imported = import_acled(upper, columns=tuple(c.upper() for c in ACLED_COLUMNS))

    assert imported.format_name == "acled"
    assert imported.events[s.EVENT_ID].tolist() == ["SYR1"]


# --- dates and time precision: valid forms and forms that must be rejected -------------------

VALID_DATES = [
    ("07 February 2018", "2018-02-07"),
    ("7 February 2018", "2018-02-07"),
    ("2018-02-07", "2018-02-07"),
    ("07-February-2018", "2018-02-07"),
    ("7-Feb-2018", "2018-02-07"),
    ("07 Feb 2018", "2018-02-07"),
    ("07/02/2018", "2018-02-07"),
    ("February 7, 2018", "2018-02-07"),
    ("9-May-20", "2020-05-09"),
    ("05-Jan-22", "2022-01-05"),
    ("31-12-19", "2019-12-31"),
    ("01/02/2024 00:00:00", "2024-02-01"),
    ("01-January-2015", "2015-01-01"),
]
INVALID_DATES = ["31 February 2018", "02/31/2018", "yesterday", ""]


@pytest.mark.parametrize(("written", "iso"), VALID_DATES)
def test_acled_date_forms_become_iso_dates(written, iso):
    imported = import_acled(acled_row(event_date=written))

    assert imported.problems == []
    assert imported.events[s.DATE_START].tolist() == [pd.Timestamp(iso)]


@pytest.mark.parametrize("written", INVALID_DATES)
def test_impossible_or_ambiguous_date_rejects_the_row_showing_the_cell_as_written(written):
    imported = import_acled(acled_row(event_id_cnty="bad", event_date=written), acled_row())

    [problem] = imported.problems
    assert (problem.row, problem.event_id, problem.column) == (2, "bad", s.DATE_START)
    assert problem.value == written
    assert imported.events[s.EVENT_ID].tolist() == ["SYR1"]


@pytest.mark.parametrize(("code", "precision"), [("1", "day"), ("2", "week"), ("3", "month")])
def test_time_precision_codes_become_day_week_month(code, precision):
    imported = import_acled(acled_row(time_precision=code))

    assert imported.events[s.DATE_PRECISION].tolist() == [precision]


@pytest.mark.parametrize("code", ["4", "0", "weekly"])
def test_unknown_time_precision_rejects_the_row(code):
    imported = import_acled(acled_row(time_precision=code))

    [problem] = imported.problems
    assert (problem.column, problem.value) == (s.DATE_PRECISION, code)


@pytest.mark.parametrize("value", ["-1", "2.5", "several"])
def test_fatalities_that_are_not_a_whole_number_reject_the_row(value):
    [problem] = import_acled(acled_row(fatalities=value)).problems

    assert (problem.column, problem.value) == (s.KILLED_MIN, value)


def test_geo_precision_outside_acled_codes_rejects_the_row():
    [problem] = import_acled(acled_row(geo_precision="4")).problems

    assert problem.column == s.GEO_PRECISION


def test_export_without_event_date_is_refused_as_a_whole():
    with pytest.raises(ImportFileError) as caught:
        formats.import_bytes(b"event_id_cnty,fatalities\nSYR1,1\n", "x.csv", "acled")

    assert "event_date" in caught.value.reason


def test_rows_without_any_acled_id_get_stable_ids_from_their_content():
    data = b"event_date,fatalities,location\n2018-02-07,1,A\n2018-02-08,2,B\n2018-02-07,1,A\n"

    first = formats.import_bytes(data, "x.csv", "acled")
    again = formats.import_bytes(data, "x.csv", "acled")

    ids = first.events[s.EVENT_ID].tolist()
    assert ids == again.events[s.EVENT_ID].tolist()
    assert len(set(ids)) == 3 and ids[2] == ids[0] + "-2"
    assert any("event_id" in note for note in first.notes)
