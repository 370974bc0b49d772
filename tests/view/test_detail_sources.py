"""Independent sources only when the outlets differ; notes in the sources table are no sources.

(components/table/sources.py derives the grade; components/view/detail.py says it.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from components.table import schema as s
from components.table import sources as src
from components.view import detail
from tests.frames import make_events


def sources_table(tmp_path: Path, *rows: dict[str, str]) -> pd.DataFrame:
    path = tmp_path / "sources.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.SOURCE_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    loaded = src.read_sources(path)
    assert [str(p) for p in loaded.problems] == []
    return loaded.sources


def attached(tmp_path: Path, own: dict[str, str], *more: dict[str, str]) -> pd.Series:
    events = make_events({s.EVENT_ID: "a", **own}, {s.EVENT_ID: "other", s.SOURCE_NAME: "X"})
    rows = [{s.EVENT_ID: "a", **row} for row in more]
    return src.attach_sources(events, sources_table(tmp_path, *rows)).iloc[0]


def test_two_reports_of_one_outlet_are_one_source_not_several(tmp_path):
    event = attached(
        tmp_path,
        {s.SOURCE_NAME: "SOHR", s.SOURCE_DATE: "2018-02-07"},
        {s.SOURCE_NAME: " sohr ", s.SOURCE_DATE: "2018-02-08"},
    )

    assert event[src.SOURCE_COUNT] == 2
    assert event[src.OUTLET_COUNT] == 1
    assert event[s.CONFIDENCE] == "single source"
    words = detail.confidence_words(event)
    assert words == "Single source: one outlet only · 2 sources recorded, all from one outlet"
    assert "independent" not in words


def test_reports_of_different_outlets_are_several_independent_sources(tmp_path):
    event = attached(tmp_path, {s.SOURCE_NAME: "SOHR"}, {s.SOURCE_NAME: "Reuters"})

    assert event[s.CONFIDENCE] == "several sources"
    assert detail.confidence_words(event) == (
        "Several sources: two or more independent reports · 2 sources recorded"
    )


def test_three_reports_of_two_outlets_say_so(tmp_path):
    event = attached(
        tmp_path, {s.SOURCE_NAME: "SOHR"}, {s.SOURCE_NAME: "Reuters"}, {s.SOURCE_NAME: "SOHR"}
    )

    assert event[src.OUTLET_COUNT] == 2
    assert detail.confidence_words(event).endswith("3 sources recorded from 2 outlets")


def test_an_unnamed_outlet_is_known_by_its_web_address(tmp_path):
    event = attached(
        tmp_path,
        {s.SOURCE_URL: "https://www.example.org/a"},
        {s.SOURCE_URL: "http://example.org/b?x=1"},
        {s.SOURCE_URL: "https://news.example.net/c"},
    )

    assert event[src.SOURCE_COUNT] == 3
    assert event[src.OUTLET_COUNT] == 2


def test_reports_whose_outlet_is_unknown_are_never_taken_for_one_outlet(tmp_path):
    event = attached(
        tmp_path,
        {s.SOURCE_TEXT: "A first report."},
        {s.SOURCE_TEXT: "A second report."},
    )

    assert event[src.OUTLET_COUNT] == 2
    assert event[s.CONFIDENCE] == "several sources"


def test_a_coders_grade_is_kept_but_the_outlets_are_said(tmp_path):
    event = attached(
        tmp_path,
        {s.SOURCE_NAME: "SOHR", s.CONFIDENCE: "several sources"},
        {s.SOURCE_NAME: "SOHR"},
    )

    assert event[s.CONFIDENCE] == "several sources"
    assert detail.confidence_words(event).endswith("2 sources recorded, all from one outlet")


def test_a_notes_only_row_is_a_note_of_the_own_source_not_a_second_source(tmp_path):
    note = "saved from upload.csv on 2026-12-02"
    event = attached(tmp_path, {s.SOURCE_NAME: "SOHR"}, {s.NOTES: note})

    assert event[src.SOURCE_COUNT] == 1
    assert event[s.CONFIDENCE] == "single source"
    events = make_events({s.EVENT_ID: "a", s.SOURCE_NAME: "SOHR"})
    listed = src.sources_of("a", events, sources_table(tmp_path, {s.EVENT_ID: "a", s.NOTES: note}))
    assert listed["own"].tolist() == [True]
    assert listed[s.NOTES].tolist() == [note]


def test_a_table_without_outlet_counts_says_the_source_count_only():
    # Events from the database carry no outlet count: nothing about outlets is claimed.
    event = make_events({s.EVENT_ID: "e", s.CONFIDENCE: "single source"}).iloc[0]
    event[src.SOURCE_COUNT] = 2

    assert detail.confidence_words(event) == "Single source: one report only · 2 sources recorded"
