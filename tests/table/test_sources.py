"""Several reports of one strike: the sources table (components/table/sources.py)."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pandas as pd
import pytest

from components import PROJECT_ROOT
from components.table import schema as s
from components.table import sources as src
from components.table.events import read_events
from tests.frames import make_events

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"


def write_sources(path: Path, rows: list[dict[str, str]], columns=s.SOURCE_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def make_sources(tmp_path: Path, *rows: dict[str, str]) -> pd.DataFrame:
    loaded = src.read_sources(write_sources(tmp_path / "sources.csv", list(rows)))
    assert [str(p) for p in loaded.problems] == []
    return loaded.sources


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


# --- where the table lives, and reading it ----------------------------------------------------


def test_the_sources_file_sits_beside_the_events_file():
    assert src.sources_path("data/events.csv") == Path("data/sources.csv")
    assert src.sources_path(Path("/x/y/my events.csv")) == Path("/x/y/sources.csv")


def test_a_missing_sources_file_is_an_empty_table_not_an_error(tmp_path):
    loaded = src.read_sources(tmp_path / "sources.csv")

    assert loaded.sources.empty
    assert loaded.problems == []
    assert list(loaded.sources.columns)[1:] == list(s.SOURCE_COLUMNS)


def test_good_source_rows_load_with_whole_number_figures(tmp_path):
    sources = make_sources(
        tmp_path,
        {
            s.EVENT_ID: "e1",
            s.SOURCE_NAME: "SOHR",
            s.SOURCE_DATE: "2018-02-08",
            s.KILLED_MIN: "45",
            s.KILLED_MAX: "60",
        },
        {s.EVENT_ID: "e1", s.SOURCE_NAME: "Reuters", s.SOURCE_LANGUAGE: "en"},
    )

    assert sources[s.SOURCE_NAME].tolist() == ["SOHR", "Reuters"]
    assert sources[s.KILLED_MIN].tolist()[0] == 45
    assert pd.isna(sources[s.KILLED_MIN].iloc[1]), "unknown stays unknown, never zero"


BAD_CELLS = [
    ({s.EVENT_ID: ""}, s.EVENT_ID, "needs the id"),
    ({s.SOURCE_DATE: "8 Feb 2018"}, s.SOURCE_DATE, "ISO date"),
    ({s.KILLED_MIN: "many"}, s.KILLED_MIN, "whole number"),
    ({s.INJURED_MAX: "-2"}, s.INJURED_MAX, "whole number"),
    ({s.KILLED_MIN: "2.5"}, s.KILLED_MIN, "whole number"),
    ({s.KILLED_MIN: "10", s.KILLED_MAX: "3"}, s.KILLED_MAX, "must not be below"),
]


@pytest.mark.parametrize(("cells", "column", "words"), BAD_CELLS)
def test_a_bad_row_is_reported_with_file_row_column_and_fix_and_left_out(
    tmp_path, cells, column, words
):
    path = write_sources(
        tmp_path / "sources.csv",
        [
            {s.EVENT_ID: "good", s.SOURCE_NAME: "first"},
            {s.EVENT_ID: "bad", s.SOURCE_NAME: "second", **cells},
        ],
    )

    loaded = src.read_sources(path)

    assert loaded.sources[s.SOURCE_NAME].tolist() == ["first"]
    assert loaded.rejected_rows == [3]
    message = str(loaded.problems[0])
    assert str(path) in message
    assert "row 3" in message
    assert f"column {column}" in message
    assert words in message
    assert "left out" in message


GOOD_CELLS = [
    {s.SOURCE_DATE: "2018-02"},
    {s.SOURCE_DATE: "2018"},
    {s.SOURCE_DATE: ""},
    {s.KILLED_MIN: "0", s.KILLED_MAX: "0"},
    {s.KILLED_MIN: " 12 "},
    {s.INJURED_MAX: "3"},
]


@pytest.mark.parametrize("cells", GOOD_CELLS)
def test_these_rows_are_accepted(tmp_path, cells):
    path = write_sources(tmp_path / "sources.csv", [{s.EVENT_ID: "e", **cells}])

    assert src.read_sources(path).problems == []


def test_a_row_with_more_cells_than_the_header_is_reported(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("event_id,source_name\ne1,SOHR\ne2,AFP,surplus\n", encoding="utf-8")

    loaded = src.read_sources(path)

    assert loaded.sources[s.EVENT_ID].tolist() == ["e1"]
    assert "more cells than the header" in str(loaded.problems[0])


def test_blank_lines_are_skipped_and_row_numbers_stay_those_of_the_spreadsheet(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("event_id,killed_min\ne1,1\n\n,2\n", encoding="utf-8")

    loaded = src.read_sources(path)

    assert loaded.rejected_rows == [4]


def test_a_file_with_only_some_columns_gets_the_others_empty(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("event_id;source_name\ne1;Enab Baladi\n", encoding="utf-8")

    sources = src.read_sources(path).sources

    assert sources[s.SOURCE_NAME].tolist() == ["Enab Baladi"]
    assert sources[s.SOURCE_URL].tolist() == [""]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"source_name,source_url\nSOHR,\n", "no event_id column"),
        (b"\x00\x01\x02binary", "binary"),
        (b'event_id,source_text\ne1,"never closed\n', "quote"),
    ],
)
def test_an_unusable_file_is_refused_as_a_whole_with_the_reason(tmp_path, content, words):
    path = tmp_path / "sources.csv"
    path.write_bytes(content)

    with pytest.raises(src.SourcesFileError, match=words) as caught:
        src.read_sources(path)

    assert str(path) in str(caught.value)


# --- attaching the sources: counts, ranges that span them, confidence -------------------------


def test_each_event_counts_its_own_source_and_those_in_the_table(tmp_path):
    events = make_events(
        {s.EVENT_ID: "a", s.SOURCE_NAME: "NOS"},
        {s.EVENT_ID: "b", s.SOURCE_NAME: "Reuters"},
        {s.EVENT_ID: "c"},
    )
    sources = make_sources(
        tmp_path,
        {s.EVENT_ID: "a", s.SOURCE_NAME: "AFP"},
        {s.EVENT_ID: "a", s.SOURCE_NAME: "SANA"},
        {s.EVENT_ID: "c", s.SOURCE_NAME: "SOHR"},
    )

    attached = src.attach_sources(events, sources)

    assert attached[src.SOURCE_COUNT].tolist() == [3, 1, 1]


def test_the_killed_range_spans_every_source_and_the_own_figures_are_kept(tmp_path):
    events = make_events(
        {s.EVENT_ID: "a", s.SOURCE_NAME: "NOS", s.KILLED_MIN: "100", s.KILLED_MAX: "100"}
    )
    sources = make_sources(
        tmp_path,
        {s.EVENT_ID: "a", s.KILLED_MIN: "45", s.KILLED_MAX: "60"},
        {s.EVENT_ID: "a", s.KILLED_MIN: "100", s.KILLED_MAX: "300"},
    )

    event = src.attach_sources(events, sources).iloc[0]

    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (45, 300)
    assert (event["killed_min_own"], event["killed_max_own"]) == (100, 100)


def test_a_source_reporting_at_least_a_figure_leaves_the_maximum_open(tmp_path):
    events = make_events({s.EVENT_ID: "a", s.KILLED_MIN: "5", s.KILLED_MAX: "7"})
    sources = make_sources(tmp_path, {s.EVENT_ID: "a", s.KILLED_MIN: "12"})

    event = src.attach_sources(events, sources).iloc[0]

    assert event[s.KILLED_MIN] == 5
    assert pd.isna(event[s.KILLED_MAX]), "at least 5, no upper figure"


def test_a_source_with_only_a_maximum_counts_that_as_its_lowest_figure_too(tmp_path):
    events = make_events({s.EVENT_ID: "a", s.KILLED_MIN: "10", s.KILLED_MAX: "10"})
    sources = make_sources(tmp_path, {s.EVENT_ID: "a", s.KILLED_MAX: "3"})

    event = src.attach_sources(events, sources).iloc[0]

    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (3, 10)


def test_unknown_figures_are_ignored_and_stay_unknown_when_no_source_gives_one(tmp_path):
    events = make_events(
        {s.EVENT_ID: "known elsewhere"},
        {s.EVENT_ID: "never known", s.INJURED_MIN: "2", s.INJURED_MAX: "2"},
    )
    sources = make_sources(
        tmp_path,
        {s.EVENT_ID: "known elsewhere", s.KILLED_MIN: "4", s.KILLED_MAX: "6"},
        {s.EVENT_ID: "never known", s.SOURCE_NAME: "no figures"},
    )

    attached = src.attach_sources(events, sources).set_index(s.EVENT_ID)

    assert (
        attached.loc["known elsewhere", s.KILLED_MIN],
        attached.loc["known elsewhere", s.KILLED_MAX],
    ) == (4, 6)
    assert pd.isna(attached.loc["never known", s.KILLED_MIN])
    assert pd.isna(attached.loc["never known", s.KILLED_MAX])
    assert (
        attached.loc["never known", s.INJURED_MIN],
        attached.loc["never known", s.INJURED_MAX],
    ) == (2, 2)


def test_confidence_is_derived_from_the_count_only_where_the_coder_gave_none(tmp_path):
    events = make_events(
        {s.EVENT_ID: "one", s.SOURCE_NAME: "NOS"},
        {s.EVENT_ID: "two", s.SOURCE_NAME: "NOS"},
        {
            s.EVENT_ID: "graded",
            s.SOURCE_NAME: "NOS",
            s.CONFIDENCE: "confirmed by the striking party",
        },
        {s.EVENT_ID: "no source"},
    )
    sources = make_sources(tmp_path, {s.EVENT_ID: "two", s.SOURCE_NAME: "AFP"})

    attached = src.attach_sources(events, sources)

    assert attached[s.CONFIDENCE].tolist() == [
        "single source",
        "several sources",
        "confirmed by the striking party",
        "",
    ]


def test_attaching_twice_gives_the_same_table(tmp_path):
    events = make_events(
        {s.EVENT_ID: "a", s.SOURCE_NAME: "NOS", s.KILLED_MIN: "9", s.KILLED_MAX: "9"}
    )
    sources = make_sources(tmp_path, {s.EVENT_ID: "a", s.KILLED_MIN: "2", s.KILLED_MAX: "20"})

    once = src.attach_sources(events, sources)
    twice = src.attach_sources(once, sources)

    pd.testing.assert_frame_equal(once, twice)


def test_sources_of_other_events_change_nothing(tmp_path):
    events = make_events({s.EVENT_ID: "a", s.SOURCE_NAME: "NOS", s.KILLED_MIN: "1"})
    sources = make_sources(tmp_path, {s.EVENT_ID: "not here", s.KILLED_MIN: "500"})

    event = src.attach_sources(events, sources).iloc[0]

    assert event[s.KILLED_MIN] == 1
    assert event[src.SOURCE_COUNT] == 1


def test_the_shipped_events_attach_to_an_empty_table_unchanged_in_their_figures():
    events = read_events(SHIPPED_EVENTS).events

    attached = src.attach_sources(events, src.empty_sources())

    pd.testing.assert_series_equal(attached[s.KILLED_MIN], events[s.KILLED_MIN])
    assert set(attached[s.CONFIDENCE]) == {"single source"}


# --- every source of one event, for the panel ------------------------------------------------


def test_sources_of_lists_the_events_own_first_with_what_each_reports(tmp_path):
    events = make_events(
        {
            s.EVENT_ID: "a",
            s.SOURCE_NAME: "NOS",
            s.SOURCE_TEXT: "honderd doden",
            s.KILLED_MIN: "100",
            s.KILLED_MAX: "100",
            s.NOTES: "coder's note",
        },
        {s.EVENT_ID: "b", s.SOURCE_NAME: "other"},
    )
    sources = make_sources(
        tmp_path,
        {s.EVENT_ID: "a", s.SOURCE_NAME: "SOHR", s.KILLED_MIN: "45", s.KILLED_MAX: "60"},
        {s.EVENT_ID: "b", s.SOURCE_NAME: "not this one"},
        {s.EVENT_ID: "a", s.SOURCE_NAME: "SANA", s.SOURCE_TEXT: "no casualties reported"},
    )
    attached = src.attach_sources(events, sources)

    listed = src.sources_of("a", attached, sources)

    assert listed[s.SOURCE_NAME].tolist() == ["NOS", "SOHR", "SANA"]
    assert listed["own"].tolist() == [True, False, False]
    assert listed[s.KILLED_MIN].tolist()[:2] == [100, 45], "each source's own figure"
    assert pd.isna(listed[s.KILLED_MIN].iloc[2])
    assert listed[s.SOURCE_TEXT].tolist()[0] == "honderd doden"
    assert listed[s.NOTES].tolist()[0] == "", "the coder's notes are not the source's"


def test_sources_of_an_unknown_event_is_empty(tmp_path):
    events = make_events({s.EVENT_ID: "a", s.SOURCE_NAME: "NOS"})

    assert src.sources_of("zzz", events, src.empty_sources()).empty


# --- merging duplicates -----------------------------------------------------------------------


@pytest.fixture
def duplicates_on_disk(write_events):
    return write_events(
        [
            {
                s.EVENT_ID: "keep",
                s.DATE_START: "2018-02-07",
                s.EVENT_TYPE: "Air/drone strike",
                s.LOCATION: "Khasham",
                s.SOURCE_NAME: "NOS",
                s.KILLED_MIN: "100",
                s.KILLED_MAX: "100",
            },
            {
                s.EVENT_ID: "dup",
                s.DATE_START: "2018-02-08",
                s.EVENT_TYPE: "Air/drone strike",
                s.LOCATION: "Khusham",
                s.LATITUDE: "35",
                s.LONGITUDE: "40.29",
                s.SOURCE_NAME: "SOHR",
                s.SOURCE_URL: "https://example.org/sohr",
                s.SOURCE_TEXT: "45 killed",
                s.KILLED_MIN: "45",
                s.KILLED_MAX: "60",
                s.CIVILIANS_KILLED_MIN: "0",
                s.NOTES: "second report",
            },
            {s.EVENT_ID: "other", s.DATE_START: "2018-03-01", s.SOURCE_NAME: "AFP"},
        ]
    )


def test_merging_moves_the_duplicate_into_the_sources_of_the_kept_event(duplicates_on_disk):
    sources_file = src.sources_path(duplicates_on_disk)

    written = src.merge_events(duplicates_on_disk, sources_file, "keep", ["dup"])

    events = read_events(duplicates_on_disk).events
    assert events[s.EVENT_ID].tolist() == ["keep", "other"]
    assert written == 1
    sources = src.read_sources(sources_file).sources
    listed = src.sources_of("keep", src.attach_sources(events, sources), sources)
    assert listed[s.SOURCE_NAME].tolist() == ["NOS", "SOHR"]
    assert listed[s.KILLED_MAX].tolist() == [100, 60]
    event = src.attach_sources(events, sources).iloc[0]
    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (45, 100)


def test_a_merge_loses_nothing_of_the_merged_row(duplicates_on_disk):
    sources_file = src.sources_path(duplicates_on_disk)

    src.merge_events(duplicates_on_disk, sources_file, "keep", ["dup"])

    row = read_rows(sources_file)[0]
    assert row[s.EVENT_ID] == "keep"
    assert row[s.SOURCE_URL] == "https://example.org/sohr"
    assert row[s.SOURCE_TEXT] == "45 killed"
    notes = row[s.NOTES]
    assert notes.startswith("merged from dup")
    for kept in (
        "date_start: 2018-02-08",
        "location: Khusham",
        "latitude: 35.0",
        "civilians_killed_min: 0",
        "notes: second report",
    ):
        assert kept in notes


def test_sources_of_a_merged_event_move_with_it_and_other_rows_stay(duplicates_on_disk):
    sources_file = src.sources_path(duplicates_on_disk)
    write_sources(
        sources_file,
        [
            {s.EVENT_ID: "dup", s.SOURCE_NAME: "Enab Baladi"},
            {s.EVENT_ID: "other", s.SOURCE_NAME: "SANA"},
            {s.EVENT_ID: "", s.SOURCE_NAME: "a bad row, kept as written"},
        ],
    )

    src.merge_events(duplicates_on_disk, sources_file, "keep", ["dup"])

    rows = read_rows(sources_file)
    assert [(r[s.EVENT_ID], r[s.SOURCE_NAME]) for r in rows] == [
        ("keep", "Enab Baladi"),
        ("other", "SANA"),
        ("", "a bad row, kept as written"),
        ("keep", "SOHR"),
    ]
    assert rows[0][s.NOTES] == "merged from dup"


def test_a_merge_keeps_bad_event_rows_and_the_files_delimiter(tmp_path):
    events_file = tmp_path / "events.csv"
    events_file.write_text(
        "event_id;date_start;source_name\n"
        "keep;2018-02-07;NOS\n"
        "broken;not a date;kept anyway\n"
        "dup;2018-02-07;SOHR\n",
        encoding="utf-8",
    )

    src.merge_events(events_file, src.sources_path(events_file), "keep", ["dup"])

    assert events_file.read_text(encoding="utf-8") == (
        "event_id;date_start;source_name\nkeep;2018-02-07;NOS\nbroken;not a date;kept anyway\n"
    )


@pytest.mark.parametrize(
    ("keep", "merge", "words"),
    [
        ("keep", ["nope"], "no valid event with id 'nope'"),
        ("gone", ["dup"], "'gone'"),
        ("keep", ["keep"], "nothing to merge"),
    ],
)
def test_a_merge_of_events_that_are_not_there_changes_nothing(
    duplicates_on_disk, keep, merge, words
):
    before = duplicates_on_disk.read_bytes()
    sources_file = src.sources_path(duplicates_on_disk)

    with pytest.raises(src.MergeError, match=words):
        src.merge_events(duplicates_on_disk, sources_file, keep, merge)

    assert duplicates_on_disk.read_bytes() == before
    assert not sources_file.exists()


def test_merges_at_the_same_time_take_turns_and_lose_nothing(write_events):
    rows = [{s.EVENT_ID: "keep", s.DATE_START: "2018-02-07", s.SOURCE_NAME: "NOS"}]
    rows += [
        {s.EVENT_ID: f"dup{n}", s.DATE_START: "2018-02-07", s.SOURCE_NAME: f"report {n}"}
        for n in range(8)
    ]
    events_file = write_events(rows)
    sources_file = src.sources_path(events_file)

    threads = [
        threading.Thread(
            target=src.merge_events, args=(events_file, sources_file, "keep", [f"dup{n}"])
        )
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert read_events(events_file).events[s.EVENT_ID].tolist() == ["keep"]
    names = sorted(r[s.SOURCE_NAME] for r in read_rows(sources_file))
    assert names == sorted(f"report {n}" for n in range(8))
