"""The embedded engine's hot columns held in memory (components/storage/hot_columns.py): read
once, asked instead of the file once ready, the file answering meanwhile or when they cannot
be read, and the same answers either way."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.storage import hot_columns as hot
from components.storage.duckdb_engine import ColumnarEvents
from components.storage.parquet_events import write_parquet
from components.table import schema as s
from components.view.filters import EventFilter
from tests.storage import queries_contract as contract

WINDOW = EventFilter(date_from=dt.date(2020, 1, 1), date_to=dt.date(2030, 1, 1))


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    events, _ = contract.synthetic_table()
    path = tmp_path_factory.mktemp("hot") / "events.parquet"
    write_parquet([events.iloc[:50], events.iloc[50:]], path)
    return path


def test_the_hot_columns_are_every_column_the_filters_and_orders_name(parquet):
    table = hot.read_hot(parquet)

    assert table.column_names == list(hot.HOT_COLUMNS)
    assert table.num_rows == ColumnarEvents(parquet, columns_in_memory="never").total()
    # Text of few values is held as a dictionary: four bytes a row, whatever its length.
    assert str(table.schema.field(s.ACTOR1).type).startswith("dictionary")


def test_held_now_the_engine_asks_the_memory_and_answers_as_the_file(parquet):
    from_file = ColumnarEvents(parquet, columns_in_memory="never")
    held = ColumnarEvents(parquet, columns_in_memory="now")

    assert from_file._scan == "events" and held._scan == hot.HOT_VIEW
    assert held.counts(WINDOW) == from_file.counts(WINDOW)
    for order in ("date_start", "killed", s.LOCATION, s.EVENT_TYPE):
        pd.testing.assert_frame_equal(
            held.page(WINDOW, None, order, True, 3, 7),
            from_file.page(WINDOW, None, order, True, 3, 7),
        )
    pd.testing.assert_frame_equal(
        held.cells(WINDOW, None, 1 / 64), from_file.cells(WINDOW, None, 1 / 64)
    )


def test_held_later_the_file_answers_until_the_columns_are_read(parquet):
    engine = ColumnarEvents(parquet, columns_in_memory="later")

    assert engine.counts(WINDOW).shown >= 0  # answered at once, whichever holds the rows
    assert engine._hold.wait(timeout=60)
    assert engine._scan == hot.HOT_VIEW


def test_columns_that_cannot_be_read_leave_the_file_answering(parquet, monkeypatch):
    def broken(path):
        raise OSError(f"cannot read {path}")

    monkeypatch.setattr(hot, "read_hot", broken)
    reference = ColumnarEvents(parquet, columns_in_memory="never").counts(WINDOW)

    engine = ColumnarEvents(parquet, columns_in_memory="later")
    assert not engine._hold.wait(timeout=60)

    assert isinstance(engine._hold.error, OSError)
    assert engine._scan == "events"
    assert engine.counts(WINDOW) == reference
    with pytest.raises(OSError, match="cannot read"):
        ColumnarEvents(parquet, columns_in_memory="now")


def test_an_unknown_moment_is_refused(parquet):
    with pytest.raises(ValueError, match="one of"):
        ColumnarEvents(parquet, columns_in_memory="sometimes")
