"""Reading ahead of the batches being validated (components/table/batches.py read_ahead): the
same blocks in the same order, the reader's error raised to the caller, and a caller that stops
early stops the reader."""

from __future__ import annotations

import threading

import pytest

from components.table.batches import read_ahead


def test_every_block_comes_in_order():
    assert list(read_ahead(iter(range(100)), most=3)) == list(range(100))


def test_the_readers_error_is_raised_after_the_blocks_before_it():
    def blocks():
        yield "a"
        yield "b"
        raise ValueError("row 7: a quote is never closed")

    got = []
    with pytest.raises(ValueError, match="never closed"):
        for block in read_ahead(blocks(), most=4):
            got.append(block)
    assert got == ["a", "b"]


def test_a_caller_that_stops_early_stops_the_reader():
    pulled = []

    def blocks():
        for i in range(1_000):
            pulled.append(i)
            yield i

    ahead = read_ahead(blocks(), most=2)
    assert next(ahead) == 0
    ahead.close()

    # At most the blocks the queue holds, one being handed over and the one taken were read.
    assert len(pulled) <= 5
    assert not any(t.name == "csv-read-ahead" for t in threading.enumerate())
