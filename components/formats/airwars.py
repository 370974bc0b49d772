"""Airwars incident tables (as scraped from the incident pages): one row per alleged incident,
dated by the page's address (``october-7-2023``), with casualties as Airwars writes them.

Casualty cells are text: ``3``, a range ``1 – 2``, or ``Unknown``/``NA``. A range keeps both
ends; ``Unknown`` and ``NA`` are not reported, never 0. Airwars counts civilians, so the
civilians-killed range is also the lower bound of all killed. Airwars' grading becomes the
confidence grade its definition matches; the assessment is the event's source text.
"""

from __future__ import annotations

import pandas as pd

from components.formats import _tabular as t
from components.formats._dates import MONTH_FIRST, read_dates
from components.table import schema as s

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "looks_like", "read"]

NAME = "airwars"
DESCRIPTION = "Airwars incident table (CSV with incident id, date, grading, assessment …)"
DETECTED_BY = "header has a column named after Airwars (its grading or assessment) and a date"

# Airwars' civilian-harm grading → Strikemap's confidence grade, by Airwars' definitions.
GRADING = {
    "confirmed": "confirmed by the striking party",  # a belligerent accepted responsibility
    "fair": "several sources",  # two or more credible sources
    "weak": "single source",  # one source, or sources of little credibility
    "contested": "disputed",  # competing claims of responsibility
}

# Each canonical column and the Airwars columns that may hold it, first found wins.
COLUMNS = {
    s.EVENT_ID: ("incidence_id", "incident_id", "code", "id"),
    "date": ("incidence_date", "incident_date", "date"),
    s.EVENT_TYPE: ("strike type", "strike_type"),
    s.ACTOR1: ("known belligerent", "suspected belligerent", "suspected belligerents"),
    s.ACTOR2: ("known target", "suspected target"),
    s.COUNTRY: ("country",),
    s.LOCATION: ("location", "place"),
    s.LATITUDE: ("lat", "latitude"),
    s.LONGITUDE: ("long", "lon", "longitude"),
    s.SOURCE_URL: ("incidence_url", "incident_url", "url"),
    s.SOURCE_TEXT: ("airwars_assessment", "airwars assessment", "assessment"),
    "killed": ("civilians reported killed", "civilians_reported_killed"),
    "injured": ("civilians reported injured", "civilians_reported_injured"),
    "grading": ("airwars civilian harm grading", "airwars_civilian_harm_grading", "grading"),
}
KEPT_EXTRAS = (
    "strike status",
    "civilian infrastructure",
    "civilian_type",
    "cause of injury / death",
    "impact",
)

MAPPING = (
    ("Incidence_id", s.EVENT_ID, "as is"),
    ("Incidence_date", s.DATE_START, "`october-7-2023` (the page address's date) → ISO"),
    ("Strike type", s.EVENT_TYPE, "as is (`Airstrike`, `Artillery`, …)"),
    ("Known / Suspected belligerent", s.ACTOR1, "the known one, else the suspected one"),
    ("Known / Suspected target", s.ACTOR2, "the known one, else the suspected one"),
    ("lat, long", f"{s.LATITUDE}, {s.LONGITUDE}", "as is; `NA` → empty; `geocoder` = `source`"),
    (
        "Civilians reported killed",
        f"{s.CIVILIANS_KILLED_MIN}, {s.CIVILIANS_KILLED_MAX}, {s.KILLED_MIN}",
        "`3` → 3–3, `1 – 2` → 1–2, `Unknown`/`NA` → empty (never 0); the minimum is also "
        "`killed_min` (civilians are part of all killed)",
    ),
    ("Civilians reported injured", f"{s.INJURED_MIN}, {s.INJURED_MAX}", "as above"),
    (
        "Airwars civilian harm grading",
        s.CONFIDENCE,
        "Confirmed → `confirmed by the striking party`, Fair → `several sources`, Weak → "
        "`single source`, Contested → `disputed`; also kept as `airwars_grading`",
    ),
    ("Airwars_assessment", s.SOURCE_TEXT, "as is; `source_name` = `Airwars`"),
    ("Incidence_url", s.SOURCE_URL, "as is"),
    (
        "Strike status, Civilian infrastructure, Civilian_type, Cause of injury / death, Impact",
        "same names",
        "extra columns",
    ),
)


def looks_like(head: str, name: str) -> bool:
    """A table with a column named after Airwars and a date column."""
    names = t.header_names(head)
    return any("airwars" in n for n in names) and bool(set(names) & set(COLUMNS["date"]))


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn an Airwars table into canonical cells; the gate checks them."""
    raw, table = t.read_with_header(data, source, NAME)
    raw = raw.replace({c: {"NA": ""} for c in raw.columns if c != t.ROW})
    cell = {key: _first(raw, names) for key, names in COLUMNS.items()}
    notes = list(table.notes)
    date_start, note = read_dates(cell["date"], "date", MONTH_FIRST)
    notes += [note] if note else []
    civilians_min, civilians_max = t.figure_range(cell["killed"])
    injured_min, injured_max = t.figure_range(cell["injured"])
    grading = cell["grading"]
    ids = cell[s.EVENT_ID]
    if (ids == "").all():
        ids = t.content_ids(raw, "airwars")
    columns = {
        s.EVENT_ID: ids,
        s.DATE_START: date_start,
        s.EVENT_TYPE: cell[s.EVENT_TYPE],
        s.ACTOR1: cell[s.ACTOR1],
        s.ACTOR2: cell[s.ACTOR2],
        s.COUNTRY: cell[s.COUNTRY],
        s.LOCATION: cell[s.LOCATION],
        s.LATITUDE: cell[s.LATITUDE],
        s.LONGITUDE: cell[s.LONGITUDE],
        s.GEOCODER: t.where_both(cell[s.LATITUDE], cell[s.LONGITUDE]),
        s.CIVILIANS_KILLED_MIN: civilians_min,
        s.CIVILIANS_KILLED_MAX: civilians_max,
        s.KILLED_MIN: civilians_min,
        s.INJURED_MIN: injured_min,
        s.INJURED_MAX: injured_max,
        s.CONFIDENCE: grading.map(lambda g: GRADING.get(g.lower(), g)),
        "airwars_grading": grading,
        s.SOURCE_NAME: pd.Series("Airwars", index=raw.index),
        s.SOURCE_URL: cell[s.SOURCE_URL],
        s.SOURCE_TEXT: cell[s.SOURCE_TEXT],
        t.EXTRA: t.cells(raw, t.EXTRA),
    }
    for column in KEPT_EXTRAS:
        if column in raw:
            columns[column] = t.cells(raw, column)
    written = {
        s.DATE_START: t.as_written(raw[t.ROW], cell["date"], date_start),
        s.CIVILIANS_KILLED_MIN: t.as_written(raw[t.ROW], cell["killed"], civilians_min),
        s.INJURED_MIN: t.as_written(raw[t.ROW], cell["injured"], injured_min),
    }
    return t.RawEvents(
        t.canonical_frame(raw[t.ROW], columns),
        problems=table.problems,
        as_written=written,
        notes=notes,
    )


def _first(raw: pd.DataFrame, names: tuple[str, ...]) -> pd.Series:
    """Per row, the first non-empty cell of these columns."""
    found = pd.Series("", index=raw.index, dtype=object)
    for name in reversed(names):
        values = t.cells(raw, name)
        found = values.where(values != "", found)
    return found
