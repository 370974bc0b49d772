"""The embedded engine's hot columns held in memory (components/storage/hot_columns.py): read
once, asked instead of the file once ready, the file answering meanwhile or when they cannot
be read, and the same answers either way; kept beside the Parquet file and mapped by the next
engine (components/storage/hot_file.py), never when stale or damaged."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from components.storage import hot_columns as hot
from components.storage import hot_file
from components.storage.duckdb_engine import ColumnarEvents
from components.storage.parquet_events import write_parquet
from components.table import schema as s
from components.view.filters import EventFilter
from tests.storage import queries_contract as contract

WINDOW = EventFilter(date_from=dt.date(2020, 1, 1), date_to=dt.date(2030, 1, 1))


@pytest.fixture(scope="module")
def events():
    return contract.synthetic_table()[0]


@pytest.fixture
def parquet(events, tmp_path):
    path = tmp_path / "events.parquet"
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


def test_read_columns_are_kept_and_the_next_engine_maps_them_with_the_same_answers(parquet):
    kept = hot_file.hot_file(parquet)
    assert not kept.exists()
    read = ColumnarEvents(parquet, columns_in_memory="now")
    assert not read._hold.mapped and kept.exists()

    mapped = ColumnarEvents(parquet, columns_in_memory="later")

    # Mapped at once, before any question: nothing waits for a quiet moment.
    assert mapped._hold.mapped and mapped._hold.done.is_set() and mapped._scan == hot.HOT_VIEW
    from_file = ColumnarEvents(parquet, columns_in_memory="never")
    contract.same_engine_answers(mapped, from_file)
    contract.same_engine_answers(read, from_file)


def test_held_later_the_columns_are_kept_once_read(parquet):
    engine = ColumnarEvents(parquet, columns_in_memory="later")
    assert engine._hold.wait(timeout=60)

    assert ColumnarEvents(parquet, columns_in_memory="now")._hold.mapped


def test_never_is_never_even_with_a_kept_file(parquet):
    ColumnarEvents(parquet, columns_in_memory="now")

    engine = ColumnarEvents(parquet, columns_in_memory="never")

    assert not engine._hold.mapped and engine._scan == "events"


def test_a_kept_file_of_another_build_of_the_cache_is_not_used(parquet, events):
    ColumnarEvents(parquet, columns_in_memory="now")  # keeps the columns of 120 rows
    write_parquet([events.iloc[:30]], parquet)  # the cache built again, of another table

    rebuilt = ColumnarEvents(parquet, columns_in_memory="now")

    assert not rebuilt._hold.mapped
    assert rebuilt.counts(None) == ColumnarEvents(parquet, columns_in_memory="never").counts(None)
    # Kept again, for the new build: the next engine maps it.
    again = ColumnarEvents(parquet, columns_in_memory="now")
    assert again._hold.mapped and again.total() == 30
    contract.same_engine_answers(again, ColumnarEvents(parquet, columns_in_memory="never"))


def test_a_kept_file_of_another_layout_is_not_used(parquet, monkeypatch):
    ColumnarEvents(parquet, columns_in_memory="now")
    monkeypatch.setattr(hot, "HOT_LAYOUT", hot.HOT_LAYOUT + "/another")

    assert not ColumnarEvents(parquet, columns_in_memory="now")._hold.mapped


def test_a_damaged_kept_file_is_not_read_and_is_written_again(parquet):
    ColumnarEvents(parquet, columns_in_memory="now")
    kept = hot_file.hot_file(parquet)
    whole = kept.read_bytes()
    kept.write_bytes(whole[: len(whole) // 2])  # cut short

    engine = ColumnarEvents(parquet, columns_in_memory="now")

    assert not engine._hold.mapped
    contract.same_engine_answers(engine, ColumnarEvents(parquet, columns_in_memory="never"))
    assert ColumnarEvents(parquet, columns_in_memory="now")._hold.mapped


def test_a_write_cut_short_leaves_no_kept_file(parquet, monkeypatch):
    class Failing:
        """An IPC writer whose disk fills after the schema is written."""

        def __init__(self, sink, schema):
            self._writer = pa.ipc.RecordBatchFileWriter(sink, schema)

        def __enter__(self):
            return self

        def __exit__(self, *exception):
            self._writer.close()

        def write_table(self, table):
            raise OSError("no space left on device")

    monkeypatch.setattr(hot_file.pa.ipc, "new_file", Failing)

    engine = ColumnarEvents(parquet, columns_in_memory="now")

    # The columns are held all the same; only the next engine reads them again.
    assert engine._hold.wait(timeout=0) and engine._scan == hot.HOT_VIEW
    assert sorted(p.name for p in parquet.parent.iterdir()) == [parquet.name]
    monkeypatch.undo()
    assert not ColumnarEvents(parquet, columns_in_memory="now")._hold.mapped


def test_a_file_with_another_stamp_is_not_mapped(parquet):
    ColumnarEvents(parquet, columns_in_memory="now")
    stamp = hot_file.parquet_stamp(parquet, hot.HOT_LAYOUT)
    kept = hot_file.hot_file(parquet)

    assert hot_file.map_hot(kept, stamp) is not None
    assert hot_file.map_hot(kept, stamp.replace("arrow-1", "arrow-0")) is None
    assert hot_file.map_hot(parquet, stamp) is None  # not an IPC file at all
