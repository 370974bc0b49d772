"""Saving new events into the events CSV: validated, appended atomically, nothing lost."""

from __future__ import annotations

import csv
import multiprocessing
from pathlib import Path

import pandas as pd
import pytest

from components.table import schema as s
from components.table.errors import EventFileError
from components.table.events import read_events
from components.table.store import append_events


def rows(*ids: str, **cells: str) -> pd.DataFrame:
    base = {s.DATE_START: "2020-01-01", s.EVENT_TYPE: "Air/drone strike", **cells}
    return pd.DataFrame([{s.EVENT_ID: i, **base} for i in ids])


def test_a_missing_file_is_created_with_the_canonical_header(tmp_path):
    path = tmp_path / "events.csv"
    assert append_events(path, rows("a-1")) == ["a-1"]
    with path.open(newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(s.CANONICAL_COLUMNS)
    assert list(read_events(path).events[s.EVENT_ID]) == ["a-1"]


def test_rows_already_in_the_file_and_extra_columns_are_kept(tmp_path):
    path = tmp_path / "events.csv"
    header = ["event_id", "date_start", "analyst", "source_text"]
    path.write_text(
        ",".join(header) + '\nold-1,2018-02-07,Ann,"line one\nline two"\n', encoding="utf-8"
    )
    append_events(path, rows("new-1", source_text="Body"))
    with path.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    assert table[0][:4] == header
    assert table[1][:4] == ["old-1", "2018-02-07", "Ann", "line one\nline two"]
    assert table[2][0] == "new-1"
    assert len(read_events(path).events) == 2


def test_an_id_already_used_gets_a_suffix(tmp_path):
    path = tmp_path / "events.csv"
    append_events(path, rows("r-1"))
    assert append_events(path, rows("r-1", "r-1")) == ["r-1-2", "r-1-3"]
    assert read_events(path).events[s.EVENT_ID].is_unique


def test_an_invalid_row_saves_nothing_and_says_why(tmp_path):
    path = tmp_path / "events.csv"
    append_events(path, rows("ok-1"))
    before = path.read_bytes()
    with pytest.raises(EventFileError, match="killed_max must not be below killed_min"):
        append_events(path, rows("bad-1", killed_min="10", killed_max="2"))
    assert path.read_bytes() == before


def _append_many(path: str, prefix: str, count: int) -> None:
    for number in range(count):
        append_events(Path(path), rows(f"{prefix}-{number}"))


def test_two_processes_saving_at_once_lose_nothing(tmp_path):
    path = tmp_path / "events.csv"
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_append_many, args=(str(path), name, 15)) for name in ("a", "b")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    saved = set(read_events(path).events[s.EVENT_ID])
    assert saved == {f"{name}-{n}" for name in ("a", "b") for n in range(15)}
