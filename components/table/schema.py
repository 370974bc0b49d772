"""The canonical event table: its columns, their kinds, and the codes they use.

This module is the one place that names the columns of ``data/events.csv``. Importers,
the loader, the geocoder, the filters and the map all refer to these constants.
"""

from __future__ import annotations

EVENT_ID = "event_id"
DATE_START = "date_start"
DATE_END = "date_end"
DATE_PRECISION = "date_precision"
EVENT_TYPE = "event_type"
ACTOR1 = "actor1"
ACTOR2 = "actor2"
COUNTRY = "country"
ADMIN1 = "admin1"
LOCATION = "location"
LATITUDE = "latitude"
LONGITUDE = "longitude"
GEO_PRECISION = "geo_precision"
GEOCODER = "geocoder"
KILLED_MIN = "killed_min"
KILLED_MAX = "killed_max"
INJURED_MIN = "injured_min"
INJURED_MAX = "injured_max"
CIVILIANS_KILLED_MIN = "civilians_killed_min"
CIVILIANS_KILLED_MAX = "civilians_killed_max"
SOURCE_NAME = "source_name"
SOURCE_URL = "source_url"
SOURCE_DATE = "source_date"
SOURCE_LANGUAGE = "source_language"
SOURCE_TEXT = "source_text"
NOTES = "notes"
CONFIDENCE = "confidence"

# Added by the geocoder, not part of the interchange contract.
MATCHED_NAME = "matched_name"
# Added when the sources table is attached (components/table/sources.py).
SOURCE_COUNT = "source_count"

CANONICAL_COLUMNS: tuple[str, ...] = (
    EVENT_ID,
    DATE_START,
    DATE_END,
    DATE_PRECISION,
    EVENT_TYPE,
    ACTOR1,
    ACTOR2,
    COUNTRY,
    ADMIN1,
    LOCATION,
    LATITUDE,
    LONGITUDE,
    GEO_PRECISION,
    GEOCODER,
    KILLED_MIN,
    KILLED_MAX,
    INJURED_MIN,
    INJURED_MAX,
    CIVILIANS_KILLED_MIN,
    CIVILIANS_KILLED_MAX,
    SOURCE_NAME,
    SOURCE_URL,
    SOURCE_DATE,
    SOURCE_LANGUAGE,
    SOURCE_TEXT,
    NOTES,
    CONFIDENCE,
)

REQUIRED_COLUMNS: tuple[str, ...] = (EVENT_ID, DATE_START)

DATE_COLUMNS: tuple[str, ...] = (DATE_START, DATE_END)

# Each casualty figure is a (minimum, maximum) pair of whole numbers; empty = not reported.
CASUALTY_RANGES: dict[str, tuple[str, str]] = {
    "killed": (KILLED_MIN, KILLED_MAX),
    "injured": (INJURED_MIN, INJURED_MAX),
    "civilians killed": (CIVILIANS_KILLED_MIN, CIVILIANS_KILLED_MAX),
}
COUNT_COLUMNS: tuple[str, ...] = tuple(c for pair in CASUALTY_RANGES.values() for c in pair)

DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year")

# ACLED's geo_precision codes.
GEO_PRECISION_WORDS: dict[int, str] = {
    1: "the place itself",
    2: "near the place, or part of a region",
    3: "the centre of a region",
}

# How sure the event is, weakest first. The column is optional and free text: an empty cell is
# derived from the number of sources (components/table/sources.py), and a grade outside this list is
# kept as written and shown as is.
CONFIDENCE_GRADES: tuple[str, ...] = (
    "disputed",
    "single source",
    "several sources",
    "confirmed by the striking party",
)
CONFIDENCE_WORDS: dict[str, str] = {
    "disputed": "reports contradict each other, or a party denies the strike",
    "single source": "one report only",
    "several sources": "two or more independent reports",
    "confirmed by the striking party": "the party that struck says it did",
}

# The sources table (data/sources.csv beside the events file): more reports of an event, one
# row each, keyed by event_id. The event row's own source is its first source.
SOURCES_FILE_NAME = "sources.csv"
SOURCE_COLUMNS: tuple[str, ...] = (
    EVENT_ID,
    SOURCE_NAME,
    SOURCE_URL,
    SOURCE_DATE,
    SOURCE_LANGUAGE,
    SOURCE_TEXT,
    KILLED_MIN,
    KILLED_MAX,
    INJURED_MIN,
    INJURED_MAX,
    NOTES,
)
SOURCE_CASUALTY_RANGES: dict[str, tuple[str, str]] = {
    "killed": (KILLED_MIN, KILLED_MAX),
    "injured": (INJURED_MIN, INJURED_MAX),
}

# The event row's own figures, kept when the sources widen its ranges to span every report.
OWN_FIGURES: dict[str, str] = {
    column: f"{column}_own" for pair in SOURCE_CASUALTY_RANGES.values() for column in pair
}
# Columns Strikemap works out itself: a file's column of the same name is never read as one
# (it is renamed on read, with a note), and no file Strikemap writes carries them. Names that
# start with an underscore are reserved too (the reader's row numbers live in ``_row``).
INTERNAL_COLUMNS: tuple[str, ...] = (MATCHED_NAME, SOURCE_COUNT, *OWN_FIGURES.values())
RESERVED_PREFIX = "_"

# What a valid value may be. Dates outside this window are typos (1018 for 2018) and would not
# fit the timeline; a casualty figure above MAX_FIGURE is a slip of the keyboard, and keeping
# figures far below 2**53 keeps them exact wherever they become floating-point numbers.
EARLIEST_DATE = "1900-01-01"
LATEST_DATE = "2100-12-31"
MAX_FIGURE = 10_000_000

TEXT_COLUMNS: tuple[str, ...] = tuple(
    c
    for c in CANONICAL_COLUMNS
    if c not in DATE_COLUMNS + COUNT_COLUMNS + (LATITUDE, LONGITUDE, GEO_PRECISION)
)
