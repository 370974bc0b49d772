"""Strikemap's own event table, as spreadsheets save it.

Comma- or semicolon-delimited, UTF-8 with or without a byte-order mark, or Windows cp1252.
Spreadsheets set to a language with decimal commas write ``36,5`` for a coordinate; those
become ``36.5``. Every column is kept, the unknown ones as extra columns.
"""

from __future__ import annotations

import re

import pandas as pd

from components.formats import _tabular as t
from components.table import schema as s
from components.table.events import parse_csv_bytes

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "looks_like", "read"]

NAME = "canonical"
DESCRIPTION = "Strikemap's event table as CSV (comma or semicolon, UTF-8, UTF-8 with BOM, cp1252)"
DETECTED_BY = "header has `event_id` and `date_start`"

# Only the coordinates are decimal: casualty counts and codes are whole numbers, and a comma in
# a count ("1,234") is a thousands separator, which the gate rejects rather than guess.
DECIMAL_COLUMNS = (s.LATITUDE, s.LONGITUDE)
_DECIMAL_COMMA = re.compile(r"^\s*([+-]?\d+),(\d+)\s*$")

MAPPING = (
    ("every canonical column", "the same column", "as is"),
    (
        "latitude, longitude",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "a decimal comma (`36,5`) becomes a decimal point",
    ),
    ("other columns", "same names", "extra columns"),
)


def looks_like(head: str, name: str) -> bool:
    """The header names the two columns every event needs."""
    return {s.EVENT_ID, s.DATE_START} <= set(t.header_names(head))


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Split the CSV (the loader's own reader) and turn decimal commas into points."""
    frame = parse_csv_bytes(data, source)
    written = {}
    for column in DECIMAL_COLUMNS:
        if column in frame:
            before = frame[column].fillna("").astype(object)
            after = pd.Series(
                [_DECIMAL_COMMA.sub(r"\1.\2", str(v)) for v in before],
                index=frame.index,
                dtype=object,
            )
            frame[column] = after
            written[column] = t.as_written(frame[t.ROW], before, after)
    return t.RawEvents(frame, as_written=written)
