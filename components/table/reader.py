"""An events CSV to a frame of strings, one column per header name: two engines, one result.

Arrow's multi-threaded parser reads plain UTF-8 files; the strict row-by-row reader takes
everything else (other encodings, ragged rows, odd quoting) with its own messages. Both decode
and sniff through :mod:`components.table.dialect`, and both clean the header the same way:
a repeated name or a name Strikemap keeps for itself is renamed, with a note (row 1), so that
no cell of a file is ever read as one of Strikemap's own columns.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from components.table import dialect
from components.table import schema as s
from components.table.errors import EventFileError
from components.table.rules import EXTRA, ROW

__all__ = ["HEADER_NOTES", "clean_header", "parse_csv_bytes"]

# frame.attrs key: the notes about renamed header names, as (column as written, new name, why).
HEADER_NOTES = "strikemap_header_notes"
_HEADER_PROBE_BYTES = 1 << 16
_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
UNREADABLE_ROWS = "unreadable_rows"
# A file with more rows whose quoting breaks than this is read no further.
MAX_UNREADABLE_ROWS = 100


def parse_csv_bytes(data: bytes, source: str) -> pd.DataFrame:
    """Decode and split a CSV into a frame of strings, one column per (cleaned) header name."""
    data = dialect.utf16_as_utf8(data, source)
    if not data or data.isspace():
        raise EventFileError(source, "the file is empty; it needs a header row and event rows")
    if b"\x00" in data[:8192]:
        raise EventFileError(
            source, "looks like a binary file, not CSV text; save or export it as CSV (UTF-8)"
        )
    delimiter = dialect.sniff_delimiter(data)
    frame = _parse_plain_csv(data, delimiter, source)
    if frame is None:
        frame = _parse_any_csv(data, delimiter, source)
    return frame


def clean_header(header: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Unique header names, none of them reserved; and a note for each name changed."""
    names: list[str] = []
    notes: list[tuple[str, str, str]] = []
    taken = set(header)
    for position, name in enumerate(header, start=1):
        if name.startswith(s.RESERVED_PREFIX) or name in s.INTERNAL_COLUMNS:
            why = "a name Strikemap keeps for a column it works out itself"
        elif name in names:
            why = "a name an earlier column already has"
        else:
            names.append(name)
            continue
        # Never a reserved name again: a leading underscore goes.
        new = f"{name.lstrip(s.RESERVED_PREFIX) or 'column'} (column {position})"
        while new in taken:
            new += "'"
        taken.add(new)
        names.append(new)
        notes.append((name, new, why))
    return names, notes


def _frame(names: list[str], notes: list, cells: dict, rows: int, extra, source: str):
    _check_header(names, source)
    frame = pd.DataFrame({ROW: np.arange(2, rows + 2), **cells, EXTRA: extra})
    frame.attrs[HEADER_NOTES] = notes
    return frame


def _check_header(header: list[str], source: str) -> None:
    missing = [c for c in s.REQUIRED_COLUMNS if c not in header]
    if missing:
        raise EventFileError(
            source,
            f"the header has no {', '.join(missing)} column; the first row must name the "
            f"columns of the event table, e.g. {', '.join(s.CANONICAL_COLUMNS[:4])}, ...",
        )


def _parse_any_csv(data: bytes, delimiter: str, source: str) -> pd.DataFrame:
    """The strict, row-by-row reader: any encoding the dialect knows, ragged rows, odd quoting.

    A row the reader cannot split (a quote opened and never closed) is left out and named;
    the rows around it load. Only a file with no readable row is refused.
    """
    text = dialect.decode_text(data)
    try:
        rows = list(enumerate(dialect.split_rows(text, delimiter, source), start=1))
        unreadable = []
    except EventFileError:
        rows, unreadable = _split_rows_around_breaks(text, delimiter)
        if len(rows) < 2:
            raise
    header = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
    names, notes = clean_header(header)
    width = len(names)
    body = [cells for _, cells in rows[1:]]
    padded = [row + [""] * (width - len(row)) if len(row) < width else row[:width] for row in body]
    table = pd.DataFrame(padded, columns=range(width), dtype=object)
    cells = {name: table[i] for i, name in enumerate(names)}
    extra = [delimiter.join(row[width:]) if any(row[width:]) else "" for row in body]
    frame = _frame(names, notes, cells, len(body), extra, source)
    if unreadable:
        frame[ROW] = [number for number, _ in rows[1:]]
        frame.attrs[UNREADABLE_ROWS] = unreadable
    return frame


def _split_rows_around_breaks(
    text: str, delimiter: str
) -> tuple[list[tuple[int, list[str]]], list[tuple[int, str]]]:
    """(row number, cells) of every readable row, and (row number, line) of those skipped.

    A row whose quoting breaks is skipped from its first line; reading resumes on the next.
    """
    lines = text.splitlines(keepends=True)
    rows: list[tuple[int, list[str]]] = []
    unreadable: list[tuple[int, str]] = []
    start = 0
    while start < len(lines) and len(unreadable) < MAX_UNREADABLE_ROWS:
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for cells in reader:
                consumed = reader.line_num
                rows.append((len(rows) + len(unreadable) + 1, cells))
            break
        except csv.Error:
            broken = start + consumed
            unreadable.append((len(rows) + len(unreadable) + 1, lines[broken].rstrip("\r\n")))
            start = broken + 1
    return rows, unreadable


def _parse_plain_csv(data: bytes, delimiter: str, source: str) -> pd.DataFrame | None:
    """The same frame as :func:`_parse_any_csv`, read by Arrow's multi-threaded parser.

    Only for UTF-8 files whose every row has the header's width and whose quotes are plainly
    placed (see :func:`_plain_quoting`): there both readers split cells alike. Anything
    else answers None, and the strict reader takes over with its own messages.
    """
    if b"\x00" in data:
        return None
    quoting = _plain_quoting(data, delimiter)
    if quoting is None:
        return None
    probe = data[:_HEADER_PROBE_BYTES].decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(probe, newline=""), delimiter=delimiter), [])
    names, notes = clean_header([h.strip().lstrip("\ufeff") for h in header])
    if not names:
        return None
    keys = [f"c{i}" for i in range(len(names))]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(column_names=keys, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=quoting.line_ends_in_cells,
                ignore_empty_lines=False,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_rows == 0 or [table.column(k)[0].as_py() for k in keys] != [
        h.lstrip("\ufeff") if i == 0 else h for i, h in enumerate(header)
    ]:
        return None
    # One chunk per column: selecting rows from many chunks costs more on every filter.
    cells = table.slice(1).rename_columns(names).combine_chunks().to_pandas()
    del table
    canonical = set(s.CANONICAL_COLUMNS)
    # Columns outside the event table stay Python text, as the strict reader leaves them.
    columns = {c: cells[c] if c in canonical else cells[c].astype(object) for c in names}
    frame = _frame(names, notes, columns, len(cells), "", source)
    frame.index = cells.index
    return frame


@dataclass(frozen=True)
class _Quoting:
    line_ends_in_cells: bool


def _plain_quoting(data: bytes, delimiter: str) -> _Quoting | None:
    """How ``data`` uses quotes, when each one opens a cell, closes one, or is doubled inside one.

    Counting quotes from the start, each even-numbered one must open a cell (follow a
    delimiter or a line end) or directly follow the one before it (a doubled quote); each
    odd-numbered one must be followed by a delimiter, a line end, the end of the file or
    another quote. Then the quoting is unambiguous and every CSV reader splits the cells
    alike. A quote elsewhere (``5" shell``, ``"a"b``) sends the file to the strict reader:
    the answer is None.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == _QUOTE)
    if len(quotes) % 2:
        return None
    opening, closing = quotes[0::2], quotes[1::2]
    cell_ends = np.array([ord(delimiter), _LF, _CR], dtype=np.uint8)
    before = raw[np.maximum(opening - 1, 0)]
    opens_cell = np.isin(before, cell_ends) | (opening == 0)
    doubled = np.zeros(len(opening), dtype=bool)
    doubled[1:] = opening[1:] == closing[:-1] + 1
    if not (opens_cell | doubled).all():
        return None
    after = raw[np.minimum(closing + 1, len(raw) - 1)]
    closes_cell = np.isin(after, cell_ends) | (after == _QUOTE) | (closing == len(raw) - 1)
    if not closes_cell.all():
        return None
    # A line end after an odd number of quotes is inside a quoted cell.
    line_ends = np.flatnonzero(raw == _LF)
    if b"\r" in data:
        line_ends = np.union1d(line_ends, np.flatnonzero(raw == _CR))
    inside = np.searchsorted(quotes, line_ends) % 2 == 1
    return _Quoting(line_ends_in_cells=bool(inside.any()))
