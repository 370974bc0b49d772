"""The database back end's plumbing: COPY in and out, the change log, ids, places.

Every value travels as a bound parameter or inside COPY data; SQL text is built only from
this package's fixed names through ``psycopg.sql``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

from components.geo import overrides
from components.geo.gazetteer import default_gazetteer, normalize_name
from components.geo.overrides import Override
from components.storage import rows as r
from components.storage.base import MergeConflict
from components.table import schema as s
from components.table import sources as src
from components.table.errors import PlacesFileError
from components.table.events import printable, validate_events
from components.table.sources import LoadedSources

# Text columns: an empty CSV cell is "" there, not NULL.
EVENT_TEXT = (
    s.EVENT_ID,
    s.DATE_PRECISION,
    *r.EVENT_TEXT_COLUMNS,
    "extra",
    "place_geocoder",
    "matched_name",
    "location_key",
    "country_code",
    "shown_confidence",
)
SOURCE_TEXT = (s.EVENT_ID, *r.SOURCE_TEXT_COLUMNS, "extra")


def one(conn: psycopg.Connection, query: str, params: tuple = ()) -> object:
    return conn.execute(query, params).fetchone()[0]


def fetch_strings(
    conn: psycopg.Connection, select: sql.Composable, params: list, columns: list[str]
) -> pd.DataFrame:
    """The rows of ``select`` as a frame of strings, through COPY for speed.

    COPY takes no parameters, so the bound query is first run into a temporary table.
    """
    if params:
        conn.execute("DROP TABLE IF EXISTS strikemap_fetch")
        conn.execute(
            sql.SQL("CREATE TEMP TABLE strikemap_fetch ON COMMIT DROP AS {}").format(select),
            params,
        )
        select = sql.SQL("SELECT * FROM strikemap_fetch")
    chunks = []
    with conn.cursor() as cursor:
        copy = sql.SQL("COPY ({}) TO STDOUT (FORMAT csv)").format(select)
        with cursor.copy(copy) as stream:
            for chunk in stream:
                chunks.append(bytes(chunk))
    return r.read_copy_text(b"".join(chunks), columns)


def given(conn: psycopg.Connection, where: sql.Composable, params: list) -> pd.DataFrame:
    columns = [*r.GIVEN_COLUMNS, "extra"]
    select = sql.SQL("SELECT {}, extra FROM events WHERE {} ORDER BY seq").format(
        sql.SQL(", ").join(map(sql.Identifier, r.GIVEN_COLUMNS)), where
    )
    frame = r.with_extra_columns(fetch_strings(conn, select, params, columns))
    return validate_events(frame, source="the database").events


def source_frame(
    conn: psycopg.Connection, where: sql.Composable, params: list, what: str
) -> LoadedSources:
    columns = list(r.SOURCE_COPY_COLUMNS)
    select = sql.SQL("SELECT {} FROM sources WHERE {} ORDER BY seq").format(
        sql.SQL(", ").join(map(sql.Identifier, columns)), where
    )
    frame = r.with_extra_columns(fetch_strings(conn, select, params, columns))
    header = list(frame.columns)
    return src.validate_sources(header, frame.to_numpy(dtype=object).tolist(), what)


def copy_in(
    conn: psycopg.Connection, table: str, columns: tuple[str, ...], text: str, texts: tuple
) -> None:
    """COPY CSV text into ``table``; empty cells of text columns are "", of others NULL."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({}))").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, columns)),
        sql.SQL(", ").join(map(sql.Identifier, texts)),
    )
    with conn.cursor() as cursor, cursor.copy(statement) as stream:
        data = text.encode("utf-8", errors="replace")
        for start in range(0, len(data), 1 << 20):
            stream.write(data[start : start + (1 << 20)])


def free_id(conn: psycopg.Connection, wanted: str, taken_here: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3`` ... when taken (as the file store numbers them)."""
    taken = {
        row[0]
        for row in conn.execute(
            "SELECT event_id FROM events WHERE event_id >= %s AND event_id < %s",
            (wanted, wanted + "\U0010ffff"),
        )
    } | taken_here
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def refuse_if_changed(conn: psycopg.Connection, ids: list[str], seen: int) -> None:
    row = conn.execute(
        "SELECT event_id, who, at, action FROM changes WHERE change_id > %s AND "
        "(event_id = ANY(%s) OR event_id IS NULL) ORDER BY change_id LIMIT 1",
        (seen, ids),
    ).fetchone()
    if row is None:
        return
    event_id, who, at, action = row
    what = f"event {printable(event_id)!r}" if event_id else "the whole table"
    raise MergeConflict(
        f"{what} was changed ({action}) by {printable(who)} at {at:%Y-%m-%d %H:%M:%S %Z} "
        "after these events were shown; reload the page and choose again; nothing was merged"
    )


def record(conn: psycopg.Connection, event_id: str | None, action: str, who: str, detail) -> int:
    return conn.execute(
        "INSERT INTO changes (event_id, action, who, detail) VALUES (%s, %s, %s, %s) "
        "RETURNING change_id",
        (event_id, action, who, Jsonb(detail)),
    ).fetchone()[0]


def place_key(name: str, country: str) -> tuple[str, str]:
    if not country:
        return normalize_name(name), ""
    return normalize_name(name), default_gazetteer().country_code(country) or country.upper()


def upsert_place(
    conn: psycopg.Connection, place: Override, name_key: str, country_key: str, *, learned: bool
) -> None:
    conn.execute(
        "INSERT INTO places (name_key, country_key, name, country, latitude, longitude, "
        "geo_precision, note, place, learned) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
        "ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s) ON CONFLICT (name_key, country_key, learned) "
        "DO UPDATE SET name = EXCLUDED.name, country = EXCLUDED.country, latitude = "
        "EXCLUDED.latitude, longitude = EXCLUDED.longitude, geo_precision = "
        "EXCLUDED.geo_precision, note = EXCLUDED.note, place = EXCLUDED.place",
        (
            name_key,
            country_key,
            place.name,
            place.country,
            place.latitude,
            place.longitude,
            place.geo_precision,
            place.note,
            place.longitude,
            place.latitude,
            learned,
        ),
    )


def write_places(path: Path, places: list[Override]) -> None:
    """The hand places as a places file, for the geocoder (which reads that format)."""
    from components.formats.writers import csv_text

    lines = [overrides.PLACES_COLUMNS]
    lines += [
        [p.name, p.country, repr(p.latitude), repr(p.longitude), str(p.geo_precision), p.note]
        for p in places
    ]
    path.write_text(csv_text(lines), encoding="utf-8")


def country_codes(countries: pd.Series) -> dict[str, str]:
    distinct = [c for c in countries.unique() if isinstance(c, str) and c.strip()]
    if not distinct:
        return {}
    gazetteer = default_gazetteer()
    return {c: gazetteer.country_code(c) or c.strip().upper() for c in distinct}


def whole(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def detail_text(detail: object) -> str:
    """A change's detail in words (the values as recorded; the page escapes them)."""
    if not isinstance(detail, dict):
        return json.dumps(detail, ensure_ascii=False)
    if "row" in detail:
        row = detail["row"]
        parts = (row.get(s.DATE_START, ""), row.get(s.EVENT_TYPE, ""), row.get(s.LOCATION, ""))
        return " · ".join(str(p) for p in parts if p)
    if "merged" in detail:
        return "events " + ", ".join(map(str, detail["merged"]))
    if "into" in detail:
        return f"event {detail['into']}"
    if {"name", "latitude", "longitude"} <= detail.keys():
        where = ", ".join(str(detail[k]) for k in ("name", "country") if detail.get(k))
        note = f" ({detail['note']})" if detail.get("note") else ""
        return f"{where} at {detail['latitude']}, {detail['longitude']}{note}"
    if "file" in detail:
        return f"{detail['file']}, {detail.get('events', '?')} events"
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


def checked_place(
    name: str, country: str, latitude: float, longitude: float, precision: int, note: str
) -> Override:
    """The place as given, or PlacesFileError saying which value cannot be used."""
    where = "the database's places"
    if not normalize_name(name or ""):
        raise PlacesFileError(where, f"name: {name!r} is not a place name")
    for label, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        if not (isinstance(value, int | float) and math.isfinite(value) and abs(value) <= limit):
            raise PlacesFileError(
                where, f"{label}: {value!r} is not a number from -{limit} to {limit}"
            )
    if precision not in (1, 2, 3):
        raise PlacesFileError(where, f"geo_precision: {precision!r} is not 1, 2 or 3")
    return Override(name.strip(), (country or "").strip(), float(latitude), float(longitude),
                    int(precision), (note or "").strip())  # fmt: skip
