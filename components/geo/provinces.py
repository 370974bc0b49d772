"""Reading a row's province (ACLED ``admin1``, UCDP ``adm_1``) among a country's first-level
regions, as datasets write it.

Tried in turn, the first that reads wins: the name exactly, without its descriptor words
("Nord Kivu province", "Kyiv oblast") or articles, with direction words written one way
("Sud-Kivu" is "South Kivu"), folded ("Kiev" and "Kyiv"); the same words in any order and
without a Somali article ("Jubbada Hoose" is "Lower Juba"); a province since split in parts
that keep its name ("Darfur": all its parts); provinces joined in one name the index knows
by one part ("Alpha-Beta"); a fuzzy ratio when one region clearly stands out, never across
compass words ("North Sinai" is not "South Sinai"); the province of the town it is named
after. A text none of these reads is no region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from components.geo.gazetteer import FEATURE_PLACE, Gazetteer, Place
from components.geo.names import (
    CITY_WORDS,
    compass_directions,
    directions_written_one_way,
    fold_name,
    normalize_name,
    reported_name,
    without_articles,
)
from components.geo.spelling import region_core

__all__ = ["MIN_LEAD", "Provinces", "Region"]

# Fuzzy ratios (0-100): the least a region name must score, and the least lead over the
# runner-up for it to stand out.
REGION_MIN_RATIO = 80.0
MIN_LEAD = 6.0
REGION_MIN_CONSONANTS = 2
# A province unreadable by name is read as its namesake town's when that town is this big.
CAPITAL_POPULATION = 20_000


@dataclass(frozen=True, slots=True)
class Region:
    """The regions an admin1 text may name (several when its names are shared)."""

    admin1s: frozenset[str]
    places: tuple[Place, ...] = field(default=())

    @property
    def single(self) -> Place | None:
        return self.places[0] if len(self.places) == 1 else None


@dataclass(frozen=True, slots=True)
class _Form:
    """One name of a region in the forms it is compared in."""

    one_way: str  # direction words written one way
    folded: str
    core: tuple[frozenset[str], str]
    place: Place


class Provinces:
    """Reads admin1 texts among the regions of one gazetteer; remembers what it read."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._regions: dict[tuple[str, str], Region | None] = {}
        self._region_names: dict[str, list[tuple[str, Place]]] = {}
        self._region_forms: dict[str, list[_Form]] = {}

    def region(self, text: str, code: str) -> Region | None:
        """The region(s) of a country an admin1 text names, or None when none can be read."""
        cache_key = (text, code)
        if cache_key not in self._regions:
            self._regions[cache_key] = self._read_region(text, code)
        return self._regions[cache_key]

    def _read_region(self, text: str, code: str) -> Region | None:
        names = self.names_of_regions(code)
        if not names:
            return None
        key = normalize_name(text)
        reported = reported_name(key)
        keys = [key]
        if reported is not None:
            keys.append(reported.key)
        keys += [without_articles(k) for k in keys]
        keys += [directions_written_one_way(k) for k in keys]
        forms = self._forms(code)
        names = [(form.one_way, form.place) for form in forms]
        for wanted in dict.fromkeys(keys):
            # A text and its folded form both count: "Kiev" and "Kyiv" name one oblast. Among
            # a country's few provinces even short names can be folded.
            folded = fold_name(wanted, REGION_MIN_CONSONANTS)
            found = [
                f.place for f in forms if f.one_way == wanted or (folded and f.folded == folded)
            ]
            if found:
                return _region_of(found)
        # Word order and a Somali article aside: "Jubbada Hoose" is "Lower Juba".
        core = region_core(key if reported is None else reported.key)
        if core[1]:
            found = [f.place for f in forms if f.core == core]
            if len({p.admin1 for p in found}) == 1:
                return _region_of(found)
        wanted = directions_written_one_way(key if reported is None else reported.key)
        # A province since split in parts that keep its name ("Darfur" → North, South, West
        # Darfur): all of them bound the search, none is a fallback.
        tokens = set(wanted.split())
        if tokens and all(len(t) >= 4 for t in tokens):
            parts = [
                p for k, p in names if tokens < set(k.split()) and not set(k.split()) & CITY_WORDS
            ]
            if parts:
                return _region_of(parts)
            # Provinces joined in one name ("Alpha-Beta") that the index knows by one part.
            joined = [p for k, p in names if _part_of(set(k.split()), tokens)]
            if len({p.admin1 for p in joined}) == 1:
                return _region_of(joined)
        # "North Sinai" is not "South Sinai", however alike the letters.
        compass = compass_directions(wanted)
        choices = {k: k for k, _ in names if compass_directions(k) == compass}
        best = process.extract(wanted, choices, scorer=fuzz.ratio, limit=None)
        if not best or best[0][1] < REGION_MIN_RATIO:
            return self._region_of_capital(wanted, code)
        top = [k for k, score, _ in best if score >= best[0][1] - MIN_LEAD]
        regions = {p.admin1: p for k, p in names if k in top}
        if len(regions) == 1:
            return _region_of(list(regions.values()))
        return self._region_of_capital(wanted, code)

    def _region_of_capital(self, name: str, code: str) -> Region | None:
        """The province of the town a province is named after ("Bizerte" → Banzart), when
        that town is the largest of its name and a real town."""
        places = [p for p in self.gazetteer.exact_places(name, code) if p.feature == FEATURE_PLACE]
        if not places or places[0].population < CAPITAL_POPULATION:
            return None
        region = self.gazetteer.region_by_code(code, places[0].admin1)
        return None if region is None else _region_of([region])

    def _forms(self, code: str) -> list[_Form]:
        """The forms each name of a country's regions is compared in, made once."""
        if code not in self._region_forms:
            forms = []
            for key, place in self.names_of_regions(code):
                one_way = directions_written_one_way(key)
                folded = fold_name(one_way, REGION_MIN_CONSONANTS)
                forms.append(_Form(one_way, folded, region_core(key), place))
            self._region_forms[code] = forms
        return self._region_forms[code]

    def names_of_regions(self, code: str) -> list[tuple[str, Place]]:
        if code not in self._region_names:
            self._region_names[code] = self.gazetteer.region_names(code)
        return self._region_names[code]


def _part_of(name: set[str], tokens: set[str]) -> bool:
    """Whether a region's name is a part of the words read, words of four letters or more."""
    return bool(name) and name < tokens and all(len(t) >= 4 for t in name)


def _region_of(places: list[Place]) -> Region:
    unique = {p.admin1: p for p in places}
    return Region(frozenset(unique), tuple(unique.values()))
