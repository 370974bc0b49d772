"""UCDP GED: the Georeferenced Event Dataset CSV (global or candidate release), one row per event.

Deaths are a range: ``low``/``high`` become ``killed_min``/``killed_max`` and ``best`` is kept
beside them as ``killed_best``. ``where_prec`` (1–7) becomes Strikemap's ``geo_precision`` (1–3)
by the rule in ``WHERE_PREC``; an event UCDP places only at country level keeps no coordinates,
because a country's centroid on the map would look like a place.
"""

from __future__ import annotations

import re

import pandas as pd

from components.formats import _tabular as t
from components.table import schema as s

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "WHERE_PREC", "looks_like", "read"]

NAME = "ucdp"
DESCRIPTION = "UCDP GED CSV (id, where_prec, date_prec, low/best/high …)"
DETECTED_BY = "header has `id`, `where_prec` and `date_prec`"

DATE_PREC = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}

# UCDP where_prec → (geo_precision, keep the coordinates?)
WHERE_PREC: dict[str, tuple[str, bool]] = {
    "1": ("1", True),  # the exact place
    "2": ("2", True),  # within about 25 km of a known point
    "3": ("3", True),  # only the second-order division (district) is known; its centroid
    "4": ("3", True),  # only the first-order division (province) is known; its centroid
    "5": ("3", True),  # a part of the country larger than a province, or a border or river
    "6": ("", False),  # only the country is known; its centroid is not a place
    "7": ("3", True),  # international waters or airspace; a point as close as UCDP can tell
}

TYPE_OF_VIOLENCE = {
    "1": "State-based conflict",
    "2": "Non-state conflict",
    "3": "One-sided violence",
}

KEPT_EXTRAS = {
    "best": "killed_best",
    "where_prec": "ucdp_where_prec",
    "where_description": "where_description",
    "adm_2": "adm_2",
    "conflict_name": "conflict_name",
    "dyad_name": "dyad_name",
    "source_original": "source_original",
}

MAPPING = (
    ("id", s.EVENT_ID, "as is"),
    (
        "date_start, date_end",
        f"{s.DATE_START}, {s.DATE_END}",
        "the date part (time of day dropped)",
    ),
    ("date_prec", s.DATE_PRECISION, "1 → `day`, 2 and 3 → `week`, 4 → `month`, 5 → `year`"),
    (
        "type_of_violence",
        s.EVENT_TYPE,
        "1 → `State-based conflict`, 2 → `Non-state conflict`, 3 → `One-sided violence`",
    ),
    ("side_a, side_b", f"{s.ACTOR1}, {s.ACTOR2}", "as is"),
    ("country, adm_1", f"{s.COUNTRY}, {s.ADMIN1}", "as is"),
    ("where_coordinates", s.LOCATION, "as is (UCDP's name of the place)"),
    (
        "latitude, longitude",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "as is, `geocoder` = `source`; left empty when `where_prec` is 6 (country only)",
    ),
    (
        "where_prec",
        s.GEO_PRECISION,
        "1 → 1 (the place); 2 → 2 (within ~25 km); 3 (district), 4 (province), "
        "5 (larger area, border, river), 7 (international waters or airspace) → 3; "
        "6 (country only) → empty, and no coordinates. Also kept as `ucdp_where_prec`",
    ),
    ("low, high", f"{s.KILLED_MIN}, {s.KILLED_MAX}", "as is: UCDP's low and high estimates"),
    ("best", "killed_best", "extra column: UCDP's best estimate"),
    (
        "deaths_civilians",
        f"{s.CIVILIANS_KILLED_MIN}, {s.CIVILIANS_KILLED_MAX}",
        "both, a single figure (part of `best`)",
    ),
    ("source_office", s.SOURCE_NAME, "as is"),
    ("source_date", s.SOURCE_DATE, "the first ISO date in the cell"),
    (
        "source_headline, source_article",
        s.SOURCE_TEXT,
        "headline, a blank line, then the article reference",
    ),
    (
        "where_description, adm_2, conflict_name, dyad_name, source_original",
        "same names",
        "extra columns",
    ),
    (
        "relid, year, active_year, code_status, `*_dset_id`, `*_new_id`, number_of_sources, "
        "geom_wkt, priogrid_gid, country_id, region, event_clarity, deaths_a, deaths_b, "
        "deaths_unknown, gwnoa, gwnob",
        "—",
        "dropped (`event_id` leads back to the UCDP record)",
    ),
)

_FIRST_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def looks_like(head: str, name: str) -> bool:
    """A GED file names id, where_prec and date_prec in its header."""
    return {"id", "where_prec", "date_prec"} <= set(t.header_names(head))


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn a UCDP GED CSV into canonical cells (strings); the gate checks them."""
    raw = t.read_with_header(t.decode(data), source, NAME)
    t.require_columns(raw, ("id", "date_start"), source, NAME)
    where_prec = t.cells(raw, "where_prec")
    coded = where_prec.map(lambda v: WHERE_PREC.get(v, (v, True)))
    keep_place = coded.map(lambda pair: pair[1])
    latitude = t.cells(raw, "latitude").where(keep_place, "")
    longitude = t.cells(raw, "longitude").where(keep_place, "")
    civilians = t.cells(raw, "deaths_civilians")
    columns = {
        s.EVENT_ID: t.cells(raw, "id"),
        s.DATE_START: t.iso_day(t.cells(raw, "date_start")),
        s.DATE_END: t.iso_day(t.cells(raw, "date_end")),
        s.DATE_PRECISION: t.recode(t.cells(raw, "date_prec"), DATE_PREC),
        s.EVENT_TYPE: t.recode(t.cells(raw, "type_of_violence"), TYPE_OF_VIOLENCE),
        s.ACTOR1: t.cells(raw, "side_a"),
        s.ACTOR2: t.cells(raw, "side_b"),
        s.COUNTRY: t.cells(raw, "country"),
        s.ADMIN1: t.cells(raw, "adm_1"),
        s.LOCATION: t.cells(raw, "where_coordinates"),
        s.LATITUDE: latitude,
        s.LONGITUDE: longitude,
        s.GEO_PRECISION: coded.map(lambda pair: pair[0]),
        s.GEOCODER: ((latitude != "") & (longitude != "")).map({True: "source", False: ""}),
        s.KILLED_MIN: t.cells(raw, "low"),
        s.KILLED_MAX: t.cells(raw, "high"),
        s.CIVILIANS_KILLED_MIN: civilians,
        s.CIVILIANS_KILLED_MAX: civilians,
        s.SOURCE_NAME: t.cells(raw, "source_office"),
        s.SOURCE_DATE: t.cells(raw, "source_date").map(_first_iso_date),
        s.SOURCE_TEXT: _source_text(raw),
        t.EXTRA: t.cells(raw, t.EXTRA),
    }
    for column, kept_as in KEPT_EXTRAS.items():
        if column in raw:
            columns[kept_as] = t.cells(raw, column)
    written = {
        column: t.as_written(raw[t.ROW], t.cells(raw, source_column), columns[column])
        for column, source_column in (
            (s.DATE_START, "date_start"),
            (s.DATE_END, "date_end"),
            (s.SOURCE_DATE, "source_date"),
        )
    }
    return t.RawEvents(t.canonical_frame(raw[t.ROW], columns), as_written=written)


def _source_text(raw: pd.DataFrame) -> pd.Series:
    headline, article = t.cells(raw, "source_headline"), t.cells(raw, "source_article")
    both = (headline != "") & (article != "")
    return (headline + both.map({True: "\n\n", False: ""}) + article).str.strip()


def _first_iso_date(value: str) -> str:
    """UCDP may list several dates (``2018-02-08;2018-02-09``); the first one is the report's."""
    match = _FIRST_ISO_DATE.search(value)
    return match.group(0) if match else value
