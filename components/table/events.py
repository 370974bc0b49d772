"""Read the canonical events CSV and validate it: the one gate every row passes through.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first event row 2.
A row with any problem is reported and left out; the other rows load. Reading is
:mod:`components.table.reader` (on :mod:`components.table.dialect`); the rules are
:mod:`components.table.rules`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from components.table import rules
from components.table import schema as s
from components.table.dialect import MAX_FILE_BYTES, decode_text, utf16_as_utf8
from components.table.errors import EventFileError, printable, shown_path
from components.table.files import read_limited
from components.table.reader import (
    HEADER_NOTES,
    UNREADABLE_ROWS,
    clean_header,
    parse_csv_bytes,
)
from components.table.rules import EXTRA, ROW, Problem

__all__ = [
    "MAX_FILE_BYTES",
    "LoadedEvents",
    "Problem",
    "decode_text",
    "parse_csv_bytes",
    "printable",
    "read_events",
    "utf16_as_utf8",
    "validate_events",
]


@dataclass
class LoadedEvents:
    """The good rows of a file, and what was wrong with the others."""

    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return rules.rejected_rows(self.problems)


def read_events(path: str | os.PathLike[str]) -> LoadedEvents:
    """Read a canonical events CSV; raise EventFileError when the file as a whole is unusable."""
    path = Path(path)
    source = shown_path(path)
    data = read_limited(path, MAX_FILE_BYTES, EventFileError, "CSV file")
    return validate_events(parse_csv_bytes(data, source), source=source)


def validate_events(raw: pd.DataFrame, *, source: str) -> LoadedEvents:
    """Check every cell of a frame of strings and return typed good rows and the problems.

    ``raw`` may carry ``_row`` (row numbers) and ``_extra`` (cells beyond the header) from a
    reader; any other column Strikemap works out itself is renamed, with a note, never trusted.
    """
    notes = list(raw.attrs.get(HEADER_NOTES, ()))
    columns = [str(c) for c in raw.columns]
    kept = [i for i, c in enumerate(columns) if c not in (ROW, EXTRA)]
    names, renamed = clean_header([columns[i] for i in kept])
    frame = raw.iloc[:, kept].set_axis(names, axis=1).copy()
    given_rows = raw.iloc[:, columns.index(ROW)].to_numpy() if ROW in columns else None
    frame.insert(0, ROW, np.arange(2, len(frame) + 2) if given_rows is None else given_rows)
    if EXTRA in columns:
        frame[EXTRA] = raw.iloc[:, columns.index(EXTRA)].to_numpy()
    for column in s.CANONICAL_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame = frame.fillna("")
    typed, problems = rules.check(frame, rules.EVENT_RULES, source)
    problems = _header_problems(notes + renamed, source) + problems
    problems += [
        Problem(
            source,
            row,
            None,
            printable(line[:80]),
            "a row the CSV reader can split: a quote opens a cell here and never closes; "
            'close it, double it ("") or remove it — the rows around it were read',
        )
        for row, line in raw.attrs.get(UNREADABLE_ROWS, ())
    ]

    events = frame.drop(columns=[EXTRA], errors="ignore")
    for column in s.TEXT_COLUMNS:
        events[column] = frame[column].astype(str)
    for column, values in typed.items():
        events[column] = values
    bad_rows = set(rules.rejected_rows(problems))
    if bad_rows:  # most files have none: no copy of every column then
        events = events[~events[ROW].isin(bad_rows)]
    events = events.reset_index(drop=True)
    return LoadedEvents(events=_order_columns(events), problems=problems, source=source)


def _header_problems(notes: list[tuple[str, str, str]], source: str) -> list[Problem]:
    """Row-1 notes: each renamed header name, in words."""
    return [
        Problem(source, 1, name, name, f"{why}; its cells were read as column {new!r}")
        for name, new, why in notes
    ]


def _order_columns(events: pd.DataFrame) -> pd.DataFrame:
    extra = [c for c in events.columns if c not in s.CANONICAL_COLUMNS and c != ROW]
    return events[[ROW, *s.CANONICAL_COLUMNS, *extra]]
