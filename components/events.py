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

from components import schema as s
from components.errors import EventFileError
from components.files import read_limited

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
    if not data.strip():
        raise EventFileError(source, "the file is empty; it needs a header row and event rows")
    if b"\x00" in data[:8192]:
        raise EventFileError(
            source, "looks like a binary file, not CSV text; save or export it as CSV (UTF-8)"
        )
    text = decode_text(data)
    first_line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
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
    missing = [c for c in s.REQUIRED_COLUMNS if c not in header]
    if missing:
        raise EventFileError(
            source,
            f"the header has no {', '.join(missing)} column; the first row must name the "
            f"columns of the event table, e.g. {', '.join(s.CANONICAL_COLUMNS[:4])}, ...",
        )
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


def validate_events(raw: pd.DataFrame, *, source: str) -> LoadedEvents:
    """Check every cell of a frame of strings and return typed good rows and the problems."""
    raw = raw.copy()
    if "_row" not in raw:
        raw.insert(0, "_row", np.arange(2, len(raw) + 2))
    for column in s.CANONICAL_COLUMNS:
        if column not in raw:
            raw[column] = ""
    raw = raw.fillna("")
    text = {c: raw[c].astype(str).str.strip() for c in s.CANONICAL_COLUMNS}
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


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse YYYY-MM-DD, YYYY-MM or YYYY; also return the precision each form implies."""
    day = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(values.where(values.str.len() == 7), format="%Y-%m", errors="coerce")
    year = pd.to_datetime(values.where(values.str.len() == 4), format="%Y", errors="coerce")
    dates = day.fillna(month).fillna(year)
    precision = pd.Series("day", index=values.index, dtype=object)
    precision[day.isna() & month.notna()] = "month"
    precision[day.isna() & month.isna() & year.notna()] = "year"
    return dates, precision


def _parse_numbers(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.where(values != ""), errors="coerce").astype("float64")


def _order_columns(events: pd.DataFrame) -> pd.DataFrame:
    extra = [c for c in events.columns if c not in s.CANONICAL_COLUMNS and c != "_row"]
    return events[["_row", *s.CANONICAL_COLUMNS, *extra]]
