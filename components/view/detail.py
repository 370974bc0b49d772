"""What the detail panel says about one event, as plain text (the page shows it unparsed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pycountry

from components.table import schema as s
from components.table.sources import OUTLET_COUNT, SOURCE_COUNT

__all__ = [
    "SourceRow",
    "approximation_notes",
    "confidence_words",
    "describe_dates",
    "describe_geocoder",
    "describe_place",
    "detail_rows",
    "events_at_same_spot",
    "format_range",
    "headline",
    "record_rows",
    "source_rows",
    "summary_rows",
    "web_link",
]

PRECISION_WORDS = {
    "day": "exact day",
    "week": "known to the week",
    "month": "known to the month",
    "year": "known to the year",
}


def headline(event: pd.Series) -> str:
    """'Air/drone strike · Deir ez-Zor, Syria'."""
    place = ", ".join(p for p in (event[s.LOCATION], event[s.COUNTRY]) if p)
    return " · ".join(p for p in (event[s.EVENT_TYPE] or "Event", place) if p)


def detail_rows(event: pd.Series) -> list[tuple[str, str]]:
    """(label, value) pairs for every coded field worth reading, in reading order."""
    return summary_rows(event) + record_rows(event)


def summary_rows(event: pd.Series) -> list[tuple[str, str]]:
    """What happened: when, where, who, and the casualty ranges."""
    rows = [
        ("Date", describe_dates(event[s.DATE_START], event[s.DATE_END], event[s.DATE_PRECISION])),
        ("Place", describe_place(event)),
        ("Coordinates", describe_coordinates(event)),
        ("Struck by", event[s.ACTOR1] or "not reported"),
        ("Struck", event[s.ACTOR2] or "not reported"),
    ]
    for word, (low, high) in s.CASUALTY_RANGES.items():
        rows.append((word.capitalize(), format_range(event[low], event[high])))
    rows.append(("Source", event[s.SOURCE_NAME] or "not recorded"))
    return rows


def record_rows(event: pd.Series) -> list[tuple[str, str]]:
    """The record's details: the source's address, date and language, the id, notes."""
    rows = [
        ("Source address", event[s.SOURCE_URL] or "none"),
        ("Source date", event[s.SOURCE_DATE] or "not recorded"),
        ("Source language", language_name(event[s.SOURCE_LANGUAGE]) or "not recorded"),
        ("Event id", event[s.EVENT_ID]),
    ]
    if event[s.NOTES]:
        rows.append(("Coder's notes", event[s.NOTES]))
    return rows


def describe_dates(start: Any, end: Any, precision: str) -> str:
    """'7 February 2018 – 8 February 2018 (exact day)'."""
    if pd.isna(start):
        return "not recorded"
    text = _long_day(start)
    if not pd.isna(end) and end != start:
        text += f" – {_long_day(end)}"
    return f"{text} ({PRECISION_WORDS.get(precision, precision)})"


def describe_place(event: pd.Series) -> str:
    """The place as reported, with what its precision code means."""
    names = [event[s.LOCATION], event[s.ADMIN1], event[s.COUNTRY]]
    place = ", ".join(dict.fromkeys(n for n in names if n)) or "no place reported"
    precision = event[s.GEO_PRECISION]
    if pd.isna(precision):
        return place
    words = s.GEO_PRECISION_WORDS.get(int(precision), "unknown precision")
    return f"{place} (geo precision {int(precision)}: {words})"


def describe_coordinates(event: pd.Series) -> str:
    if pd.isna(event[s.LATITUDE]) or pd.isna(event[s.LONGITUDE]):
        return "not on the map: the place could not be found"
    where = f"{event[s.LATITUDE]:.4f}, {event[s.LONGITUDE]:.4f}"
    matched = event.get(s.MATCHED_NAME, "")
    matched = "" if pd.isna(matched) else matched
    origin = describe_geocoder(event[s.GEOCODER])
    return f"{where}, {origin}" + (f", matched “{matched}”" if matched else "")


def describe_geocoder(geocoder: str) -> str:
    """Where the coordinates came from, in words."""
    provider, _, ident = (geocoder or "").partition(":")
    if provider == "gazetteer":
        return f"from the offline GeoNames gazetteer (geonameid {ident})"
    if provider == "manual":
        return "placed by hand"
    if provider in ("source", ""):
        return "as given by the source"
    return f"from {provider}" + (f" ({ident})" if ident else "")


def format_range(low: Any, high: Any) -> str:
    """'100', '5–7', 'at least 12', 'at most 3' or 'not reported'."""
    has_low, has_high = not pd.isna(low), not pd.isna(high)
    if has_low and has_high:
        return f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"
    if has_low:
        return f"at least {int(low):,}"
    if has_high:
        return f"at most {int(high):,}"
    return "not reported"


def web_link(url: str) -> str | None:
    """The address if it is an http(s) link with a host, else None: only those become links."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    try:
        host = parts.hostname
    except ValueError:
        return None
    if (
        parts.scheme.lower() in ("http", "https")
        and host
        and not any(c.isspace() or c in "<>\"'`" for c in url)
    ):
        return url
    return None


def events_at_same_spot(events: pd.DataFrame, event: pd.Series) -> pd.DataFrame:
    """Other events at exactly the same coordinates, which one marker click cannot tell apart."""
    if pd.isna(event[s.LATITUDE]):
        return events.iloc[0:0]
    same = (
        (events[s.LATITUDE] == event[s.LATITUDE])
        & (events[s.LONGITUDE] == event[s.LONGITUDE])
        & (events[s.EVENT_ID] != event[s.EVENT_ID])
    )
    return events[same]


def approximation_notes(event: pd.Series) -> list[str]:
    """How rough the point and the date are, in sentences; empty when both are exact.

    'Reports mention Deir ez-Zor; the point is its centre', 'Dated only to February 2018'.
    """
    notes = []
    precision = event[s.GEO_PRECISION]
    placed = not pd.isna(event[s.LATITUDE]) and not pd.isna(event[s.LONGITUDE])
    if placed and not pd.isna(precision):
        if int(precision) == 3:
            region = event[s.ADMIN1] or event[s.LOCATION] or event[s.COUNTRY] or "a region"
            notes.append(f"Reports mention {region}; the point is its centre")
        elif int(precision) == 2:
            place = event[s.LOCATION] or event[s.ADMIN1] or "the place named"
            notes.append(f"Reports say near {place}; the point is that place, not the exact spot")
    start, date_precision = event[s.DATE_START], event[s.DATE_PRECISION]
    if not pd.isna(start):
        if date_precision == "month":
            notes.append(f"Dated only to {start:%B %Y}")
        elif date_precision == "year":
            notes.append(f"Dated only to {start:%Y}")
        elif date_precision == "week":
            notes.append(f"Dated only to the week of {_long_day(start)}")
    return notes


def confidence_words(event: pd.Series) -> str:
    """The confidence grade and what it means, with how many sources and outlets are recorded.

    Several reports of one outlet are one voice: they are said to come from one outlet, and
    a grade derived from them never claims independent reports.
    """
    grade = event.get(s.CONFIDENCE, "")
    grade = "" if pd.isna(grade) else str(grade).strip()
    count = _count(event.get(SOURCE_COUNT))
    outlets = _count(event.get(OUTLET_COUNT))
    one_voice = count is not None and outlets is not None and count > 1 and outlets < count
    if grade == "single source" and one_voice and outlets == 1:
        words = "Single source: one outlet only"
    elif grade in s.CONFIDENCE_WORDS:
        words = f"{grade.capitalize()}: {s.CONFIDENCE_WORDS[grade]}"
    elif grade:
        words = f"{grade} (the coder's grade)"
    else:
        words = "Not graded"
    if count is not None:
        words += f" · {count} source{'s' if count != 1 else ''} recorded"
        if one_voice:
            words += ", all from one outlet" if outlets == 1 else f" from {outlets} outlets"
    return words


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


@dataclass(frozen=True)
class SourceRow:
    """One report of an event, as the panel lists it; every value is plain text to show."""

    number: int
    own: bool
    name: str
    date: str
    language: str
    address: str
    link: str | None
    killed: str
    injured: str
    text: str
    notes: str

    def heading(self) -> str:
        """'Source 2 · SOHR · 2018-02-08 · ar'."""
        parts = [f"Source {self.number}", self.name, self.date, self.language]
        return " · ".join(p for p in parts if p and p != "not recorded")


def source_rows(sources: pd.DataFrame) -> list[SourceRow]:
    """Each source of an event (``sources.sources_of``' result) as the panel shows it."""
    rows = []
    for number, (_, source) in enumerate(sources.iterrows(), start=1):
        address = _text(source.get(s.SOURCE_URL))
        rows.append(
            SourceRow(
                number=number,
                own=bool(source.get("own", False)),
                name=_text(source.get(s.SOURCE_NAME)) or "not recorded",
                date=_text(source.get(s.SOURCE_DATE)) or "not recorded",
                language=language_name(_text(source.get(s.SOURCE_LANGUAGE))) or "not recorded",
                address=address,
                link=web_link(address),
                killed=format_range(source.get(s.KILLED_MIN), source.get(s.KILLED_MAX)),
                injured=format_range(source.get(s.INJURED_MIN), source.get(s.INJURED_MAX)),
                text=_text(source.get(s.SOURCE_TEXT)),
                notes=_text(source.get(s.NOTES)),
            )
        )
    return rows


def language_name(code: Any) -> str:
    """A language in words ("Dutch (nl)") from its ISO 639 code; other text as written."""
    text = _text(code).strip()
    if not text:
        return ""
    found = None
    if len(text) == 2:
        found = pycountry.languages.get(alpha_2=text.lower())
    elif len(text) == 3:
        found = pycountry.languages.get(alpha_3=text.lower())
    return f"{found.name} ({text})" if found is not None else text


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _long_day(value: pd.Timestamp) -> str:
    return f"{value.day} {value.strftime('%B %Y')}"
