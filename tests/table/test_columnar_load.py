"""A large file's events built batch by batch into Parquet (pipeline.load_columnar) are the
events the whole-file load gives, with the same problems on the same rows, cached until a file
changes."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from components.storage.duckdb_engine import ColumnarEvents
from components.table import cache as event_cache
from components.table import pipeline
from components.table import schema as s
from components.table import sources as src

ROWS = [
    {
        s.EVENT_ID: f"ev-{n}",
        s.DATE_START: f"2022-0{1 + n % 9}-1{n % 10}",
        s.EVENT_TYPE: "Air/drone strike" if n % 2 else "Shelling/artillery/missile attack",
        s.LATITUDE: f"{48 + n / 10:.2f}" if n % 4 else "",
        s.LONGITUDE: f"{35 + n / 10:.2f}" if n % 4 else "",
        s.KILLED_MIN: str(n) if n % 3 else "",
        s.SOURCE_NAME: "Synthetic report, with a comma\nand a line break",
    }
    for n in range(11)
]
# Problems in different batches of three: a bad date, an id an earlier batch already used.
BAD_DATE = {s.EVENT_ID: "bad-date", s.DATE_START: "7 Feb"}
REPEATED = {s.EVENT_ID: "ev-1", s.DATE_START: "2022-03-03"}


@pytest.fixture
def table_file(write_events):
    rows = [*ROWS[:4], BAD_DATE, *ROWS[4:9], REPEATED, *ROWS[9:]]
    return write_events(rows)


def _whole(path) -> tuple[pd.DataFrame, list]:
    loaded = pipeline.load_placed_events(path, None, use_cache=False)
    events = src.attach_sources(loaded.events, src.empty_sources())
    return events, loaded.problems


def _columnar(path, batch_rows: int = 3):
    return pipeline.load_columnar(path, None, src.empty_sources(), batch_rows=batch_rows)


def test_batches_give_the_events_and_problems_of_the_whole_file(table_file, monkeypatch):
    from components.table import batches

    monkeypatch.setattr(batches, "_BLOCK_BYTES", 1024)  # batches of three rows, not one block
    events, problems = _whole(table_file)

    built = _columnar(table_file)

    engine = ColumnarEvents(built.parquet)
    try:
        rows = engine.events_by_id(list(events[s.EVENT_ID]))
    finally:
        engine.close()
    pd.testing.assert_frame_equal(rows[list(events.columns)], events, check_dtype=False)
    assert [(p.row, p.column) for p in built.problems] == [(p.row, p.column) for p in problems]
    assert [str(p) for p in built.problems] == [str(p) for p in problems]
    assert built.rejected_rows == [6, 12]


def test_ids_are_looked_for_in_the_written_file_only_when_two_batches_share_one(
    write_events, monkeypatch
):
    from components.storage import parquet_events
    from components.table import batches

    # Blocks of a few rows, so that batches of three rows are batches (a block is never split).
    monkeypatch.setattr(batches, "_BLOCK_BYTES", 1024)
    looked = []
    real = parquet_events.drop_repeated_ids
    monkeypatch.setattr(
        parquet_events, "drop_repeated_ids", lambda *a: looked.append(a) or real(*a)
    )
    built = _columnar(write_events(ROWS))
    assert looked == [] and built.problems == []

    built = _columnar(write_events([*ROWS, REPEATED]))
    assert len(looked) == 1 and built.rejected_rows == [len(ROWS) + 2]


def test_a_second_open_reads_the_cache_and_a_changed_file_is_built_again(table_file, monkeypatch):
    first = _columnar(table_file)
    built_at = first.parquet.stat().st_mtime_ns

    def refuse(*_args, **_kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(pipeline, "event_batches", refuse)
    again = _columnar(table_file)
    assert again.parquet == first.parquet and again.parquet.stat().st_mtime_ns == built_at
    assert again.problems == first.problems

    monkeypatch.undo()
    with table_file.open("a", encoding="utf-8") as handle:
        handle.write("ev-new,2022-05-05" + "," * (len(s.CANONICAL_COLUMNS) - 2) + "\n")
    os.utime(table_file, ns=(built_at + 10**9, built_at + 10**9))
    changed = _columnar(table_file)
    engine = ColumnarEvents(changed.parquet)
    try:
        assert engine.total() == len(ROWS) + 1
    finally:
        engine.close()


def test_a_file_arrow_cannot_stream_is_read_whole_with_the_same_result(tmp_path, table_file):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(table_file.read_text(encoding="utf-8").encode("utf-16"))
    events, problems = _whole(utf16)

    built = _columnar(utf16)

    engine = ColumnarEvents(built.parquet)
    try:
        assert engine.total() == len(events)
        assert engine.counts(None).not_on_map == int(events[s.LATITUDE].isna().sum())
    finally:
        engine.close()
    assert [str(p) for p in built.problems] == [str(p) for p in problems]


def test_query_mode_is_wanted_from_the_row_threshold_on(write_events):
    # Counted by line ends: cells without line breaks here (with them, the count is high).
    path = write_events([{**row, s.SOURCE_NAME: "one line"} for row in ROWS])

    assert pipeline.wants_query_mode(path, rows=len(ROWS))
    assert not pipeline.wants_query_mode(path, rows=len(ROWS) + 1)
    assert event_cache.columnar_paths(path)[0].suffix == ".parquet"
