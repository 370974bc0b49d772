"""A news report as plain text: its publication date line, its body, its sentences and language.

A report file may begin with ``date YYYY-MM`` or ``date YYYY-MM-DD`` (the publication date);
the body is everything after it. Sentences keep their character offsets in the body so that
evidence can be highlighted where it was found.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from components.coding.vocab import languages

__all__ = [
    "LANGUAGES",
    "Report",
    "Sentence",
    "dateline_end",
    "detect_language",
    "publication_stamp",
    "read_report",
    "split_sentences",
]

# The languages the coder reads: one vocabulary file each (see vocab.py).
LANGUAGES = languages()


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the body, with its offsets (``body[start:end] == text``)."""

    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Report:
    """A report split into what the coder needs."""

    body: str
    published: dt.date | None
    published_precision: str  # "day", "month" or "" when no date is known
    language: str
    sentences: tuple[Sentence, ...] = field(default_factory=tuple)

    @property
    def source_date(self) -> str:
        """The publication date as written in the canonical table (YYYY-MM-DD or YYYY-MM)."""
        if self.published is None:
            return ""
        if self.published_precision == "month":
            return self.published.strftime("%Y-%m")
        return self.published.isoformat()

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence that holds the character at ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None


def read_report(
    text: str, *, published: dt.date | None = None, language: str | None = None
) -> Report:
    """Split a report's text; ``published`` (if given) wins over the report's date line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _DATE_LINE.match(text)
    precision = ""
    line_date = None
    if match:
        line_date, precision = _date_of(match.group(1))
        body = text[match.end() :]
    else:
        body = text
    body = body.strip()
    if line_date is None:
        stamp = publication_stamp(body)
        if stamp is not None:
            line_date, precision, cut = stamp
            body = body[cut:].strip()
    if published is not None:
        line_date, precision = published, "day"
    return Report(
        body=body,
        published=line_date,
        published_precision=precision if line_date else "",
        language=language or detect_language(body),
        sentences=tuple(split_sentences(body)),
    )


def publication_stamp(body: str) -> tuple[dt.date, str, int] | None:
    """The publication date a report states at its top, as (date, "day", characters of the
    body that are only the stamp): a timestamp line ("Publié le 27/05/2024 à 09h12",
    "20.07.2022, 19:45 Uhr", "Published 7:41 AM GMT+2, April 12, 2023") is cut from the
    body (like the ``date`` line); a wire dateline with a year ("KYIV, Aug 19, 2023 (Reuters)
    -", "Bamako, 26 août 2024 (AFP) -") stays in the body, it is the lead's first words."""
    first_line = body.split("\n", 1)[0]
    stripped = first_line.strip()
    if stripped and len(stripped) <= _STAMP_LENGTH and _YEAR.search(stripped):
        words = [w for w in _STAMP_WORD.findall(stripped) if not _stamp_filler(w)]
        if all(_is_date_word(w) for w in words):
            day = _parse_day(_CLOCK.sub(" ", stripped))
            if day is not None:
                return day, "day", len(first_line)
    dateline = _DATELINE.match(stripped)
    if dateline and "," in dateline.group("head"):
        date = dateline.group("head").split(",", 1)[1]
        day = _parse_day(date) if _YEAR.search(date) else None
        if day is not None:
            return day, "day", 0
    return None


def dateline_end(body: str) -> int:
    """Where a wire dateline ("KYIV, Aug 19 (Reuters) -", "Gaza (AFP) -", "Kabul, 26 ago
    (EFE).-") ends in the body, 0 without one: its place is where the report was filed and
    its date the day it was, not the strike's."""
    match = _DATELINE.match(body)
    return match.end() if match else 0


def split_sentences(body: str) -> list[Sentence]:
    """Sentences at ., ! or ? before a capital, and at line breaks; abbreviations and
    German ordinal dates ("am 24. Februar") do not end a sentence."""
    cuts = [0]
    for match in _SENTENCE_END.finditer(body):
        before = body[max(0, match.start() - 12) : match.start() + 1]
        word = re.search(r"(\S+)$", before)
        token = word.group(1).lower() if word else ""
        if token.rstrip(".") in _ABBREVIATIONS or re.fullmatch(r"\d{1,2}\.", token):
            continue
        if re.fullmatch(r"(?:[a-z]\.){2,}", token):
            continue
        cuts.append(match.end())
    for match in re.finditer(r"\n", body):
        cuts.append(match.end())
    cuts.append(len(body))
    sentences: list[Sentence] = []
    for start, end in zip(sorted(set(cuts)), sorted(set(cuts))[1:], strict=False):
        chunk = body[start:end]
        stripped_start = start + len(chunk) - len(chunk.lstrip())
        stripped_end = start + len(chunk.rstrip())
        if stripped_end > stripped_start:
            text = body[stripped_start:stripped_end]
            sentences.append(Sentence(len(sentences), stripped_start, stripped_end, text))
    return sentences


def detect_language(text: str) -> str:
    """The most likely of en, nl, de, fr, es (lingua's statistical models, restricted to
    these five); "en" when the text gives nothing to go on."""
    found = _detector().detect_language_of(text[:LANGUAGE_SAMPLE])
    if found is None:
        return "en"
    return found.iso_code_639_1.name.lower()


# Characters of a report read to tell its language: a lead says it, and this bounds the work.
LANGUAGE_SAMPLE = 3000


@functools.cache
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


# ---------------------------------------------------------------------------------------
# Helpers


def _words(text: str) -> list[str]:
    """The words of a space-separated list written as one string."""
    return text.split()


_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)(?![\d-])[ \t]*\n?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)]*\s+(?=[\"'“‘«(¿¡]?[A-ZÀ-ÖØ-Þ0-9])")
_ABBREVIATIONS = frozenset(
    _words(
        "mr mrs ms dr st gen col lt sgt capt maj prof jan feb mar apr jun jul aug sep sept oct nov"
        " dec no nr vs etc dhr mevr drs ir bzw ca mme mlle sr sra dña gral art"
    )
)


_STAMP_LENGTH = 70
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CLOCK = re.compile(
    r"\b\d{1,2}[:h.]\d{2}(?![./-]?\d)(?:\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h|hrs|cet|cest|gmt|utc)\b)?"
    r"(?:\s*(?:gmt|utc)\s*[+-]\s*\d{1,2})?",
    re.IGNORECASE,
)
_STAMP_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words a timestamp line may hold besides the date itself.
_STAMP_FILLERS = frozenset(
    _words(
        "published updated posted last on at am pm gmt utc cet cest est edt bst "
        "gepubliceerd bijgewerkt gewijzigd om op uur "
        "veröffentlicht aktualisiert stand am um uhr "
        "publié mis à jour le à h "
        "publicado actualizado el a las de del h"
    )
)
# A wire dateline: "KYIV, Aug 19, 2023 (Reuters) -", "Bamako, 26 août 2024 (AFP) -".
_DATELINE = re.compile(
    r"^(?P<head>[^\W\d][^()\n]{0,60}?)\s*(?:\([^()\n]{1,40}\)\s*)*"
    r"\((?P<agency>[A-Za-z][A-Za-z/ .-]{1,30})\)\s*\.?\s*[-—–]+"
)


def _stamp_filler(word: str) -> bool:
    return word.lower() in _STAMP_FILLERS


@functools.cache
def _date_words() -> frozenset[str]:
    """Month and weekday names (and their abbreviations) in the five languages."""
    from dateparser.languages.loader import default_loader

    keys = (
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    )  # fmt: skip
    names = set()
    for code in LANGUAGES:
        info = default_loader.get_locale(code).info
        for key in keys:
            names.update(n.lower().rstrip(".") for n in info.get(key, []))
    return frozenset(names)


def _is_date_word(word: str) -> bool:
    return word.lower().rstrip(".") in _date_words()


def _parse_day(text: str) -> dt.date | None:
    import dateparser

    text = " ".join(w for w in re.split(r"\s+", text) if not _stamp_filler(w.strip(",.")))
    numeric = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)\b", text)
    if numeric:  # day first, as in every language here but English, whose wires spell months
        day, month, year = (int(g) for g in numeric.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    parsed = dateparser.parse(
        text, languages=list(LANGUAGES), settings={"PREFER_DAY_OF_MONTH": "first"}
    )
    return parsed.date() if parsed else None


def _date_of(text: str) -> tuple[dt.date | None, str]:
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01"), "month"
        return dt.date.fromisoformat(text), "day"
    except ValueError:
        return None, ""
