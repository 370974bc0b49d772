"""Writing the query engine's Parquet file (components/storage/parquet_events.py): batches are
written while the next is made, and a failure on either side leaves no file behind."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from components.storage import parquet_events
from components.storage.parquet_events import write_parquet
from tests.storage import queries_contract as contract


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return contract.synthetic_table()[0]


def test_every_batch_is_written_in_order(events, tmp_path):
    path = tmp_path / "events.parquet"

    written = write_parquet((events.iloc[i : i + 50] for i in range(0, len(events), 50)), path)

    assert written == len(events)
    assert pq.read_table(path, columns=["event_id"])["event_id"].to_pylist() == (
        events["event_id"].tolist()
    )


def test_a_batch_that_cannot_be_made_leaves_no_file(events, tmp_path):
    path = tmp_path / "events.parquet"

    def batches():
        yield events.iloc[:50]
        raise ValueError("the reader failed on the second batch")

    with pytest.raises(ValueError, match="second batch"):
        write_parquet(batches(), path)
    assert list(tmp_path.iterdir()) == []


def test_a_batch_that_cannot_be_written_stops_the_rest_and_leaves_no_file(
    events, tmp_path, monkeypatch
):
    path = tmp_path / "events.parquet"
    made, converted = [], []
    real = parquet_events.columnar_rows

    def failing(batch):
        converted.append(len(batch))
        if len(converted) == 2:  # the second batch written
            raise OSError("disk full")
        return real(batch)

    def batches():
        for i in range(0, len(events), 50):
            made.append(i)
            yield events.iloc[i : i + 50]

    monkeypatch.setattr(parquet_events, "columnar_rows", failing)
    with pytest.raises(OSError, match="disk full"):
        write_parquet(batches(), path)
    assert list(tmp_path.iterdir()) == []
    # The error is raised at the next batch (or at the end), not after reading every batch.
    assert len(made) <= 4
