"""The countries and regions a report is about, and the one place a name stands for among its
candidates: in the report's countries, in the region named after it, near the other places
named around it."""

from __future__ import annotations

import re
from collections import Counter

from geopy.distance import great_circle

from components.coding.place_names import BORDER, in_qualifier, introduced_as_place
from components.geo.gazetteer import (
    FEATURE_COUNTRY,
    FEATURE_PLACE,
    FEATURE_REGION,
    MATCH_FOLDED,
    MATCH_NAME,
    Gazetteer,
    Place,
)
from components.geo.names import fold_name

# A place outside the report's countries must be at least this big to count.
CONTEXT_FREE_POPULATION = 50_000
# A namesake this big is the place meant, whatever else the report names.
BIG_CITY_POPULATION = 100_000


def regions_after(after: str, gazetteer: Gazetteer, countries: set[str]) -> set[tuple[str, str]]:
    """(country, admin1) of the regions named right after a place: "X, Donetsk region",
    "X (District, Province)", "X, Y district, Kherson": they choose among
    the place's namesakes."""
    found = REGIONS_AFTER.match(after)
    if not found:
        return set()
    codes = set()
    for name in filter(None, found.groups()):
        for place in gazetteer.lookup(name.strip(), limit=5):
            local = place.country_code in countries
            # With no country known yet, a loose spelling ("Zaporizhia") still says which
            # region: the gazetteer answers a loose one only when it clearly stands out.
            if place.admin1 and (local or not countries):
                codes.add((place.country_code, place.admin1))
    return codes


def _big(place: Place) -> bool:
    return place.population >= BIG_CITY_POPULATION


def is_small_place(place: Place) -> bool:
    return place.feature == FEATURE_PLACE and place.population < BIG_CITY_POPULATION


def namesakes_of(name: str, regions: set[tuple[str, str]], gazetteer: Gazetteer) -> list[Place]:
    """Every place of the regions' countries called ``name`` (a common village name has
    dozens of namesakes, more than a plain lookup returns)."""
    places: list[Place] = []
    for country in sorted({country for country, _ in regions}):
        places.extend(gazetteer.lookup(name, country, limit=_MAX_NAMESAKES))
    return places


_MAX_NAMESAKES = 200


def in_regions(candidates: list[Place], regions: set[tuple[str, str]]) -> Place | None:
    """The first candidate that lies in one of ``regions``, a town before a region."""
    inside = [p for p in candidates if (p.country_code, p.admin1) in regions]
    inside.sort(key=lambda p: (p.feature != FEATURE_PLACE, p.match == MATCH_FOLDED))
    return inside[0] if inside else None


NAME = r"[A-ZÀ-Þ][\w'’-]+(?:\s+[A-ZÀ-Þ][\w'’-]+){0,2}"
KIND = (
    r"(?:\s+(?:region|oblast|district|raion|province|governorate|county|state|hromada|"
    r"community))?"
)
REGIONS_AFTER = re.compile(
    rf"\s*(?:\(\s*(?:coded to\s+)?|,\s+)({NAME}){KIND}(?:\s*,\s*({NAME}){KIND})?\s*[,.;)]"
)


def in_named_region(candidates: list[Place], after: str, gazetteer: Gazetteer) -> Place | None:
    """The place whose province follows its name ("Calamar, Guaviare"), if one does."""
    following = _REGION_AFTER_COMMA.match(after)
    if not following:
        return None
    region_word = re.compile(rf"\b{re.escape(following.group(1))}\b", re.IGNORECASE)
    for place in candidates:
        if place.match == MATCH_FOLDED or place.feature != FEATURE_PLACE:
            continue
        region = gazetteer.region_of(place)
        if region is not None and region_word.search(region.name):
            return place
    return None


_REGION_AFTER_COMMA = re.compile(r",\s*([A-ZÀ-Þ][\w'’-]{2,})")


def nearest_namesake(place: Place, candidates: list[Place], anchors: list[Place]) -> Place:
    """Among places of the same name, country and kind, the one nearest to ``anchors``."""
    if not anchors or place.population >= BIG_CITY_POPULATION:
        return place
    namesakes = [
        p
        for p in candidates
        if p.country_code == place.country_code
        and p.feature == place.feature
        and p.match != MATCH_FOLDED
    ]
    if len(namesakes) < 2:
        return place

    def distance(candidate: Place) -> float:
        return min(_km(candidate, anchor) for anchor in anchors)

    return min(namesakes, key=distance)


def _km(a: Place, b: Place) -> float:
    return great_circle((a.latitude, a.longitude), (b.latitude, b.longitude)).km


def _voted_countries(raw: list[tuple[int, int, list[Place]]], body: str) -> set[str]:
    """The country most names introduced as places belong to, when each of them belongs to
    one country only: a report about villages needs no country name to be read in one."""
    votes: Counter[str] = Counter()
    for start, end, candidates in raw:
        if not introduced_as_place(body, start, end):
            continue
        if not candidates or _other_name_of_a_country(body[start:end], candidates):
            continue
        exact = {
            p.country_code
            for p in candidates
            if p.match == MATCH_NAME and p.feature != FEATURE_COUNTRY and p.population >= 1000
        }
        if len(exact) == 1:
            votes[exact.pop()] += 1
        elif candidates and candidates[0].match != MATCH_FOLDED and _big(candidates[0]):
            votes[candidates[0].country_code] += 1
    if not votes:
        return set()
    top = max(votes.values())
    return {country for country, count in votes.items() if count == top}


def context_countries(raw: list[tuple[int, int, list[Place]]], body: str) -> set[str]:
    """Countries the report is about: countries named, countries of big places named, and
    the country that the names it introduces as places agree on."""
    named, big = _named_countries(raw, body)
    return named | big | _voted_countries(raw, body)


def _named_countries(
    raw: list[tuple[int, int, list[Place]]], body: str
) -> tuple[set[str], set[str]]:
    """Countries named, and countries of big places named."""
    named, big = set(), set()
    for start, end, candidates in raw:
        if not candidates:
            continue
        top = candidates[0]
        if top.match == MATCH_FOLDED or _other_name_of_a_country(body[start:end], candidates):
            continue
        if BORDER.search(body[max(0, start - 40) : start]):
            continue  # "the border with Mali": the country next door, not the report's
        if top.feature == FEATURE_COUNTRY:
            named.add(top.country_code)
        elif top.population >= 5 * CONTEXT_FREE_POPULATION and not in_qualifier(body, start):
            # A big city abroad sharing the name of a place's region ("X (District, Province)")
            # says nothing of the report's countries.
            big.add(top.country_code)
    return named, big


def _other_name_of_a_country(name: str, candidates: list[Place]) -> bool:
    """The name is a country's only in another spelling ("Uman" for Oman) and the own name of
    a place in another country: it tells nothing of the report's countries by itself."""
    top = candidates[0]
    own = fold_name(name)
    return (
        top.feature == FEATURE_COUNTRY
        and fold_name(top.name) != own
        and any(
            p.feature != FEATURE_COUNTRY
            and p.match != MATCH_FOLDED
            and p.country_code != top.country_code
            and fold_name(p.name) == own
            for p in candidates
        )
    )


def choose_place(
    candidates: list[Place],
    countries: set[str],
    name: str,
    *,
    introduced: bool = False,
    qualifier: bool = False,
) -> Place | None:
    """The place a name stands for: one in the report's countries; else a big place (a
    bigger one when the report's countries are known, and never as the region qualifying
    a place of those countries: "X (District, Province)"); else, in a report of no known country,
    a place the text introduces."""
    # A loose (folded) match on one plain word is too often an ordinary word ("Defensie").
    spelled = bool(re.search(r"[\s'’-]", name))
    for place in candidates:
        loose = place.match == MATCH_FOLDED and not spelled
        if place.country_code in countries and not loose:
            return place
    if countries and qualifier:
        return None
    least = BIG_CITY_POPULATION if countries else CONTEXT_FREE_POPULATION
    for place in candidates:
        if place.match != MATCH_FOLDED and (
            place.population >= least or place.feature == FEATURE_COUNTRY
        ):
            return _town_of_region(place, candidates)
    for place in candidates:
        if (
            introduced
            and not countries
            and not qualifier  # "X village (Bay)": a small namesake abroad is no district
            and place.match != MATCH_FOLDED
            and place.feature != FEATURE_COUNTRY
        ):
            return place
    return None


def _town_of_region(place: Place, candidates: list[Place]) -> Place:
    """A region that carries the name of one of its country's towns stands for that town:
    "Jenin" is the town, not the West Bank around it; the region places the town."""
    if place.feature != FEATURE_REGION:
        return place
    for town in candidates:
        if (
            town.feature == FEATURE_PLACE
            and town.country_code == place.country_code
            and town.match != MATCH_FOLDED
        ):
            return town
    return place
