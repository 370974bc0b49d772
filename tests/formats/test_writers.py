"""Exporters (components/formats/writers.py): CSV safe for spreadsheets, GeoJSON that reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from components import PROJECT_ROOT, formats
from components.formats import writers
from components.table import schema as s
from components.table.errors import UnknownFormatError
from components.table.events import read_events, validate_events
from components.view.filters import EventFilter, filter_events
from tests import FIXTURES

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"

EVERY_SOURCE = [
    SHIPPED_EVENTS,
    FIXTURES / "acled_syria_2018.csv",
    FIXTURES / "ucdp_ged_syria_2018.csv",
    FIXTURES / "gdelt_20180208.export.CSV",
    FIXTURES / "strikes.geojson",
    FIXTURES / "canonical_excel_semicolon_cp1252.csv",
    FIXTURES / "canonical_utf8_bom.csv",
]


def without_row_numbers(events: pd.DataFrame) -> pd.DataFrame:
    """The events without row numbers; a file's own extra columns compared as text (an importer
    may hold them as Python strings or as pandas' string type, the same values either way)."""
    events = events.drop(columns="_row").reset_index(drop=True)
    extra = [c for c in events.columns if c not in s.CANONICAL_COLUMNS]
    return events.astype(dict.fromkeys(extra, object))


def events_with_text(text: str) -> pd.DataFrame:
    """One valid event whose source text is ``text``."""
    row = {s.EVENT_ID: "e1", s.DATE_START: "2018-02-07"}
    events = validate_events(pd.DataFrame([row], dtype=object), source="test").events
    # Plain Python strings, so that even a lone surrogate from a mis-decoded file can be held.
    events[s.SOURCE_TEXT] = pd.Series([text], index=events.index, dtype=object)
    return events


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", EVERY_SOURCE, ids=lambda p: p.name)
def test_geojson_export_reads_back_to_the_same_events(path):
    events = formats.import_file(path).events

    back = formats.import_bytes(writers.to_geojson(events), "back.geojson", "geojson")

    assert back.problems == []
    pd.testing.assert_frame_equal(without_row_numbers(back.events), without_row_numbers(events))


@pytest.mark.parametrize("path", EVERY_SOURCE, ids=lambda p: p.name)
def test_plain_csv_export_reads_back_to_the_same_events(path):
    events = formats.import_file(path).events

    data = writers.to_csv(events, spreadsheet_safe=False)
    back = formats.import_bytes(data, "back.csv", "canonical")

    assert back.problems == []
    pd.testing.assert_frame_equal(without_row_numbers(back.events), without_row_numbers(events))


def test_csv_export_writes_canonical_columns_first_iso_dates_and_empty_unknowns():
    events = read_events(SHIPPED_EVENTS).events

    rows = list(csv.DictReader(io.StringIO(writers.to_csv(events).decode("utf-8"))))

    assert list(rows[0])[: len(s.CANONICAL_COLUMNS)] == list(s.CANONICAL_COLUMNS)
    assert "_row" not in rows[0]
    assert [r[s.DATE_START] for r in rows] == ["2018-02-07", "2018-02-07"]
    assert (rows[1][s.KILLED_MIN], rows[1][s.KILLED_MAX]) == ("100", "100")
    assert rows[0][s.KILLED_MIN] == ""


def test_export_of_filtered_events_holds_only_those_events():
    events = formats.import_file(FIXTURES / "acled_syria_2018.csv").events
    strikes = filter_events(events, EventFilter(event_types=frozenset({"Air/drone strike"})))

    document = json.loads(writers.to_geojson(strikes))

    assert [f["id"] for f in document["features"]] == ["SYR31001", "SYR31004"]


# --- spreadsheet-safe CSV: formulas neutralised, numbers left alone --------------------------

FORMULAS = [
    "=1+1",
    '=HYPERLINK("http://example.com","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "-",
    "+",
    "=",
]
NOT_FORMULAS = ["-3", "+5", "-1.5", "-.5", "1e3", "-2E-3", "35.15", "text", "", "a=b", " =1+1"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_cell_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(cell):
    assert writers.neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", NOT_FORMULAS)
def test_numbers_and_ordinary_text_are_left_as_they_are(cell):
    assert writers.neutralise_formula(cell) == cell


def test_spreadsheet_safe_csv_neutralises_formulas_in_text_but_not_negative_coordinates():
    events = events_with_text('=HYPERLINK("http://evil")').assign(
        **{s.LATITUDE: -33.5, s.LONGITUDE: -70.25}
    )

    [row] = csv.DictReader(io.StringIO(writers.to_csv(events).decode("utf-8")))

    assert row[s.SOURCE_TEXT] == '\'=HYPERLINK("http://evil")'
    assert (row[s.LATITUDE], row[s.LONGITUDE]) == ("-33.5", "-70.25")


def test_plain_csv_keeps_formula_like_text_unchanged():
    events = events_with_text("=1+1")

    [row] = csv.DictReader(io.StringIO(writers.to_csv(events, spreadsheet_safe=False).decode()))

    assert row[s.SOURCE_TEXT] == "=1+1"


# --- GeoJSON: valid JSON whatever the text holds; numbers as numbers, unknown as null --------

AWKWARD_TEXTS = [
    'quotes " and \\ backslashes',
    "line\nbreaks\r\nand\ttabs",
    "</script><script>alert(1)</script>",
    "${alert(1)} `backticks`",
    "line separator \u2028 paragraph separator \u2029",
    "nul \x00 and bell \x07",
    "emoji 💥 and Arabic دير الزور",
    "lone surrogate \ud800 here",
]


@pytest.mark.parametrize("text", AWKWARD_TEXTS)
def test_geojson_is_strict_utf8_json_whatever_the_text_holds(text):
    data = writers.to_geojson(events_with_text(text))

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(data.decode("utf-8", errors="strict"), parse_constant=refuse)
    written = document["features"][0]["properties"][s.SOURCE_TEXT]
    assert written == text.replace("\ud800", "?")


def test_geojson_features_carry_point_geometry_ids_and_typed_properties():
    events = formats.import_file(FIXTURES / "strikes.geojson").events

    document = json.loads(writers.to_geojson(events))

    assert document["type"] == "FeatureCollection"
    placed, unplaced, _ = document["features"]
    assert placed["id"] == placed["properties"][s.EVENT_ID] == "coalition-2018-02-07"
    assert placed["geometry"] == {"type": "Point", "coordinates": [40.35, 35.15]}
    assert placed["properties"][s.KILLED_MIN] == 100
    assert placed["properties"][s.GEO_PRECISION] == 2
    assert placed["properties"][s.DATE_START] == "2018-02-07"
    assert placed["properties"][s.CIVILIANS_KILLED_MIN] is None
    assert s.LATITUDE not in placed["properties"]
    assert unplaced["geometry"] is None
    assert unplaced["properties"][s.KILLED_MIN] is None


# --- writing files ---------------------------------------------------------------------------


@pytest.mark.parametrize("format_name", ["csv", "geojson"])
def test_export_file_replaces_the_file_in_one_step_and_leaves_no_temporary_file(
    tmp_path, format_name
):
    events = read_events(SHIPPED_EVENTS).events
    path = tmp_path / "out" / f"events.{format_name}"
    path.parent.mkdir()
    path.write_text("old", encoding="utf-8")

    written = writers.export_file(events, path, format_name)

    assert written == path
    assert formats.import_file(path).events[s.EVENT_ID].tolist() == ["seed-000-1", "seed-000-2"]
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_unknown_export_format_lists_the_valid_ones(tmp_path):
    with pytest.raises(UnknownFormatError) as caught:
        writers.export_file(read_events(SHIPPED_EVENTS).events, tmp_path / "x", "xlsx")

    assert "csv, geojson" in str(caught.value)
    assert not (tmp_path / "x").exists()


def test_exporting_no_events_writes_a_header_and_an_empty_collection():
    events = read_events(SHIPPED_EVENTS).events
    none = filter_events(events, EventFilter(date_from=dt.date(2030, 1, 1)))

    assert writers.to_csv(none).decode().strip() == ",".join(s.CANONICAL_COLUMNS)
    assert json.loads(writers.to_geojson(none))["features"] == []
