"""Places the analyst's own datasets taught (components.geo.learned): a village that ACLED or
UCDP placed exactly is found where they placed it, before any gazetteer namesake.

A name is looked up when the report introduces it as a place ("in X", "X village", "shelled
X, Region") in the countries the report is about: the countries it names, and the country of
the region named right after the place ("X, Zaporizhia"); the region named after it also
chooses among learned namesakes in other provinces.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from components.coding.place_context import REGIONS_AFTER
from components.coding.place_fallback import after_a_strike
from components.coding.place_names import in_qualifier, introduced_as_place, name_spans
from components.geo.answers import GeocodeAnswer
from components.geo.distance import km_arrays
from components.geo.gazetteer import FEATURE_COUNTRY, FEATURE_PLACE, Gazetteer, Place

__all__ = ["Learned", "LearnedLookup", "learned_mentions"]

# Names looked up in one report at most (the same bound as the gazetteer pass).
MAX_NAMES = 3000
# A name right after another and a comma qualifies it: "X, Kherson", "X, Y district, Z".
_QUALIFYING = re.compile(r"[A-ZÀ-Þ][\w'’-]+(?:\s+(?:district|raion|region|oblast))?,\s+$")


class LearnedLookup(Protocol):
    """What the coder needs of a learned-places store (components.geo.learned.LearnedPlaces)."""

    def find(
        self, name: str, country_code: str | None, admin1: str = ""
    ) -> GeocodeAnswer | None: ...


@dataclass(frozen=True, slots=True)
class Learned:
    """A name of the body found among the learned places (offsets in the body)."""

    start: int
    end: int
    text: str
    place: Place
    evidence: str  # "learned:<file>:<event id>"


def learned_mentions(
    body: str,
    learned: LearnedLookup,
    gazetteer: Gazetteer,
    countries: set[str],
    language: str = "en",
) -> list[Learned]:
    """Names the report introduces as places that the learned places know, in text order."""
    found: list[Learned] = []
    taken_until = -1
    for start, end, partial in name_spans(body, language, MAX_NAMES):
        if start < taken_until or partial:
            continue
        if not (introduced_as_place(body, start, end) or after_a_strike(body, start)):
            continue
        if _QUALIFYING.search(body[max(0, start - 60) : start]) or in_qualifier(body, start):
            continue  # "X, Kherson": the region of the place before, not a town Kherson
        name = body[start:end]
        region_name, regions = _region_after(body[end : end + 80], gazetteer, countries)
        for country in _countries_to_ask(regions, countries, name, gazetteer):
            answer = learned.find(name, country, region_name)
            if answer is not None:
                admin1 = next((code for cc, code in regions if cc == country), "")
                admin1 = admin1 or _admin1_near(gazetteer, country, answer)
                place = _place_of(answer, country, admin1)
                found.append(Learned(start, end, name, place, answer.geocoder))
                taken_until = end
                break
    return found


def _region_after(
    after: str, gazetteer: Gazetteer, countries: set[str]
) -> tuple[str, list[tuple[str, str]]]:
    """The region named right after a place ("X, Zaporizhia", "X (District, Region)") and the
    (country, admin1) codes the gazetteer gives it."""
    match = REGIONS_AFTER.match(after)
    if not match:
        return "", []
    name = next(g for g in reversed(match.groups()) if g).strip()
    codes = []
    for place in gazetteer.lookup(name, limit=5):
        if place.feature == FEATURE_COUNTRY or not place.admin1:
            continue
        if countries and place.country_code not in countries:
            continue
        codes.append((place.country_code, place.admin1))
    return name, list(dict.fromkeys(codes))


def _countries_to_ask(
    regions: list[tuple[str, str]], countries: set[str], name: str, gazetteer: Gazetteer
) -> list[str]:
    """The countries of the named region first, then the report's, then the country of the
    gazetteer's own best guess for the name."""
    asked = [cc for cc, _ in regions] + sorted(countries)
    if not asked:
        asked = [p.country_code for p in gazetteer.lookup(name, limit=1)]
    return list(dict.fromkeys(asked))


def _admin1_near(gazetteer: Gazetteer, country: str, answer: GeocodeAnswer) -> str:
    """The region of the gazetteer's place nearest to a learned point, in its country."""
    latitudes, longitudes, codes = _country_points(gazetteer, country)
    if not len(codes):
        return ""
    distances = km_arrays(answer.latitude, answer.longitude, latitudes, longitudes)
    return str(codes[int(np.argmin(distances))])


@functools.lru_cache(maxsize=16)
def _country_points(gazetteer: Gazetteer, country: str) -> tuple[np.ndarray, ...]:
    """Latitudes, longitudes and region codes of a country's places."""
    admin1s = frozenset(region.admin1 for region in gazetteer.regions(country))
    places = gazetteer.places_in(country, admin1s)
    return (
        np.array([p.latitude for p in places]),
        np.array([p.longitude for p in places]),
        np.array([p.admin1 for p in places]),
    )


def _place_of(answer: GeocodeAnswer, country: str, admin1: str) -> Place:
    """A learned answer as a gazetteer-like place: a town at its exact point."""
    return Place(
        geonameid=0,
        name=answer.matched_name,
        latitude=answer.latitude,
        longitude=answer.longitude,
        country_code=country,
        population=0,
        feature=FEATURE_PLACE,
        geo_precision=answer.geo_precision,
        admin1=admin1,
    )
