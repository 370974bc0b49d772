"""The place of an event whose own village the gazetteer lacks: the district or region the
report names it in ("X village (District, Region)", "X, Region"), at the precision that says
so (2 for the district's town, 3 for the region's centre)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from components.coding.place_context import KIND, NAME
from components.coding.place_names import introduced_as_place
from components.coding.strikes import strike_words
from components.coding.vocab import alternation
from components.geo.gazetteer import (
    FEATURE_PLACE,
    FEATURE_REGION,
    MATCH_FOLDED,
    NEAR_PRECISION,
    Gazetteer,
    Place,
)

__all__ = ["Fallback", "after_a_strike", "qualified_fallbacks"]

# A name, perhaps its kind, then the places it lies in: "X village (District, Region)",
# "X, Region.", "X town (coded to District, Region)".
_QUALIFIED = re.compile(
    rf"(?P<place>{NAME})(?:\s+(?:{alternation('places', 'kinds')}))?"
    rf"\s*(?:\(\s*(?:coded to\s+)?|,\s+)(?P<first>{NAME}){KIND}"
    rf"(?:\s*,\s*(?P<second>{NAME}){KIND})?\s*[),.;]"
)
# Gazetteer candidates read per qualifying name.
_CANDIDATES = 8


@dataclass(frozen=True, slots=True)
class Fallback:
    """A place the text introduces but the gazetteer lacks, stood in for by its district's
    town or its region (offsets of the unknown name in the body)."""

    start: int
    end: int
    text: str
    place: Place
    qualifier_end: int  # where the district and region named after it end


def qualified_fallbacks(
    body: str, gazetteer: Gazetteer, countries: set[str], known: Sequence[tuple[int, int]]
) -> list[Fallback]:
    """Stand-ins for the places introduced with their district or region whose own name
    is not among ``known`` (spans of the places found)."""
    found = []
    for match in _QUALIFIED.finditer(body):
        start, end = match.span("place")
        if any(s <= start < e or start <= s < end for s, e in known):
            continue
        if not (introduced_as_place(body, start, end) or after_a_strike(body, start)):
            continue
        first, second = match.group("first"), match.group("second")
        place = _stand_in(first, second, gazetteer, countries)
        if place is not None:
            found.append(Fallback(start, end, match.group("place"), place, match.end()))
    return found


def after_a_strike(body: str, start: int) -> bool:
    """Whether a strike word comes before the name in its sentence ("artillery struck X, Y")."""
    sentence = body[body.rfind(".", 0, start) + 1 : start]
    return bool(strike_words(sentence))


def _stand_in(
    first: str, second: str | None, gazetteer: Gazetteer, countries: set[str]
) -> Place | None:
    """The district's town (when two names qualify the place) or else the region's centre;
    None when the names point to several countries and the report names none of them."""
    regions = _region_candidates(second or first, gazetteer, countries)
    if second is None:
        return regions[0] if _one_country(regions, countries) else None
    towns = [p for p in _lookup(first, gazetteer, countries) if p.feature == FEATURE_PLACE]
    codes = {(r.country_code, r.admin1) for r in regions}
    inside = [p for p in towns if (p.country_code, p.admin1) in codes]
    if inside:
        return _near(inside[0])
    # The region of the district's country, if named there: the district town of that name
    # is a namesake elsewhere in the country; else the region name was not the gazetteer's.
    towns_countries = {t.country_code for t in towns}
    regions_there = [r for r in regions if r.country_code in towns_countries]
    if regions_there:
        return regions_there[0]
    if towns and _one_country(towns, countries):
        return _near(towns[0])
    return regions[0] if _one_country(regions, countries) else None


def _near(town: Place) -> Place:
    """A district's town stands for a place in its district: near it, not at it."""
    return replace(town, geo_precision=max(town.geo_precision, NEAR_PRECISION))


def _one_country(places: list[Place], countries: set[str]) -> bool:
    """Whether the candidates are of one country (or already of the report's countries)."""
    return bool(places) and (bool(countries) or len({p.country_code for p in places}) == 1)


def _region_candidates(name: str, gazetteer: Gazetteer, countries: set[str]) -> list[Place]:
    """The first-level regions a name stands for: regions so called, or the regions of the
    towns so called (a report's "X, Zaporizhia" names the oblast after its capital)."""
    regions = []
    for place in _lookup(name, gazetteer, countries):
        region = gazetteer.region_of(place)
        if region is not None and region not in regions:
            regions.append(region)
    return regions


def _lookup(name: str, gazetteer: Gazetteer, countries: set[str]) -> list[Place]:
    """Places and regions (never countries) called ``name``: those of the report's countries
    (looked up there, where a loose spelling may stand out) when it has any."""
    if countries:
        found = [
            p
            for country in sorted(countries)
            for p in gazetteer.lookup(name, country, limit=_CANDIDATES)
            if p.country_code == country
        ]
    else:
        found = gazetteer.lookup(name, limit=_CANDIDATES)
    return [
        p
        for p in found
        if p.feature in (FEATURE_PLACE, FEATURE_REGION)
        and (p.match != MATCH_FOLDED or _alike(name, p.name))
    ]


def _alike(written: str, name: str) -> bool:
    """Whether a loose match is still spelled much like the name written ("Garoowe" and
    "Garowe", not "Dalaale" and "Daloa Oula"), spaces aside."""
    a, b = (re.sub(r"[\s'’-]", "", text.casefold()) for text in (written, name))
    return difflib.SequenceMatcher(None, a, b).ratio() >= _ALIKE


# How alike a loose match must be spelled (difflib's ratio).
_ALIKE = 0.5
