"""A written name's candidates in the gazetteer, with the English spelling of names written
the German, Dutch or French way ("Madschdal Schams", "Tsjaplyne", "Nabatiyé")."""

from __future__ import annotations

import difflib
import re

from components.geo.gazetteer import (
    FEATURE_COUNTRY,
    FEATURE_PLACE,
    MATCH_ALTERNATE,
    MATCH_FOLDED,
    Gazetteer,
    Place,
)
from components.geo.names import fold_name


def spelling_candidates(name: str, gazetteer: Gazetteer, language: str = "en") -> list[Place]:
    places = gazetteer.lookup(name, limit=8)
    # A loose (folded) match may be a wrong guess ("Chan Junis" folds to Gaza): a name spelled
    # the way the report's language transliterates is looked up in English spelling too.
    if _loose(places):
        for spelled in _english_spellings(name, language):
            found = [p for p in gazetteer.lookup(spelled, limit=8) if p.match != MATCH_FOLDED]
            if found:
                places = found
                break
    places = _spelled_alike_first(name, places)
    return [p for p in places if not (p.feature == FEATURE_COUNTRY and len(name) < 4)]


def _loose(places: list[Place]) -> bool:
    return not any(p.match != MATCH_FOLDED for p in places)


def _english_spellings(name: str, language: str) -> list[str]:
    """English spellings of a name written the German, Dutch or French way, most likely first."""
    spellings = []
    if language == "de" and "sch" in name.lower():
        english = name
        for german, transliterated in _GERMAN_SPELLINGS:
            english = re.sub(german, transliterated, english)
            english = re.sub(german.capitalize(), transliterated.capitalize(), english)
        spellings.append(english)
    if language == "de" and "ch" in name.lower():
        # German writes the kh of Arabic and Kurdish names as ch, and its z as s ("Sacho").
        for written in [name, *spellings]:
            khaki = re.sub(r"\bCh", "Kh", re.sub(r"(?<![sStT])ch", "kh", written))
            spellings += [khaki, re.sub(r"^S(?=[aeiouy])", "Z", khaki)]
    if language in ("de", "nl") and re.search("[jJ]", name):
        # German and Dutch write the English y as j ("Mykolajiv", "Junis").
        spellings += [_y_for_j(s) for s in [*spellings, name]]
    if language == "nl" and re.search("(?i)tsj|sj|zj|oe", name):
        # Dutch writes Slavic ch, sh, zh and u as tsj, sj, zj and oe ("Tsjaplyne").
        dutch = name
        for written, english in _DUTCH_SPELLINGS:
            dutch = re.sub(written, english, dutch)
            dutch = re.sub(written.capitalize(), english.capitalize(), dutch)
        spellings += [dutch, _y_for_j(dutch)]
    if language == "fr" and name.endswith(("é", "ée")):
        spellings += [re.sub(french, english, name) for french, english in _FRENCH_ENDINGS]
    return [s for s in dict.fromkeys(spellings) if s != name]


def _y_for_j(name: str) -> str:
    return name.replace("j", "y").replace("J", "Y")


def _spelled_alike_first(name: str, places: list[Place]) -> list[Place]:
    """Of towns of one country and about one size that list ``name`` only among their other
    names, the one whose own name is spelled like it comes first ("Slovjansk": Slovyansk, not
    a namesake that lists it as a former or foreign name)."""
    written = fold_name(name)

    def alike(place: Place) -> bool:
        ratio = difflib.SequenceMatcher(None, written, fold_name(place.name)).ratio()
        return ratio >= _ALIKE_RATIO

    if not places:
        return places
    top = places[0]
    if top.match != MATCH_ALTERNATE or top.feature != FEATURE_PLACE or alike(top):
        return places
    for later in places[1:]:
        if (
            later.match == MATCH_ALTERNATE
            and later.feature == FEATURE_PLACE
            and later.country_code == top.country_code
            and later.population * 2 >= top.population
            and alike(later)
        ):
            return [later] + [p for p in places if p is not later]
    return places


_ALIKE_RATIO = 0.7
# French writes an Arabic name's final -ieh/-eh as -iyé/-é ("Nabatiyé", "Jouniyé").
_FRENCH_ENDINGS = [(r"iy[ée]e?$", "ieh"), (r"y[ée]e?$", "yeh"), (r"[ée]e?$", "eh")]
# German transliterates Arabic "j" and "sh" as "dsch" and "sch" ("Dschenin", "Scheich").
_GERMAN_SPELLINGS = [("dsch", "j"), ("tsch", "ch"), ("sch", "sh")]
_DUTCH_SPELLINGS = [("tsj", "ch"), ("sj", "sh"), ("zj", "zh"), ("oe", "u")]
