"""Looser spellings, compared only among a few candidates: the places of one named province,
or the provinces of one country.

These keys are too loose for the whole gazetteer (short names, letters that several
romanisations write differently), so they are never stored in the index: the resolver
compares them among the candidates a row's province already bounds and takes a match only
when it is the one candidate that meets them.

- :func:`near_spelling`: Somali ``c`` (the ʿayn) written ``k`` by others ("Baarkow" meets
  "Baarcow"), Somali ``x`` (the ḥa) written ``h``, and short names with a doubled letter
  ("Dool" meets "Dol").
- :func:`region_core`: a province name's direction words as a set, and the fold of its
  other words with the Somali definite ending (-da, -ha, -ta, -ka after a vowel) left out,
  so that word order and the article do not matter ("Jubbada Hoose" meets "Lower Juba").
"""

from __future__ import annotations

import functools
import re

from components.geo.names import compass_directions, fold_name, is_direction

__all__ = ["near_spelling", "region_core"]

# Keys kept once made (names repeat across the rows of a file and the places of a province).
CACHED_KEYS = 1 << 16
# A short name is compared with its vowels; shorter than this it is compared as written.
NEAR_MIN_LENGTH = 3
# Marks a short name's key apart from folded keys.
SHORT_PREFIX = "="
# The fewest consonants a province name's core words keep (a country has few provinces).
REGION_MIN_CONSONANTS = 2
_DOUBLED = re.compile(r"(.)(?=\1)")
# c not part of ch (ʿayn in Somali, k in older transliterations), x (ḥa in Somali).
_SOMALI_LETTERS = ((re.compile(r"c(?!h)"), "k"), (re.compile(r"x"), "h"))


@functools.lru_cache(maxsize=CACHED_KEYS)
def near_spelling(key: str) -> str:
    """A key under which spellings of one place meet among one province's places.

    The fold of :func:`fold_name` after the Somali letters; a name of fewer consonants than
    that needs (vowels folded away, "Gakoe" and "Kikuyu" would meet) keeps its vowels and
    only merges doubled letters ("Dool" and "Dol")."""
    text = key
    for pattern, plain in _SOMALI_LETTERS:
        text = pattern.sub(plain, text)
    folded = fold_name(text)
    if folded or not text.isascii():
        return folded
    short = _DOUBLED.sub("", text.replace(" ", ""))
    return SHORT_PREFIX + short if len(short) >= NEAR_MIN_LENGTH else ""


@functools.lru_cache(maxsize=CACHED_KEYS)
def region_core(key: str) -> tuple[frozenset[str], str]:
    """(direction words as one-letter directions, fold of the other words): a province name
    compared whatever its word order and its Somali article."""
    words = [w for w in key.split() if not is_direction(w)]
    words = [_without_definite_ending(w) for w in words]
    core = fold_name(" ".join(words), REGION_MIN_CONSONANTS) if words else ""
    return compass_directions(key), core


def _without_definite_ending(word: str) -> str:
    """The word without a Somali definite ending ("jubbada" → "jubba", "shabeellaha" →
    "shabeella"); short words are left alone."""
    if len(word) >= 6 and word[-1] == "a" and word[-2] in "dhkt" and word[-3] in "aeiou":
        return word[:-2]
    return word
