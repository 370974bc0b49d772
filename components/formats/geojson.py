"""GeoJSON: a FeatureCollection (RFC 7946) of Point features whose properties are the
canonical columns. Strikemap's own GeoJSON export reads back through this importer unchanged.

Rows are numbered by feature: the first feature is row 1. A feature whose geometry is not a
Point (a line, a polygon) is reported and left out; a feature with a null geometry is an event
not yet placed. Properties that are not canonical columns are kept as extra columns.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import pandas as pd

from components.formats import _tabular as t
from components.formats import acled, ucdp
from components.table import schema as s
from components.table.errors import ImportFileError
from components.table.events import Problem

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "looks_like", "read"]

NAME = "geojson"
# Property names kept as columns, at most; the rest go to one JSON text column.
MAX_COLUMNS = 200
OTHER_PROPERTIES = "other_properties"
DESCRIPTION = "GeoJSON FeatureCollection of points with the event columns as properties"
DETECTED_BY = "starts with `{` and names a `FeatureCollection` or `Feature`"

MAPPING = (
    (
        "geometry (Point)",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "`[longitude, latitude]`; a null geometry leaves both empty (properties `latitude`/"
        "`longitude` are used then, if given); any other geometry type rejects the feature",
    ),
    ("`properties.<column>`", "`<column>`", "every canonical column by its own name"),
    ("feature `id`", s.EVENT_ID, "used when the properties have no `event_id`"),
    (
        "other properties",
        "same names",
        "extra columns; objects and lists are kept as JSON text",
    ),
)


def looks_like(head: str, name: str) -> bool:
    """A JSON object that names a FeatureCollection or a Feature."""
    stripped = head.lstrip("\ufeff \t\n")
    return stripped.startswith("{") and ('"FeatureCollection"' in head or '"Feature"' in head)


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn the features into canonical cells (strings); the gate checks them."""
    try:
        document = json.loads(t.decode(data))
        features = _features(document, source)
        rows: list[dict[str, str]] = []
        problems: list[Problem] = []
        for number, feature in enumerate(features, start=1):
            row, problem = _feature_row(feature, number, source)
            if problem:
                problems.append(problem)
            else:
                rows.append(row)
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            source,
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            format_name=NAME,
        ) from exc
    except RecursionError as exc:
        raise ImportFileError(
            source,
            "nests objects or lists deeper than can be read; a GeoJSON of events is a few "
            "levels deep (FeatureCollection → Feature → properties)",
            format_name=NAME,
        ) from exc
    rows, folded = _bounded_columns(rows)
    frame = pd.DataFrame(rows, dtype=object).fillna("")
    if frame.empty:
        frame = pd.DataFrame({t.ROW: pd.Series(dtype=int)})
    frame[t.ROW] = frame[t.ROW].astype(int)
    producer = _producer(frame)
    if producer is not None:
        # A third party's GeoJSON of UCDP or ACLED events: their columns, read as their CSV.
        frame.columns = [c if c == t.ROW else c.strip().lower() for c in frame.columns]
        frame[t.EXTRA] = ""
        notes = [f"properties read as {producer.NAME} columns"]
        return producer.from_frame(frame, source, problems, notes)
    notes = []
    if folded:
        notes.append(
            f"{folded:,} rarely used property names kept together as JSON text in the "
            f"'{OTHER_PROPERTIES}' column"
        )
    if s.EVENT_ID not in frame or (frame[s.EVENT_ID] == "").all():
        frame[s.EVENT_ID] = t.content_ids(frame, "geojson")
        notes.append("event_id: no feature has an id; each gets one made from its content")
    return t.RawEvents(frame, problems=problems, notes=notes)


def _bounded_columns(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], int]:
    """Rows whose property names make at most MAX_COLUMNS columns; the number of names folded.

    Features whose properties all differ would otherwise make a table of rows × names cells
    (10,000 features → 100 million cells): the names that few features use are kept, per
    row, as one JSON text column instead.
    """
    counts: Counter[str] = Counter(name for row in rows for name in row)
    if len(counts) <= MAX_COLUMNS:
        return rows, 0
    canonical = set(s.CANONICAL_COLUMNS) | {t.ROW}
    common = [name for name, _ in counts.most_common() if name not in canonical]
    kept = canonical | set(common[: MAX_COLUMNS - len(canonical & set(counts))])
    bounded = []
    for row in rows:
        other = {name: value for name, value in row.items() if name not in kept}
        row = {name: value for name, value in row.items() if name in kept}
        if other:
            row[OTHER_PROPERTIES] = json.dumps(other, ensure_ascii=False)
        bounded.append(row)
    return bounded, len(counts) - len(kept & set(counts))


def _producer(frame: pd.DataFrame):
    """The ucdp or acled module when the properties are that producer's columns, else None."""
    names = {str(c).strip().lower() for c in frame.columns}
    if s.EVENT_ID in names and s.DATE_START in names:
        return None
    if {"where_prec", "date_prec"} <= names or {"date_start", "low", "best", "high"} <= names:
        return ucdp
    if "event_date" in names and len(names & acled.SIGNATURE) >= 2:
        return acled
    return None


def _features(document: Any, source: str) -> list[Any]:
    kind = document.get("type") if isinstance(document, dict) else None
    if kind == "FeatureCollection" and isinstance(document.get("features"), list):
        return document["features"]
    if kind == "Feature":
        return [document]
    raise ImportFileError(
        source,
        "is JSON but not a GeoJSON FeatureCollection; expected "
        '{"type": "FeatureCollection", "features": [...]}',
        format_name=NAME,
    )


def _feature_row(feature: Any, number: int, source: str) -> tuple[dict[str, str], Problem | None]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        shown = json.dumps(feature, ensure_ascii=False)[:80]
        return {}, Problem(source, number, None, shown, 'a GeoJSON object with "type": "Feature"')
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        shown = json.dumps(properties, ensure_ascii=False)[:80]
        return {}, Problem(source, number, "properties", shown, "an object of event columns")
    row = {str(key): _cell(value) for key, value in properties.items()}
    row.pop(t.ROW, None)
    if not row.get(s.EVENT_ID) and feature.get("id") is not None:
        row[s.EVENT_ID] = _cell(feature["id"])
    geometry = feature.get("geometry")
    if geometry is not None:
        coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        if kind != "Point" or not _is_position(coordinates):
            shown = str(kind) if kind != "Point" else json.dumps(coordinates)[:80]
            return {}, t.ImportProblem(
                source,
                number,
                "geometry",
                shown,
                "a Point geometry with [longitude, latitude], or null for an event not yet placed",
                event_id=row.get(s.EVENT_ID, ""),
            )
        row[s.LONGITUDE], row[s.LATITUDE] = _cell(coordinates[0]), _cell(coordinates[1])
    row[t.ROW] = str(number)
    return row, None


def _is_position(coordinates: Any) -> bool:
    return (
        isinstance(coordinates, list)
        and len(coordinates) >= 2
        and all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in coordinates[:2]
        )
    )


def _cell(value: Any) -> str:
    """A property value as the text a CSV cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
