"""Whether an amount is a toll: a death or injury word after it ("12 people were killed") or
before it ("killing at least 12"), an updated toll ("rose to 16"), or one named and others
("the mayor and 15 others")."""

from __future__ import annotations

import re

from components.coding.amounts import AGE_WORDS, FILLERS, UNITS, is_qualifier, token_value
from components.coding.people_words import (
    AND,
    ASIDE_REACH,
    ATTRIBUTION,
    ATTRIBUTION_REACH,
    CLAUSE_STARTS,
    DAY_WORDS,
    GROUP_NOUNS,
    KILLED,
    OF,
    PASSIVE,
    PREPOSITIONS,
    QUOTES,
    STOPS,
    Figure,
    casualty_kind,
    is_casualty_word,
    is_civilian,
    is_person,
)


def casualty_figure(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    phrase_start = max(0, first - 3)
    forward = _word_after(tokens, last)
    if forward is not None:
        kind, end, civilians = forward
        phrase = " ".join(tokens[phrase_start : end + 1])
        return Figure(kind, low, high, civilians, phrase)
    backward = _word_before(tokens, first, last)
    # "murieron ... por un bombardeo": an article read as 1 counts only before a person.
    if backward is not None and (low, high) == (1, 1) and not _person_follows(tokens, last):
        return None
    if backward is not None:
        kind, start, civilians = backward
        phrase = " ".join(tokens[start : last + 2])
        return Figure(kind, low, high, civilians, phrase)
    return None


def joined_group(tokens: list[str], last: int, value: int) -> tuple[int, int, int] | None:
    """(end, index of the next amount, value) when people words and "and" follow an amount."""
    position = last + 1
    person = False
    while position < len(tokens) and position <= last + 4:
        token = tokens[position]
        if is_person(token):
            person = True
        elif token in AND:
            following = position + 1
            if person and following < len(tokens) and token_value(tokens[following]) is not None:
                return (position, following, value)
            return None
        elif token in STOPS or token_value(token) is not None:
            return None
        position += 1
    return None


def _person_follows(tokens: list[str], last: int) -> bool:
    following = tokens[last + 1 : last + 3]
    return any(is_person(t) or t in GROUP_NOUNS for t in following)


def toll_rise(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """ "The number of people killed ... rose to 16", "stieg die Zahl der Toten auf 19": an
    updated toll, of the casualty word nearest before its verb."""
    start = first
    for length in (3, 2, 1):
        if start - length >= 0 and is_qualifier(" ".join(tokens[start - length : start])):
            start -= length
            break
    if start == 0 or tokens[start - 1] not in _RISE_TO:
        return None
    verb = next(
        (p for p in range(start - 2, max(-1, start - 9), -1) if _RISE_VERB.fullmatch(tokens[p])),
        None,
    )
    if verb is None:
        return None
    for position in range(start - 2, max(-1, verb - _TOLL_REACH), -1):
        if tokens[position] in STOPS:
            return None
        kind = KILLED if tokens[position] in _TOLL_WORDS else casualty_kind(tokens, position)
        if kind:
            phrase = " ".join(tokens[min(position, verb) : last + 1])
            return Figure(kind, low, high, False, phrase)
    return None


def named_and_others(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """ "killing the mayor and 15 other people": the one named and the others, 16 in all."""
    after = tokens[last + 1] if last + 1 < len(tokens) else ""
    if first < 2 or tokens[first - 1] not in AND or after not in _OTHERS:
        return None
    for position in range(first - 2, max(-1, first - 2 - _NAMED_REACH), -1):
        token = tokens[position]
        if token in STOPS or token in AND or token_value(token) is not None:
            return None
        kind = casualty_kind(tokens, position)
        if kind:
            low = None if low is None else low + 1
            high = None if high is None else high + 1
            return Figure(kind, low, high, False, " ".join(tokens[position : last + 3]))
    return None


_OTHERS = frozenset({"others", "other", "autres", "anderen", "andere", "weitere", "otros",
                     "otras"})  # fmt: skip
_NAMED_REACH = 7
_RISE_TO = frozenset({"to", "at", "tot", "naar", "op", "auf", "à", "a"})
_RISE_VERB = re.compile(
    r"rose|risen|rises|rising|climbed|climbs|climbing|jumped|increased|reached|"
    r"steeg|stijgt|gestegen|opgelopen|liep|loopt|"
    r"stieg|steigt|gestiegen|kletterte|erhöhte|"
    r"passé|passe|élevé|élève|monté|grimpé|alourdi|"
    r"subió|sube|aumentó|ascendió|asciende|elevó|eleva"
)
_TOLL_WORDS = frozenset({"toll", "bilan", "balance", "dodental"})
_TOLL_REACH = 30


def _word_after(tokens: list[str], last: int) -> tuple[str, int, bool] | None:
    """A death or injury word after the amount, with only people-words between."""
    unknown = 0
    person = False
    civilians = False
    reach = last + 8
    position = last
    while position + 1 < min(len(tokens), reach):
        position += 1
        token = tokens[position]
        kind = casualty_kind(tokens, position)
        if kind:
            # "Eight Palestinians were killed": the one word after the amount is who was
            # counted (a people's name), since the casualty word is passive.
            counted = (
                unknown == 1 and position > last + 2 and not is_casualty_word(tokens[last + 1])
            )
            passive = counted and any(t in PASSIVE for t in tokens[last + 2 : position])
            if unknown and not person and not passive:
                return None
            return kind, position, civilians
        if token in QUOTES:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if token in ATTRIBUTION and following not in STOPS:
            # "nach Angaben des Stadtrats", "according to officials": said who, not what.
            reach += ATTRIBUTION_REACH
            skip = _attribution_end(tokens, position)
            reach += skip - position
            position = skip
            continue
        if token == "," and person:
            aside = _aside_end(tokens, position)
            if aside is not None:  # "12 personnes, en majorité des enfants, ont été tuées"
                reach += aside - position
                position = aside
                continue
        if token in AND and person and is_person(following):
            continue  # "zwölf Kinder und Jugendliche"
        if token_value(token) is not None and following in AGE_WORDS and person:
            position += 1  # "un niño de cinco años": the age of the people counted
            continue
        if token_value(token) == 1 and tokens[position - 1] in OF:
            token = "one"  # "7 leden van één familie": an article, not a second amount
        elif token_value(token) is not None or token in STOPS or token in AND:
            return None
        if is_person(token):
            person = True
            civilians = civilians or is_civilian(token)
        elif token not in FILLERS:
            unknown += 1
            if unknown > 2:
                return None
    return None


def _attribution_end(tokens: list[str], start: int) -> int:
    """The last token of an attribution ("nach Angaben des Stadtrats") starting at ``start``."""
    position = start
    limit = min(len(tokens) - 1, start + ATTRIBUTION_REACH)
    while position < limit:
        following = tokens[position + 1]
        if following in STOPS or following == "," or is_casualty_word(following):
            break
        if following in FILLERS and position > start + 1:
            break
        position += 1
    return position


def _aside_end(tokens: list[str], comma: int) -> int | None:
    """The closing comma of a short aside without figures ("12 people, mostly children,")."""
    for position in range(comma + 1, min(len(tokens), comma + ASIDE_REACH + 1)):
        token = tokens[position]
        if token == ",":
            return position if position > comma + 1 else None
        if token in STOPS or token_value(token) is not None or is_casualty_word(token):
            return None
        if token.startswith("qvague"):
            return None
    return None


def _word_before(tokens: list[str], first: int, last: int) -> tuple[str, int, bool] | None:
    """A death or injury word shortly before the amount ("killing at least 12 people")."""
    after = tokens[last + 1] if last + 1 < len(tokens) else ""
    if after in UNITS:
        return None
    civilians = is_civilian(after)
    for length in (3, 2, 1):  # step over "at least", "au moins", "mehr als" ...
        if first - length >= 0 and is_qualifier(" ".join(tokens[first - length : first])):
            first -= length
            break
    unknown = 0
    reach = first - 6
    for position in range(first - 1, -1, -1):
        if position <= reach:
            break
        token = tokens[position]
        if token in DAY_WORDS:
            reach -= 2  # "el sábado", "am Montag": the day does not count against the reach
        kind = casualty_kind(tokens, position)
        if kind:
            return kind, position, civilians
        if token_value(token) is not None or token in STOPS or token in AND:
            return None
        # "killed in 3 villages": a preposition between means the number is not the toll;
        # "died when a missile hit": a new clause begins, about something else.
        if token in PREPOSITIONS or token in CLAUSE_STARTS:
            return None
        if token not in FILLERS and token not in DAY_WORDS:  # "mató el sábado a 90"
            unknown += 1
            if unknown > 2:
                return None
    return None
