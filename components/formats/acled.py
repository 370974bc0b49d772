"""ACLED exports: the CSV that the ACLED Explorer and API write, one row per event.

All event types are kept (the dashboard filters them). ``fatalities`` is ACLED's most
conservative reported figure, so it becomes ``killed_min`` only; ``killed_max`` stays empty.
"""

from __future__ import annotations

import datetime as dt

from components.formats import _tabular as t
from components.table import schema as s

__all__ = ["DESCRIPTION", "KEPT_EXTRAS", "MAPPING", "NAME", "looks_like", "read"]

NAME = "acled"
DESCRIPTION = "ACLED export (CSV with event_id_cnty, event_date, sub_event_type, fatalities …)"
DETECTED_BY = "header has `event_id_cnty` and `event_date` (any letter case)"

TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}

# Forms of event_date seen in ACLED exports and in spreadsheets that re-saved them (day first).
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y", "%d-%m-%Y")

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
    ("event_id_cnty", s.EVENT_ID, "as is (e.g. `SYR12345`)"),
    (
        "event_date",
        s.DATE_START,
        "`2018-02-07`, `07 February 2018`, `7-Feb-2018` or `07/02/2018` (day first) → ISO",
    ),
    ("time_precision", s.DATE_PRECISION, "1 → `day`, 2 → `week`, 3 → `month`"),
    ("sub_event_type", s.EVENT_TYPE, "as is (`Air/drone strike`, …); every type is kept"),
    ("event_type", "acled_event_type", "extra column (ACLED's broad type, e.g. `Battles`)"),
    ("actor1, actor2", f"{s.ACTOR1}, {s.ACTOR2}", "as is"),
    ("assoc_actor_1, assoc_actor_2", "assoc_actor_1, assoc_actor_2", "extra columns"),
    ("country, admin1, location", f"{s.COUNTRY}, {s.ADMIN1}, {s.LOCATION}", "as is"),
    ("admin2, admin3, civilian_targeting", "same names", "extra columns"),
    ("latitude, longitude", f"{s.LATITUDE}, {s.LONGITUDE}", "as is; `geocoder` = `source`"),
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
    """An ACLED export names event_id_cnty and event_date in its header."""
    return {"event_id_cnty", "event_date"} <= set(t.header_names(head))


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn an ACLED CSV into canonical cells (strings); the gate checks them."""
    raw = t.read_with_header(t.decode(data), source, NAME)
    t.require_columns(raw, ("event_id_cnty", "event_date"), source, NAME)
    latitude, longitude = t.cells(raw, "latitude"), t.cells(raw, "longitude")
    event_date = t.cells(raw, "event_date")
    columns = {
        s.EVENT_ID: t.cells(raw, "event_id_cnty"),
        s.DATE_START: event_date.map(_iso_date),
        s.DATE_PRECISION: t.recode(t.cells(raw, "time_precision"), TIME_PRECISION),
        s.EVENT_TYPE: t.cells(raw, "sub_event_type"),
        s.ACTOR1: t.cells(raw, "actor1"),
        s.ACTOR2: t.cells(raw, "actor2"),
        s.COUNTRY: t.cells(raw, "country"),
        s.ADMIN1: t.cells(raw, "admin1"),
        s.LOCATION: t.cells(raw, "location"),
        s.LATITUDE: latitude,
        s.LONGITUDE: longitude,
        s.GEO_PRECISION: t.cells(raw, "geo_precision"),
        s.GEOCODER: ((latitude != "") & (longitude != "")).map({True: "source", False: ""}),
        s.KILLED_MIN: t.cells(raw, "fatalities"),
        s.SOURCE_NAME: t.cells(raw, "source"),
        s.SOURCE_TEXT: raw["notes"].fillna("") if "notes" in raw else t.cells(raw, "notes"),
        t.EXTRA: t.cells(raw, t.EXTRA),
    }
    for column, kept_as in KEPT_EXTRAS.items():
        if column in raw:
            columns[kept_as] = t.cells(raw, column)
    written = {s.DATE_START: t.as_written(raw[t.ROW], event_date, columns[s.DATE_START])}
    return t.RawEvents(t.canonical_frame(raw[t.ROW], columns), as_written=written)


def _iso_date(value: str) -> str:
    """The ISO form of an ACLED date; a value in no known form passes unchanged to the gate."""
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, form).date().isoformat()
        except ValueError:
            continue
    return value
