"""Draft coded events from a news report, with the sentence behind every field.

How a report becomes events (the splitting rule):

* Each sentence's strike type is the type of its first strike word (see report_strikes).
  A headline (a first line without closing punctuation) takes no part in this: it belongs
  to the main event, whose type the lead gives.
* The main event has the type of the first strike sentence. Sentences without a strike
  word ("Daarbij zijn honderd soldaten omgekomen") belong to the main event: news reports
  lead with their main event and keep talking about it. The exception: right after a
  sentence of a second event, in the same paragraph, they go on about that event
  ("... a rocket attack on Safed. One soldier was killed there.").
* Sentences of another strike type form a second event only when they name something of
  their own: a different striking party, a casualty figure or a place. Otherwise they fold
  into the main event.
* Each event takes its date, figures, place and actors from its own sentences; a second
  event without a date or place takes the main event's.

Figures of one kind in one event are combined into one range from the lowest minimum to
the highest maximum ("at least 12" … "15 dead" gives 12 to unknown), leaving out a vague
amount that a figure falls inside ("dozens killed" … "at least 43 killed" gives 43 up); a
figure given as part of another ("including 5 children") counts only towards civilians.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from components.coding.dates import EventDate, date_mentions, event_date
from components.coding.grouping import event_groups, strikes_in
from components.coding.numbers import KILLED, Figure, casualty_figures
from components.coding.place_learned import LearnedLookup
from components.coding.places import PlaceMention, best_place, place_fields, place_mentions
from components.coding.strikes import StrikeWord, actors_in, strike_words
from components.coding.text import Report, Sentence, read_report
from components.coding.vocab import alternation
from components.geo.gazetteer import Gazetteer, default_gazetteer
from components.table import schema as s
from components.table.errors import EventFileError

__all__ = ["CodedReport", "Evidence", "code_paths", "code_report", "report_id"]

MAX_REPORT_BYTES = 2 * 1024 * 1024
# Notes quote at most this many characters of a sentence.
QUOTE_LENGTH = 160


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a field of a draft event has its value: the words and sentence it came from."""

    event: int  # index of the event in CodedReport.events
    field: str  # a canonical column, e.g. "date_start", "killed_min", "location"
    value: str
    sentence: int  # index into report.sentences
    start: int  # offsets of ``words`` in the report's body
    end: int
    words: str


@dataclass
class CodedReport:
    """Draft events (canonical rows, all cells as text) and the evidence behind them."""

    report: Report
    events: pd.DataFrame
    evidence: list[Evidence] = field(default_factory=list)

    def evidence_for(self, event: int) -> list[Evidence]:
        return [e for e in self.evidence if e.event == event]


def code_report(
    text: str,
    *,
    source_name: str = "",
    source_url: str = "",
    published: dt.date | None = None,
    gazetteer: Gazetteer | None = None,
    learned: LearnedLookup | None = None,
) -> CodedReport:
    """Draft events from a report's text (which may start with a ``date YYYY-MM[-DD]`` line);
    ``learned``: the places learned from the analyst's datasets, consulted before the
    gazetteer."""
    gazetteer = gazetteer or default_gazetteer()
    report = read_report(text, published=published)
    event_id = report_id(text)
    unread: list[str] = []
    groups = event_groups(report)
    mentions = _guarded(unread, "dates", lambda: date_mentions(report), [])
    places = _guarded(
        unread,
        "places",
        lambda: place_mentions(report.body, gazetteer, report.language, learned),
        [],
    )
    rows: list[dict[str, str]] = []
    evidence: list[Evidence] = []
    main_date: EventDate | None = None
    main_place: PlaceMention | None = None
    for number, (event_type, sentences) in enumerate(groups):
        draft = _Draft(number, report)
        in_event = {sentence.index for sentence in sentences}
        strikes = [w for sentence in sentences for w in strikes_in(sentence)]
        # date
        own = [m for m in mentions if _sentence_of(report, m.start) in in_event]
        date = event_date(own, report, fallback=main_date)
        main_date = main_date or date
        draft.set(s.DATE_START, date.start.isoformat(), *[(m.start, m.end) for m in date.mentions])
        draft.set(s.DATE_END, date.end.isoformat() if date.end else "")
        draft.set(s.DATE_PRECISION, date.precision, *[(m.start, m.end) for m in date.mentions])
        if date.note:
            draft.notes.append(f"Date: {date.note} ({date.start.isoformat()}, {date.precision}).")
        # event type and actors
        first_strike = next((w for w in strikes if w.event_type == event_type), None)
        draft.set(s.EVENT_TYPE, event_type, *([_span(first_strike)] if first_strike else []))
        # place
        own_places = [p for p in places if _sentence_of(report, p.start) in in_event]
        place = best_place(own_places, strikes, report.body)
        if place is None:
            place = main_place or best_place(places, strikes, report.body)
        main_place = main_place or place
        if place is not None:
            for column, value in place_fields(place, gazetteer).items():
                draft.set(column, str(value), (place.start, place.end))
        _add_actors(draft, sentences)
        # casualties
        _guarded(
            unread,
            "casualty figures",
            functools.partial(_add_figures, draft, sentences, report.language),
            None,
        )
        draft.notes.extend(dict.fromkeys(unread))
        draft.row[s.EVENT_ID] = f"{event_id}-{number + 1}"
        draft.row[s.SOURCE_NAME] = source_name
        draft.row[s.SOURCE_URL] = source_url
        draft.row[s.SOURCE_DATE] = report.source_date
        draft.row[s.SOURCE_LANGUAGE] = report.language
        draft.row[s.SOURCE_TEXT] = report.body
        draft.row[s.NOTES] = draft.summary()
        rows.append(draft.row)
        evidence.extend(draft.evidence)
    events = pd.DataFrame(rows, columns=list(s.CANONICAL_COLUMNS), dtype=object).fillna("")
    return CodedReport(report=report, events=events, evidence=evidence)


def code_paths(
    paths: Sequence[Path],
    *,
    gazetteer: Gazetteer | None = None,
    learned: LearnedLookup | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Draft events from report files and folders of *.txt; also what was skipped and why."""
    files: list[Path] = []
    problems: list[str] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(path.glob("*.txt"))
            if not found:
                problems.append(f"{path}: no .txt reports in this folder")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise EventFileError(str(path), "no such file or folder; check the path")
    gazetteer = gazetteer or default_gazetteer()
    frames = []
    seen: dict[str, Path] = {}
    for file in files:
        text = _read_text(file)
        if not text.strip():
            problems.append(f"{file}: the report is empty; skipped")
            continue
        key = report_id(text)
        if key in seen:
            problems.append(f"{file}: same text as {seen[key]}; skipped")
            continue
        seen[key] = file
        coded = code_report(text, source_name=file.name, gazetteer=gazetteer, learned=learned)
        frames.append(coded.events)
    if not frames:
        return pd.DataFrame(columns=list(s.CANONICAL_COLUMNS), dtype=object), problems
    return pd.concat(frames, ignore_index=True), problems


def _guarded(unread: list[str], what: str, read, fallback):
    """What ``read`` returns; if the text defeats it, ``fallback`` and a note that says so."""
    try:
        return read()
    except (ValueError, IndexError, KeyError, OverflowError, RecursionError) as error:
        unread.append(f"Could not read the {what} ({type(error).__name__}); check by hand.")
        return fallback


def report_id(text: str) -> str:
    """A stable id stem for a report: ``report-`` and the start of its text's SHA-256."""
    digest = hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()
    return f"report-{digest[:12]}"


class _Draft:
    """One event's cells and evidence while it is assembled."""

    def __init__(self, number: int, report: Report) -> None:
        self.number = number
        self.report = report
        self.row: dict[str, str] = dict.fromkeys(s.CANONICAL_COLUMNS, "")
        self.evidence: list[Evidence] = []
        self.notes: list[str] = []

    def set(self, column: str, value: str, *spans: tuple[int, int]) -> None:
        self.row[column] = value
        for start, end in spans:
            sentence = self.report.sentence_at(start)
            if sentence is None:
                continue
            words = self.report.body[start:end]
            self.evidence.append(
                Evidence(self.number, column, value, sentence.index, start, end, words)
            )

    def summary(self) -> str:
        """The notes cell: each field with the words and sentence it came from."""
        parts = ["Drafted by the report coder; check before use."]
        shown: dict[str, list[Evidence]] = {}
        for item in self.evidence:
            if item.field in _QUIET_FIELDS:
                continue
            shown.setdefault(_FIELD_GROUPS.get(item.field, item.field), []).append(item)
        for label, items in shown.items():
            first = items[0]
            value = self.row.get(first.field, first.value)
            if first.field in _RANGES:
                high = self.row.get(_RANGES[first.field], "")
                value = f"{value or '?'}–{high or '?'}" if high != value else value
            sentence = self.report.sentences[first.sentence].text
            if first.words.strip() == sentence:
                parts.append(f'{label} {value!s}: "{_quote(sentence)}"')
            else:
                parts.append(f'{label} {value!s}: "{first.words}" in "{_quote(sentence)}"')
        parts.extend(self.notes)
        return " | ".join(parts)


_RANGES = {low: high for low, high in s.CASUALTY_RANGES.values()}
_FIELD_GROUPS = {
    s.DATE_START: "Date",
    s.EVENT_TYPE: "Type",
    s.ACTOR1: "Actor 1",
    s.ACTOR2: "Actor 2",
    s.LOCATION: "Place",
    s.KILLED_MIN: "Killed",
    s.INJURED_MIN: "Injured",
    s.CIVILIANS_KILLED_MIN: "Civilians killed",
}
# Fields the notes leave out: they repeat another field's evidence.
_QUIET_FIELDS = {
    s.DATE_PRECISION, s.DATE_END, s.KILLED_MAX, s.INJURED_MAX, s.CIVILIANS_KILLED_MAX,
    s.ADMIN1, s.COUNTRY, s.LATITUDE, s.LONGITUDE, s.GEO_PRECISION, s.GEOCODER,
}  # fmt: skip


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1] + "…"


_BLAME = re.compile(rf"(?<!\w)(?:{alternation('strikes', 'blame')})(?!\w)", re.IGNORECASE)


def _add_actors(draft: _Draft, sentences: list[Sentence]) -> None:
    for which in (s.ACTOR1, s.ACTOR2):
        for sentence in sentences:
            words = strike_words(sentence.text)
            if not words:
                continue
            if which == s.ACTOR1 and _BLAME.search(sentence.text):
                continue  # "Turkey blamed the Syrian army": a claim, not who struck
            actors = actors_in(sentence.text, words[0])
            name, said = (
                (actors.actor1, actors.actor1_words)
                if which == s.ACTOR1
                else (actors.actor2, actors.actor2_words)
            )
            country = draft.row.get(s.COUNTRY, "")
            name = name.replace(" ({country})", f" ({country})" if country else "")
            if name and name != draft.row.get(s.ACTOR1):
                offset = sentence.text.find(said)
                start = sentence.start + max(offset, 0)
                draft.set(which, name, (start, start + len(said)))
                break
            if which == s.ACTOR2:
                # Who was hit is told where the strike is; later sentences hold the claims
                # ("the coalition said it struck rebels") and the background.
                break


def _add_figures(draft: _Draft, sentences: list[Sentence], language: str) -> None:
    found: dict[str, list[tuple[Figure, Sentence]]] = {"killed": [], "injured": [], "civ": []}
    for sentence in sentences:
        for figure in casualty_figures(sentence.text, language):
            if figure.civilians and figure.kind == KILLED:
                found["civ"].append((figure, sentence))
            if figure.subset:
                continue
            found["killed" if figure.kind == KILLED else "injured"].append((figure, sentence))
    columns = {
        "killed": (s.KILLED_MIN, s.KILLED_MAX),
        "injured": (s.INJURED_MIN, s.INJURED_MAX),
        "civ": (s.CIVILIANS_KILLED_MIN, s.CIVILIANS_KILLED_MAX),
    }
    for key, figures in found.items():
        if not figures:
            continue
        low, high = _combined([f for f, _ in figures])
        low_column, high_column = columns[key]
        spans = [(sentence.start, sentence.end) for _, sentence in figures]
        draft.set(low_column, "" if low is None else str(low), *spans[:1])
        draft.set(high_column, "" if high is None else str(high), *spans[1:2] or spans[:1])
    # Civilians are part of the killed: the total is at least the civilians' figure.
    killed_high = draft.row[s.KILLED_MAX]
    civ_low = draft.row[s.CIVILIANS_KILLED_MIN]
    civ_high = draft.row[s.CIVILIANS_KILLED_MAX]
    if civ_low and killed_high and int(civ_low) > int(killed_high):
        draft.row[s.CIVILIANS_KILLED_MIN] = killed_high
    if civ_high and killed_high and int(civ_high) > int(killed_high):
        draft.row[s.CIVILIANS_KILLED_MAX] = killed_high
    if civ_low and not draft.row[s.KILLED_MIN]:
        draft.row[s.KILLED_MIN] = civ_low
        draft.row[s.KILLED_MAX] = civ_high


def _combined(figures: list[Figure]) -> tuple[int | None, int | None]:
    """One range that holds every figure reported for the same thing.

    A vague amount ("kills dozens" in a headline) gives way to a figure inside it ("at least
    43"); a smaller exact figure after the toll is a part of it ("killed two commanders");
    an "at least" toll is bounded by a figure that closes it ("mindestens 16" ... "auf 17",
    "at least 90" ... "up to 142"). ACLED's coded figure, when given, is the figure.
    """
    coded = [f for f in figures if f.coded]
    if coded:
        figures = coded
    exact = [f for f in figures if not f.vague]
    figures = [f for f in figures if not (f.vague and any(_inside(x, f) for x in exact))]
    lead = next((f.minimum for f in figures if not f.vague and f.minimum is not None), None)
    figures = [
        f
        for f in figures
        if lead is None or f.vague or f.minimum is None or f.minimum != f.maximum
        or f.minimum >= lead
    ]  # fmt: skip
    lows = [f.minimum for f in figures if f.minimum is not None]
    low = min(lows) if lows else None
    known = [f.maximum for f in figures if f.maximum is not None]
    high = max(known) if known else None
    if high is not None and any(f.maximum is None and (f.minimum or 0) > high for f in figures):
        high = None
    if low is not None and high is not None and high < low:
        high = low
    return low, high


def _inside(figure: Figure, vague: Figure) -> bool:
    value = figure.minimum if figure.minimum is not None else figure.maximum
    return value is not None and vague.holds(value)


def _sentence_of(report: Report, offset: int) -> int:
    sentence = report.sentence_at(offset)
    return -1 if sentence is None else sentence.index


def _span(word: StrikeWord) -> tuple[int, int]:
    return (word.start, word.end)


def _read_text(path: Path) -> str:
    from components.table.events import decode_text
    from components.table.files import read_limited

    data = read_limited(path, MAX_REPORT_BYTES, EventFileError, "text file")
    if b"\x00" in data[:4096]:
        raise EventFileError(str(path), "looks like a binary file, not a plain-text report")
    return decode_text(data)
