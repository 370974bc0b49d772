"""Reading and validating the canonical events CSV (components/table/events.py).

Every test writes a real file to ``tmp_path`` and reads it with ``read_events``: the same path
a user's spreadsheet takes. Rows are numbered as a spreadsheet shows them (header = row 1).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from components import PROJECT_ROOT
from components.table import schema as s
from components.table.errors import EventFileError, StrikemapError
from components.table.events import read_events
from components.table.rules import ROW

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"

GOOD_FIRST = {s.EVENT_ID: "good-1", s.DATE_START: "2018-02-07"}
GOOD_LAST = {s.EVENT_ID: "good-2", s.DATE_START: "2018-02-09"}


def write_events(
    folder: Path,
    rows: list[dict[str, str]],
    *,
    name: str = "events.csv",
    columns: tuple[str, ...] = s.CANONICAL_COLUMNS,
    encoding: str = "utf-8",
    newline: str = "\n",
    delimiter: str = ",",
) -> Path:
    """Write rows (column -> cell text) under a header, as a spreadsheet would save them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    path = folder / name
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def event_row(**cells: str) -> dict[str, str]:
    """A valid event row for 8 Feb 2018, with the given cells changed."""
    return {s.EVENT_ID: "suspect", s.DATE_START: "2018-02-08", **cells}


def by_id(events: pd.DataFrame, event_id: str) -> pd.Series:
    matches = events[events[s.EVENT_ID] == event_id]
    assert len(matches) == 1, f"expected one event {event_id!r}, found {len(matches)}"
    return matches.iloc[0]


# --- the shipped data ------------------------------------------------------------------------


def test_shipped_events_file_loads_two_events_with_no_problems():
    loaded = read_events(SHIPPED_EVENTS)

    assert [str(p) for p in loaded.problems] == []
    assert loaded.events[s.EVENT_ID].tolist() == ["seed-000-1", "seed-000-2"]


def test_shipped_air_strike_reports_100_killed_and_one_injured():
    air_strike = by_id(read_events(SHIPPED_EVENTS).events, "seed-000-2")

    assert air_strike[s.EVENT_TYPE] == "Air/drone strike"
    assert (air_strike[s.KILLED_MIN], air_strike[s.KILLED_MAX]) == (100, 100)
    assert (air_strike[s.INJURED_MIN], air_strike[s.INJURED_MAX]) == (1, 1)
    assert air_strike[s.DATE_END] == pd.Timestamp("2018-02-08")


def test_shipped_unknown_casualties_stay_empty_and_are_never_zero():
    events = read_events(SHIPPED_EVENTS).events
    with SHIPPED_EVENTS.open(encoding="utf-8", newline="") as handle:
        cells = {row[s.EVENT_ID]: row for row in csv.DictReader(handle)}

    for _, event in events.iterrows():
        for column in s.COUNT_COLUMNS:
            empty_in_file = cells[event[s.EVENT_ID]][column].strip() == ""
            assert pd.isna(event[column]) == empty_in_file, (event[s.EVENT_ID], column)
    shelling = by_id(events, "seed-000-1")
    assert all(pd.isna(shelling[c]) for c in s.COUNT_COLUMNS)


def test_shipped_multi_line_source_text_loads_whole():
    shelling = by_id(read_events(SHIPPED_EVENTS).events, "seed-000-1")

    assert shelling[s.SOURCE_TEXT].startswith("De Amerikaanse luchtmacht")
    assert "\n\nTwee kampen tegen IS\n\n" in shelling[s.SOURCE_TEXT]
    assert shelling[s.SOURCE_TEXT].endswith("op de hoogte gebracht.")


# --- one bad cell: reported with file, row, column and what was expected; good rows load ------

# (what is wrong, the cells of the bad row, columns the problem may name, words of "expected")
BAD_ROWS = [
    ("missing id", {s.EVENT_ID: ""}, {s.EVENT_ID}, "id"),
    ("id of spaces only", {s.EVENT_ID: "   "}, {s.EVENT_ID}, "id"),
    ("impossible date", {s.DATE_START: "2018-02-30"}, {s.DATE_START}, "ISO date"),
    ("day-first date", {s.DATE_START: "07/02/2018"}, {s.DATE_START}, "ISO date"),
    ("empty start date", {s.DATE_START: ""}, {s.DATE_START}, "ISO date"),
    ("bad end date", {s.DATE_END: "next week"}, {s.DATE_END}, "ISO date"),
    (
        "end before start",
        {s.DATE_START: "2018-02-08", s.DATE_END: "2018-02-07"},
        {s.DATE_END},
        "before",
    ),
    ("unknown precision", {s.DATE_PRECISION: "hourly"}, {s.DATE_PRECISION}, "day, week, month"),
    ("latitude above 90", {s.LATITUDE: "91", s.LONGITUDE: "40"}, {s.LATITUDE}, "-90 and 90"),
    ("latitude below -90", {s.LATITUDE: "-90.5", s.LONGITUDE: "40"}, {s.LATITUDE}, "-90 and 90"),
    ("longitude above 180", {s.LATITUDE: "35", s.LONGITUDE: "181"}, {s.LONGITUDE}, "180"),
    ("latitude in words", {s.LATITUDE: "north", s.LONGITUDE: "40"}, {s.LATITUDE}, "degrees"),
    (
        "only latitude",
        {s.LATITUDE: "35.3"},
        {s.LATITUDE, s.LONGITUDE},
        "both given, or both empty",
    ),
    (
        "only longitude",
        {s.LONGITUDE: "40.1"},
        {s.LATITUDE, s.LONGITUDE},
        "both given, or both empty",
    ),
    ("geo_precision 4", {s.GEO_PRECISION: "4"}, {s.GEO_PRECISION}, "1, 2 or 3"),
    ("geo_precision 0", {s.GEO_PRECISION: "0"}, {s.GEO_PRECISION}, "1, 2 or 3"),
    ("geo_precision in words", {s.GEO_PRECISION: "near"}, {s.GEO_PRECISION}, "1, 2 or 3"),
    ("negative killed", {s.KILLED_MIN: "-1"}, {s.KILLED_MIN}, "whole number"),
    ("fractional killed", {s.KILLED_MIN: "1.5"}, {s.KILLED_MIN}, "whole number"),
    ("injured in words", {s.INJURED_MAX: "many"}, {s.INJURED_MAX}, "whole number"),
    ("negative civilians", {s.CIVILIANS_KILLED_MIN: "-3"}, {s.CIVILIANS_KILLED_MIN}, "whole"),
    (
        "killed min above max",
        {s.KILLED_MIN: "10", s.KILLED_MAX: "5"},
        {s.KILLED_MAX},
        "killed_max must not be below killed_min",
    ),
    (
        "injured min above max",
        {s.INJURED_MIN: "3", s.INJURED_MAX: "2"},
        {s.INJURED_MAX},
        "injured_max must not be below injured_min",
    ),
    ("bad source date", {s.SOURCE_DATE: "last week"}, {s.SOURCE_DATE}, "ISO date"),
]


@pytest.mark.parametrize(
    ("cells", "columns", "expected_words"),
    [case[1:] for case in BAD_ROWS],
    ids=[case[0] for case in BAD_ROWS],
)
def test_bad_cell_is_reported_with_file_row_column_and_expectation_and_good_rows_load(
    tmp_path, cells, columns, expected_words
):
    path = write_events(
        tmp_path, [GOOD_FIRST, event_row(**cells), GOOD_LAST], name="strikes-feb.csv"
    )

    loaded = read_events(path)

    assert loaded.events[s.EVENT_ID].tolist() == ["good-1", "good-2"]
    assert loaded.rejected_rows == [3]
    assert loaded.problems, "the bad row must be reported"
    for problem in loaded.problems:
        assert problem.source == str(path)
        assert problem.row == 3
        assert problem.column in columns
        assert expected_words in problem.expected
        cell = cells.get(problem.column, event_row().get(problem.column, ""))
        assert problem.value == cell.strip(), "the problem should show the cell as written"
        message = str(problem)
        assert "strikes-feb.csv" in message
        assert "row 3" in message
        assert f"column {problem.column}" in message
        assert problem.expected in message


# Cells that look odd but are valid: each must load with no problem.
GOOD_CELLS = [
    ("month date", {s.DATE_START: "2018-02"}),
    ("year date", {s.DATE_START: "2018"}),
    ("end on the same day", {s.DATE_END: "2018-02-08"}),
    ("precision in capitals", {s.DATE_PRECISION: "Week"}),
    ("date with spaces around", {s.DATE_START: " 2018-02-08 "}),
    ("poles and dateline", {s.LATITUDE: "-90", s.LONGITUDE: "180"}),
    ("zero coordinates", {s.LATITUDE: "0", s.LONGITUDE: "0"}),
    ("geo_precision 1", {s.GEO_PRECISION: "1"}),
    ("geo_precision 3", {s.GEO_PRECISION: "3"}),
    ("zero killed", {s.KILLED_MIN: "0", s.KILLED_MAX: "0"}),
    ("at least 12 killed", {s.KILLED_MIN: "12"}),
    ("at most 3 killed", {s.KILLED_MAX: "3"}),
    ("whole number written 5.0", {s.INJURED_MIN: "5.0"}),
    ("range of injured", {s.INJURED_MIN: "5", s.INJURED_MAX: "7"}),
    ("source date to the month", {s.SOURCE_DATE: "2018-02"}),
]


@pytest.mark.parametrize("cells", [c[1] for c in GOOD_CELLS], ids=[c[0] for c in GOOD_CELLS])
def test_valid_cells_load_with_no_problem(tmp_path, cells):
    loaded = read_events(write_events(tmp_path, [event_row(**cells)]))

    assert [str(p) for p in loaded.problems] == []
    assert loaded.events[s.EVENT_ID].tolist() == ["suspect"]


def test_row_with_a_bad_date_is_reported_with_row_and_column_and_the_good_rows_load(tmp_path):
    rows = [GOOD_FIRST, event_row(**{s.DATE_START: "2018-13-01"}), GOOD_LAST]
    path = write_events(tmp_path, rows)

    loaded = read_events(path)

    assert loaded.events[s.EVENT_ID].tolist() == ["good-1", "good-2"]
    [problem] = loaded.problems
    assert (problem.row, problem.column, problem.value) == (3, s.DATE_START, "2018-13-01")
    assert str(problem).startswith(f"{path}, row 3, column date_start: an ISO date")


def test_duplicate_id_reports_the_later_row_and_keeps_the_first(tmp_path):
    rows = [
        {s.EVENT_ID: "twice", s.DATE_START: "2018-02-07", s.LOCATION: "first"},
        GOOD_LAST,
        {s.EVENT_ID: "twice", s.DATE_START: "2018-02-08", s.LOCATION: "second"},
    ]

    loaded = read_events(write_events(tmp_path, rows))

    assert by_id(loaded.events, "twice")[s.LOCATION] == "first"
    [problem] = loaded.problems
    assert (problem.row, problem.column, problem.value) == (4, s.EVENT_ID, "twice")
    assert "already used" in problem.expected


def test_row_with_more_cells_than_the_header_is_reported_and_left_out(tmp_path):
    text = "event_id,date_start,location\ngood-1,2018-02-07,Hajin\nlong,2018-02-08,Hajin,oops\n"
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")

    loaded = read_events(path)

    assert loaded.events[s.EVENT_ID].tolist() == ["good-1"]
    [problem] = loaded.problems
    assert (problem.row, problem.column, problem.value) == (3, None, "oops")
    assert "more cells than the header" in problem.expected
    assert str(problem).startswith(f"{path}, row 3: more cells")


def test_trailing_empty_cells_from_a_spreadsheet_are_not_a_problem(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,date_start\ngood-1,2018-02-07,,,\n", encoding="utf-8")

    loaded = read_events(path)

    assert loaded.problems == []
    assert loaded.events[s.EVENT_ID].tolist() == ["good-1"]


def test_row_with_several_bad_cells_reports_each_and_is_left_out_once(tmp_path):
    bad = event_row(
        **{s.DATE_START: "someday", s.LATITUDE: "91", s.LONGITUDE: "40", s.KILLED_MIN: "-2"}
    )

    loaded = read_events(write_events(tmp_path, [GOOD_FIRST, bad]))

    assert sorted(p.column for p in loaded.problems) == [s.DATE_START, s.KILLED_MIN, s.LATITUDE]
    assert loaded.rejected_rows == [3]
    assert loaded.events[s.EVENT_ID].tolist() == ["good-1"]


def test_rows_keep_their_spreadsheet_row_numbers_after_bad_rows_are_left_out(tmp_path):
    rows = [GOOD_FIRST, event_row(**{s.EVENT_ID: ""}), GOOD_LAST]

    loaded = read_events(write_events(tmp_path, rows))

    assert loaded.events["_row"].tolist() == [2, 4]


# --- files that cannot be used at all ---------------------------------------------------------


def _missing(folder: Path) -> Path:
    return folder / "no-such-events.csv"


def _empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _blank(folder: Path) -> Path:
    path = folder / "blank.csv"
    path.write_text("\n  \n\n", encoding="utf-8")
    return path


def _binary(folder: Path) -> Path:
    path = folder / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


def _spreadsheet(folder: Path) -> Path:
    path = folder / "events.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"[Content_Types].xml")
    return path


def _wrong_header(folder: Path) -> Path:
    path = folder / "other.csv"
    path.write_text("id,date,place\n1,2018-02-07,Hajin\n", encoding="utf-8")
    return path


def _folder(folder: Path) -> Path:
    path = folder / "events-folder"
    path.mkdir()
    return path


UNUSABLE_FILES = [
    ("missing file", _missing, "check the path"),
    ("empty file", _empty, "needs a header row"),
    ("only blank lines", _blank, "needs a header row"),
    ("binary file", _binary, "CSV"),
    ("spreadsheet workbook", _spreadsheet, "CSV"),
    ("header without event_id and date_start", _wrong_header, "first row must name the columns"),
    ("a folder", _folder, "give the path of a CSV file"),
]


@pytest.mark.parametrize(
    ("make_file", "advice"),
    [case[1:] for case in UNUSABLE_FILES],
    ids=[case[0] for case in UNUSABLE_FILES],
)
def test_unusable_file_raises_event_file_error_naming_the_file_and_what_to_do(
    tmp_path, make_file, advice
):
    path = make_file(tmp_path)

    with pytest.raises(EventFileError) as caught:
        read_events(path)

    assert caught.value.path == str(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert advice in str(caught.value)
    assert isinstance(caught.value, StrikemapError)
    assert isinstance(caught.value, ValueError)


def test_header_error_names_the_missing_column(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,date\na,2018-02-07\n", encoding="utf-8")

    with pytest.raises(EventFileError, match="no date_start column"):
        read_events(path)


def test_file_with_only_a_header_loads_no_events_and_no_problems(tmp_path):
    loaded = read_events(write_events(tmp_path, []))

    assert loaded.events.empty
    assert loaded.problems == []
    assert set(s.CANONICAL_COLUMNS) <= set(loaded.events.columns)


# --- encodings, line ends and delimiters that spreadsheets produce ----------------------------

NON_ASCII = {
    s.EVENT_ID: "enc-1",
    s.DATE_START: "2018-02-07",
    s.COUNTRY: "Syrië",
    s.LOCATION: "Deir ez-Zor \N{EN DASH} oost",
    s.ACTOR1: "Coalitie “defensief”",
    s.SOURCE_TEXT: "één soldaat, geraakt; café",
    s.KILLED_MIN: "100",
}


@pytest.mark.parametrize(
    ("encoding", "newline", "delimiter"),
    [
        ("utf-8", "\n", ","),
        ("utf-8-sig", "\n", ","),
        ("utf-8-sig", "\r\n", ","),
        ("cp1252", "\r\n", ","),
        ("cp1252", "\n", ";"),
        ("utf-8", "\r\n", ";"),
        ("utf-8-sig", "\r\n", ";"),
    ],
    ids=[
        "utf-8",
        "utf-8 with BOM",
        "BOM and CRLF",
        "cp1252 and CRLF",
        "cp1252 semicolons",
        "CRLF semicolons",
        "BOM CRLF semicolons",
    ],
)
def test_file_saved_by_a_spreadsheet_loads_with_text_intact(tmp_path, encoding, newline, delimiter):
    path = write_events(
        tmp_path, [NON_ASCII], encoding=encoding, newline=newline, delimiter=delimiter
    )

    loaded = read_events(path)

    assert [str(p) for p in loaded.problems] == []
    event = by_id(loaded.events, "enc-1")
    for column in (s.COUNTRY, s.LOCATION, s.ACTOR1, s.SOURCE_TEXT):
        assert event[column] == NON_ASCII[column]
    assert event[s.KILLED_MIN] == 100
    assert event[s.DATE_START] == pd.Timestamp("2018-02-07")
    assert not any("\ufeff" in c or "\r" in c for c in loaded.events.columns)


def test_unknown_extra_columns_are_kept_with_their_values(tmp_path):
    columns = (s.EVENT_ID, "acled_event_id", s.DATE_START, "tags")
    rows = [{s.EVENT_ID: "x", "acled_event_id": "SYR12345", s.DATE_START: "2018-02-07"}]

    loaded = read_events(write_events(tmp_path, rows, columns=columns))

    assert loaded.problems == []
    event = by_id(loaded.events, "x")
    assert event["acled_event_id"] == "SYR12345"
    assert event["tags"] == ""
    assert {"acled_event_id", "tags"} <= set(loaded.events.columns)


def test_columns_missing_from_the_file_are_added_empty(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("event_id,date_start\nx,2018-02-07\n", encoding="utf-8")

    event = by_id(read_events(path).events, "x")

    assert set(s.CANONICAL_COLUMNS) <= set(event.index)
    assert pd.isna(event[s.KILLED_MIN])
    assert pd.isna(event[s.LATITUDE])


@pytest.mark.parametrize(
    ("date_start", "first_day", "precision"),
    [
        ("2018-02-07", "2018-02-07", "day"),
        ("2018-02", "2018-02-01", "month"),
        ("2018", "2018-01-01", "year"),
    ],
)
def test_short_dates_become_the_first_day_with_their_precision(
    tmp_path, date_start, first_day, precision
):
    rows = [{s.EVENT_ID: "x", s.DATE_START: date_start}]

    event = by_id(read_events(write_events(tmp_path, rows)).events, "x")

    assert event[s.DATE_START] == pd.Timestamp(first_day)
    assert event[s.DATE_PRECISION] == precision


def test_precision_written_in_the_file_wins_over_the_date_form(tmp_path):
    rows = [{s.EVENT_ID: "x", s.DATE_START: "2018-02-05", s.DATE_PRECISION: "week"}]

    event = by_id(read_events(write_events(tmp_path, rows)).events, "x")

    assert event[s.DATE_PRECISION] == "week"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("", None), ("0", 0), ("12", 12), ("12.0", 12)],
    ids=["empty is not reported", "zero is zero", "twelve", "twelve written 12.0"],
)
def test_killed_figure_is_kept_and_empty_stays_unknown_never_zero(tmp_path, cell, expected):
    rows = [{s.EVENT_ID: "x", s.DATE_START: "2018-02-07", s.KILLED_MIN: cell}]

    event = by_id(read_events(write_events(tmp_path, rows)).events, "x")

    if expected is None:
        assert pd.isna(event[s.KILLED_MIN])
    else:
        assert event[s.KILLED_MIN] == expected


def test_quoted_multi_line_source_text_loads_intact(tmp_path):
    text = (
        'Eerste alinea, met komma\'s; en "aanhalingstekens".\n'
        "\n"
        "Tweede alinea\tmet tab.\n"
        "event_id,date_start\n"
        "Laatste regel."
    )
    rows = [GOOD_FIRST, {s.EVENT_ID: "long", s.DATE_START: "2018-02-08", s.SOURCE_TEXT: text}]

    loaded = read_events(write_events(tmp_path, rows))

    assert loaded.problems == []
    assert by_id(loaded.events, "long")[s.SOURCE_TEXT] == text
    assert len(loaded.events) == 2


def test_source_text_of_a_whole_long_report_loads_intact(tmp_path):
    report = ("Een lange alinea over de luchtaanvallen bij Deir ez-Zor. " * 40 + "\n\n") * 100
    assert len(report) > 200_000
    rows = [{s.EVENT_ID: "report", s.DATE_START: "2018-02-07", s.SOURCE_TEXT: report}]

    loaded = read_events(write_events(tmp_path, rows))

    assert by_id(loaded.events, "report")[s.SOURCE_TEXT] == report


def test_unclosed_quote_does_not_silently_swallow_the_rows_after_it(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        'event_id,date_start,source_text\na,2018-02-07,"quote never closed\n'
        "b,2018-02-08,text\nc,2018-02-09,text\n",
        encoding="utf-8",
    )

    try:
        loaded = read_events(path)
    except EventFileError as error:
        assert str(path) in str(error)
        return
    assert loaded.problems, (
        "rows b and c vanished into event a's source_text and nothing was reported"
    )


HOSTILE_TEXT = {
    s.SOURCE_TEXT: "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
    s.NOTES: "${alert(1)} `backtick` \\` breakout",
    s.ACTOR1: "=cmd|' /C calc'!A0",
    s.ACTOR2: "+SUM(A1:A9)",
    s.LOCATION: '@HYPERLINK("http://evil.example")',
    s.SOURCE_NAME: "-2+3",
}


def test_hostile_text_is_kept_verbatim_as_data(tmp_path):
    rows = [{s.EVENT_ID: "hostile", s.DATE_START: "2018-02-07", **HOSTILE_TEXT}]

    loaded = read_events(write_events(tmp_path, rows))

    assert loaded.problems == []
    event = by_id(loaded.events, "hostile")
    for column, text in HOSTILE_TEXT.items():
        assert event[column] == text, column


def test_a_row_whose_quote_never_closes_is_named_and_the_rows_after_it_load(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,date_start,source_text\n"
        "a,2018-02-07,fine\n"
        'b,2018-02-08,"quote never closed\n'
        "c,2018-02-09,text\n"
        'd,2018-02-10,"quoted, with a comma"\n',
        encoding="utf-8",
    )

    loaded = read_events(path)

    assert loaded.events[s.EVENT_ID].tolist() == ["a", "c", "d"]
    assert loaded.events[ROW].tolist() == [2, 4, 5]
    [problem] = loaded.problems
    assert problem.row == 3
    assert "never closes" in problem.expected
    assert problem.value.startswith("b,2018-02-08")
