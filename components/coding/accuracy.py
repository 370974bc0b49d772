"""How well the coder reads real reports: code the text column of a table that also holds the
truth, and count per field how often the draft agrees with it.

Tables read (column names in any case):

* ACLED exports with ``notes``: truth from ``event_date``, ``latitude``/``longitude``
  (``geo_precision``), ``admin1``, ``fatalities``, ``sub_event_type``, ``actor1``/``actor2``.
  Only rows of the event types the coder drafts (strikes and shelling) are scored: the coder
  reads strike reports, not protests or battles.
* FA-KES: ``article_content`` against ``date`` and ``location`` (a governorate or city).

The rules are strict (see :func:`holds`): an open range ("at least 12") holds a figure only
when its minimum is that figure. ACLED's 0 fatalities means no figure was reported: an empty
draft is right there, and so is 0.

Splits: a row belongs to the development split or the test split by the SHA-256 of its text
(``dev`` when the first eight hex digits, as a number, are even). The split follows the text, not
the file or the row's position, so it stays the same when files are cut or re-ordered; fixes are
made looking at ``dev`` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from geopy.distance import great_circle

from components.coding.place_learned import LearnedLookup
from components.coding.strikes import AIR_STRIKE, SHELLING
from components.geo.gazetteer import Gazetteer
from components.geo.names import normalize_name
from components.table.errors import EventFileError

__all__ = [
    "FIELDS",
    "SPLITS",
    "Case",
    "Scored",
    "actor_agrees",
    "check_file",
    "holds",
    "holds_all",
    "read_cases",
    "read_date",
    "score_event",
    "score_fixture",
    "split_of",
    "summarise",
]

FIELDS = ("date", "place", "admin1", "killed", "injured", "type", "actor1", "actor2")
PLACE_KM = 40
CODED_TYPES = (AIR_STRIKE, SHELLING)
SPLITS = ("dev", "test", "all")
# Two-digit years first: strptime reads "31-12-19" with %Y as the year 19.
_DATE_FORMATS = (
    "%Y-%m-%d", "%d-%m-%y", "%d-%b-%y", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y",
    "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One row of a truth table: the text and what it is known to report (None: not known)."""

    row: int
    text: str
    date: dt.date | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision: str = ""
    country: str = ""
    admin1: str = ""
    location: str = ""
    killed: int | None = None
    event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None

    @property
    def split(self) -> str:
        return split_of(self.text)


@dataclass
class Scored:
    """The marks of one case: field → right (True), wrong (False) or not scored (absent)."""

    case: Case
    marks: dict[str, bool]
    got: dict[str, str] = field(default_factory=dict)
    wrong_by_km: float | None = None


def split_of(text: str) -> str:
    """``dev`` or ``test``: the parity of the first eight hex digits of the text's SHA-256."""
    digest = hashlib.sha256(text.strip().encode("utf-8")).hexdigest()
    return "dev" if int(digest[:8], 16) % 2 == 0 else "test"


def read_cases(path: Path) -> list[Case]:
    """The scorable rows of an ACLED export with notes or of the FA-KES table."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding_errors="replace")
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise EventFileError(str(path), f"could not be read as a CSV table ({error})") from None
    table.columns = [str(c).strip().lower() for c in table.columns]
    if {"notes", "event_date"} <= set(table.columns):
        return [c for c in map(_acled_case, table.to_dict("records"), range(2, 10**9)) if c]
    if {"article_content", "date", "location"} <= set(table.columns):
        return [c for c in map(_fakes_case, table.to_dict("records"), range(2, 10**9)) if c]
    raise EventFileError(
        str(path),
        "has no text with truth beside it: need ACLED's notes and event_date columns, or "
        "FA-KES's article_content, date and location",
    )


def _acled_case(row: dict[str, str], number: int) -> Case | None:
    event_type = row.get("sub_event_type", "").strip()
    text = row.get("notes", "").strip()
    if not text or event_type not in CODED_TYPES:
        return None
    return Case(
        row=number,
        text=text,
        date=read_date(row.get("event_date", "")),
        latitude=_float(row.get("latitude", "")),
        longitude=_float(row.get("longitude", "")),
        precision=row.get("geo_precision", "").strip(),
        country=row.get("country", "").strip(),
        admin1=row.get("admin1", "").strip(),
        location=row.get("location", "").strip(),
        killed=_int(row.get("fatalities", "")),
        event_type=event_type,
        actor1=row.get("actor1", "").strip() if "actor1" in row else None,
        actor2=row.get("actor2", "").strip() if "actor2" in row else None,
    )


def _fakes_case(row: dict[str, str], number: int) -> Case | None:
    text = row.get("article_content", "").strip()
    if not text:
        return None
    return Case(
        row=number,
        text=text,
        date=read_date(row.get("date", ""), month_first=True),
        country="Syria",
        location=row.get("location", "").strip(),
    )


def score_event(event: pd.Series | None, case: Case, gazetteer: Gazetteer) -> Scored:
    """Marks of a drafted event (its first one) against a case; None means nothing drafted."""
    got = {} if event is None else {k: str(v) for k, v in event.items()}
    cell = got.get
    marks: dict[str, bool] = {}
    if case.date is not None:
        start = read_date(cell("date_start", ""))
        marks["date"] = start is not None and abs((start - case.date).days) <= 1
    distance = None
    if case.latitude is not None and case.longitude is not None:
        lat, lon = _float(cell("latitude", "")), _float(cell("longitude", ""))
        if lat is not None and lon is not None:
            distance = great_circle((lat, lon), (case.latitude, case.longitude)).km
        marks["place"] = distance is not None and distance <= PLACE_KM
    elif case.location:
        marks["place"] = _place_agrees(case, got, gazetteer)
    if case.admin1:
        marks["admin1"] = _same_region(case.admin1, case.country, cell("admin1", ""), gazetteer)
    if case.killed is not None:
        marks["killed"] = holds(cell("killed_min", ""), cell("killed_max", ""), case.killed)
    if case.event_type is not None:
        marks["type"] = cell("event_type", "") == case.event_type
    if case.actor1 is not None:
        marks["actor1"] = actor_agrees(cell("actor1", ""), case.actor1)
    if case.actor2 is not None:
        marks["actor2"] = actor_agrees(cell("actor2", ""), case.actor2)
    return Scored(case, marks, got, distance)


def holds(low: str, high: str, figure: int) -> bool:
    """Whether a drafted range holds a reported figure, strictly.

    A closed range holds the figures between its ends; an open one ("at least 12") only its
    minimum. A figure of 0 (what ACLED codes when none was reported) is held by an empty range.
    """
    if low == "" and high == "":
        return figure == 0
    lowest = int(low) if low else 0
    if high == "":
        return lowest == figure
    return lowest <= figure <= int(high)


def holds_all(low: str, high: str, figures: list[int]) -> bool:
    """Whether a drafted range holds every figure a report gives (strictly, see holds); with
    none given it must stay empty."""
    if not figures:
        return low == "" and high == ""
    if low == "" and high == "":
        return False
    return all(holds(low, high, figure) for figure in figures)


def score_fixture(event: pd.Series, case: dict) -> dict[str, bool]:
    """Marks of a drafted event against a whole-report fixture's expected fields (date,
    latitude/longitude, killed and injured figures as reported, event_type, actors)."""
    start = read_date(str(event["date_start"]))
    marks = {"date": start is not None and abs((start - read_date(case["date"])).days) <= 1}
    lat, lon = _float(str(event["latitude"])), _float(str(event["longitude"]))
    marks["place"] = (
        lat is not None
        and lon is not None
        and great_circle((lat, lon), (case["latitude"], case["longitude"])).km <= PLACE_KM
    )
    marks["killed"] = holds_all(str(event["killed_min"]), str(event["killed_max"]), case["killed"])
    marks["injured"] = holds_all(
        str(event["injured_min"]), str(event["injured_max"]), case["injured"]
    )
    marks["type"] = event["event_type"] == case["event_type"]
    for column in ("actor1", "actor2"):
        if column in case:
            marks[column] = str(event[column]) == case[column]
    return marks


# Words of ACLED actor names that do not tell one party from another.
_ACTOR_FILLER = frozenset(
    re.findall(
        r"\w+",
        "military forces of the and police unidentified armed group state province militia "
        "civilians al government",
    )
)


def actor_agrees(drafted: str, truth: str) -> bool:
    """Whether a drafted actor names the party of the truth: both name no one in particular, or
    a telling word of the drafted name (a country, a group) is among the truth's words."""
    truth_words = _actor_words(truth)
    drafted_words = _actor_words(drafted)
    if not truth_words:
        # None named, or no one in particular ("Unidentified Military Forces"): right when
        # the draft names no one either.
        return not drafted.strip()
    if not drafted_words:
        return False
    return bool(drafted_words & truth_words) or _demonym_match(drafted, truth)


def _actor_words(name: str) -> set[str]:
    words = re.findall(r"[a-z]+", normalize_name(name))
    return {w for w in words if w not in _ACTOR_FILLER and len(w) > 1}


def _demonym_match(drafted: str, truth: str) -> bool:
    """ "United States" and "Military Forces of the United States": the same country."""
    return normalize_name(drafted) in normalize_name(truth)


def _place_agrees(case: Case, got: dict[str, str], gazetteer: Gazetteer) -> bool:
    """A table that names the place but gives no coordinates (FA-KES: a governorate or a city):
    the draft is right in that governorate, or within 40 km of the city so named."""
    drafted = got.get("location", ""), got.get("admin1", "")
    if _names_agree(case.location, *drafted):
        return True
    if _same_region(case.location, case.country, got.get("admin1", ""), gazetteer):
        return True
    lat, lon = _float(got.get("latitude", "")), _float(got.get("longitude", ""))
    if lat is None or lon is None:
        return False
    code = gazetteer.country_code(case.country) if case.country else None
    return any(
        great_circle((lat, lon), (p.latitude, p.longitude)).km <= PLACE_KM
        for p in gazetteer.lookup(case.location, code, limit=3)
    )


def _names_agree(truth: str, *drafted: str) -> bool:
    key = normalize_name(truth)
    return any(key and (key in normalize_name(d) or normalize_name(d) == key) for d in drafted if d)


def _same_region(truth: str, country: str, drafted: str, gazetteer: Gazetteer) -> bool:
    """Whether the drafted admin1 is the truth's, by name or by the gazetteer's region code."""
    if not drafted:
        return False
    if normalize_name(truth) == normalize_name(drafted):
        return True
    code = gazetteer.country_code(country) if country else None
    return bool(_region_codes(truth, code, gazetteer) & _region_codes(drafted, code, gazetteer))


def _region_codes(name: str, code: str | None, gazetteer: Gazetteer) -> set[tuple[str, str]]:
    return {
        (p.country_code, p.admin1)
        for p in gazetteer.lookup(name, code, limit=5)
        if p.admin1 and (code is None or p.country_code == code)
    }


def check_file(
    path: Path,
    gazetteer: Gazetteer,
    *,
    split: str = "all",
    limit: int | None = None,
    learned: LearnedLookup | None = None,
) -> list[Scored]:
    """Code every case of a truth table in a split and score its first drafted event (with
    ``learned`` places, never learned from this table, consulted before the gazetteer)."""
    from components.coding.coder import code_report

    cases = [c for c in read_cases(path) if split == "all" or c.split == split]
    scored = []
    for case in cases[:limit]:
        events = code_report(case.text, gazetteer=gazetteer, learned=learned).events
        scored.append(score_event(None if events.empty else events.iloc[0], case, gazetteer))
    return scored


def summarise(scored: Iterable[Scored], worst: int = 10) -> str:
    """The accuracy table per field, then the worst cases of place and killed."""
    scored = list(scored)
    lines = [f"{'field':8} {'right':>6} {'scored':>7} {'share':>7}"]
    for name in FIELDS:
        marks = [s.marks[name] for s in scored if name in s.marks]
        if marks:
            share = 100 * sum(marks) / len(marks)
            lines.append(f"{name:8} {sum(marks):>6} {len(marks):>7} {share:>6.1f}%")
    lines.append(f"cases: {len(scored)}")
    lines.extend(_worst("place", scored, worst, _place_miss))
    lines.extend(_worst("killed", scored, worst, _killed_miss))
    lines.extend(_worst("type", scored, worst, _field_miss("event_type", "event_type")))
    return "\n".join(lines)


def _worst(
    name: str, scored: list[Scored], count: int, describe: Callable[[Scored], str]
) -> list[str]:
    missed = [s for s in scored if s.marks.get(name) is False]
    if name == "place":
        missed.sort(key=lambda s: -(s.wrong_by_km if s.wrong_by_km is not None else 1e9))
    if not missed or count <= 0:
        return []
    lines = [f"worst {name} ({len(missed)} missed):"]
    for item in missed[:count]:
        text = " ".join(item.case.text.split())
        lines.append(f"  row {item.case.row}: {describe(item)} | {text[:220]}")
    return lines


def _place_miss(item: Scored) -> str:
    case, got = item.case, item.got
    off = "not placed" if item.wrong_by_km is None else f"{item.wrong_by_km:,.0f} km off"
    drafted = ", ".join(
        x for x in (got.get("location"), got.get("admin1"), got.get("country")) if x
    )
    truth = ", ".join(x for x in (case.location, case.admin1, case.country) if x)
    return f"{off}: drafted {drafted or '-'}; truth {truth} (precision {case.precision or '?'})"


def _killed_miss(item: Scored) -> str:
    low, high = item.got.get("killed_min", ""), item.got.get("killed_max", "")
    return f"drafted {low or '?'}–{high or '?'}; truth {item.case.killed}"


def _field_miss(column: str, attribute: str) -> Callable[[Scored], str]:
    def describe(item: Scored) -> str:
        return f"drafted {item.got.get(column) or '-'}; truth {getattr(item.case, attribute)}"

    return describe


def read_date(value: str, *, month_first: bool = False) -> dt.date | None:
    value = value.strip()
    for form in ("%m/%d/%Y", *_DATE_FORMATS) if month_first else _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, form).date()
        except ValueError:
            continue
    return None


def _float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: str) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None
