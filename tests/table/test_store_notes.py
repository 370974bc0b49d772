"""Saving an upload leaves a note per event in sources.csv, in the same step as the events."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from components.table import schema as s
from components.table import sources as src
from components.table.errors import EventFileError
from components.table.events import read_events
from components.table.store import append_events

NOTE = "imported from upload.csv, an upload saved on 2026-12-02"


def rows(*ids: str, **cells: str) -> pd.DataFrame:
    base = {s.DATE_START: "2020-01-01", s.EVENT_TYPE: "Air/drone strike", **cells}
    return pd.DataFrame([{s.EVENT_ID: i, **base} for i in ids])


def read_table(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle, delimiter=";" if b";" in path.read_bytes() else ","))


def test_each_saved_event_gets_a_note_row_under_the_id_it_was_saved_as(tmp_path):
    events = tmp_path / "events.csv"
    append_events(events, rows("u-1"))

    ids = append_events(events, rows("u-1", "u-2", source_name="NOS"), note=NOTE)

    assert ids == ["u-1-2", "u-2"]
    sources = src.read_sources(tmp_path / "sources.csv").sources
    assert sources[s.EVENT_ID].tolist() == ids
    assert sources[s.NOTES].tolist() == [NOTE, NOTE]
    assert (sources[s.SOURCE_NAME] == "").all()


def test_the_note_is_no_second_source_and_goes_with_the_events_own(tmp_path):
    events = tmp_path / "events.csv"
    append_events(events, rows("u-1", source_name="NOS"), note=NOTE)
    loaded, more = read_events(events).events, src.read_sources(tmp_path / "sources.csv")

    shown = src.attach_sources(loaded, more.sources)

    assert shown[src.SOURCE_COUNT].tolist() == [1]
    assert shown[s.CONFIDENCE].tolist() == ["single source"]
    listed = src.sources_of("u-1", shown, more.sources)
    assert listed[s.NOTES].tolist() == [NOTE]


def test_rows_already_in_the_sources_file_and_its_delimiter_are_kept(tmp_path):
    events = tmp_path / "events.csv"
    sources = tmp_path / "sources.csv"
    sources.write_text(
        "event_id;source_name;notes;checked_by\nold;AFP;first;Ann\n", encoding="utf-8"
    )

    append_events(events, rows("u-1"), note=NOTE)

    table = read_table(sources)
    assert table[0] == ["event_id", "source_name", "notes", "checked_by", *table[0][4:]]
    assert table[1][:4] == ["old", "AFP", "first", "Ann"]
    assert table[2][0] == "u-1"
    assert NOTE in table[2]


def test_when_the_second_file_cannot_be_put_in_place_neither_changes(tmp_path, monkeypatch):
    events = tmp_path / "events.csv"
    append_events(events, rows("kept"), note=NOTE)
    before = (events.read_bytes(), (tmp_path / "sources.csv").read_bytes())
    real_replace = os.replace
    calls = []

    def failing_second(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_second)
    with pytest.raises(EventFileError, match="nothing was saved in either file"):
        append_events(events, rows("new"), note=NOTE)
    monkeypatch.undo()

    assert (events.read_bytes(), (tmp_path / "sources.csv").read_bytes()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_unreadable_sources_file_saves_no_event(tmp_path):
    events = tmp_path / "events.csv"
    append_events(events, rows("kept"))
    before = events.read_bytes()
    (tmp_path / "sources.csv").write_text("source_name,notes\nAFP,x\n", encoding="utf-8")

    with pytest.raises(src.SourcesFileError, match="event_id"):
        append_events(events, rows("new"), note=NOTE)

    assert events.read_bytes() == before


def test_without_a_note_the_sources_file_is_not_touched(tmp_path):
    events = tmp_path / "events.csv"

    append_events(events, rows("a"))

    assert not (tmp_path / "sources.csv").exists()
