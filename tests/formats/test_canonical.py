"""Strikemap's own table as spreadsheets write it (components/formats/canonical.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from components import formats
from components.table import schema as s
from tests import FIXTURES

EXCEL_FR = FIXTURES / "canonical_excel_semicolon_cp1252.csv"
UTF8_BOM = FIXTURES / "canonical_utf8_bom.csv"


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    [index] = events.index[events[s.EVENT_ID] == event_id]
    return events.loc[index]


def test_semicolon_cp1252_sheet_with_decimal_commas_keeps_accents_and_coordinates():
    imported = formats.import_file(EXCEL_FR)

    event = by_id(imported.events, "fr-001")
    assert event[s.ACTOR1] == "Coalition menée par les États-Unis"
    assert (event[s.LATITUDE], event[s.LONGITUDE]) == (35.15, 40.35)
    assert event[s.SOURCE_TEXT] == "Frappes aériennes « défensives »; une centaine de morts"
    assert event[s.NOTES] == "coût: 5 €"
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (100, 100)


def test_month_date_in_a_sheet_sets_month_precision():
    event = by_id(formats.import_file(EXCEL_FR).events, "fr-003")

    assert (event[s.DATE_START], event[s.DATE_PRECISION]) == (pd.Timestamp("2018-02-01"), "month")


def test_bad_coordinate_in_a_sheet_rejects_that_row_by_row_and_id():
    imported = formats.import_file(EXCEL_FR)

    assert {(p.row, p.event_id) for p in imported.problems} == {(3, "fr-002")}
    assert imported.events[s.EVENT_ID].tolist() == ["fr-001", "fr-003"]


def test_utf8_with_byte_order_mark_keeps_arabic_text_and_first_column_name():
    imported = formats.import_file(UTF8_BOM)

    assert imported.problems == []
    event = by_id(imported.events, "ar-001")
    assert (event[s.ADMIN1], event[s.LOCATION]) == ("دير الزور", "خشام")
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (45, 100)
    assert by_id(imported.events, "ar-002")[s.KILLED_MIN] == 0


# --- decimal commas: where they are read and what must still fail ----------------------------

VALID_COORDINATES = [
    ("35,15", "40,35", (35.15, 40.35)),
    ("-33,5", "-70,25", (-33.5, -70.25)),
    ("35.15", "40.35", (35.15, 40.35)),
    ("35", "40", (35.0, 40.0)),
]
INVALID_COORDINATES = [
    ("35,1,5", "40"),
    ("1.234,5", "40"),
    ("35,15 N", "40"),
    ("95,5", "40"),
]


def semicolon_sheet(latitude: str, longitude: str) -> bytes:
    text = f"event_id;date_start;latitude;longitude\nx;2018-02-07;{latitude};{longitude}\n"
    return text.encode("cp1252")


@pytest.mark.parametrize(("latitude", "longitude", "expected"), VALID_COORDINATES)
def test_decimal_comma_coordinates_are_read(latitude, longitude, expected):
    imported = formats.import_bytes(semicolon_sheet(latitude, longitude), "sheet.csv")

    assert imported.problems == []
    event = imported.events.iloc[0]
    assert (event[s.LATITUDE], event[s.LONGITUDE]) == expected


@pytest.mark.parametrize(("latitude", "longitude"), INVALID_COORDINATES)
def test_coordinates_that_are_not_one_decimal_number_reject_the_row(latitude, longitude):
    imported = formats.import_bytes(semicolon_sheet(latitude, longitude), "sheet.csv")

    [problem] = imported.problems
    assert (problem.column, problem.value) == (s.LATITUDE, latitude)


def test_casualty_count_with_a_comma_is_rejected_rather_than_guessed():
    text = "event_id;date_start;killed_min\nx;2018-02-07;1,5\n"

    [problem] = formats.import_bytes(text.encode(), "sheet.csv").problems

    assert (problem.column, problem.value) == (s.KILLED_MIN, "1,5")
