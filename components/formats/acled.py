"""ACLED exports, one row per event: the export tool's CSV, API pulls (also through R's
``write.csv``, with its unnamed row-number column), spreadsheet re-saves, the curated regional
files with UPPER-CASE names, and the column set from before 2019.

All event types are kept (the dashboard filters them). ``fatalities`` is ACLED's most
conservative reported figure, so it becomes ``killed_min`` only; ``killed_max`` stays empty.
"""

from __future__ import annotations

import pandas as pd

from components.formats import _tabular as t
from components.formats._dates import DAY_FIRST, read_dates
from components.table import schema as s

__all__ = [
    "DESCRIPTION",
    "KEPT_EXTRAS",
    "MAPPING",
    "NAME",
    "from_frame",
    "looks_like",
    "read",
]

NAME = "acled"
DESCRIPTION = "ACLED export (CSV with event_id_cnty, event_date, sub_event_type, fatalities …)"
DETECTED_BY = (
    "header has `event_date` and two of ACLED's own columns (`event_id_cnty`, `event_type`, "
    "`sub_event_type`, `actor1`, `inter1`, `interaction`, `fatalities`, …), any letter case"
)

TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}

# Columns only ACLED tables have; two of them beside event_date make a file ACLED's.
SIGNATURE = frozenset(
    {
        "event_id_cnty",
        "event_id_no_cnty",
        "sub_event_type",
        "event_type",
        "actor1",
        "assoc_actor_1",
        "inter1",
        "interaction",
        "fatalities",
        "geo_precision",
        "time_precision",
        "source_scale",
    }
)

# Source columns kept beside the canonical ones, under these names.
KEPT_EXTRAS = {
    "event_type": "acled_event_type",
    "assoc_actor_1": "assoc_actor_1",
    "assoc_actor_2": "assoc_actor_2",
    "admin2": "admin2",
    "admin3": "admin3",
    "civilian_targeting": "civilian_targeting",
}

# (source column, canonical column, rule) — the docs table is built from this.
MAPPING = (
    (
        "event_id_cnty",
        s.EVENT_ID,
        "as is (e.g. `SYR12345`); without it `data_id` or `id`; a file with no id at all "
        "(curated and R files) gets `acled-<hash of the row>`, the same on every import",
    ),
    (
        "event_date",
        s.DATE_START,
        "ISO, `9-May-20`, `05-Jan-22`, `31-12-19`, `01/02/2024 00:00:00`, "
        "`01-January-2015`, `07 February 2018` → ISO. Numbers are read day first, as ACLED "
        "writes them, unless the column shows otherwise; the choice and the century of "
        "two-digit years are stated in the import's notes",
    ),
    ("time_precision", s.DATE_PRECISION, "1 → `day`, 2 → `week`, 3 → `month`"),
    (
        "sub_event_type",
        s.EVENT_TYPE,
        "as is (`Air/drone strike`, …); every type is kept. Files from before 2019 have no "
        "sub-event types: there the broad `event_type` (`Remote violence`) is the event type",
    ),
    ("event_type", "acled_event_type", "extra column (ACLED's broad type, e.g. `Battles`)"),
    ("actor1, actor2", f"{s.ACTOR1}, {s.ACTOR2}", "as is"),
    ("assoc_actor_1, assoc_actor_2", "assoc_actor_1, assoc_actor_2", "extra columns"),
    ("country, admin1, location", f"{s.COUNTRY}, {s.ADMIN1}, {s.LOCATION}", "as is"),
    ("admin2, admin3, civilian_targeting", "same names", "extra columns"),
    (
        "latitude, longitude",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "as is; `geocoder` = `source`. A file without them (R and API subsets) leaves them "
        "empty: the geocoder places those rows from location, admin1 and country",
    ),
    ("geo_precision", s.GEO_PRECISION, "as is (ACLED's 1–3 are Strikemap's codes)"),
    (
        "fatalities",
        s.KILLED_MIN,
        "as is: `0` stays 0, empty stays empty; `killed_max` is left empty "
        "(ACLED codes the lowest reported figure)",
    ),
    ("source", s.SOURCE_NAME, "as is"),
    ("notes", s.SOURCE_TEXT, "as is (ACLED's description of the event)"),
    (
        "year, disorder_type, inter1, inter2, interaction, iso, region, source_scale, "
        "tags, timestamp",
        "—",
        "dropped (`event_id` leads back to the ACLED record)",
    ),
)


def looks_like(head: str, name: str) -> bool:
    """An ACLED table names event_date and two or more of ACLED's own columns, in any letter
    case (export tool, API, R, spreadsheet and curated files alike)."""
    names = set(t.header_names(head))
    return "event_date" in names and len(names & SIGNATURE) >= 2


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn an ACLED CSV into canonical cells (strings); the gate checks them."""
    raw, table = t.read_with_header(data, source, NAME)
    t.require_columns(raw, ("event_date",), source, NAME)
    return from_frame(raw, source, table.problems, table.notes)


def from_frame(
    raw: pd.DataFrame, source: str, problems: list | None = None, notes: list[str] | None = None
) -> t.RawEvents:
    """Canonical cells from ACLED's columns (lower-case names) in a frame of strings."""
    notes = list(notes or [])
    latitude, longitude = t.coordinate(raw, "latitude"), t.coordinate(raw, "longitude")
    event_date = t.cells(raw, "event_date")
    date_start, date_note = read_dates(event_date, "event_date", DAY_FIRST)
    if date_note:
        notes.append(date_note)
    broad, sub = t.cells(raw, "event_type"), t.cells(raw, "sub_event_type")
    columns = {
        s.EVENT_ID: _event_ids(raw, notes),
        s.DATE_START: date_start,
        s.DATE_PRECISION: t.recode(t.figure(raw, "time_precision"), TIME_PRECISION),
        # Before 2019 ACLED had no sub-event types: the broad type is the event type then.
        s.EVENT_TYPE: sub.where(sub != "", broad),
        s.ACTOR1: t.cells(raw, "actor1"),
        s.ACTOR2: t.cells(raw, "actor2"),
        s.COUNTRY: t.cells(raw, "country"),
        s.ADMIN1: t.cells(raw, "admin1"),
        s.LOCATION: t.cells(raw, "location"),
        s.LATITUDE: latitude,
        s.LONGITUDE: longitude,
        s.GEO_PRECISION: t.figure(raw, "geo_precision"),
        s.GEOCODER: t.where_both(latitude, longitude),
        s.KILLED_MIN: t.figure(raw, "fatalities"),
        s.SOURCE_NAME: t.cells(raw, "source"),
        s.SOURCE_TEXT: raw["notes"].fillna("") if "notes" in raw else t.cells(raw, "notes"),
        t.EXTRA: t.cells(raw, t.EXTRA),
    }
    for column, kept_as in KEPT_EXTRAS.items():
        if column in raw:
            columns[kept_as] = t.cells(raw, column)
    written = {s.DATE_START: t.as_written(raw[t.ROW], event_date, columns[s.DATE_START])}
    frame = t.canonical_frame(raw[t.ROW], columns)
    return t.RawEvents(frame, problems=list(problems or []), as_written=written, notes=notes)


def _event_ids(raw: pd.DataFrame, notes: list[str]) -> pd.Series:
    """ACLED's event id; else its data id (``data_id``, or ``id`` in re-exports); else an id
    made from the row's content, the same on every import of the file."""
    for column in ("event_id_cnty", "data_id", "id"):
        ids = t.cells(raw, column)
        if column in raw and (ids != "").any():
            if column != "event_id_cnty":
                notes.append(f"event_id: from {column} (the file has no event_id_cnty)")
            return ids
    notes.append(
        "event_id: the file has no ACLED id; each row gets one made from its cells "
        "(acled-<hash>), the same on every import of this file"
    )
    content = [c for c in raw.columns if c not in ("_rownames", "timestamp")]
    return t.content_ids(raw, "acled", content)
