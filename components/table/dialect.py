"""Bytes to rows of cells: the one decoder and the one delimiter rule every table reader uses.

- Decoding: UTF-16 with a byte-order mark (Excel's "Unicode text") becomes UTF-8; then UTF-8
  (with or without a byte-order mark), else cp1252 (spreadsheets on Windows), else latin-1.
- Delimiter: whichever of comma, semicolon, tab and pipe the header line holds most of, outside
  quotes; a comma when it holds none (a one-column file) or on a tie.
- The csv module's cell limit is raised once, here, so that a long report text fits.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from components.table.errors import EventFileError

__all__ = [
    "DELIMITERS",
    "MAX_FILE_BYTES",
    "Rows",
    "decode",
    "decode_text",
    "header_line",
    "read_rows",
    "sniff_delimiter",
    "split_rows",
    "utf16_as_utf8",
]

MAX_FILE_BYTES = 512 * 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_QUOTED = re.compile(r'"[^"]*"')
_PROBE = 1 << 16

# A report's text may be long; the csv module's default cell limit is 128 KiB.
csv.field_size_limit(MAX_FILE_BYTES)

ErrorType = Callable[[str, str], Exception]


def utf16_as_utf8(data: bytes, source: str, error: ErrorType | None = None) -> bytes:
    """A file saved as UTF-16 with a byte-order mark, as UTF-8 bytes; other bytes unchanged.

    Raises ``error(source, reason)`` (EventFileError by default) when the mark is there but the
    rest is not UTF-16.
    """
    if not data.startswith(_UTF16_BOMS):
        return data
    try:
        return data.decode("utf-16").encode("utf-8")
    except UnicodeError as exc:
        raise _error(error)(
            source, "starts like UTF-16 text but is not; save or export it as CSV (UTF-8)"
        ) from exc


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else cp1252, else latin-1.

    Line ends are left to the csv reader, so a CR or CRLF inside a quoted cell stays as written.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save CSV as cp1252; latin-1 never fails as a last resort.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def decode(data: bytes, source: str, error: ErrorType | None = None) -> str:
    """Any encoding this module knows, to text (line ends as written)."""
    return decode_text(utf16_as_utf8(data, source, error))


def header_line(text: str) -> str:
    """The first line of ``text`` without a byte-order mark."""
    return re.split(r"[\r\n]", text.lstrip("\ufeff"), maxsplit=1)[0]


def sniff_delimiter(text: str | bytes) -> str:
    """The delimiter of a table whose text (or bytes) starts with its header line."""
    if isinstance(text, bytes):
        # Every delimiter is ASCII, so any ASCII-compatible encoding counts alike.
        text = text[:_PROBE].decode("utf-8", errors="replace")
    first = _QUOTED.sub("", header_line(text[:_PROBE]))
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie: comma
    return best if counts[best] else ","


def split_rows(text: str, delimiter: str, source: str, error: ErrorType | None = None):
    """Every row of ``text`` as a list of cells; ``error(source, reason)`` on broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise _error(error)(
            source,
            f"is not readable as CSV near line {reader.line_num} ({exc}); "
            "check for a quote that is opened but never closed",
        ) from exc


class Rows:
    """A table as written: header names (stripped), body rows, delimiter, byte-order mark."""

    def __init__(self, header: list[str], body: list[list[str]], delimiter: str, bom: bool):
        self.header = header
        self.body = body
        self.delimiter = delimiter
        self.bom = bom


def read_rows(data: bytes, source: str, error: ErrorType | None = None) -> Rows:
    """Decode, sniff and split ``data``; an empty file is a table with no header and no rows.

    Raises ``error(source, reason)`` for a binary file or broken quoting.
    """
    data = utf16_as_utf8(data, source, error)
    if b"\x00" in data[:8192]:
        raise _error(error)(
            source, "looks like a binary file, not CSV text; save or export it as CSV (UTF-8)"
        )
    bom = data.startswith(b"\xef\xbb\xbf")
    text = decode_text(data)
    if not text.strip():
        return Rows([], [], ",", bom)
    delimiter = sniff_delimiter(text)
    rows = split_rows(text, delimiter, source, error)
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    return Rows(header, rows[1:], delimiter, bom)


def _error(error: ErrorType | None) -> ErrorType:
    return EventFileError if error is None else error
