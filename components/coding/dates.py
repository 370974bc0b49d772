"""Dates in a report: explicit dates, weekdays and "yesterday", resolved to calendar days.

Month and weekday names and the words for today/yesterday come from ``dateparser``'s own
language data, and dateparser parses every candidate span; candidates are restricted to
spans that name a month next to a day or year (or an ISO / numeric date), a weekday, or a
relative day word, so that "a" or "now" never become dates.

How a weekday or "yesterday" is resolved:

* with a day-precise publication date: the most recent such day on or before it;
* with only a month (``date 2018-02``): against an explicit date the report gives (a
  quoted tweet's "February 7, 2018"), taking the nearest such weekday within three days,
  so "Wednesday evening and Thursday morning" become the 7th and 8th;
* with neither: not resolved (the draft says so and the analyst sets it).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import dateparser
from dateparser.languages.loader import default_loader

from components.coding.text import Report, dateline_end

__all__ = ["DateMention", "EventDate", "date_mentions", "event_date"]

EXPLICIT = "explicit"
WEEKDAY = "weekday"
RELATIVE = "relative"
# Dates this long before publication are background ("since 2015"), unless nothing else is.
BACKGROUND_DAYS = 60
# Days apart that still read as one event ("Wednesday evening and Thursday morning").
ONE_EVENT_DAYS = 3


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date the report states, with where it says so (offsets in the body)."""

    start: int
    end: int
    text: str
    day: dt.date | None  # None: a weekday or relative word that could not be resolved
    precision: str  # "day", "month" or "year"
    kind: str
    said: bool = False  # the day the news was told ("said on Monday"), not of the strike


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event's date range and how sure it is, with the mentions it came from."""

    start: dt.date
    end: dt.date | None
    precision: str
    mentions: tuple[DateMention, ...]
    note: str = ""


def date_mentions(report: Report) -> list[DateMention]:
    """Every date mention in the report's body, resolved where possible, in text order."""
    language = report.language
    names = _names(language)
    explicit = _explicit_dates(
        report.body, language, report.published, names, report.published_precision
    )
    anchor, near = _anchor(report, explicit)
    found = list(explicit)
    taken = [(m.start, m.end) for m in explicit]
    for match in names.weekday_pattern.finditer(report.body):
        if _overlaps(match.span(), taken) or _names_a_date(report.body, match.end(), explicit):
            continue
        weekday = names.weekdays[match.group(1).lower()]
        day = _weekday_near(anchor, weekday, near) if anchor else None
        found.append(_mention(match, day, "day", WEEKDAY))
    for match in names.relative_pattern.finditer(report.body):
        if _overlaps(match.span(), taken):
            continue
        back = names.relative[match.group(1).lower()]
        published = report.published if report.published_precision == "day" else None
        day = published - dt.timedelta(days=back) if published else None
        found.append(_mention(match, day, "day", RELATIVE))
    filed = dateline_end(report.body)
    found = [replace(m, said=m.start < filed or _said_on(report.body, m.start)) for m in found]
    return sorted(found, key=lambda m: m.start)


def event_date(
    mentions: Sequence[DateMention],
    report: Report,
    *,
    fallback: EventDate | None = None,
    today: dt.date | None = None,
) -> EventDate:
    """The date range of an event from the mentions in its sentences.

    Day mentions within ONE_EVENT_DAYS of each other form the range; background dates and
    dates after publication are set aside when there are others. Without usable mentions
    the ``fallback`` (the report's main date) is used, else the publication date.
    """
    usable = [m for m in mentions if m.day is not None]
    published = report.published
    if published is not None and report.published_precision == "day":
        not_future = [m for m in usable if m.day <= published]
        usable = not_future or usable
    if published is not None:
        recent = [m for m in usable if (published - m.day).days <= BACKGROUND_DAYS]
        usable = recent or usable
    usable = [m for m in usable if not m.said] or usable
    days = [m for m in usable if m.precision == "day"]
    if days:
        latest = max(m.day for m in days)
        cluster = [m for m in days if (latest - m.day).days <= ONE_EVENT_DAYS]
        start = min(m.day for m in cluster)
        end = latest if latest != start else None
        return EventDate(start, end, "day", tuple(cluster))
    coarse = sorted(usable, key=lambda m: ("month", "year").index(m.precision))
    if coarse:
        best = coarse[0]
        return EventDate(best.day, None, best.precision, (best,))
    if fallback is not None:
        # The report's main date, its first day only: another attack in the same report
        # is dated by it, not stretched over the main event's range.
        return EventDate(fallback.start, None, fallback.precision, (), "the report's main date")
    if published is not None:
        if report.published_precision == "day":
            return EventDate(published, None, "week", (), "no date in the report: published")
        return EventDate(published, None, "month", (), "no date in the report: published")
    today = today or dt.date.today()
    return EventDate(today, None, "year", (), "no date in the report and no publication date")


# ---------------------------------------------------------------------------------------
# Helpers


@dataclass(frozen=True)
class _Names:
    months: str  # regex alternation of month names
    weekdays: dict[str, int]
    weekday_pattern: re.Pattern[str]
    relative: dict[str, int]
    relative_pattern: re.Pattern[str]


_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
# Night words dateparser does not know; the day they point back to.
_NIGHTS = {
    "en": {"last night": 1},
    "nl": {"gisteravond": 1, "gisternacht": 1, "vannacht": 0, "vanochtend": 0},
    "de": {"gestern abend": 1, "heute morgen": 0, "in der nacht": 0},
    "fr": {"hier soir": 1, "la nuit dernière": 1, "cette nuit": 0},
    "es": {"anoche": 1, "esta madrugada": 0},
}


_ORDINARY_ELSEWHERE = frozenset({"hier", "hoy", "heute"})


@functools.cache
def _names(language: str) -> _Names:
    """Names of months, weekdays and relative days in all five languages, the report's own
    first: a short report's language guess may be wrong, and reports quote other languages
    ("February 7, 2018" in a Dutch report)."""
    language = language if language in _NIGHTS else "en"
    languages = [language, *(other for other in _NIGHTS if other != language)]
    infos = [default_loader.get_locale(code).info for code in languages]
    months = sorted(
        {n.lower() for info in infos for key in _MONTH_KEYS for n in info.get(key, [])
         if len(n) >= 3},
        key=len,
        reverse=True,
    )  # fmt: skip
    weekdays: dict[str, int] = {}
    relative: dict[str, int] = {}
    for code, info in zip(languages, infos, strict=True):
        for index, key in enumerate(_WEEKDAY_KEYS):
            for name in info.get(key, []):
                if len(name) >= 5:
                    weekdays.setdefault(name.lower(), index)
        relative_types = info.get("relative-type", {})
        for back in (0, 1, 2):
            for name in relative_types.get(f"{back} day ago", []):
                word = name.lower()
                if len(word) < 3 or word == "till date":
                    continue
                # "hier" is "yesterday" only in French; in Dutch and German it is "here".
                if code != language and word in _ORDINARY_ELSEWHERE:
                    continue
                relative.setdefault(word, back)
        for word, back in _NIGHTS[code].items():
            relative.setdefault(word, back)

    def alternation(words: list[str] | dict[str, int]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    # A weekday may be the start of a compound: "woensdagavond", "Dienstagabend".
    weekday_pattern = re.compile(rf"\b({alternation(weekdays)})\w*", re.IGNORECASE)
    relative_pattern = re.compile(rf"(?<![\w-])({alternation(relative)})(?![\w-])", re.IGNORECASE)
    return _Names("|".join(re.escape(m) for m in months), weekdays, weekday_pattern, relative,
                  relative_pattern)  # fmt: skip


def _explicit_dates(
    body: str,
    language: str,
    published: dt.date | None,
    names: _Names,
    published_precision: str = "day",
) -> list[DateMention]:
    months = names.months
    day = r"\d{1,2}(?:st|nd|rd|th|er|e|º)?\.?"
    year = r"\d{4}"
    patterns = [
        rf"\b{day}\s+(?:de\s+)?(?:{months})\.?(?:,?\s+(?:de\s+|del\s+)?{year})?\b",
        rf"\b(?:{months})\.?\s+{day}(?:,?\s+{year})?\b",
        rf"\b(?:{months})\.?\s+(?:de\s+|del\s+)?{year}\b",
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b",
    ]
    candidate = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    matches = list(candidate.finditer(body))
    if published is None:
        # "le 7 mai" in a report without a publication date: the year of the report's own
        # full dates ("27/05/2024"), not this year.
        published = _latest_full_date(matches, language)
    if published is not None and published_precision == "month":
        # "le 30 décembre" in a report dated only "2020-12" is that December's, not last year's.
        published = _month_end(published)
    base = dt.datetime.combine(published or dt.date.today(), dt.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "MDY" if language == "en" else "DMY",
    }
    languages = [language, *(other for other in _NIGHTS if other != language)]
    found = []
    for match in matches:
        text = match.group(0)
        parsed = dateparser.parse(text, languages=languages, settings=settings)
        if parsed is None:
            continue
        has_day = bool(re.search(r"\d{1,2}(?!\d)", re.sub(r"\d{4}", "", text)))
        precision = "day" if has_day else "month"
        value = parsed.date() if has_day else parsed.date().replace(day=1)
        found.append(_mention(match, value, precision, EXPLICIT))
    return found


def _latest_full_date(matches: list[re.Match[str]], language: str) -> dt.date | None:
    languages = [language, *(other for other in _NIGHTS if other != language)]
    days = []
    for match in matches:
        if not re.search(r"\d{4}", match.group(0)):
            continue
        parsed = dateparser.parse(
            match.group(0), languages=languages,
            settings={"DATE_ORDER": "MDY" if language == "en" else "DMY"},
        )  # fmt: skip
        if parsed is not None:
            days.append(parsed.date())
    return max(days) if days else None


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# Words that may sit between a weekday and the date it names: "Tuesday, 4 April", "le jeudi
# 14 juillet", "am Freitag, den 17. März", "el miércoles 9 de marzo".
_WEEKDAY_TO_DATE = re.compile(r"[\s,]*(?:(?:den|de|le|el|the)\s+)?$", re.IGNORECASE)


def _names_a_date(body: str, end: int, explicit: list[DateMention]) -> bool:
    """A weekday written right before an explicit date ("vrijdag 17 maart") is that date's
    weekday, not a second day counted back from publication."""
    return any(
        0 <= m.start - end <= 8 and _WEEKDAY_TO_DATE.fullmatch(body[end : m.start])
        for m in explicit
    )


def _said_on(body: str, start: int) -> bool:
    """A date right after a verb of saying ("said on Wednesday", "aseguró hoy", "a annoncé
    lundi") is when the news was told, not when the strike happened."""
    before = body[max(0, start - 60) : start]
    before = re.split(r"[.!?;\n]", before)[-1]
    return bool(_SAID.search(before))


_SAID = re.compile(
    r"\b(?:said|says|told(?: \w+)?|announced|added|confirmed|stated|reported|"
    r"zei|zegt|zeiden|meldde|meldden|meldt|verklaarde|bevestigde|"
    r"sagte|sagten|erklärte|erklärten|berichtete|meldete|bestätigte|"
    r"a (?:annoncé|déclaré|affirmé|indiqué|précisé|confirmé|rapporté)|"
    r"ont (?:annoncé|déclaré|affirmé|indiqué|précisé|confirmé|rapporté)|annonce|"
    r"dijo|dijeron|aseguró|aseguraron|informó|informaron|anunció|afirmó|declaró|indicó|"
    r"confirmó)\s+(?:on |op |am |le |el |el pasado |this |ce |este )?$",
    re.IGNORECASE,
)


def _anchor(report: Report, explicit: list[DateMention]) -> tuple[dt.date | None, bool]:
    """The day weekdays are counted from, and whether to look both ways from it."""
    if report.published is not None and report.published_precision == "day":
        return report.published, False
    days = [m.day for m in explicit if m.precision == "day" and m.day is not None]
    if not days:
        return None, False
    if report.published is not None:
        same_month = [
            d for d in days if (d.year, d.month) == (report.published.year, report.published.month)
        ]
        days = same_month or days
    return max(days), True


def _weekday_near(anchor: dt.date, weekday: int, both_ways: bool) -> dt.date:
    back = (anchor.weekday() - weekday) % 7
    if both_ways and back > ONE_EVENT_DAYS:
        return anchor + dt.timedelta(days=7 - back)
    return anchor - dt.timedelta(days=back)


def _mention(match: re.Match[str], day: dt.date | None, precision: str, kind: str) -> DateMention:
    return DateMention(match.start(), match.end(), match.group(0), day, precision, kind)


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)
