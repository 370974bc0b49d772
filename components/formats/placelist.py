"""Place-only tables: a date and a named place per row, no coordinates, such as the strike
lines of the CENTCOM press releases (``date, country, location, number, description``).

The rows are placed later by the geocoder, from ``location`` and ``country``. A table gives no
ids, so each row gets one made from its cells, the same on every import of the file. A
country written as ``Unknown`` is left empty rather than looked up as a place.
"""

from __future__ import annotations

import pandas as pd

from components.formats import _tabular as t
from components.formats._dates import MONTH_FIRST, read_dates
from components.table import schema as s
from components.table.errors import ImportFileError

__all__ = ["DESCRIPTION", "MAPPING", "NAME", "looks_like", "read"]

NAME = "placelist"
DESCRIPTION = "Table of dated places without coordinates (e.g. CENTCOM strike releases)"
DETECTED_BY = (
    "header has a date column (`date`, `day`, …) and a place column (`location`, `place`, "
    "`city`, …), and no article text (news articles go to `python -m components code`)"
)

DATE_NAMES = ("date", "event_date", "day", "strike_date", "release_date", "incident_date")
PLACE_NAMES = ("location", "place", "city", "town", "village", "locality", "place_name")
# Columns of a news-article table: those rows are reports to code, not events.
ARTICLE_NAMES = frozenset({"article", "article_content", "article_text", "content", "body"})

# Columns that make a table another format's (ACLED's, UCDP's, Strikemap's own).
OTHER_FORMATS = frozenset({"event_id", "event_id_cnty", "sub_event_type", "where_prec", "inter1"})

COLUMNS = {
    s.COUNTRY: ("country",),
    s.ADMIN1: ("admin1", "province", "governorate", "region", "state"),
    s.EVENT_TYPE: ("event_type", "type", "strike_type"),
    s.ACTOR1: ("actor1", "actor", "striker", "belligerent"),
    s.SOURCE_TEXT: ("line", "description", "text", "notes"),
    s.SOURCE_NAME: ("source", "source_name"),
    s.SOURCE_URL: ("url", "source_url", "link"),
    s.LATITUDE: ("latitude", "lat"),
    s.LONGITUDE: ("longitude", "lon", "lng", "long"),
}

MAPPING = (
    (
        "date (or day, event_date, …)",
        s.DATE_START,
        "ISO, or numbers read month first unless the column shows otherwise (the choice is "
        "stated), or with a month name",
    ),
    ("location (or place, city, town, …)", s.LOCATION, "as is; the geocoder places it"),
    ("country", s.COUNTRY, "as is; `Unknown` → empty"),
    ("line (else description, text)", s.SOURCE_TEXT, "as is (the release's own sentence)"),
    ("number", "strike_count", "extra column (strikes in the line)"),
    ("other columns", "same names", "extra columns"),
    ("—", s.EVENT_ID, "`place-<hash of the row>`, the same on every import of the file"),
)


def looks_like(head: str, name: str) -> bool:
    """A date column and a place column, and no article text."""
    names = set(t.header_names(head))
    return (
        bool(names & set(DATE_NAMES))
        and bool(names & set(PLACE_NAMES))
        and not names & ARTICLE_NAMES
        and not names & OTHER_FORMATS
    )


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Turn the table's rows into canonical cells; the gate checks them."""
    raw, table = t.read_with_header(data, source, NAME)
    notes = list(table.notes)
    date_column = next((c for c in DATE_NAMES if c in raw), None)
    place_column = next((c for c in PLACE_NAMES if c in raw), None)
    if date_column is None or place_column is None:
        raise ImportFileError(
            source,
            f"is read as {NAME} but has no {'date' if date_column is None else 'place'} column "
            f"({', '.join(DATE_NAMES if date_column is None else PLACE_NAMES)}); "
            "check the header, or choose another --format",
            format_name=NAME,
        )
    date_start, note = read_dates(t.cells(raw, date_column), date_column, MONTH_FIRST)
    notes += [note] if note else []
    notes.append("event_id: each row gets one made from its cells (place-<hash>)")
    columns: dict[str, pd.Series] = {
        s.EVENT_ID: t.content_ids(raw, "place"),
        s.DATE_START: date_start,
        s.LOCATION: t.cells(raw, place_column),
    }
    used = {date_column, place_column}
    for canonical, names in COLUMNS.items():
        found = next((c for c in names if c in raw), None)
        if found:
            columns[canonical] = t.cells(raw, found)
            used.add(found)
    country = columns.get(s.COUNTRY)
    if country is not None:
        columns[s.COUNTRY] = country.where(~country.str.lower().isin(t.NOT_REPORTED), "")
    if s.LATITUDE in columns and s.LONGITUDE in columns:
        columns[s.GEOCODER] = t.where_both(columns[s.LATITUDE], columns[s.LONGITUDE])
    if "number" in raw:
        columns["strike_count"] = t.cells(raw, "number")
        used.add("number")
    for column in raw.columns:
        if column not in used and column not in (t.ROW, "_rownames") and column not in columns:
            columns[column] = raw[column].fillna("")
    written = {s.DATE_START: t.as_written(raw[t.ROW], t.cells(raw, date_column), date_start)}
    return t.RawEvents(
        t.canonical_frame(raw[t.ROW], columns),
        problems=table.problems,
        as_written=written,
        notes=notes,
    )
