"""Bellingcat's civilian-harm incidents (the "Civilian Harm in Ukraine" export): a JSON array of
incidents, each with its date, coordinates as strings, a description, the sources it rests on
and filters such as the weapon system.

Every source becomes a source of the event: the first is the event row's own (``source_url``),
the others go to the sources table (``sources.csv``) beside the imported events. Bellingcat
reports no casualty figures, so those stay empty: unknown, never 0.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from components.formats import _tabular as t
from components.formats._dates import MONTH_FIRST, read_dates
from components.table import schema as s
from components.table.errors import ImportFileError
from components.table.events import Problem

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "looks_like", "read"]

NAME = "bellingcat"
DESCRIPTION = "Bellingcat civilian-harm JSON (id, date, latitude, longitude, sources, filters)"
DETECTED_BY = 'a JSON array whose items name `"sources"` and `"filters"`'

WEAPON = "weapon system"
AREA = "type of area affected"

MAPPING = (
    ("id", s.EVENT_ID, "as is (`CIV0098`)"),
    ("date", s.DATE_START, "`MM/DD/YYYY` (month first, as Bellingcat writes it) → ISO"),
    ("filters: Weapon System", s.EVENT_TYPE, "as is (`Cruise missile`, `Unknown`, …)"),
    ("filters: Type of area affected", "area_affected", "extra column"),
    ("location", s.LOCATION, "as is (often empty: the coordinates place the event)"),
    (
        "latitude, longitude",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "the strings as numbers, `geocoder` = `source`",
    ),
    ("description", s.SOURCE_TEXT, "as is"),
    (
        "sources[0].path",
        f"{s.SOURCE_URL}, {s.SOURCE_NAME}",
        "the first source is the event's own; `source_name` = the address's host",
    ),
    (
        "sources[1:]",
        "sources table",
        "one row each: `source_url` = path, `source_name` = host, `source_text` = description",
    ),
)


def looks_like(head: str, name: str) -> bool:
    """A JSON array of objects that carry sources and filters."""
    stripped = head.lstrip("\ufeff \t\r\n")
    return stripped.startswith("[") and '"sources"' in head and '"filters"' in head


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn the incidents into canonical cells, and their further sources into source rows."""
    try:
        document = json.loads(t.decode(data))
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            source,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            format_name=NAME,
        ) from exc
    if not isinstance(document, list):
        raise ImportFileError(source, "is JSON but not an array of incidents", format_name=NAME)
    rows, more, problems = [], [], []
    for number, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            shown = json.dumps(item, ensure_ascii=False)[:80]
            problems.append(Problem(source, number, None, shown, "an incident object"))
            continue
        row, extra_sources = _incident(item, number)
        rows.append(row)
        more += extra_sources
    frame = pd.DataFrame(rows, columns=[t.ROW, *_COLUMNS], dtype=object)
    frame[t.ROW] = frame[t.ROW].astype(int)
    notes = []
    frame[s.DATE_START], note = read_dates(frame["date"], "date", MONTH_FIRST)
    notes += [note] if note else []
    frame[s.GEOCODER] = t.where_both(frame[s.LATITUDE], frame[s.LONGITUDE])
    written = {s.DATE_START: t.as_written(frame[t.ROW], frame["date"], frame[s.DATE_START])}
    frame = frame.drop(columns=["date"])
    warnings = t.distinct_ids(frame, source)
    final_ids = dict(zip(frame[t.ROW], frame[s.EVENT_ID], strict=True))
    for entry in more:
        entry[s.EVENT_ID] = final_ids[entry.pop(t.ROW)]
    sources = pd.DataFrame(more, columns=list(s.SOURCE_COLUMNS), dtype=object).fillna("")
    return t.RawEvents(
        frame,
        problems=problems,
        as_written=written,
        notes=notes,
        warnings=warnings,
        sources=sources,
    )


_COLUMNS = (
    s.EVENT_ID,
    "date",
    s.EVENT_TYPE,
    "area_affected",
    s.LOCATION,
    s.LATITUDE,
    s.LONGITUDE,
    s.SOURCE_NAME,
    s.SOURCE_URL,
    s.SOURCE_TEXT,
)


def _incident(item: dict[str, Any], number: int) -> tuple[list[Any], list[dict[str, str]]]:
    filters = {
        _text(f.get("key")).lower(): _text(f.get("value"))
        for f in item.get("filters") or []
        if isinstance(f, dict)
    }
    sources = [x for x in item.get("sources") or [] if isinstance(x, dict)]
    first_url = _text(sources[0].get("path")) if sources else ""
    row = [
        number,
        _text(item.get("id")),
        _text(item.get("date")),
        filters.get(WEAPON, ""),
        filters.get(AREA, ""),
        _text(item.get("location")),
        _text(item.get("latitude")),
        _text(item.get("longitude")),
        _host(first_url),
        first_url,
        _text(item.get("description")),
    ]
    more = [
        {
            t.ROW: number,
            s.SOURCE_NAME: _host(_text(x.get("path"))),
            s.SOURCE_URL: _text(x.get("path")),
            s.SOURCE_TEXT: _text(x.get("description")),
        }
        for x in sources[1:]
    ]
    return row, more


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""
