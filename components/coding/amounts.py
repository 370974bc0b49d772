"""Amounts in a sentence: number words as digits (text2num), vague amounts ("dozens"), ranges
and qualifiers ("at least", "nearly"), and the numbers that are no counts of people (years,
dates, ages, fractions, measures)."""

from __future__ import annotations

import contextlib
import re

from text_to_num import alpha2digit

from components.coding.people_words import AND, is_casualty_word, word_list
from components.coding.vocab import alternation

MAX_DIGITS = 12


def unmarked(phrase: str, vague: dict[str, tuple[tuple[int, int], str]]) -> str:
    return _MARKER.sub(lambda m: vague.get(m.group(0), ((0, 0), ""))[1], phrase)


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
_SPANISH_APOCOPE = re.compile(r"\bveinti[uú]n\b", re.IGNORECASE)
_TOKEN = re.compile(
    r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?![\d])|\d+|qvague\d+q|"
    r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\s\w]",
    re.IGNORECASE,
)


def lower_tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def token_value(token: str) -> int | None:
    # A run of digits longer than any count of people (and than int() reads) is no figure.
    if token[0].isdigit() and len(token) <= MAX_DIGITS:
        return int(re.sub(r"\D", "", token))
    return None


def amount_at(
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
    value = token_value(token)
    if value is None or _not_a_count(tokens, index, value):
        return None
    low: int | None = value
    high: int | None = value
    last = index
    # "5 to 7", "5-7", "entre 5 y 7"
    if index + 2 < len(tokens) and tokens[index + 1] in _RANGE_JOINERS:
        other = token_value(tokens[index + 2])
        if other is not None and other > value:
            between = index > 0 and (
                tokens[index - 1] in _BETWEEN
                or (index > 1 and tokens[index - 2] in _BETWEEN and tokens[index - 1] in FILLERS)
            )
            if between or tokens[index + 1] not in AND:
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


def _qualifier(before: str) -> str:
    for kind, pattern in _QUALIFIERS:
        if pattern.search(before):
            return kind
    return ""


def is_qualifier(text: str) -> bool:
    return bool(_ANY_QUALIFIER.fullmatch(text))


def _not_a_count(tokens: list[str], index: int, value: int) -> bool:
    """Years, ages, ordinals, times, percentages and measures are not counts of people."""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    after2 = tokens[index + 2] if index + 2 < len(tokens) else ""
    before = tokens[index - 1] if index > 0 else ""
    if 1900 <= value <= 2100 and not is_casualty_word(after):
        return True
    # "tués le 28 septembre", "on September 28", "ein Zehntel": dates and fractions.
    if after in _ALL_MONTHS or (before in _ALL_MONTHS and value <= 31) or after in _FRACTIONS:
        return True
    if after in UNITS or after in _ORDINAL_SUFFIXES or before in (":", "nr", "no", "nummer"):
        return True
    if after == ":" or (after == "." and after2 and after2[0].isalpha() and after2 in _MONTHS):
        return True
    if after == "-" and after2.startswith(("year", "jar", "jähr", "an", "añ")):
        return True
    return after in ("jarige", "jährige", "jähriger") or after2 in AGE_WORDS


FILLERS = frozenset(
    word_list("""the a an of were was are is have has had been being be reportedly also all who
    which that in at by when as other more including among them and
    de het een van zijn is waren werden werd zou zouden er bij daarbij verluidt om raakten
    raakte geraakt zijn nog eigen
    die der den dem des ein eine einer wurden wurde sind seien sollen waren kamen ist dabei
    mindestens weitere noch
    le la les l' d' des de du un une ont été sont a auraient aurait ont furent
    el la los las de del un una han fueron resultaron resultó son otros al menos
    at least minstens mindestens moins menos""")
)
_RANGE_JOINERS = frozenset({"to", "-", "–", "tot", "bis", "à", "a", "and", "en", "und", "et", "y"})
_BETWEEN = frozenset({"between", "tussen", "zwischen", "entre"})
UNITS = frozenset(
    word_list("""km kilometers kilometres kilometer kilometre miles mile m meter meters metres
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
AGE_WORDS = frozenset({"year", "years", "jaar", "jahre", "ans", "años", "jährige"})
_ALL_MONTHS = frozenset(
    word_list("""january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec
    januari februari maart mei juni juli augustus oktober
    januar februar märz mai juni juli oktober dezember
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre""")
)
_FRACTIONS = frozenset(
    word_list("""half halves third thirds quarter quarters fifth fifths tenth tenths helft derde
    kwart tiende tienden hälfte drittel viertel fünftel zehntel moitié tiers quart quarts
    cinquième dixième dixièmes mitad tercio tercios cuarto cuartos quinto décimo décima""")
)
_MONTHS = frozenset(
    word_list("januar februar märz april mai juni juli august september oktober november dezember")
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
_MARKER = re.compile(r"qvague\d+q")
