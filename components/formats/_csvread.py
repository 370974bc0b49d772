"""Split a delimited text file with a header row into a frame of strings, keeping every row that
can be read and naming the line of every row that cannot.

Decoding and the delimiter are ``components.table.dialect``'s, as for every table reader. Two
readers give the same frame: Arrow's parser for a clean UTF-8 file (fast: the ≥100k rows/s
of a plain ACLED export), and the csv module line by line for anything else, which reports a row
whose quotes never close and starts again on the next line, so the rows around it still load.
Backslash-escaped quotes (``\\"mostly fighters\\"``), which some tools write, are read as quotes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from components.table.dialect import decode_text, sniff_delimiter
from components.table.errors import ImportFileError
from components.table.events import Problem

ROW = "_row"
EXTRA = "_extra"


@dataclass
class Table:
    """The cells of a delimited file: ``frame`` (``_row``, the columns, ``_extra``), the rows
    that could not be split (``problems``), and what the reader chose (``notes``)."""

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def clean_header(names: list[str]) -> list[str]:
    """Header names lower-cased and stripped, with R's unnamed row-number column named
    ``_rownames`` and repeated names made unique (``name``, ``name_2``)."""
    seen: dict[str, int] = {}
    cleaned = []
    for i, name in enumerate(names):
        key = name.strip().lstrip("\ufeff").strip().strip('"').lower()
        if not key:
            key = "_rownames" if i == 0 else f"_unnamed_{i + 1}"
        seen[key] = seen.get(key, 0) + 1
        cleaned.append(key if seen[key] == 1 else f"{key}_{seen[key]}")
    return cleaned


def read_table(data: bytes, source: str, format_name: str, *, header: bool = True) -> Table:
    """The rows of a delimited file with (or, ``header=False``, without) a header row.

    Rows are numbered as a spreadsheet shows them (header = row 1). Raises ImportFileError, in
    one line, only when no row at all can be read.
    """
    notes = []
    # Tools that escape quotes with a backslash write \" inside quoted and unquoted cells alike;
    # the csv module reads both (and a doubled quote still) with the backslash as escape.
    escape = "\\" if b'\\"' in data else None
    if escape:
        notes.append('backslash-escaped quotes (\\") read as quotes')
    table = _arrow_table(data, header) if header and not escape else None
    if table is None:
        table = _python_table(decode_text(data), source, header, escape)
    table.notes[:0] = notes
    if table.frame.empty and table.problems:
        raise ImportFileError(
            source,
            f"is read as {format_name} but no row can be split into cells "
            f"(first unreadable: line {_line_of(table.problems[0])}); check the quotes, or "
            "choose another --format",
            format_name=format_name,
        )
    return table


def _line_of(problem: Problem) -> str:
    match = re.search(r"line (\d+)", problem.expected)
    return match.group(1) if match else str(problem.row)


def _arrow_table(data: bytes, header: bool) -> Table | None:
    """Arrow's reader, for a UTF-8 file where every row has the header's width; else None."""
    if b"\x00" in data or _odd_line_ends(data) or b"\n\n" in data.rstrip():
        return None  # lone carriage returns or blank lines: the row numbers would differ
    try:
        first = data[: data.find(b"\n") if b"\n" in data else len(data)].decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    delimiter = sniff_delimiter(first)
    names = next(csv.reader([first], delimiter=delimiter), [])
    if not names or not _plain_quotes(data, delimiter):
        return None
    bad_rows: list[int] = []
    keys = [f"c{i}" for i in range(len(names))]
    try:
        parsed = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(
                column_names=keys, skip_rows=1, block_size=1 << 22, encoding="utf8"
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                invalid_row_handler=lambda row: bad_rows.append(1) or "skip",
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()),
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if bad_rows:
        return None
    cells = parsed.combine_chunks().to_pandas()
    cells.columns = clean_header(names)
    frame = _numbered(cells, np.arange(2, len(cells) + 2))
    frame[EXTRA] = ""
    return Table(frame)


def _plain_quotes(data: bytes, delimiter: str) -> bool:
    """Whether every quote opens a cell, closes one, or is doubled inside one. Arrow's reader
    reads past a quote that never closes without a word; such a file goes to the csv module's
    reader, which names the row."""
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == ord('"'))
    if len(quotes) % 2:
        return False
    if not len(quotes):
        return True
    ends = np.array([ord(delimiter), ord("\n"), ord("\r")], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    doubled = np.zeros(len(opening), dtype=bool)
    doubled[1:] = opening[1:] == closing[:-1] + 1
    opens = (opening == 0) | np.isin(raw[np.maximum(opening - 1, 0)], ends) | doubled
    after = raw[np.minimum(closing + 1, len(raw) - 1)]
    closes = (closing == len(raw) - 1) | np.isin(after, ends) | (after == ord('"'))
    return bool(opens.all() and closes.all())


def _odd_line_ends(data: bytes) -> bool:
    """A carriage return that does not end a CRLF line, or a blank CRLF line."""
    if b"\r" not in data:
        return False
    return data.count(b"\r") != data.count(b"\r\n") or b"\n\r\n" in data.rstrip()


def _python_table(text: str, source: str, header: bool, escape: str | None = None) -> Table:
    """The csv module's reader, row by row; an unreadable row is reported and skipped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    delimiter = sniff_delimiter(lines[0].lstrip("\ufeff") if lines else "")
    records = _Restartable(lines, delimiter, escape)
    names: list[str] = []
    if header:
        for _, _, cells in records:
            names = cells
            break
    width = len(names) if header else 0
    rows, numbers, problems = [], [], []
    number = 1 if header else 0
    for line, span, cells in records:
        number += 1
        if cells is None:
            problems.append(_unreadable(source, number, line, lines[line - 1]))
            continue
        if not any(c.strip() for c in cells):
            continue
        if not header:
            width = width or len(cells)
        if span > 1 and len(cells) != width:
            problems.append(_unreadable(source, number, line, lines[line - 1]))
            records.send(line + 1)  # a quote that never closed swallowed the lines after it
            continue
        rows.append(cells)
        numbers.append(number)
    if not header:
        names = [f"c{i}" for i in range(width)]
    padded = [r + [""] * (width - len(r)) if len(r) < width else r[:width] for r in rows]
    cells = pd.DataFrame(padded, columns=clean_header(names) if header else names, dtype=object)
    frame = _numbered(cells, np.array(numbers, dtype=int))
    frame[EXTRA] = [delimiter.join(r[width:]) if any(r[width:]) else "" for r in rows]
    return Table(frame, problems=problems)


class _Restartable:
    """Records of ``lines`` as (line number, lines spanned, cells or None when unreadable).

    ``send(line)`` drops the record being read and starts again at that 1-based line.
    """

    def __init__(self, lines: list[str], delimiter: str, escape: str | None = None) -> None:
        self.lines, self.delimiter, self.escape = lines, delimiter, escape
        self._start(0)

    def _start(self, index: int) -> None:
        self.position = index
        self.reader = csv.reader(
            self._feed(index), delimiter=self.delimiter, escapechar=self.escape, strict=True
        )

    def _feed(self, index: int) -> Iterator[str]:
        for i in range(index, len(self.lines)):
            self.position = i + 1
            yield self.lines[i] + "\n"

    def __iter__(self) -> _Restartable:
        return self

    def __next__(self) -> tuple[int, int, list[str] | None]:
        start = self.position
        if start >= len(self.lines):
            raise StopIteration
        try:
            cells = next(self.reader)
        except StopIteration:
            raise
        except csv.Error:
            self._start(start + 1)
            return start + 1, 1, None
        return start + 1, self.position - start, cells

    def send(self, line: int) -> None:
        self._start(line - 1)


def _unreadable(source: str, number: int, line: int, text: str) -> Problem:
    return Problem(
        source,
        number,
        None,
        text,
        f"a row the CSV reader can split (line {line} of the file: a quote opened and never "
        "closed, or a stray character after a closing quote); the rows around it were read",
    )


def _numbered(cells: pd.DataFrame, numbers: np.ndarray) -> pd.DataFrame:
    frame = cells.reset_index(drop=True)
    frame.insert(0, ROW, numbers)
    return frame
