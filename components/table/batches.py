"""An events CSV read a batch of rows at a time, each batch through the one validation gate.

For tables too large to hold in pandas whole: Arrow's streaming CSV reader splits the file
(UTF-8, one delimiter, cells quoted the usual way) and each batch of rows is validated by
:func:`components.table.events.validate_events` with its rows numbered as in the whole file,
so a problem names the same row either way. A file this reader cannot split (another encoding,
rows of uneven width, odd quoting) raises :class:`NotStreamable`: the caller then reads it
whole with the strict reader, which explains every row it cannot use.
"""

from __future__ import annotations

import csv
import io
import os
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from components.table import dialect
from components.table.errors import shown_path
from components.table.events import LoadedEvents, validate_events
from components.table.rules import ROW

__all__ = ["BATCH_ROWS", "NotStreamable", "count_lines", "event_batches", "read_ahead"]

# Rows validated at a time: a batch of typed events takes a few hundred megabytes.
BATCH_ROWS = int(os.environ.get("STRIKEMAP_BATCH_ROWS", "250000"))
# Bytes Arrow parses at a time: blocks that stay in the processor's cache parse in half the
# CPU time of 16 MB ones (1M synthetic events: ~0.8 s instead of ~2 s).
_BLOCK_BYTES = 2 << 20
# Blocks of the file read ahead of the batch being validated (a batch is ~40 blocks): the
# next batch is parsed while this one is validated and placed.
_AHEAD_BLOCKS = 64
_COUNT_BYTES = 16 << 20
T = TypeVar("T")
_HEAD_BYTES = 1 << 20


class NotStreamable(Exception):
    """The file needs the strict whole-file reader."""


def count_lines(path: Path, limit: int | None = None) -> int:
    """Line ends in the file (an upper bound of its rows plus one), stopping past ``limit``."""
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_COUNT_BYTES):
            lines += chunk.count(b"\n")
            if limit is not None and lines > limit:
                break
    return lines


def event_batches(path: Path, rows: int = BATCH_ROWS) -> Iterator[LoadedEvents]:
    """The file's events, validated ``rows`` at a time; header notes come with the first."""
    path = Path(path)
    source = shown_path(path)
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if not head.strip() or b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotStreamable("empty, binary or UTF-16")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("utf-8-sig", errors="ignore")  # a cut multi-byte character at the end
    delimiter = dialect.sniff_delimiter(head)
    header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    if not header:
        raise NotStreamable("no header")
    keys = [f"c{i}" for i in range(len(header))]
    try:
        reader = pa_csv.open_csv(
            str(path),
            read_options=pa_csv.ReadOptions(
                column_names=keys, block_size=_BLOCK_BYTES, skip_rows=1, encoding="utf8"
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        yield from _validated(reader, header, keys, rows, source)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as error:
        raise NotStreamable(str(error)) from error


def _validated(
    reader, header: list[str], keys: list[str], rows: int, source: str
) -> Iterator[LoadedEvents]:
    """The batches, each validated on a thread of its own while the caller places the one
    before (one batch ahead: the work runs partly without Python's lock, so both cores work)."""
    yield from read_ahead(_validated_here(reader, header, keys, rows, source), 1)


def _validated_here(
    reader, header: list[str], keys: list[str], rows: int, source: str
) -> Iterator[LoadedEvents]:
    names = [h.strip().lstrip("\ufeff") for h in header]
    pending: list[pa.RecordBatch] = []
    pending_rows, first_row, first = 0, 2, True
    for batch in read_ahead(reader, _AHEAD_BLOCKS):
        pending.append(batch)
        pending_rows += batch.num_rows
        # A smaller first batch: placing and writing start sooner; the stages overlap after.
        if pending_rows < (max(rows // 4, 1) if first else rows):
            continue
        yield _batch(pending, names, keys, first_row, source, first)
        first_row += pending_rows
        pending, pending_rows, first = [], 0, False
    if pending or first:
        yield _batch(pending, names, keys, first_row, source, first)


def read_ahead(blocks: Iterable[T], most: int) -> Iterator[T]:
    """``blocks`` in order, taken on a second thread up to ``most`` ahead of the caller.

    Arrow parses the file without Python's lock, so the next blocks are read while this
    thread validates and places the rows before them. An error of the reader is raised here;
    a caller that stops early stops the reader too.
    """
    waiting: queue.Queue = queue.Queue(maxsize=most)
    stop = threading.Event()

    def hand_over(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for block in blocks:
                if not hand_over(block):
                    return
            hand_over(_END)
        except Exception as error:  # raised again on the caller's thread
            hand_over(_Failed(error))
        finally:
            # A generator left early stops its own read-ahead now, on this thread.
            close = getattr(blocks, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=read, name="csv-read-ahead", daemon=True)
    thread.start()
    try:
        while (item := waiting.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


_END = object()


@dataclass(frozen=True)
class _Failed:
    error: Exception


def _batch(
    batches: list[pa.RecordBatch],
    names: list[str],
    keys: list[str],
    first_row: int,
    source: str,
    first: bool,
) -> LoadedEvents:
    schema = pa.schema([(k, pa.string()) for k in keys])
    table = pa.Table.from_batches(batches, schema=schema)
    cells = table.to_pandas().set_axis(names, axis=1)
    del table
    cells.insert(0, ROW, np.arange(first_row, first_row + len(cells)))
    loaded = validate_events(cells, source=source)
    if not first:  # notes on the header come once, with the first batch
        loaded.problems = [p for p in loaded.problems if p.row != 1]
    return loaded
