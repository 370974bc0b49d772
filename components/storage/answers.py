"""The last answers of a query engine whose table never changes, kept per question.

A rerun of the page asks again what the run before asked: a preset or a cell click runs the
page twice (the click, then the map's report of its new view), and both runs ask the same
filter's counts, table page and unplaced rows; a second browser asks what the first asked.
An engine over one immutable file (:class:`components.storage.duckdb_engine.ColumnarEvents`)
may answer those from memory. Bounded: a few dozen answers, none of more than a few thousand
rows; frames are handed out as copies, so a caller that changes one changes nobody else's.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["MAX_ROWS", "Answers", "KeptRows", "remembered"]

# Answers kept, and the most rows an answer kept may hold (a download's page is not kept),
# unless it holds only numbers in at most MAX_BYTES (grid cells, days).
KEPT = 32
MAX_ROWS = 5_000
MAX_BYTES = 2_000_000

T = TypeVar("T")


class Answers:
    """A small least-recently-used store of answers, safe across Streamlit's threads."""

    def __init__(self, kept: int = KEPT, max_rows: int = MAX_ROWS) -> None:
        self._kept, self._max_rows = kept, max_rows
        self._store: OrderedDict[object, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object, compute: Callable[[], T]) -> T:
        """The answer kept for ``key``, else ``compute()``'s (kept when small enough)."""
        with self._lock:
            known = self._store.get(key, _MISSING)
            if known is not _MISSING:
                self._store.move_to_end(key)
        if known is _MISSING:
            known = compute()
            if _small(known, self._max_rows):
                with self._lock:
                    self._store[key] = known
                    while len(self._store) > self._kept:
                        self._store.popitem(last=False)
        return _copy(known)

    def peek(self, key: object) -> object | None:
        """The answer kept for ``key`` as it is (not a copy), or None."""
        with self._lock:
            return self._store.get(key)

    def __len__(self) -> int:
        return len(self._store)


def remembered(method: Callable[..., T]) -> Callable[..., T]:
    """A method of an engine with an ``_answers`` store, answered from it per arguments."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (method.__name__, frozen(args), frozen(kwargs))
        return self._answers.get(key, lambda: method(self, *args, **kwargs))

    return wrapper


def frozen(value: object) -> object:
    """A hashable stand-in for an argument: lists, arrays and mappings as tuples."""
    if isinstance(value, np.ndarray):
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, Mapping):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    hash(value)  # an argument that cannot be a key says so here, not as a wrong answer
    return value


_MISSING = object()


def _small(answer: object, max_rows: int) -> bool:
    """Whether an answer is small enough to keep: few rows, or a few megabytes of numbers."""
    if isinstance(answer, np.ndarray):
        return answer.dtype != object and answer.nbytes <= MAX_BYTES
    if not isinstance(answer, pd.DataFrame) or len(answer) <= max_rows:
        return True
    numbers = not any(pd.api.types.is_object_dtype(dtype) for dtype in answer.dtypes)
    return numbers and int(answer.memory_usage(index=True).sum()) <= MAX_BYTES


def _copy(answer: T) -> T:
    if isinstance(answer, pd.DataFrame | np.ndarray):
        return answer.copy()
    return answer


class KeptRows:
    """Whole rows already read from the file, by row number (``_row``), the latest kept.

    A step of the date slider asks for rows it mostly read one step before (the unplaced
    events, the table's next page): only the rows not kept are read from the file, whose row
    groups each cost a read of every column however few of their rows are wanted.
    """

    def __init__(self, key: str, kept: int = 2 * MAX_ROWS) -> None:
        self._key, self._kept = key, kept
        self._rows: pd.DataFrame | None = None
        self._lock = threading.Lock()

    def missing(self, rows: list[int]) -> list[int]:
        """The rows of ``rows`` not kept."""
        with self._lock:
            if self._rows is None:
                return list(rows)
            return [r for r in rows if r not in self._rows.index]

    def add(self, frame: pd.DataFrame) -> None:
        """Keep rows just read (the newest win when more than the store holds)."""
        frame = frame.set_index(self._key, drop=False)
        with self._lock:
            if self._rows is not None and not self._rows.empty:
                older = self._rows[~self._rows.index.isin(frame.index)]
                frame = pd.concat([older, frame]) if not frame.empty else older
            self._rows = frame.iloc[-self._kept :]

    def take(self, rows: list[int]) -> pd.DataFrame:
        """The kept rows ``rows`` in their order (each must be kept: see :meth:`missing`)."""
        with self._lock:
            return self._rows.loc[rows].reset_index(drop=True)
