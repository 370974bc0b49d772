"""The strike vocabulary of five languages: what kind of strike a sentence names, and who
struck whom.

Event types are ACLED's sub-event names. A sentence's type is the type of its first strike
word ("missile strike" is a missile attack, "air strikes and shelling" an air strike). Actors
are read from a short list of parties that strike reports name, in their forms in each
language; who struck is the party named with "by" or before the strike word, who was hit
the one after "on" / "against" (or, failing a known party, the words after it).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from components.coding.people_words import is_person
from components.coding.text import LANGUAGES
from components.coding.vocab import alternation, words

__all__ = [
    "AIR_STRIKE",
    "SHELLING",
    "Actors",
    "StrikeWord",
    "actors_in",
    "strike_words",
]

AIR_STRIKE = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
# Characters between a strike word and the "on" / "against" that names who was hit.
TARGET_REACH = 50
# Characters between a strike word and an adjective naming who struck ("frappe israélienne").
ADJECTIVE_REACH = 12


@dataclass(frozen=True, slots=True)
class StrikeWord:
    """A strike word in a text (offsets relative to that text)."""

    start: int
    end: int
    text: str
    event_type: str


@dataclass(frozen=True, slots=True)
class Actors:
    """Who struck and who was hit, with the words each was read from ("" when not said)."""

    actor1: str = ""
    actor1_words: str = ""
    actor2: str = ""
    actor2_words: str = ""


def strike_words(text: str) -> list[StrikeWord]:
    """Strike words of any of the five languages in ``text``, in order."""
    found = []
    for event_type, pattern in _STRIKE_PATTERNS:
        for match in pattern.finditer(text):
            found.append(StrikeWord(match.start(), match.end(), match.group(0), event_type))
    found.sort(key=lambda w: (w.start, -w.end))
    kept: list[StrikeWord] = []
    for word in found:
        if not kept or word.start >= kept[-1].end:
            kept.append(word)
    return _fired_from_the_air(kept, text)


def is_general(word: StrikeWord) -> bool:
    """A bombardment word that fits shelling as well as an air strike ("bombardeo")."""
    return bool(_GENERAL.fullmatch(word.text))


_GENERAL = re.compile(alternation("strikes", "general"), re.IGNORECASE)


def _fired_from_the_air(words: list[StrikeWord], text: str) -> list[StrikeWord]:
    """Missiles or rockets fired from a drone, warplane or helicopter make an air strike."""
    typed = list(words)
    for index, (word, following) in enumerate(itertools.pairwise(words)):
        between = text[word.end : following.start]
        if (
            word.event_type == SHELLING
            and following.event_type == AIR_STRIKE
            and _FROM_THE_AIR.fullmatch(between)
        ):
            typed[index] = StrikeWord(word.start, word.end, word.text, AIR_STRIKE)
    return typed


# "missiles fired from a US drone", "Raketen aus einem Kampfhubschrauber", "cohetes desde
# un dron": a short stretch without a sentence break, ending in a preposition of origin.
_FROM_THE_AIR = re.compile(
    r"[^.;:!?]{0,30}?\b(?:from|by|van(?:af)?|door|von|aus|depuis|par|tirés? d'|desde|por)"
    r"(?:\s+(?:a|an|the|een|de|het|ein|einem|einer|eines|der|den|un|une|des|el|la|los|las|"
    r"una|un))?(?:\s+[^\s.;:!?]+)?\s+",
    re.IGNORECASE,
)


def actors_in(sentence: str, strike: StrikeWord | None) -> Actors:
    """Who struck and who was hit in a sentence with a strike word.

    The striker is the party named as the agent ("by", "door", "von", "par", "por") or before
    the strike word, or right after it as its adjective ("frappe israélienne"); the struck is
    the party after "on", "against", "op", "gegen", "contre", "contra".
    """
    mentions = [
        (m.start(), m.end(), name, m.group(0))
        for pattern, name in _actor_patterns()
        for m in pattern.finditer(sentence)
    ]
    mentions.sort(key=lambda m: (m[0], -m[1]))
    kept: list[tuple[int, int, str, str]] = []
    for mention in mentions:
        if not kept or mention[0] >= kept[-1][1]:
            kept.append(mention)
    mentions = kept
    where = strike.start if strike else len(sentence)
    strike_end = _phrase_end(sentence, strike) if strike else len(sentence)
    actor1 = actor1_words = actor2 = actor2_words = ""
    by = _BY.search(sentence)
    if by:
        after_by = [m for m in mentions if by.end() <= m[0] <= by.end() + 40]
        if after_by:
            actor1, actor1_words = after_by[0][2], after_by[0][3]
    if not actor1:
        # "US forces, in coordination with government forces (SNA), conducted": not the SNA.
        before = [
            m for m in mentions if m[1] <= where
            and not _ASSOCIATE.search(sentence[max(0, m[0] - 60) : m[0]])
        ]  # fmt: skip
        # "une frappe israélienne", "un bombardeo ruso": the adjective right after the word.
        adjective = [
            m for m in mentions if where <= m[0] and m[0] - strike_end <= ADJECTIVE_REACH
            and not _TARGET.search(sentence[strike_end : max(strike_end, m[0])])
        ]  # fmt: skip
        chosen = before[:1] or adjective[:1]
        if chosen:
            actor1, actor1_words = chosen[0][2], chosen[0][3]
    target = None
    for word in strike_words(sentence) if strike is not None else []:
        if word.start < strike.start:
            continue
        found = _TARGET.search(sentence, word.end)
        if found and found.start() - word.end <= TARGET_REACH:
            target = found
            break
    if target:
        in_target = [
            m for m in mentions if target.start() <= m[0] <= target.end() + 30
            and not _names_a_place(sentence, m[0], m[1])
        ]  # fmt: skip
        if in_target and in_target[0][2] != actor1:
            actor2, actor2_words = in_target[0][2], in_target[0][3]
        else:
            words = _target_phrase(sentence[target.end() :])
            if words and _names_a_party(words):
                actor2, actor2_words = words, words
    return Actors(actor1, actor1_words, actor2, actor2_words)


# ---------------------------------------------------------------------------------------
# Vocabulary


def _compile(section: str, key: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{alternation(section, key)})(?![\w])", re.IGNORECASE)


# Shelling first: "missile strike" must read as a missile attack, not as a "strike".
_STRIKE_PATTERNS = [
    (SHELLING, _compile("strikes", "shelling")),
    (AIR_STRIKE, _compile("strikes", "air")),
]

ACTORS_FILE = Path(__file__).with_name("vocab") / "actors.toml"


@functools.cache
def _actor_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """One pattern per party of the actor table (vocab/actors.toml), its names in any of the
    five languages, longest first."""
    table = tomllib.loads(ACTORS_FILE.read_text(encoding="utf-8"))
    patterns = []
    for actor in table["actor"]:
        names = sorted(
            {n for language in LANGUAGES for n in actor.get(language, [])}, key=len, reverse=True
        )
        joined = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        flags = 0 if actor.get("exact_case") else re.IGNORECASE
        patterns.append((re.compile(rf"(?<![\w-])(?:{joined})(?![\w])", flags), actor["name"]))
    return tuple(patterns)


_ASSOCIATE = re.compile(rf"\b(?:{alternation('strikes', 'associates')})[^,.;]{{0,40}}$", re.I)
_BY = re.compile(r"(?<!\w)(?:by|door|von|durch|par|por)(?!\w)", re.IGNORECASE)
_TARGET = re.compile(
    r"(?<!\w)(?:on|against|targeting|op|tegen|auf|gegen|sur|contre|contra|sobre)(?!\w)",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(
    r"[,.;:()\"“”\d]|\b(?:in|near|that|which|who|killing|die|dat|bij|in|nabij|der|die|das|bei|"
    r"nahe|dans|près|qui|en|cerca|que|y|and|en|und|et|sind|wurden|wurde|zijn|werden|werd|"
    r"were|was|has|have|had|ont|a|han|ha|fueron|tuant|matando|doodde|tötete)\b",
    re.IGNORECASE,
)


def _phrase_end(sentence: str, strike: StrikeWord) -> int:
    """Where the strike's words end: "bombardeo de la aviación turca" runs on to its second
    strike word, whose adjective names the striker."""
    end = strike.end
    for word in strike_words(sentence):
        if word.start >= end and word.start - end <= _CHAIN_GAP:
            end = word.end
    return end


# Characters between two strike words of one phrase ("bombardeo de la aviación").
_CHAIN_GAP = 10


def _names_a_party(phrase: str) -> bool:
    """Whether the words hit name people or a party ("Houthi positions", "civilians"), not a
    building or a vehicle ("a school bus", "un camp de déplacés"), which is no actor: the head
    of the phrase (its first two words past the determiners) says which."""
    tokens = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", phrase.lower())
    tokens = list(itertools.dropwhile(lambda t: t in _DETERMINERS, tokens))
    head = list(itertools.takewhile(lambda t: t not in _OF, tokens))[:2]
    return any(is_person(t) or t in _PARTY_WORDS for t in head)


def _names_a_place(sentence: str, start: int, end: int) -> bool:
    """Whether a party's name qualifies a place next to it ("in de Oekraïense stad", "ville
    russe"): the country of the place hit, not a party."""
    before = sentence[max(0, start - 25) : start].lower().split()[-1:]
    after = sentence[end : end + 25].lower().split()[:1]
    return any(w.strip(",.;") in _SETTLEMENTS for w in before + after)


_DETERMINERS = frozenset(
    re.findall(
        r"\S+",
        "a an the some several een het de ein eine einen einem einer den dem der die das un "
        "une le la les des du l una unos unas el los las lo varios varias",
    )
)
# "un camp de déplacés", "the homes of fighters": the head comes before these.
_OF = frozenset(["of", "de", "van", "von", "du", "del", "des", "d", "à", "in", "en", "im", "dans"])
_SETTLEMENTS = frozenset(w.lower() for w in words("places", "settlements"))


# Words that make the target a party: its positions, its forces.
_PARTY_WORDS = frozenset(w.lower() for w in words("strikes", "targets"))


def _target_phrase(after: str) -> str:
    """The few words after "on" / "against": the people or place hit, as reported."""
    end = _PHRASE_END.search(after)
    phrase = after[: end.start()] if end else after
    words = phrase.split()
    if not words or len(words) > 6:
        words = words[:6]
    text = " ".join(words).strip()
    # A capitalised first word is mostly a place ("auf Charkiw"), which is not who was hit.
    if not text or not text[0].islower():
        return ""
    return text
