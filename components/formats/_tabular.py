"""Helpers the importers share: decoding text, splitting delimited rows, building the frame of
strings that ``events.validate_events`` checks.

Nothing here validates a value; that is the job of the one gate in ``components.table.events``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from components.table.errors import ImportFileError
from components.table.events import MAX_FILE_BYTES, Problem, decode_text, printable

ROW = "_row"
EXTRA = "_extra"

_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]*)?\s*$")


@dataclass(frozen=True)
class ImportOptions:
    """Choices an importer may honour. Only GDELT has one today: which CAMEO codes to keep.

    ``event_codes``: a row is kept when its CAMEO EventCode starts with one of these codes, so
    ``195`` keeps 195, 1951 and 1952.
    """

    event_codes: tuple[str, ...] = ("194", "195")


@dataclass(frozen=True)
class ImportProblem(Problem):
    """A Problem that also names the rejected row's id in the source, when it has one."""

    event_id: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        if not self.event_id:
            return text
        where = f"{printable(self.source)}, row {self.row}"
        return text.replace(where, f"{where} (id {printable(self.event_id)})", 1)


@dataclass
class RawEvents:
    """What an importer hands to the gate: canonical columns as strings, one ``_row`` each.

    ``problems`` are rows the importer could not even turn into cells (a GeoJSON feature that is
    not a point, a GDELT line with the wrong number of columns); ``skipped`` counts rows left
    out on purpose (GDELT events that are not strikes), with ``skipped_reason`` in words.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    skipped_reason: str = ""
    as_written: dict[str, dict[int, str]] = field(default_factory=dict)
    """For cells the importer rewrote (``36,5`` → ``36.5``, ``20180207`` → ``2018-02-07``):
    column → {row: the cell as the source wrote it}, so that a report shows the source's text."""


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, else cp1252,
    else latin-1; newlines as \\n."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    return decode_text(data).replace("\r\n", "\n").replace("\r", "\n")


def first_line_delimiter(text: str) -> str:
    """Tab, semicolon or comma: whichever the first line holds most of."""
    first = text.split("\n", 1)[0]
    return max(("\t", ";", ","), key=first.count) if any(d in first for d in "\t;,") else ","


def header_names(text: str) -> list[str]:
    """The first line's cells, lower-cased and stripped (for ``looks_like`` checks)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = first_line_delimiter(first)
    try:
        cells = next(csv.reader([first], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []
    return [c.strip().lower() for c in cells]


def read_with_header(text: str, source: str, format_name: str) -> pd.DataFrame:
    """Split delimited text with a header row into a frame of strings (header names lower-cased).

    Rows are numbered as a spreadsheet shows them (header = row 1). Cells beyond the header go
    to ``_extra`` so that the gate reports the row.
    """
    delimiter = first_line_delimiter(text)
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise ImportFileError(
            source,
            f"is not readable as CSV near line {reader.line_num} ({exc}); "
            "check for a quote that is opened but never closed",
            format_name=format_name,
        ) from exc
    if not rows:
        raise ImportFileError(source, "the file is empty", format_name=format_name)
    header = [h.strip().lstrip("\ufeff").lower() for h in rows[0]]
    width = len(header)
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    numbers = [i + 2 for i, row in enumerate(rows[1:]) if any(cell.strip() for cell in row)]
    frame = pd.DataFrame(
        [row + [""] * (width - len(row)) if len(row) < width else row[:width] for row in body],
        columns=header,
        dtype=object,
    )
    frame.insert(0, ROW, np.array(numbers, dtype=int))
    frame[EXTRA] = [
        ",".join(row[width:]) if len(row) > width and any(row[width:]) else "" for row in body
    ]
    return frame.reset_index(drop=True)


def require_columns(
    frame: pd.DataFrame, needed: Iterable[str], source: str, format_name: str
) -> None:
    """Raise ImportFileError naming the columns a format needs and the file lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportFileError(
            source,
            f"is read as {format_name} but has no {', '.join(missing)} column; "
            f"check the export, or choose another --format",
            format_name=format_name,
        )


def cells(frame: pd.DataFrame, column: str) -> pd.Series:
    """A source column as stripped strings; an absent column is all empty."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def recode(values: pd.Series, codes: Mapping[str, str]) -> pd.Series:
    """Replace known codes; unknown non-empty values pass through so the gate reports them."""
    return values.map(lambda v: codes.get(v, v))


def iso_day(values: pd.Series) -> pd.Series:
    """Keep the date of ``2018-02-07`` or ``2018-02-07 00:00:00.000``; others pass unchanged."""
    return values.map(lambda v: m.group(1) if (m := _ISO_DATE.match(v)) else v)


def canonical_frame(rows: pd.Series, columns: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Assemble the frame of strings for the gate: ``_row`` first, then the given columns.

    Cells stay plain Python strings (object dtype), as the canonical CSV reader makes them.
    """
    frame = pd.DataFrame({ROW: rows.to_numpy()}, index=rows.index)
    for name, values in columns.items():
        text = [str(v) if isinstance(v, str) or pd.notna(v) else "" for v in values]
        frame[name] = pd.Series(text, index=frame.index, dtype=object)
    return frame.reset_index(drop=True)


def as_written(rows: pd.Series, source: pd.Series, rewritten: pd.Series) -> dict[int, str]:
    """{row: source cell} wherever the importer's cell differs from the source's."""
    changed = source.to_numpy() != rewritten.to_numpy()
    return {
        int(row): str(cell)
        for row, cell, differs in zip(rows.to_numpy(), source.to_numpy(), changed, strict=True)
        if differs
    }
