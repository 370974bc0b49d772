"""Read the canonical events CSV and validate it: the one gate every row passes through.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first event row 2.
A row with any problem is reported and left out; the other rows load.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from components.table import schema as s
from components.table.errors import EventFileError
from components.table.files import read_limited

__all__ = [
    "LoadedEvents",
    "Problem",
    "decode_text",
    "empty_events",
    "printable",
    "read_events",
    "utf16_as_utf8",
    "validate_events",
]

MAX_FILE_BYTES = 512 * 1024 * 1024
_HEADER_PROBE_BYTES = 1 << 16
_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, when column is None)."""

    source: str
    row: int
    column: str | None
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{printable(self.source)}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{where}: {self.expected} (found {shown!r}); the row was left out"


@dataclass
class LoadedEvents:
    """The good rows of a file, and what was wrong with the others."""

    events: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})


def read_events(path: str | os.PathLike[str]) -> LoadedEvents:
    """Read a canonical events CSV; raise EventFileError when the file as a whole is unusable."""
    path = Path(path)
    source = str(path)
    data = read_limited(path, MAX_FILE_BYTES, EventFileError, "CSV file")
    return validate_events(parse_csv_bytes(data, source), source=source)


def parse_csv_bytes(data: bytes, source: str) -> pd.DataFrame:
    """Decode and split a CSV into a frame of strings, one column per header name."""
    data = utf16_as_utf8(data, source)
    if not data or data.isspace():
        raise EventFileError(source, "the file is empty; it needs a header row and event rows")
    if b"\x00" in data[:8192]:
        raise EventFileError(
            source, "looks like a binary file, not CSV text; save or export it as CSV (UTF-8)"
        )
    line_end = re.search(rb"[\r\n]", data)
    first_line = data[: line_end.start()] if line_end else data
    delimiter = ";" if first_line.count(b";") > first_line.count(b",") else ","
    frame = _parse_plain_csv(data, delimiter)
    if frame is not None:
        _check_header(list(frame.columns[1:-1]), source)
        return frame
    return _parse_any_csv(data, delimiter, source)


def validate_events(raw: pd.DataFrame, *, source: str) -> LoadedEvents:
    """Check every cell of a frame of strings and return typed good rows and the problems."""
    raw = raw.copy()
    if "_row" not in raw:
        raw.insert(0, "_row", np.arange(2, len(raw) + 2))
    for column in s.CANONICAL_COLUMNS:
        if column not in raw:
            raw[column] = ""
    raw = raw.fillna("")
    text = _StrippedColumns(raw)
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str | None, expected: str, values: pd.Series) -> None:
        for row, value in zip(raw.loc[mask, "_row"], values[mask], strict=True):
            problems.append(Problem(source, int(row), column, str(value), expected))

    if "_extra" in raw:
        extra = raw["_extra"].astype(str)
        flag(extra != "", None, "more cells than the header has columns", extra)

    event_id = text[s.EVENT_ID]
    flag(event_id == "", s.EVENT_ID, "every event needs an id", event_id)
    duplicate = (event_id != "") & event_id.duplicated(keep="first")
    flag(duplicate, s.EVENT_ID, "this id is already used by an earlier row", event_id)

    date_start, start_precision = _parse_dates(text[s.DATE_START])
    flag(
        date_start.isna(),
        s.DATE_START,
        "an ISO date like 2018-02-07 (or 2018-02, or 2018)",
        text[s.DATE_START],
    )
    date_end, _ = _parse_dates(text[s.DATE_END])
    bad_end = (text[s.DATE_END] != "") & date_end.isna()
    flag(bad_end, s.DATE_END, "an ISO date like 2018-02-08, or empty for one day", text[s.DATE_END])
    before = date_end.notna() & date_start.notna() & (date_end < date_start)
    flag(before, s.DATE_END, "date_end must not be before date_start", text[s.DATE_END])

    precision = text[s.DATE_PRECISION].str.lower()
    precision = precision.where(precision != "", start_precision)
    bad_precision = ~precision.isin(s.DATE_PRECISIONS)
    flag(bad_precision, s.DATE_PRECISION, f"one of {', '.join(s.DATE_PRECISIONS)}", precision)

    latitude = _parse_numbers(text[s.LATITUDE])
    longitude = _parse_numbers(text[s.LONGITUDE])
    for column, values, limit in ((s.LATITUDE, latitude, 90), (s.LONGITUDE, longitude, 180)):
        given = text[column] != ""
        bad = given & (values.isna() | (values.abs() > limit))
        flag(bad, column, f"decimal degrees between -{limit} and {limit}", text[column])
    for column, other in ((s.LATITUDE, s.LONGITUDE), (s.LONGITUDE, s.LATITUDE)):
        lacking = (text[column] == "") & (text[other] != "")
        expected = f"latitude and longitude both given, or both empty ({other} is given)"
        flag(lacking, column, expected, text[column])

    geo_precision = _parse_numbers(text[s.GEO_PRECISION])
    bad_geo = (text[s.GEO_PRECISION] != "") & ~geo_precision.isin(list(s.GEO_PRECISION_WORDS))
    flag(
        bad_geo,
        s.GEO_PRECISION,
        "1, 2 or 3 (ACLED geo_precision), or empty",
        text[s.GEO_PRECISION],
    )

    counts: dict[str, pd.Series] = {}
    for column in s.COUNT_COLUMNS:
        values = _parse_numbers(text[column])
        given = text[column] != ""
        bad = given & (values.isna() | (values < 0) | (values % 1 != 0))
        flag(bad, column, "a whole number of people, or empty when not reported", text[column])
        counts[column] = values
    for low, high in s.CASUALTY_RANGES.values():
        inverted = counts[low].notna() & counts[high].notna() & (counts[low] > counts[high])
        flag(inverted, high, f"{high} must not be below {low}", text[high])

    source_date, _ = _parse_dates(text[s.SOURCE_DATE])
    bad_source_date = (text[s.SOURCE_DATE] != "") & source_date.isna()
    flag(
        bad_source_date, s.SOURCE_DATE, "an ISO date like 2018-02-08, or empty", text[s.SOURCE_DATE]
    )

    events = raw.drop(columns=[c for c in ("_extra",) if c in raw])
    for column in s.TEXT_COLUMNS:
        events[column] = raw[column].astype(str)
    events[s.EVENT_ID] = event_id
    events[s.DATE_START] = date_start
    events[s.DATE_END] = date_end
    events[s.DATE_PRECISION] = precision
    events[s.LATITUDE] = latitude
    events[s.LONGITUDE] = longitude
    events[s.GEO_PRECISION] = geo_precision.astype("Int64")
    for column, values in counts.items():
        events[column] = values.round().astype("Int64")
    bad_rows = {p.row for p in problems}
    events = events[~events["_row"].isin(bad_rows)].reset_index(drop=True)
    problems.sort(key=lambda p: (p.row, p.column or ""))
    return LoadedEvents(events=_order_columns(events), problems=problems, source=source)


def empty_events() -> pd.DataFrame:
    """A typed frame with the canonical columns and no rows."""
    return validate_events(pd.DataFrame(columns=list(s.CANONICAL_COLUMNS)), source="").events


def utf16_as_utf8(data: bytes, source: str) -> bytes:
    """A file saved as UTF-16 with a byte-order mark (Excel's "Unicode text"), as UTF-8 bytes.

    Other bytes come back unchanged. Raises EventFileError when the mark is there but the rest
    is not UTF-16.
    """
    if not data.startswith(_UTF16_BOMS):
        return data
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeError as exc:
        raise EventFileError(
            source, "starts like UTF-16 text but is not; save or export it as CSV (UTF-8)"
        ) from exc


def printable(text: str) -> str:
    """``text`` with control and format characters (ANSI escapes, newlines, bidi overrides)
    shown as escapes, so that a message about hostile input stays one harmless line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else cp1252, else latin-1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV as cp1252; latin-1 never fails as a last resort.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    # Line ends are left to the csv reader, so a CR or CRLF inside a quoted cell stays as written.
    return text


def _parse_any_csv(data: bytes, delimiter: str, source: str) -> pd.DataFrame:
    """The strict, row-by-row reader: any encoding decode_text knows, ragged rows, odd quoting."""
    text = decode_text(data)
    # A report's text may be long; the csv module's default cell limit is 128 KiB.
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise EventFileError(
            source,
            f"is not readable as CSV near line {reader.line_num} ({exc}); "
            "check for a quote that is opened but never closed",
        ) from exc
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    _check_header(header, source)
    width = len(header)
    body = rows[1:]
    frame = pd.DataFrame(
        [row + [""] * (width - len(row)) if len(row) < width else row[:width] for row in body],
        columns=header,
        dtype=object,
    )
    frame.insert(0, "_row", np.arange(2, len(body) + 2))
    frame["_extra"] = [
        ",".join(row[width:]) if len(row) > width and any(row[width:]) else "" for row in body
    ]
    return frame


def _check_header(header: list[str], source: str) -> None:
    missing = [c for c in s.REQUIRED_COLUMNS if c not in header]
    if missing:
        raise EventFileError(
            source,
            f"the header has no {', '.join(missing)} column; the first row must name the "
            f"columns of the event table, e.g. {', '.join(s.CANONICAL_COLUMNS[:4])}, ...",
        )


def _parse_plain_csv(data: bytes, delimiter: str) -> pd.DataFrame | None:
    """The same frame as :func:`_parse_any_csv`, read by Arrow's multi-threaded parser.

    Only for UTF-8 files whose every row has the header's width and whose quotes are plainly
    placed (see :func:`_quoting_is_plain`): there both readers split cells alike. Anything
    else answers None, and the strict reader takes over with its own messages.
    """
    if b"\x00" in data:
        return None
    quoting = _plain_quoting(data, delimiter)
    if quoting is None:
        return None
    probe = data[:_HEADER_PROBE_BYTES].decode("utf-8-sig", errors="replace")
    header = next(csv.reader(io.StringIO(probe, newline=""), delimiter=delimiter), [])
    names = [h.strip().lstrip("\ufeff") for h in header]
    if not names or len(set(names)) != len(names):
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
    return pd.DataFrame(
        {
            "_row": np.arange(2, len(cells) + 2),
            # Columns outside the event table stay Python text, as the strict reader leaves them.
            **{c: cells[c] if c in canonical else cells[c].astype(object) for c in names},
            "_extra": "",
        },
        index=cells.index,
    )


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


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse YYYY-MM-DD, YYYY-MM or YYYY; also return the precision each form implies."""
    # Many rows share a date: parse each distinct text once.
    codes, distinct = pd.factorize(values)
    distinct = pd.Series(distinct, dtype="str")
    day = pd.to_datetime(distinct, format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(distinct.where(distinct.str.len() == 7), format="%Y-%m", errors="coerce")
    year = pd.to_datetime(distinct.where(distinct.str.len() == 4), format="%Y", errors="coerce")
    dates = day.fillna(month).fillna(year)
    precision = pd.Series("day", index=distinct.index, dtype=object)
    precision[day.isna() & month.notna()] = "month"
    precision[day.isna() & month.isna() & year.notna()] = "year"
    return _spread(dates, codes, values.index), _spread(precision, codes, values.index)


def _parse_numbers(values: pd.Series) -> pd.Series:
    given = values.where(values != "")
    try:
        # Arrow's parser reads plain decimal numbers and refuses anything else; then pandas decides.
        parsed = pa.array(given, type=pa.string(), from_pandas=True).cast(pa.float64())
        return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        codes, distinct = pd.factorize(given)
        numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
        return _spread(numbers.astype("float64"), codes, values.index)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Values per distinct text back to one per row; code -1 (a missing text) becomes missing."""
    spread = distinct.iloc[np.maximum(codes, 0)].where(pd.Series(codes >= 0).to_numpy())
    return pd.Series(spread.to_numpy(), index=index, dtype=distinct.dtype)


class _StrippedColumns(dict):
    """Each canonical column of ``raw`` as stripped text, worked out when first asked for."""

    def __init__(self, raw: pd.DataFrame) -> None:
        super().__init__()
        self.raw = raw

    def __missing__(self, column: str) -> pd.Series:
        self[column] = self.raw[column].astype(str).str.strip()
        return self[column]


def _order_columns(events: pd.DataFrame) -> pd.DataFrame:
    extra = [c for c in events.columns if c not in s.CANONICAL_COLUMNS and c != "_row"]
    return events[["_row", *s.CANONICAL_COLUMNS, *extra]]
