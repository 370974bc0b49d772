"""Placing an event's (location, admin1, admin2, country) with the gazetteer, as datasets
write them.

- A named country bounds the answer: the place lies in it or there is none. A country that
  cannot be read is a problem on the row, never a search of the whole world.
- ``admin1`` (the province) is read among the country's regions: exactly, without its
  descriptor words ("Nord Kivu province", "Kyiv oblast"), folded, or by fuzzy ratio when one
  region clearly stands out. It chooses among namesakes, and loose spellings are matched
  only inside it. ``admin2`` (the district) is read as the place it is named after; among
  namesakes the one nearest it wins.
- A name not found falls back to the district's place (precision 2) or the province's
  central place (precision 3), each a point inside that region; a region that cannot be
  read gives no fallback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from components.geo.distance import km
from components.geo.gazetteer import FEATURE_PLACE, FEATURE_REGION, Gazetteer, Place
from components.geo.names import (
    CITY_WORDS,
    compass_directions,
    directions_written_one_way,
    district_names,
    fold_name,
    name_parts,
    normalize_name,
    reported_name,
    without_articles,
)
from components.geo.spelling import near_spelling, region_core

__all__ = ["ADMIN2", "PlaceResolver", "Resolution", "name_parts"]

# The optional district column (ACLED admin2, UCDP adm_2) of an events table.
ADMIN2 = "admin2"
DISTRICT_PRECISION = 2
PROVINCE_PRECISION = 3
# A loose match is taken when the best candidate is this many times "bigger" than the next.
LOOSE_MARGIN = 10.0
# Fuzzy ratios (0-100): the least a region name must score, and the least lead over the
# runner-up for it to stand out.
REGION_MIN_RATIO = 80.0
MIN_LEAD = 6.0
REGION_MIN_CONSONANTS = 2
# A place name spelled almost alike: the least ratio, and the shortest name tried this way.
PLACE_MIN_RATIO = 85.0
FUZZY_MIN_LENGTH = 5
# A province unreadable by name is read as its namesake town's when that town is this big.
CAPITAL_POPULATION = 20_000
# A place this big with a name unique in its country is taken even outside the province.
CITY_POPULATION = 100_000
# ... or when it lies within this distance beyond the farthest place of the named province.
REACH_MARGIN_KM = 10.0
# Among namesakes in a region, the district's place decides only within this distance.
DISTRICT_RADIUS_KM = 80.0


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a row's place is, or why it could not be placed (``problem``)."""

    place: Place | None
    geo_precision: int = 1
    problem: str = ""


@dataclass(frozen=True, slots=True)
class _Region:
    """The regions an admin1 text may name (several when its names are shared)."""

    admin1s: frozenset[str]
    places: tuple[Place, ...] = field(default=())

    @property
    def single(self) -> Place | None:
        return self.places[0] if len(self.places) == 1 else None


class PlaceResolver:
    """Reads rows' places with one gazetteer; remembers what it read (one per process)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._countries: dict[str, str | None] = {}
        self._regions: dict[tuple[str, str], _Region | None] = {}
        self._region_names: dict[str, list[tuple[str, Place]]] = {}
        self._answers: dict[tuple[str, str, str, str], Resolution] = {}
        self._extents: dict[tuple[str, str], tuple[float, float, float] | None] = {}
        self._region_places: dict[tuple[str, frozenset[str]], list] = {}

    def resolve(
        self, location: str, admin1: str = "", admin2: str = "", country: str = ""
    ) -> Resolution:
        """The place of a row; country text may be a name in any language or a code."""
        key = (location, admin1, admin2, country)
        if key not in self._answers:
            self._answers[key] = self._resolve(*key)
        return self._answers[key]

    def country_code(self, text: str) -> str | None:
        if text not in self._countries:
            self._countries[text] = self.gazetteer.country_code(text)
        return self._countries[text]

    def _resolve(self, location: str, admin1: str, admin2: str, country: str) -> Resolution:
        code = None
        if country.strip():
            code = self.country_code(country)
            if code is None:
                return Resolution(None, problem=f"country {country!r} is not recognised")
        if code is None:
            return self._worldwide(location)
        region = self.region(admin1, code) if admin1.strip() else None
        if region is not None and region.single is None and admin2.strip():
            region = self._part_named(region, admin2, code)
        district = self._district(admin2, code, region) if admin2.strip() else None
        for part, floor in name_parts(location):
            found = self._in_country(part, code, region, district, bool(admin1.strip()))
            if found is not None:
                return replace(found, geo_precision=max(found.geo_precision, floor))
        if district is not None:
            return Resolution(district, DISTRICT_PRECISION)
        if region is not None and region.single is not None:
            # Named as the row names its province (the index may know it by another name).
            province = replace(region.single, name=" ".join(admin1.split()))
            return Resolution(province, PROVINCE_PRECISION)
        if admin1.strip() and region is None:
            # Worth telling: with the province read, this row would have had a fallback.
            return Resolution(None, problem=f"province {admin1!r} of {code} is not recognised")
        return Resolution(None)

    def _part_named(self, region: _Region, admin2: str, code: str) -> _Region:
        """A province since split, whose part the district column names ("Darfur", "North
        Darfur"): that part."""
        part = self.region(admin2, code)
        if part is not None and part.single is not None and part.admin1s <= region.admin1s:
            return part
        return region

    def _worldwide(self, location: str) -> Resolution:
        """No country named: the best-known place (or region, country) of that name."""
        places = self.gazetteer.lookup(location, limit=1)
        if not places:
            return Resolution(None)
        return Resolution(places[0], places[0].geo_precision)

    def _in_country(
        self,
        name: str,
        code: str,
        region: _Region | None,
        district: Place | None,
        region_named: bool = False,
    ) -> Resolution | None:
        exact = self.gazetteer.exact_places(name, code)
        places = [p for p in exact if p.feature == FEATURE_PLACE]
        if region is not None:
            inside = [p for p in places if p.admin1 in region.admin1s]
            if inside:
                found = _nearest(inside, district)
                return None if found is None else Resolution(found, found.geo_precision)
            loose = self._loose(name, code, region, district)
            if loose is not None:
                return Resolution(loose, loose.geo_precision)
            # Datasets and GeoNames draw some provinces differently, and GeoNames keeps old
            # province codes (named by no catalogue) on some places: a name no other place
            # of the country has is that place if it is a city, or if its province code is
            # such an old one and it lies within the named province's reach.
            if len(places) == 1 and (
                places[0].population >= CITY_POPULATION
                or (self._unnamed(places[0]) and self._within(places[0], region))
            ):
                return Resolution(places[0], places[0].geo_precision)
            return None
        if places and (not region_named or len(places) == 1 or district is not None):
            # A province named but unreadable: only a name unique in the country is sure.
            found = _nearest(places, district)
            if found is not None:
                return Resolution(found, found.geo_precision)
            return None
        if places:
            return None
        regions = [p for p in exact if p.feature == FEATURE_REGION]
        if regions:
            return Resolution(regions[0], PROVINCE_PRECISION)
        if not region_named:
            # No province to bound it: a loose spelling only when one place stands out in
            # the whole country.
            loose = self._loose(name, code, None, district)
            return None if loose is None else Resolution(loose, loose.geo_precision)
        return None

    def _unnamed(self, place: Place) -> bool:
        """Whether the place's province code is one no catalogue names (an old one)."""
        named = {p.admin1 for _, p in self._names_of_regions(place.country_code)}
        return place.admin1 not in named

    def _within(self, place: Place, region: _Region) -> bool:
        """Whether a place lies within the reach of one of the region's places."""
        for admin1 in region.admin1s:
            extent = self._extent(place.country_code, admin1)
            if extent is not None:
                lat, lon, radius = extent
                if km((lat, lon), (place.latitude, place.longitude)) <= radius + REACH_MARGIN_KM:
                    return True
        return False

    def _extent(self, code: str, admin1: str) -> tuple[float, float, float] | None:
        key = (code, admin1)
        if key not in self._extents:
            self._extents[key] = self.gazetteer.region_extent(code, admin1)
        return self._extents[key]

    def _loose(
        self, name: str, code: str, region: _Region | None, district: Place | None
    ) -> Place | None:
        """The one place (inside the region, near the district, when known) a looser
        spelling points to, if one stands out."""
        loose = [
            p
            for p in self.gazetteer.loose_places(name, code)
            if p.feature == FEATURE_PLACE and (region is None or p.admin1 in region.admin1s)
        ]
        if district is not None:
            loose = [p for p in loose if _nearest([p], district) is not None]
        if loose:
            return _standout(loose)
        return self._fuzzy(name, code, region, district) if region is not None else None

    def _fuzzy(self, name: str, code: str, region: _Region, district: Place | None) -> Place | None:
        """The one place of the region (near the district, when known) whose name is spelled
        almost alike ("Saakow" for Saacow), if no other comes close."""
        key = normalize_name(name)
        reported = reported_name(key)
        if reported is not None and not reported.is_region:
            key = reported.key
        named = self._places_of_region(code, region.admin1s)
        if district is not None:
            named = [n for n in named if _nearest([n[0]], district) is not None]
        # Spellings too loose for the whole gazetteer meet here, among one province's places.
        near = near_spelling(key)
        same = [place for place, _, spelling in named if near and spelling == near]
        if same:
            return same[0] if len(same) == 1 else None
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        places = [place for place, _, _ in named]
        choices = {i: normalized for i, (_, normalized, _) in enumerate(named)}
        best = process.extract(key, choices, scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < PLACE_MIN_RATIO:
            return None
        if len(best) > 1 and best[1][1] > best[0][1] - MIN_LEAD:
            return None
        return places[best[0][2]]

    def _places_of_region(self, code: str, admin1s: frozenset[str]) -> list[tuple[Place, str, str]]:
        """(place, name key, near spelling) of the places of some regions, read once."""
        cache_key = (code, admin1s)
        if cache_key not in self._region_places:
            self._region_places[cache_key] = [
                (place, key, near_spelling(key))
                for place in self.gazetteer.places_in(code, admin1s)
                for key in [normalize_name(place.name)]
            ]
        return self._region_places[cache_key]

    def region(self, text: str, code: str) -> _Region | None:
        """The region(s) of a country an admin1 text names, or None when none can be read."""
        cache_key = (text, code)
        if cache_key not in self._regions:
            self._regions[cache_key] = self._read_region(text, code)
        return self._regions[cache_key]

    def _read_region(self, text: str, code: str) -> _Region | None:
        names = self._names_of_regions(code)
        if not names:
            return None
        key = normalize_name(text)
        reported = reported_name(key)
        keys = [key]
        if reported is not None:
            keys.append(reported.key)
        keys += [without_articles(k) for k in keys]
        keys += [directions_written_one_way(k) for k in keys]
        names = [(directions_written_one_way(k), p) for k, p in names]
        for wanted in dict.fromkeys(keys):
            # A text and its folded form both count: "Kiev" and "Kyiv" name one oblast. Among
            # a country's few provinces even short names can be folded.
            folded = fold_name(wanted, REGION_MIN_CONSONANTS)
            found = [p for k, p in names if k == wanted]
            found += [
                p for k, p in names if folded and fold_name(k, REGION_MIN_CONSONANTS) == folded
            ]
            if found:
                return _region_of(found)
        # Word order and a Somali article aside: "Jubbada Hoose" is "Lower Juba".
        core = region_core(key if reported is None else reported.key)
        if core[1]:
            found = [p for k, p in self._names_of_regions(code) if region_core(k) == core]
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

    def _region_of_capital(self, name: str, code: str) -> _Region | None:
        """The province of the town a province is named after ("Bizerte" → Banzart), when
        that town is the largest of its name and a real town."""
        places = [p for p in self.gazetteer.exact_places(name, code) if p.feature == FEATURE_PLACE]
        if not places or places[0].population < CAPITAL_POPULATION:
            return None
        region = self.gazetteer.region_by_code(code, places[0].admin1)
        return None if region is None else _region_of([region])

    def _names_of_regions(self, code: str) -> list[tuple[str, Place]]:
        if code not in self._region_names:
            self._region_names[code] = self.gazetteer.region_names(code)
        return self._region_names[code]

    def district(self, admin2: str, admin1: str, country: str) -> Place | None:
        """The place a row's district is named after, if it can be read."""
        code = self.country_code(country) if country.strip() else None
        if code is None or not admin2.strip():
            return None
        region = self.region(admin1, code) if admin1.strip() else None
        return self._district(admin2, code, region)

    def _district(self, text: str, code: str, region: _Region | None) -> Place | None:
        """The place a district is named after, inside the region when one is known."""
        for part in district_names(text):
            places = [
                p for p in self.gazetteer.exact_places(part, code) if p.feature == FEATURE_PLACE
            ]
            if region is not None:
                places = [p for p in places if p.admin1 in region.admin1s]
            if places:
                return places[0]
        return None


def _part_of(name: set[str], tokens: set[str]) -> bool:
    """Whether a region's name is a part of the words read, words of four letters or more."""
    return bool(name) and name < tokens and all(len(t) >= 4 for t in name)


def _region_of(places: list[Place]) -> _Region:
    unique = {p.admin1: p for p in places}
    return _Region(frozenset(unique), tuple(unique.values()))


def _nearest(places: list[Place], district: Place | None) -> Place | None:
    """The best-ranked place, or with a district known the one nearest the district's
    place; None when every one is too far from it to lie in that district (a namesake)."""
    if district is None:
        return places[0]
    point = (district.latitude, district.longitude)
    distances = [km(point, (p.latitude, p.longitude)) for p in places]
    best = min(range(len(places)), key=distances.__getitem__)
    return places[best] if distances[best] <= DISTRICT_RADIUS_KM else None


def _standout(places: list[Place]) -> Place | None:
    """The first place if it is far "bigger" (population) than the next, else None."""
    if len(places) == 1:
        return places[0]
    first, second = (math.log10(p.population + 1) for p in places[:2])
    return places[0] if first - second >= math.log10(LOOSE_MARGIN) else None
