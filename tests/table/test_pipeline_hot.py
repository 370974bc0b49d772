"""A large file built into Parquet keeps the columns every view asks beside it, as they go by
(pipeline.load_columnar with storage.hot_columns.Collected): the first engine maps them instead
of reading them back, with the answers the Parquet file gives; never those of rows the build
then left out."""

from __future__ import annotations

import pyarrow as pa
import pytest

from components.storage import hot_columns as hot
from components.storage import hot_file
from components.storage.duckdb_engine import ColumnarEvents
from components.table import cache as event_cache
from components.table import sources as src
from tests.storage import queries_contract as contract
from tests.table.test_columnar_load import REPEATED, ROWS, _columnar


@pytest.fixture(autouse=True)
def batches_of_a_few_rows(monkeypatch):
    """Blocks of a few rows, so that batches of three rows are batches (a block is never split)."""
    from components.table import batches

    monkeypatch.setattr(batches, "_BLOCK_BYTES", 1024)


def engines(parquet):
    """The first engine over a built file, and one that reads every question from the file."""
    return ColumnarEvents(parquet, columns_in_memory="now"), ColumnarEvents(
        parquet, columns_in_memory="never"
    )


def test_a_build_keeps_the_hot_columns_and_the_first_engine_maps_them(write_events):
    built = _columnar(write_events(ROWS))

    assert hot_file.hot_file(built.parquet).exists()
    mapped, from_file = engines(built.parquet)
    assert mapped._hold.mapped
    contract.same_engine_answers(mapped, from_file)


def test_the_kept_columns_are_those_read_back_from_the_file(write_events):
    built = _columnar(write_events(ROWS))
    stamp = hot_file.parquet_stamp(built.parquet, hot.HOT_LAYOUT)

    kept = hot_file.map_hot(hot_file.hot_file(built.parquet), stamp)
    read = hot.read_hot(built.parquet)

    assert kept.schema == read.schema
    # Dictionaries may list their values in another order: compared as the values they stand for.
    for name in hot.HOT_COLUMNS:
        plain = kept.field(name).type
        if pa.types.is_dictionary(plain):
            plain = plain.value_type
        assert kept.column(name).cast(plain).equals(read.column(name).cast(plain)), name


def test_rows_left_out_after_the_build_are_not_in_the_kept_columns(write_events):
    # An id an earlier batch used: the written file is rewritten without that row.
    built = _columnar(write_events([*ROWS, REPEATED]))
    assert built.rejected_rows == [len(ROWS) + 2]

    first, from_file = engines(built.parquet)

    assert first.total() == from_file.total() == len(ROWS)
    contract.same_engine_answers(first, from_file)


def test_a_file_read_whole_keeps_its_hot_columns_too(tmp_path, write_events):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(write_events(ROWS).read_text(encoding="utf-8").encode("utf-16"))

    built = _columnar(utf16)

    mapped, from_file = engines(built.parquet)
    assert mapped._hold.mapped
    contract.same_engine_answers(mapped, from_file)


def test_a_build_that_fails_keeps_no_columns(write_events, monkeypatch):
    from components.table import pipeline

    def placed_badly(events, sources):
        raise RuntimeError("the placing step failed")

    monkeypatch.setattr(pipeline.src, "attach_sources", placed_badly)
    path = write_events(ROWS)
    with pytest.raises(RuntimeError, match="placing step"):
        pipeline.load_columnar(path, None, src.empty_sources(), batch_rows=3)

    parquet, _, _ = event_cache.columnar_paths(path)
    assert not parquet.exists() and not hot_file.hot_file(parquet).exists()
