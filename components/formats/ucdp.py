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
from components.formats._dates import MONTH_FIRST, read_dates
from components.table import schema as s
from components.table.events import Problem

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "WHERE_PREC", "from_frame", "looks_like", "read"]

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
    "code_status": "code_status",
}

_PLACEHOLDER_YEAR = re.compile(r"^(1[0-8]\d\d)-\d\d-\d\d")

MAPPING = (
    ("id", s.EVENT_ID, "as is"),
    (
        "date_start, date_end",
        f"{s.DATE_START}, {s.DATE_END}",
        "the day (time of day dropped): ISO from the API, or the month-first dates with times "
        "of an Excel re-save (`1/22/2014 12:00:00 AM`, `05/02/2014 00:00`); the order is "
        "chosen per column and stated",
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
    (
        "low, high",
        f"{s.KILLED_MIN}, {s.KILLED_MAX}",
        "UCDP's low and high estimates. Where UCDP's high is below its low (or best lies "
        "outside them) the row is kept with the range that holds all three, and a warning "
        "names it",
    ),
    ("best", "killed_best", "extra column: UCDP's best estimate"),
    (
        "deaths_civilians",
        f"{s.CIVILIANS_KILLED_MIN}, {s.CIVILIANS_KILLED_MAX}",
        "both, a single figure (part of `best`)",
    ),
    ("source_office", s.SOURCE_NAME, "as is"),
    ("source_date", s.SOURCE_DATE, "the first date in the cell (`;` separates several)"),
    (
        "source_headline, source_article",
        s.SOURCE_TEXT,
        "headline, a blank line, then the article reference",
    ),
    (
        "where_description, adm_2, conflict_name, dyad_name, source_original, code_status",
        "same names",
        "extra columns (`code_status` marks candidate events: `Check deaths`, …)",
    ),
    (
        "relid, year, active_year, `*_dset_id`, `*_new_id`, number_of_sources, "
        "geom_wkt, priogrid_gid, country_id, region, event_clarity, deaths_a, deaths_b, "
        "deaths_unknown, gwnoa, gwnob",
        "—",
        "dropped (`event_id` leads back to the UCDP record)",
    ),
)


def looks_like(head: str, name: str) -> bool:
    """A GED file names id, where_prec and date_prec in its header."""
    return {"id", "where_prec", "date_prec"} <= set(t.header_names(head))


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn a UCDP GED CSV into canonical cells (strings); the gate checks them."""
    raw, table = t.read_with_header(data, source, NAME)
    t.require_columns(raw, ("id", "date_start"), source, NAME)
    return from_frame(raw, source, table.problems, table.notes)


def from_frame(
    raw: pd.DataFrame, source: str, problems: list | None = None, notes: list[str] | None = None
) -> t.RawEvents:
    """Canonical cells from UCDP GED's columns in a frame of strings (from a CSV, or from the
    properties of a GeoJSON)."""
    notes = list(notes or [])
    where_prec = t.cells(raw, "where_prec")
    keep_place = t.map_distinct(where_prec, lambda v: WHERE_PREC.get(v, (v, True))[1])
    keep_place = keep_place.astype(bool)
    geo_precision = t.map_distinct(where_prec, lambda v: WHERE_PREC.get(v, (v, True))[0])
    latitude = t.coordinate(raw, "latitude").where(keep_place, "")
    longitude = t.coordinate(raw, "longitude").where(keep_place, "")
    civilians = t.figure(raw, "deaths_civilians")
    dates = {}
    for column in ("date_start", "date_end", "source_date"):
        first = t.map_distinct(t.cells(raw, column), _first_date)
        dates[column], note = read_dates(first, column, MONTH_FIRST)
        notes += [note] if note else []
    low, high, warnings = _deaths(raw, source)
    columns = {
        s.EVENT_ID: _event_ids(raw, notes),
        s.DATE_START: dates["date_start"],
        s.DATE_END: dates["date_end"],
        s.DATE_PRECISION: t.recode(t.cells(raw, "date_prec"), DATE_PREC),
        s.EVENT_TYPE: t.recode(t.cells(raw, "type_of_violence"), TYPE_OF_VIOLENCE),
        s.ACTOR1: t.cells(raw, "side_a"),
        s.ACTOR2: t.cells(raw, "side_b"),
        s.COUNTRY: t.cells(raw, "country"),
        s.ADMIN1: t.cells(raw, "adm_1"),
        s.LOCATION: t.cells(raw, "where_coordinates"),
        s.LATITUDE: latitude,
        s.LONGITUDE: longitude,
        s.GEO_PRECISION: geo_precision,
        s.GEOCODER: t.where_both(latitude, longitude),
        s.KILLED_MIN: low,
        s.KILLED_MAX: high,
        s.CIVILIANS_KILLED_MIN: civilians,
        s.CIVILIANS_KILLED_MAX: civilians,
        s.SOURCE_NAME: t.cells(raw, "source_office"),
        s.SOURCE_DATE: dates["source_date"],
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
    return t.RawEvents(
        t.canonical_frame(raw[t.ROW], columns),
        problems=list(problems or []),
        as_written=written,
        notes=notes,
        warnings=warnings,
    )


def _deaths(raw: pd.DataFrame, source: str) -> tuple[pd.Series, pd.Series, list[Problem]]:
    """``low``/``high`` as the killed range. Where UCDP's own high is below its low (or best
    lies outside them), the range spans all three figures and a warning names the row."""
    figures = {c: t.figure(raw, c) for c in ("low", "best", "high")}
    numbers = {c: pd.to_numeric(v.where(v != ""), errors="coerce") for c, v in figures.items()}
    stacked = pd.concat(numbers, axis=1)
    outside = stacked.notna().all(axis=1) & (
        (stacked["high"] < stacked["low"])
        | (stacked["best"] < stacked["low"])
        | (stacked["best"] > stacked["high"])
    )
    low = figures["low"].where(~outside, stacked.min(axis=1).astype("Int64").astype(str))
    high = figures["high"].where(~outside, stacked.max(axis=1).astype("Int64").astype(str))
    ids = t.cells(raw, "id")
    warnings: list[Problem] = [
        t.ImportProblem(
            source,
            int(row),
            s.KILLED_MAX,
            f"low {figures['low'][i]}, best {figures['best'][i]}, high {figures['high'][i]} "
            f"→ killed {low[i]}–{high[i]}",
            "UCDP's figures out of order (high below low, or best outside them); kept with the "
            "killed range that holds all three",
            event_id=ids[i],
        )
        for i, row in zip(raw.index[outside], raw[t.ROW][outside], strict=True)
    ]
    return low, high, warnings


def _event_ids(raw: pd.DataFrame, notes: list[str]) -> pd.Series:
    """UCDP's id; a file that lost it (a third party's GeoJSON) gets ids made from each row's
    content, the same on every import."""
    ids = t.cells(raw, "id")
    if (ids != "").any():
        return ids
    notes.append("event_id: the file has no UCDP id; each row gets one made from its cells")
    return t.content_ids(raw, "ucdp")


def _first_date(cell: str) -> str:
    """UCDP may list several report dates (``2018-02-08;2018-02-09``): the first is the
    report's. A year before 1900 is a database's empty-date placeholder (SQL Server writes
    1753-01-01), not a report's date, and is passed over."""
    parts = [p.strip() for p in cell.split(";") if p.strip()]
    real = [p for p in parts if not _PLACEHOLDER_YEAR.match(p)]
    return real[0] if real else ""


def _source_text(raw: pd.DataFrame) -> pd.Series:
    headline, article = t.cells(raw, "source_headline"), t.cells(raw, "source_article")
    both = (headline != "") & (article != "")
    return (headline + both.map({True: "\n\n", False: ""}) + article).str.strip()
