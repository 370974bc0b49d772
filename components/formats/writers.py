"""Exporters: the (filtered) event table out as CSV or GeoJSON.

Both take the typed frame that ``events.validate_events`` returns (or any slice of it, such as
``filters.filter_events``' result) and return bytes; ``export_file`` writes them atomically.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from components.table import schema as s
from components.table.cells import cell_text, csv_text
from components.table.cells import json_value as _json_value
from components.table.errors import EventFileError, UnknownFormatError
from components.table.files import replace_atomically

__all__ = [
    "EXPORT_FORMATS",
    "csv_text",
    "export_file",
    "neutralise_formula",
    "to_csv",
    "to_geojson",
]

# Cells a spreadsheet would run as a formula (OWASP "CSV injection"), unless they are numbers.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def to_csv(events: pd.DataFrame, *, spreadsheet_safe: bool = True) -> bytes:
    """UTF-8 CSV with a header: canonical columns first, then extra ones; ISO dates.

    With ``spreadsheet_safe`` a cell that a spreadsheet would run as a formula (it begins with
    = + - @, a tab or a carriage return and is not a number) gets a leading apostrophe.
    """
    columns = _columns(events)
    events = events.reindex(columns=columns)
    guard: Callable[[str], str] = neutralise_formula if spreadsheet_safe else str
    cells = {c: [cell_text(v) for v in events[c]] for c in columns}
    rows = ([guard(cells[c][i]) for c in columns] for i in range(len(events)))
    return csv_text([[guard(c) for c in columns], *rows]).encode("utf-8")


def to_geojson(events: pd.DataFrame) -> bytes:
    """A GeoJSON FeatureCollection, one Point feature per event (null geometry when unplaced).

    Properties hold every column but the coordinates; numbers stay numbers and unknown is null.
    The result is valid UTF-8 JSON whatever the text holds, and the GeoJSON importer reads it
    back to the same events.
    """
    events = events.reindex(columns=_columns(events))
    columns = [c for c in events.columns if c not in (s.LATITUDE, s.LONGITUDE)]
    features = []
    for _, event in events.iterrows():
        latitude, longitude = _json_value(event[s.LATITUDE]), _json_value(event[s.LONGITUDE])
        geometry = (
            {"type": "Point", "coordinates": [longitude, latitude]}
            if latitude is not None and longitude is not None
            else None
        )
        properties = {c: _json_value(event[c]) for c in columns}
        features.append(
            {
                "type": "Feature",
                "id": properties.get(s.EVENT_ID),
                "geometry": geometry,
                "properties": properties,
            }
        )
    document = {"type": "FeatureCollection", "features": features}
    text = json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1)
    # A lone surrogate (from a mis-decoded file) cannot be UTF-8; it becomes "?".
    return text.encode("utf-8", errors="replace")


EXPORT_FORMATS: dict[str, Callable[[pd.DataFrame], bytes]] = {
    "csv": to_csv,
    "geojson": to_geojson,
}


def export_file(
    events: pd.DataFrame,
    path: str | os.PathLike[str],
    format: str,
    *,
    spreadsheet_safe: bool = True,
) -> Path:
    """Write the events to ``path`` as ``csv`` or ``geojson``, atomically; return the path."""
    if format not in EXPORT_FORMATS:
        raise UnknownFormatError(format, tuple(EXPORT_FORMATS), kind="export")
    data = (
        to_csv(events, spreadsheet_safe=spreadsheet_safe)
        if format == "csv"
        else EXPORT_FORMATS[format](events)
    )
    path = Path(path)
    try:
        replace_atomically(path, lambda temp: temp.write_bytes(data))
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise EventFileError(str(path), f"cannot be written ({reason})") from error
    return path


def neutralise_formula(cell: str) -> str:
    """``'=1+1`` for ``=1+1``; numbers such as ``-3.5`` and every other cell stay as they are."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def _columns(events: pd.DataFrame) -> list[str]:
    """The interchange columns: every canonical one (missing ones written empty), then the
    file's own extra ones; never a column Strikemap works out itself, so that the file opens
    again as an events file and a corrected figure in it is the one read."""
    extra = [
        c
        for c in events.columns
        if c not in s.CANONICAL_COLUMNS
        and c not in s.INTERNAL_COLUMNS
        and not str(c).startswith(s.RESERVED_PREFIX)
    ]
    return [*s.CANONICAL_COLUMNS, *extra]
