"""Placing an event's (location, admin1, admin2, country) with the gazetteer, as datasets
write them.

- A named country bounds the answer: the place lies in it or there is none. A country that
  cannot be read is a problem on the row, never a search of the whole world.
- ``admin1`` (the province) is read among the country's regions (see
  :mod:`components.geo.provinces`). It chooses among namesakes, and loose spellings are
  matched only inside it; a split province's part named in ``admin2`` stands for it.
  ``admin2`` (the district) is read as the place it is named after; among namesakes the one
  nearest it wins.
- A name not found falls back to the district's place (precision 2) or the province's
  central place (precision 3), each a point inside that region; a region that cannot be
  read gives no fallback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from components.geo.distance import km
from components.geo.gazetteer import FEATURE_PLACE, FEATURE_REGION, Gazetteer, Place
from components.geo.names import (
    district_names,
    name_parts,
    normalize_name,
    reported_name,
)
from components.geo.provinces import MIN_LEAD, Provinces, Region
from components.geo.spelling import near_spelling

__all__ = ["ADMIN2", "PlaceResolver", "Resolution", "name_parts"]

# The optional district column (ACLED admin2, UCDP adm_2) of an events table.
ADMIN2 = "admin2"
DISTRICT_PRECISION = 2
PROVINCE_PRECISION = 3
# A loose match is taken when the best candidate is this many times "bigger" than the next.
LOOSE_MARGIN = 10.0
# A place name spelled almost alike: the least ratio, and the shortest name tried this way
# (it must lead the runner-up by MIN_LEAD, as a province's name must).
PLACE_MIN_RATIO = 85.0
FUZZY_MIN_LENGTH = 5
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


class PlaceResolver:
    """Reads rows' places with one gazetteer; remembers what it read (one per process)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._countries: dict[str, str | None] = {}
        self.provinces = Provinces(gazetteer)
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

    def _part_named(self, region: Region, admin2: str, code: str) -> Region:
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
        region: Region | None,
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

    def _within(self, place: Place, region: Region) -> bool:
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
        self, name: str, code: str, region: Region | None, district: Place | None
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

    def _fuzzy(self, name: str, code: str, region: Region, district: Place | None) -> Place | None:
        """The one place of the region (near the district, when known) whose name is spelled
        almost alike ("Baarkow" for Baarcow), if no other comes close."""
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
        # Spellings of one name differ inside it, not in the letter it starts with: "Orlivka"
        # is not "Horlivka".
        named = [n for n in named if n[1][:1] == key[:1]]
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

    def region(self, text: str, code: str) -> Region | None:
        """The region(s) of a country an admin1 text names, or None when none can be read."""
        return self.provinces.region(text, code)

    def _names_of_regions(self, code: str) -> list[tuple[str, Place]]:
        return self.provinces.names_of_regions(code)

    def district(self, admin2: str, admin1: str, country: str) -> Place | None:
        """The place a row's district is named after, if it can be read."""
        code = self.country_code(country) if country.strip() else None
        if code is None or not admin2.strip():
            return None
        region = self.region(admin1, code) if admin1.strip() else None
        return self._district(admin2, code, region)

    def _district(self, text: str, code: str, region: Region | None) -> Place | None:
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
