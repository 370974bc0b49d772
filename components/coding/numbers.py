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

import contextlib
import re
from dataclasses import dataclass, replace

from text_to_num import alpha2digit

from components.coding.vocab import alternation

__all__ = ["INJURED", "KILLED", "Figure", "casualty_figures", "digits_for_words"]

KILLED = "killed"
INJURED = "injured"
MAX_DIGITS = 12


@dataclass(frozen=True, slots=True)
class Figure:
    """One casualty figure: what it counts, its range, and the words it was read from."""

    kind: str
    minimum: int | None
    maximum: int | None
    civilians: bool = False
    phrase: str = ""
    subset: bool = False  # part of a figure given just before ("including 5 children")
    vague: bool = False  # a vague amount ("dozens", "des dizaines"), not a figure as such
    coded: bool = False  # the figure a coder recorded ("fatalities coded as 3"): the figure

    def holds(self, value: int) -> bool:
        """Whether a reported figure lies in this range."""
        low = self.minimum if self.minimum is not None else 0
        return low <= value and (self.maximum is None or value <= self.maximum)


def _words(text: str) -> list[str]:
    """The words of a space-separated list written as one string."""
    return text.split()


def casualty_figures(sentence: str, language: str) -> list[Figure]:
    """Killed and injured figures stated in one sentence, in the order they appear."""
    if _RUNNING_TOTAL.search(sentence):
        return []
    text, vague = digits_for_words(sentence, language)
    tokens = _tokens(text)
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
        amount = _amount_at(tokens, index, vague)
        if amount is None:
            index += 1
            continue
        low, high, last = amount
        figure = (
            _casualty(tokens, index, last, low, high)
            or _toll_rise(tokens, index, last, low, high)
            or _named_and_others(tokens, index, last, low, high)
        )
        subset = _is_subset(tokens, index) or _part_after(tokens, index, last)
        if figure is None and subset and figures:
            after = tokens[last + 1] if last + 1 < len(tokens) else ""
            phrase = " ".join(tokens[max(0, index - 2) : last + 2])
            figure = Figure(figures[-1].kind, low, high, _is_civilian(after), phrase)
        if figure is None and not subset:
            head = _subset_head(tokens, index, last, low, high)
        elif figure is not None and subset and head is not None:
            figures.append(replace(head, kind=figure.kind, phrase=_unmarked(head.phrase, vague)))
            head = None
        else:
            head = None
        if figure is None and low is not None and low == high:
            joined = _joined_group(tokens, last, low)
        elif figure is not None and joined is not None and joined[1] == index:
            if figure.minimum is not None and figure.maximum == figure.minimum:
                total = figure.minimum + joined[2]
                figure = replace(figure, minimum=total, maximum=total)
            joined = None
        else:
            joined = None
        if figure is not None:
            loose = tokens[index] in vague and low != high
            figure = replace(figure, phrase=_unmarked(figure.phrase, vague), subset=subset)
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
            _is_casualty_word(before[-1]) or (before[-1] == "of" and _is_casualty_word(before[0]))
        )
        if not (told or not before or before[-1] in _STOPS or before[-1] == ","):
            continue
        following = tokens[index + 1 : index + 3]
        if _is_person(following[0]) or (
            len(following) == 2
            and _is_person(following[1])
            and following[0] not in _STOPS
            and _value(following[0]) is None
        ):
            out[index] = "1"
    return out


def _unmarked(phrase: str, vague: dict[str, tuple[tuple[int, int], str]]) -> str:
    return _MARKER.sub(lambda m: vague.get(m.group(0), ((0, 0), ""))[1], phrase)


def _subset_head(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """An amount of people followed by a part of it ("21 civils, dont 11 enfants"), whose
    kind (killed or injured) the part's casualty word will give."""
    position = last + 1
    civilians = False
    while position < len(tokens) and (_is_person(tokens[position]) or tokens[position] in _FILLERS):
        civilians = civilians or _is_civilian(tokens[position])
        position += 1
    if position == last + 1 or position >= len(tokens) or tokens[position] not in (",", "("):
        return None
    after = " ".join(tokens[position + 1 : position + 5])
    if not _SUBSET_START.match(after):
        return None
    phrase = " ".join(tokens[max(0, first - 3) : position])
    return Figure(KILLED, low, high, civilians, phrase)


def digits_for_words(
    sentence: str, language: str
) -> tuple[str, dict[str, tuple[tuple[int, int], str]]]:
    """The sentence with number words as digits, and vague amounts ("dozens") as markers
    (each marker with its range and the words it stands for)."""
    vague: dict[str, tuple[tuple[int, int], str]] = {}

    def mark(match: re.Match[str], span: tuple[int, int]) -> str:
        marker = f"QVAGUE{len(vague)}Q"
        vague[marker.lower()] = (span, match.group(0))
        return f" {marker} "

    text = sentence
    for pattern, span in _VAGUE:
        text = pattern.sub(lambda m, s=span: mark(m, s), text)
    text = _SPANISH_APOCOPE.sub(lambda m: m.group(0)[:-2] + "uno", text)
    # When the library's parser gives up, the words stay words.
    with contextlib.suppress(ValueError, KeyError, IndexError):
        text = alpha2digit(text, language if language in _TEXT2NUM else "en", threshold=0)
    text = _DOZENS_OF.sub(lambda m: str(int(m.group(1)) * 12), text)
    return text, vague


# ---------------------------------------------------------------------------------------
# Helpers

_TEXT2NUM = {"en", "fr", "es", "de", "nl"}

_VAGUE_WORDS: list[tuple[str, tuple[int, int]]] = [
    (r"a dozen|one dozen|een dozijn|ein dutzend|une douzaine|una docena", (12, 12)),
    (r"une dizaine|una decena|een tiental", (10, 10)),
    (r"une vingtaine|una veintena|een twintigtal", (20, 20)),
    (r"une trentaine|una treintena|een dertigtal", (30, 30)),
    (r"une quarantaine|una cuarentena|een veertigtal", (40, 40)),
    (r"une cinquantaine|una cincuentena|een vijftigtal", (50, 50)),
    (r"une centaine|un centenar|een honderdtal", (100, 100)),
    (r"dozens|dutzende|dutzenden", (24, 99)),
    (r"tientallen|des dizaines|decenas|dozijnen", (20, 99)),
    (r"hundreds|honderden|hunderte|hunderten|des centaines|centenares|cientos", (200, 999)),
    (r"scores", (40, 199)),
    (r"several|meerdere|verscheidene|mehrere|plusieurs|varios|varias", (2, 9)),
]
_VAGUE = [
    (re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE), span)
    for words, span in _VAGUE_WORDS
]
# "two dozen", "zwei Dutzend", "deux douzaines", "dos docenas", "twee dozijn" (as digits).
_DOZENS_OF = re.compile(
    r"\b(\d{1,2})\s+(?:dozen|dutzend|douzaines?|docenas?|dozijn)(?![\w-])", re.IGNORECASE
)
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
_SPANISH_APOCOPE = re.compile(r"\bveinti[uú]n\b", re.IGNORECASE)

_TOKEN = re.compile(
    r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?![\d])|\d+|qvague\d+q|"
    r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\s\w]",
    re.IGNORECASE,
)


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def _value(token: str) -> int | None:
    # A run of digits longer than any count of people (and than int() reads) is no figure.
    if token[0].isdigit() and len(token) <= MAX_DIGITS:
        return int(re.sub(r"\D", "", token))
    return None


def _amount_at(
    tokens: list[str], index: int, vague: dict[str, tuple[tuple[int, int], str]]
) -> tuple[int | None, int | None, int] | None:
    """(min, max, index of the last token) of an amount starting at ``index``."""
    token = tokens[index]
    if token in vague:
        (low, high), _ = vague[token]
        before = " ".join(tokens[max(0, index - 3) : index])
        if low == high and _qualifier(before) == "almost":  # "nearly a dozen"
            low = max(high - max(1, round(high / 10)), 0)
        return low, high, index
    value = _value(token)
    if value is None or _not_a_count(tokens, index, value):
        return None
    low: int | None = value
    high: int | None = value
    last = index
    # "5 to 7", "5-7", "entre 5 y 7"
    if index + 2 < len(tokens) and tokens[index + 1] in _RANGE_JOINERS:
        other = _value(tokens[index + 2])
        if other is not None and other > value:
            between = index > 0 and (
                tokens[index - 1] in _BETWEEN
                or (index > 1 and tokens[index - 2] in _BETWEEN and tokens[index - 1] in _FILLERS)
            )
            if between or tokens[index + 1] not in _AND:
                return value, other, index + 2
    before = " ".join(tokens[max(0, index - 3) : index])
    qualifier = _qualifier(before)
    if qualifier == "min":
        high = None
    elif qualifier == "more":
        low, high = value, None
    elif qualifier == "max":
        low = None
    elif qualifier == "less":
        low, high = None, value
    elif qualifier == "almost":
        low = max(value - max(1, round(value / 10)), 0)
    return low, high, last


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


def _qualifier(before: str) -> str:
    for kind, pattern in _QUALIFIERS:
        if pattern.search(before):
            return kind
    return ""


def _is_qualifier(text: str) -> bool:
    return bool(_ANY_QUALIFIER.fullmatch(text))


def _not_a_count(tokens: list[str], index: int, value: int) -> bool:
    """Years, ages, ordinals, times, percentages and measures are not counts of people."""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    after2 = tokens[index + 2] if index + 2 < len(tokens) else ""
    before = tokens[index - 1] if index > 0 else ""
    if 1900 <= value <= 2100 and not _is_casualty_word(after):
        return True
    # "tués le 28 septembre", "on September 28", "ein Zehntel": dates and fractions.
    if after in _ALL_MONTHS or (before in _ALL_MONTHS and value <= 31) or after in _FRACTIONS:
        return True
    if after in _UNITS or after in _ORDINAL_SUFFIXES or before in (":", "nr", "no", "nummer"):
        return True
    if after == ":" or (after == "." and after2 and after2[0].isalpha() and after2 in _MONTHS):
        return True
    if after == "-" and after2.startswith(("year", "jar", "jähr", "an", "añ")):
        return True
    return after in ("jarige", "jährige", "jähriger") or after2 in _AGE_WORDS


def _casualty(
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


def _joined_group(tokens: list[str], last: int, value: int) -> tuple[int, int, int] | None:
    """(end, index of the next amount, value) when people words and "and" follow an amount."""
    position = last + 1
    person = False
    while position < len(tokens) and position <= last + 4:
        token = tokens[position]
        if _is_person(token):
            person = True
        elif token in _AND:
            following = position + 1
            if person and following < len(tokens) and _value(tokens[following]) is not None:
                return (position, following, value)
            return None
        elif token in _STOPS or _value(token) is not None:
            return None
        position += 1
    return None


def _person_follows(tokens: list[str], last: int) -> bool:
    following = tokens[last + 1 : last + 3]
    return any(_is_person(t) or t in _GROUP_NOUNS for t in following)


def _toll_rise(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """ "The number of people killed ... rose to 16", "stieg die Zahl der Toten auf 19": an
    updated toll, of the casualty word nearest before its verb."""
    start = first
    for length in (3, 2, 1):
        if start - length >= 0 and _is_qualifier(" ".join(tokens[start - length : start])):
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
        if tokens[position] in _STOPS:
            return None
        kind = KILLED if tokens[position] in _TOLL_WORDS else _casualty_kind(tokens, position)
        if kind:
            phrase = " ".join(tokens[min(position, verb) : last + 1])
            return Figure(kind, low, high, False, phrase)
    return None


def _named_and_others(
    tokens: list[str], first: int, last: int, low: int | None, high: int | None
) -> Figure | None:
    """ "killing the mayor and 15 other people": the one named and the others, 16 in all."""
    after = tokens[last + 1] if last + 1 < len(tokens) else ""
    if first < 2 or tokens[first - 1] not in _AND or after not in _OTHERS:
        return None
    for position in range(first - 2, max(-1, first - 2 - _NAMED_REACH), -1):
        token = tokens[position]
        if token in _STOPS or token in _AND or _value(token) is not None:
            return None
        kind = _casualty_kind(tokens, position)
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
        kind = _casualty_kind(tokens, position)
        if kind:
            # "Eight Palestinians were killed": the one word after the amount is who was
            # counted (a people's name), since the casualty word is passive.
            counted = (
                unknown == 1 and position > last + 2 and not _is_casualty_word(tokens[last + 1])
            )
            passive = counted and any(t in _PASSIVE for t in tokens[last + 2 : position])
            if unknown and not person and not passive:
                return None
            return kind, position, civilians
        if token in _QUOTES:
            continue
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if token in _ATTRIBUTION and following not in _STOPS:
            # "nach Angaben des Stadtrats", "according to officials": said who, not what.
            reach += _ATTRIBUTION_REACH
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
        if token in _AND and person and _is_person(following):
            continue  # "zwölf Kinder und Jugendliche"
        if _value(token) is not None and following in _AGE_WORDS and person:
            position += 1  # "un niño de cinco años": the age of the people counted
            continue
        if _value(token) == 1 and tokens[position - 1] in _OF:
            token = "one"  # "7 leden van één familie": an article, not a second amount
        elif _value(token) is not None or token in _STOPS or token in _AND or token in _VAGUE_OR:
            return None
        if _is_person(token):
            person = True
            civilians = civilians or _is_civilian(token)
        elif token not in _FILLERS:
            unknown += 1
            if unknown > 2:
                return None
    return None


def _attribution_end(tokens: list[str], start: int) -> int:
    """The last token of an attribution ("nach Angaben des Stadtrats") starting at ``start``."""
    position = start
    limit = min(len(tokens) - 1, start + _ATTRIBUTION_REACH)
    while position < limit:
        following = tokens[position + 1]
        if following in _STOPS or following == "," or _is_casualty_word(following):
            break
        if following in _FILLERS and position > start + 1:
            break
        position += 1
    return position


def _aside_end(tokens: list[str], comma: int) -> int | None:
    """The closing comma of a short aside without figures ("12 people, mostly children,")."""
    for position in range(comma + 1, min(len(tokens), comma + _ASIDE_REACH + 1)):
        token = tokens[position]
        if token == ",":
            return position if position > comma + 1 else None
        if token in _STOPS or _value(token) is not None or _is_casualty_word(token):
            return None
        if token.startswith("qvague"):
            return None
    return None


def _word_before(tokens: list[str], first: int, last: int) -> tuple[str, int, bool] | None:
    """A death or injury word shortly before the amount ("killing at least 12 people")."""
    after = tokens[last + 1] if last + 1 < len(tokens) else ""
    if after in _UNITS:
        return None
    civilians = _is_civilian(after)
    for length in (3, 2, 1):  # step over "at least", "au moins", "mehr als" ...
        if first - length >= 0 and _is_qualifier(" ".join(tokens[first - length : first])):
            first -= length
            break
    unknown = 0
    reach = first - 6
    for position in range(first - 1, -1, -1):
        if position <= reach:
            break
        token = tokens[position]
        if token in _DAY_WORDS:
            reach -= 2  # "el sábado", "am Montag": the day does not count against the reach
        kind = _casualty_kind(tokens, position)
        if kind:
            return kind, position, civilians
        if _value(token) is not None or token in _STOPS or token in _AND:
            return None
        # "killed in 3 villages": a preposition between means the number is not the toll;
        # "died when a missile hit": a new clause begins, about something else.
        if token in _PREPOSITIONS or token in _CLAUSE_STARTS:
            return None
        if token not in _FILLERS and token not in _DAY_WORDS:  # "mató el sábado a 90"
            unknown += 1
            if unknown > 2:
                return None
    return None


def _casualty_kind(tokens: list[str], position: int) -> str:
    token = tokens[position]
    previous = tokens[position - 1] if position > 0 else ""
    if _KILLED_WORD.fullmatch(token):
        return KILLED
    if _INJURED_WORD.fullmatch(token):
        return INJURED
    # "30 patients were being treated" when the hospital was hit: in care before, not hurt.
    if _TREATED_WORD.fullmatch(token) and previous not in _IN_CARE:
        return INJURED
    if (token, previous) in _KILLED_PHRASE_ENDS:
        return KILLED
    return ""


def _is_casualty_word(token: str) -> bool:
    return bool(
        _KILLED_WORD.fullmatch(token)
        or _INJURED_WORD.fullmatch(token)
        or _TREATED_WORD.fullmatch(token)
    )


def _is_person(token: str) -> bool:
    return token.endswith(_PERSON_ENDINGS) or token in _PERSON_WORDS or token in _GROUP_NOUNS


def _is_civilian(token: str) -> bool:
    return token.endswith(_CIVILIAN_ENDINGS)


_KILLED_WORD = re.compile(alternation("casualties", "killed"))
_INJURED_WORD = re.compile(alternation("casualties", "injured"))
# Treated in hospital after the strike: hurt, though the report does not say "injured".
_TREATED_WORD = re.compile(alternation("casualties", "treated"))
_IN_CARE = frozenset({"being", "still", "already"})
# Multi-word death phrases, recognised by their last word and the one before it.
_KILLED_PHRASE_ENDS = {
    ("leven", "het"),  # om het leven
    ("leben", "ums"),  # ums Leben
    ("vie", "la"),  # ont perdu la vie
    ("vida", "la"),  # perdieron la vida
    ("lives", "their"),  # lost their lives
    ("mortales", "víctimas"),
}
_PERSON_ENDINGS = (
    "people", "persons", "person", "civilians", "civilian", "soldiers", "soldier", "fighters",
    "militants", "children", "child", "women", "woman", "men", "members", "troops",
    "servicemen", "rebels", "insurgents", "police", "policemen", "officers", "guards",
    "residents", "villagers", "worshippers", "students", "workers", "militiamen", "combatants",
    "jihadists", "recruits", "personnel", "passengers", "patients", "journalists", "others",
    "girls", "boys", "tourists", "cadets", "pilgrims", "guests", "mourners", "shoppers",
    "refugees", "migrants", "detainees", "prisoners", "inmates", "babies", "infants",
    "meisjes", "jongens", "toeristen", "cadetten", "vluchtelingen", "gevangenen", "baby's",
    "mädchen", "jungen", "touristen", "urlauber", "kadetten", "flüchtlinge", "gefangene",
    "häftlinge", "babys",
    "filles", "garçons", "touristes", "réfugiés", "détenus", "prisonniers", "déplacés",
    "bébés", "chicos", "chicas", "turistas", "cadetes", "refugiados", "detenidos", "presos",
    "desplazados", "bebés", "staff", "employees", "doctors", "medics", "nurses", "volunteers",
    "medewerkers", "artsen", "hulpverleners", "vrijwilligers", "mitarbeiter", "mitarbeiterinnen",
    "ärzte", "helfer", "sanitäter", "employés", "médecins", "secouristes", "soignants",
    "bénévoles", "empleados", "trabajadores", "médicos", "sanitarios", "voluntarios",
    "dissidents", "disidentes", "dissidenten", "guerrillas",
    "guerrilleros", "guerrilleras", "smugglers", "contrabandistas", "teenagers", "adolescents",
    "adolescentes", "jugendliche", "jugendlichen", "jongeren", "tieners", "terrorists",
    "terroristas", "terroristes", "terroristen", "militantes", "insurgés",
    "mensen", "personen", "persoon", "burgers", "burger", "soldaten", "soldaat", "strijders",
    "militairen", "militair", "kinderen", "vrouwen", "mannen", "leden", "rebellen", "agenten",
    "militanten", "inwoners", "dorpelingen", "jihadisten", "anderen",
    "menschen", "zivilisten", "zivilist", "soldat", "kämpfer", "kinder", "frauen", "männer",
    "mitglieder", "polizisten", "bewohner", "dschihadisten", "milizionäre", "angehörige",
    "andere", "einwohner", "insassen",
    "personnes", "personne", "civils", "civil", "soldats", "combattants", "enfants", "enfant",
    "femmes", "hommes", "membres", "rebelles", "policiers", "habitants", "villageois",
    "jihadistes", "djihadistes", "militaires", "autres",
    "personas", "persona", "civiles", "soldados", "soldado", "combatientes", "niños", "niñas",
    "menores", "mujeres", "hombres", "miembros", "rebeldes", "policías", "habitantes",
    "milicianos", "yihadistas", "militares", "otros", "otras",
)  # fmt: skip
_PERSON_WORDS = frozenset(
    _words("""kind man vrouw mann frau niño niña fighter militant soldier officer policeman
    member resident journalist boy girl worker guard commander leader farmer student
    herder shepherd driver doctor nurse teacher trader menor hombre mujer joven""")
)
# Peoples and groups counted as people ("two Kurds", "cinco palestinos").
_GROUP_NOUNS = frozenset(
    _words("""citizens nationals kurds palestinians israelis syrians iraqis yemenis somalis
    afghans ukrainians russians lebanese sudanese nigerians malians kenyans
    palestijnen koerden syriërs israëliërs palästinenser kurden syrer israelis
    palestiniens kurdes syriens israéliens palestinos kurdos sirios israelíes ciudadanos
    burgers bürger citoyens ressortissants""")
)
# Children, women and residents are counted as civilians (as Airwars and ACLED notes do).
_CIVILIAN_ENDINGS = (
    "civilians", "civilian", "children", "child", "women", "residents", "villagers",
    "girls", "boys", "tourists", "babies", "meisjes", "jongens", "toeristen", "mädchen",
    "touristen", "urlauber", "filles", "garçons", "touristes", "chicos", "chicas", "turistas",
    "burgers", "burger", "kinderen", "vrouwen", "inwoners", "dorpelingen",
    "zivilisten", "zivilist", "kinder", "frauen", "bewohner", "einwohner",
    "civils", "civil", "enfants", "femmes", "habitants", "villageois",
    "civiles", "niños", "niñas", "menores", "mujeres", "habitantes",
)  # fmt: skip
_FILLERS = frozenset(
    _words("""the a an of were was are is have has had been being be reportedly also all who which
    that in at by when as other more including among them and
    de het een van zijn is waren werden werd zou zouden er bij daarbij verluidt om raakten
    raakte geraakt zijn nog eigen
    die der den dem des ein eine einer wurden wurde sind seien sollen waren kamen ist dabei
    mindestens weitere noch
    le la les l' d' des de du un une ont été sont a auraient aurait ont furent
    el la los las de del un una han fueron resultaron resultó son otros al menos
    at least minstens mindestens moins menos""")
)
# When a strike killed, said between the verb and its toll ("mató el sábado a 90 personas").
_DAY_WORDS = frozenset(
    _words("""monday tuesday wednesday thursday friday saturday sunday today yesterday overnight
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag vandaag gisteren
    montag dienstag mittwoch donnerstag freitag samstag sonntag heute gestern
    lundi mardi mercredi jeudi vendredi samedi dimanche hier
    lunes martes miércoles jueves viernes sábado domingo hoy ayer""")
)
_PREPOSITIONS = frozenset(
    _words("""in on at near from into across bij op nabij naar uit bei auf nahe aus im dans sur près
    en cerca desde sobre""")
)
# Words that open a clause of their own ("... died on Saturday when a missile hit").
_CLAUSE_STARTS = frozenset(
    _words(
        "when as after while because wanneer toen nadat terwijl omdat als wenn nachdem "
        "während weil quand lorsque alors après cuando mientras después porque"
    )
)
# Auxiliaries of the passive: "were killed", "wurden getötet", "ont été tués", "fueron".
_PASSIVE = frozenset(
    _words(
        "were was been are werden werd zijn wurden wurde sind seien été furent fueron fue "
        "resultaron resultó raakten raakte"
    )
)
_OF = frozenset({"of", "van", "von", "de", "d'", "du", "del"})
_ATTRIBUTION = frozenset(
    {"according", "nach", "laut", "zufolge", "volgens", "selon", "según", "d'après"}
)
_ATTRIBUTION_REACH = 4
# Tokens up to the closing comma of an aside: "dont des médecins et des enfants" is six.
_ASIDE_REACH = 9
_STOPS = frozenset({".", ";", ":", "!", "?", "(", ")", "—", "–"})
_AND = frozenset({"and", "en", "und", "et", "y", "e", "or", "oder", "ou", "o", "but"})
_VAGUE_OR = frozenset()
_QUOTES = frozenset({'"', "“", "”", "„", "«", "»", "'", "‘", "’"})
_RANGE_JOINERS = frozenset({"to", "-", "–", "tot", "bis", "à", "a", "and", "en", "und", "et", "y"})
_BETWEEN = frozenset({"between", "tussen", "zwischen", "entre"})
_UNITS = frozenset(
    _words("""km kilometers kilometres kilometer kilometre miles mile m meter meters metres
    kilometern km² % procent prozent percent pour cent por ciento por
    missiles missile rockets raketen raketten roquettes misiles cohetes drones drohnen
    tanks tanques chars bombs bommen bomben bombes bombas shells granaten obus
    misil rocket raket rakete roquette cohete drone drohne dron bomb bom bombe bomba shell
    granaat granate obús
    days dagen tage jours días weeks weken wochen semaines semanas
    hours uur stunden heures horas minutes minuten years jaar jahre jahren ans años
    st nd rd th e ste de er ème eme º ª h""")
)
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th", "ste", "er", "ème", "e", "º", "ª"})
_AGE_WORDS = frozenset({"year", "years", "jaar", "jahre", "ans", "años", "jährige"})
_ALL_MONTHS = frozenset(
    _words("""january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
    januari februari maart mei juni juli augustus oktober
    januar februar märz mai juni juli oktober dezember
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre""")
)
_FRACTIONS = frozenset(
    _words("""half halves third thirds quarter quarters fifth fifths tenth tenths helft derde
    kwart tiende tienden hälfte drittel viertel fünftel zehntel moitié tiers quart quarts
    cinquième dixième dixièmes mitad tercio tercios cuarto cuartos quinto décimo décima""")
)
_MONTHS = frozenset(
    _words("januar februar märz april mai juni juli august september oktober november dezember")
)

_QUALIFIER_WORDS = [
    ("min", alternation("qualifiers", "at_least")),
    ("more", alternation("qualifiers", "more_than")),
    ("less", alternation("qualifiers", "fewer_than")),
    ("almost", alternation("qualifiers", "nearly")),
    ("max", alternation("qualifiers", "up_to")),
]
_ANY_QUALIFIER = re.compile("|".join(f"(?:{words})" for _, words in _QUALIFIER_WORDS))
_QUALIFIERS = [
    # Spanish puts its personal "a" between the qualifier and a count of people ("al menos a 90").
    (kind, re.compile(rf"(?:^|\s)(?:{words})(?: a)?$", re.IGNORECASE))
    for kind, words in _QUALIFIER_WORDS
]
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
_MARKER = re.compile(r"qvague\d+q")
