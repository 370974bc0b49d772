"""Casualty figures in a sentence: killed and injured as ranges, in five languages.

Number words become digits through ``text2num`` (``alpha2digit``: "honderd", "zweihundert",
"trente-deux", "veintisiete", "eenenveertig"). A figure counts as a casualty only when it is
tied to a death or injury word of its language, either before it ("12 people were killed",
"100 Syrische soldaten omgekomen", "27 muertos") or after it ("killing at least 12 people",
"a tué 32 personnes"). Anything else (attacking soldiers, missiles, years, ages) is ignored.

Qualifiers and vague amounts (documented choices):

* "at least 12" (minstens, mindestens, au moins, al menos) → min 12, max empty;
* "more than 20" (meer dan, ruim, mehr als, über, plus de, más de) → min 20, max empty: the
  figure the report gives is the lowest, as ACLED codes it, so the range holds it;
* "up to 12" / "as many as 12" (tot wel, bis zu, jusqu'à, hasta) → max 12, min empty;
* "fewer than 10" → max 10, min empty (likewise);
* "about / around / some 30" (ongeveer, etwa, environ, alrededor de ...) → 30–30,
  the figure as reported;
* "nearly / almost 40" (bijna, fast, knapp, presque, casi) → 36–40: a little under the figure,
  the figure itself included;
* "between 5 and 7", "5 to 7", "5-7" → 5–7;
* "a dozen" → 12, "two dozen" / "zwei Dutzend" / "deux douzaines" → 24;
  "une dizaine", "una decena", "een tiental" → 10 (and -vingtaine 20 ...);
* "dozens" / "Dutzende" → 24–99; "tientallen", "des dizaines", "decenas" → 20–99;
  "hundreds" / "honderden" / "Hunderte" / "des centaines" / "cientos" → 200–999;
  "several" / "meerdere" / "mehrere" / "plusieurs" / "varios" → 2–9;
  "scores" → 40–199.

A sentence that gives a running total ("Since October, more than 200 people have been
killed") states no figure of the event: it has no casualty figures. An attribution inside
a figure's phrase ("90 weitere wurden nach Angaben des Stadtrats verletzt") and an aside
between commas ("twelve people, mostly children, were killed") are read past.
"""

from __future__ import annotations

import re
from dataclasses import replace

from components.coding.amounts import (
    FILLERS,
    amount_at,
    digits_for_words,
    lower_tokens,
    token_value,
    unmarked,
)
from components.coding.people_words import (
    INJURED,
    KILLED,
    STOPS,
    Figure,
    is_casualty_word,
    is_civilian,
    is_person,
)
from components.coding.tolls import casualty_figure, joined_group, named_and_others, toll_rise

__all__ = ["INJURED", "KILLED", "Figure", "casualty_figures", "digits_for_words"]


def casualty_figures(sentence: str, language: str) -> list[Figure]:
    """Killed and injured figures stated in one sentence, in the order they appear."""
    if _RUNNING_TOTAL.search(sentence):
        return []
    text, vague = digits_for_words(sentence, language)
    tokens = lower_tokens(text)
    if language == "en":
        tokens = _indefinite_victims(tokens)
    figures: list[Figure] = list(_coded_figures(sentence))
    # "21 civilians, including 11 children, were killed": the head figure waits for the
    # casualty word that its part (the subset) is tied to.
    head: Figure | None = None
    # "Two Somali citizens and four Kenyan citizens died": groups joined by "and" add up.
    joined: tuple[int, int, int] | None = None
    index = 0
    while index < len(tokens):
        amount = amount_at(tokens, index, vague)
        if amount is None:
            index += 1
            continue
        low, high, last = amount
        figure = (
            casualty_figure(tokens, index, last, low, high)
            or toll_rise(tokens, index, last, low, high)
            or named_and_others(tokens, index, last, low, high)
        )
        subset = _is_subset(tokens, index) or _part_after(tokens, index, last)
        if figure is None and subset and figures:
            after = tokens[last + 1] if last + 1 < len(tokens) else ""
            phrase = " ".join(tokens[max(0, index - 2) : last + 2])
            figure = Figure(figures[-1].kind, low, high, is_civilian(after), phrase)
        if figure is None and not subset:
            head = _subset_head(tokens, index, last, low, high)
        elif figure is not None and subset and head is not None:
            figures.append(replace(head, kind=figure.kind, phrase=unmarked(head.phrase, vague)))
            head = None
        else:
            head = None
        if figure is None and low is not None and low == high:
            joined = joined_group(tokens, last, low)
        elif figure is not None and joined is not None and joined[1] == index:
            if figure.minimum is not None and figure.maximum == figure.minimum:
                total = figure.minimum + joined[2]
                figure = replace(figure, minimum=total, maximum=total)
            joined = None
        else:
            joined = None
        if figure is not None:
            loose = tokens[index] in vague and low != high
            figure = replace(figure, phrase=unmarked(figure.phrase, vague), subset=subset)
            figures.append(replace(figure, vague=loose))
        index = last + 1
    return figures


def _coded_figures(sentence: str) -> list[Figure]:
    """Figures as a coder recorded them: "fatalities coded as 3" is 3, "coded as zero" 0,
    and "10 fatalities split across 2 events" anything from 0 to 10 for one event."""
    found = []
    for match in _CODED_AS.finditer(sentence):
        written = (match.group(1) or match.group(2)).lower()
        value = 0 if written == "zero" else int(written)
        found.append(Figure(KILLED, value, value, phrase=match.group(0), coded=True))
    for match in _SPLIT_ACROSS.finditer(sentence):
        found.append(Figure(KILLED, 0, int(match.group(1)), phrase=match.group(0), coded=True))
    return found


_CODED_AS = re.compile(
    r"\b(?:fatalit\w*|deaths?)\s+(?:were\s+|was\s+)?coded\s+as\s+(\d{1,6}|zero)\b|"
    r"\bcoded\s+as\s+(\d{1,6}|zero)\s+fatal",
    re.IGNORECASE,
)
_SPLIT_ACROSS = re.compile(
    r"\b(\d{1,6})\s+fatalit\w*\s+(?:were\s+)?split\s+(?:across|between|among)", re.IGNORECASE
)


def _indefinite_victims(tokens: list[str]) -> list[str]:
    """ "killing a woman", "a QSD fighter was killed": an article before a person is one."""
    out = list(tokens)
    for index, token in enumerate(tokens):
        if token not in ("a", "an", "one") or index + 1 >= len(tokens):
            continue
        before = tokens[max(0, index - 2) : index]
        # Only where a toll is told: after its verb ("killing a woman", "the killing of a
        # person") or opening a clause ("A fighter was killed"), not inside a list of people.
        told = bool(before) and (
            is_casualty_word(before[-1]) or (before[-1] == "of" and is_casualty_word(before[0]))
        )
        if not (told or not before or before[-1] in STOPS or before[-1] == ","):
            continue
        following = tokens[index + 1 : index + 3]
        if is_person(following[0]) or (
            len(following) == 2
            and is_person(following[1])
            and following[0] not in STOPS
            and token_value(following[0]) is None
        ):
            out[index] = "1"
    return out


def _subset_head(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """An amount of people followed by a part of it ("21 civils, dont 11 enfants"), whose
    kind (killed or injured) the part's casualty word will give."""
    position = last + 1
    civilians = False
    while position < len(tokens) and (is_person(tokens[position]) or tokens[position] in FILLERS):
        civilians = civilians or is_civilian(tokens[position])
        position += 1
    if position == last + 1 or position >= len(tokens) or tokens[position] not in (",", "("):
        return None
    after = " ".join(tokens[position + 1 : position + 5])
    if not _SUBSET_START.match(after):
        return None
    phrase = " ".join(tokens[max(0, first - 3) : position])
    return Figure(KILLED, low, high, civilians, phrase)


# A running total of a war or campaign, not the toll of one strike.
_MONTH_OR_WAR = (
    r"(?:jan|feb|fév|mar|mär|maa|apr|avr|abr|may|mei|mai|ma[iy]o|jun|juin|jul|juil|aug|aoû|"
    r"ago|sep|oct|okt|nov|dec|dez|déc|dic)\w*|\d{4}|war|oorlog|krieg\w*|guerre|guerra|"
    r"conflict\w*|konflikt\w*|conflit|offensi\w+"
)
_RUNNING_TOTAL = re.compile(
    rf"^\W*(?:since|sinds|seit|depuis|desde)(?:\s+\S+){{0,2}}?\s+(?:{_MONTH_OR_WAR})\b|"
    r"\b(?:since the (?:start|beginning|outbreak)|sinds het begin|seit (?:Beginn|dem Beginn)|"
    r"depuis le début|desde el (?:inicio|comienzo|principio))\b",
    re.IGNORECASE,
)


def _is_subset(tokens: list[str], index: int) -> bool:
    before = " ".join(tokens[max(0, index - 5) : index])
    return bool(_SUBSET.search(before))


def _part_after(tokens: list[str], first: int, last: int) -> bool:
    """ "50 wounded, ten of them seriously": the amount is a part of the one before."""
    following = tokens[last + 1 : last + 3]
    return (
        first > 0
        and tokens[first - 1] == ","
        and (following[:1] == ["davon"] or " ".join(following) in _PART_OF_THEM)
    )


_PART_OF_THEM = frozenset(
    {"of them", "of whom", "van hen", "van wie", "d'entre eux", "d'entre elles", "de ellos",
     "de ellas"}
)  # fmt: skip
_SUBSET_WORDS = (
    r"including|among them|among whom|of whom|of them|waaronder|onder wie|onder hen|"
    r"darunter|unter ihnen|dont|parmi eux|parmi lesquels|entre ellos|entre ellas|incluidos|"
    r"incluidas|de ellos|de los cuales|"
    # "among the dead were 5 children", "Unter den Toten sei ein Kind"
    r"(?:among|onder|unter|parmi|entre) (?:the |de |den |les |los |las )?"
    r"(?:dead|victims|doden|slachtoffers|toten|opfern|morts|victimes|muertos|víctimas|"
    r"fallecidos)(?: (?:were|was|are|is|zijn|waren|is|sind|seien|sei|waren|war|se trouvent|"
    r"figurent|hay|había|habría|habrían|figuran|están|estarían))?"
)
_SUBSET = re.compile(
    rf"(?:{_SUBSET_WORDS})(?: at least| minstens| mindestens| au moins| al menos)?$"
)
_SUBSET_START = re.compile(rf"(?:{_SUBSET_WORDS})(?:\s|$)")
