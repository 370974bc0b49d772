"""Filling in the coordinates of an events table with any geocoder, each place asked once.

:func:`geocode_events` works with any geopy geocoder (the offline :class:`GazetteerGeocoder`
by default, or Nominatim, Photon, Pelias, optionally wrapped in geopy's ``RateLimiter``) and
asks it about each distinct (place name, country) once; a :class:`GeocodeCache` keeps the
answers, "not found" included, between runs.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from components.geo.answers import (
    GeocodeAnswer,
    answer_of,
    country_parameter,
    geocoder_object,
    override_answer,
    provider_id,
)
from components.geo.cache import GeocodeCache
from components.geo.column_text import Rewrites
from components.geo.distance import km
from components.geo.gazetteer import (
    COUNTRY_PRECISION,
    Gazetteer,
    default_gazetteer,
    normalize_name,
)
from components.geo.geocoders.gazetteer import GazetteerGeocoder, ManualPlaces
from components.geo.learned import LearnedPlaces, learned_places
from components.geo.overrides import DEFAULT_PLACES_FILE
from components.geo.resolve import ADMIN2, DISTRICT_RADIUS_KM, PlaceResolver
from components.table.schema import (
    ADMIN1,
    COUNTRY,
    GEO_PRECISION,
    GEOCODER,
    LATITUDE,
    LOCATION,
    LONGITUDE,
    MATCHED_NAME,
)

__all__ = ["ADMIN2", "SOURCE_GEOCODER", "GeocodeTally", "geocode_events"]

SOURCE_GEOCODER = "source"
# geocode_events' default for ``learned``: the learned places of the cache directory.
DEFAULT_LEARNED = "default"
# Names the offline resolver in cache keys; raise it when its rules change.
RESOLVER_VERSION = 2

GeocodeFunction = Callable[..., Location | list[Location] | None]


@dataclass(slots=True)
class GeocodeTally:
    """What one geocode_events run did, row by row (rows with their own coordinates count
    as found)."""

    rows: int = 0
    found: int = 0
    not_found: int = 0
    from_cache: int = 0
    manual: int = 0
    fallbacks: int = 0
    learned: int = 0
    # Why rows were not placed, when there is more to say than "not found": reason → rows.
    problems: dict[str, int] = field(default_factory=dict)


def geocode_events(
    events: pd.DataFrame,
    *,
    geocoder: Geocoder | GeocodeFunction | None = None,
    cache: GeocodeCache | None = None,
    provider: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    places_file: str | os.PathLike[str] | None = DEFAULT_PLACES_FILE,
    tally: GeocodeTally | None = None,
    progress: Callable[[int, int], None] | None = None,
    learned: LearnedPlaces | str | None = DEFAULT_LEARNED,
) -> pd.DataFrame:
    """A copy of ``events`` with coordinates filled in where they are missing.

    A row without latitude/longitude but with a ``location`` is placed by that location, else
    by its ``admin1``, else by its ``country`` (the last two at geo_precision 3), looking only
    inside the row's country when that is recognized. Its geocoder, matched_name and
    geo_precision (the larger of the coded and the matched precision) are filled in. Rows with
    coordinates keep them (an empty geocoder becomes "source"); rows that cannot be placed
    keep empty coordinates.

    ``geocoder`` defaults to the offline :class:`GazetteerGeocoder`; ``cache`` (default: none)
    keeps answers on disk; ``provider`` names the geocoder in cache keys when it cannot be
    told from the object; ``cache_dir`` is where the gazetteer index lives (for the default
    geocoder and for reading country names); rows of ``places_file`` (the manual places,
    default data/places.csv; None for none) win over any geocoder. ``tally`` is filled in
    with counts as rows are done; ``progress(done, total)`` is called with the number of rows
    done: once for the rows that need no lookup, then after each distinct place. Rows naming
    the same (location, admin1, admin2, country) are looked up once, together.

    A row naming a country that cannot be read is not placed (``tally.problems`` says why).
    With the offline gazetteer, ``admin1`` and ``admin2`` (the province and district) choose
    among namesakes and give the fallback (see :mod:`components.geo.resolve`). ``learned``
    (default: the learned places in ``cache_dir``, if any; None for none) is consulted
    after the manual places and before the geocoder.
    """
    if isinstance(learned, str):
        learned = learned_places(cache_dir)
    geocode = _GeocodeCalls(geocoder, cache, provider, cache_dir, places_file, learned)
    out = events.copy()
    total = len(out)
    latitude = np.asarray(_numbers(out, LATITUDE), dtype="float64")
    longitude = np.asarray(_numbers(out, LONGITUDE), dtype="float64")
    precision = np.asarray(_numbers(out, GEO_PRECISION), dtype="float64")
    # New texts as codes into a short list of words: a million rows share a few dozen answers.
    geocoders, matched = Rewrites(_texts(out, GEOCODER)), Rewrites(_texts(out, MATCHED_NAME))
    locations, admin1s, admin2s, countries = (
        _texts(out, c) for c in (LOCATION, ADMIN1, ADMIN2, COUNTRY)
    )
    tally = tally if tally is not None else GeocodeTally()
    placed = ~(np.isnan(latitude) | np.isnan(longitude))
    named = ~placed & (locations != "").to_numpy()
    geocoders.write(placed & geocoders.empty(), SOURCE_GEOCODER)
    done = int(placed.sum()) + int((~placed & ~named).sum())
    tally.rows += done
    tally.found += int(placed.sum())
    tally.not_found += done - int(placed.sum())
    # Each distinct (location, admin1, admin2, country) is asked once, in the order the rows
    # name them.
    rows = np.flatnonzero(named)
    columns = (locations, admin1s, admin2s, countries)
    codes, places = pd.factorize(pd.MultiIndex.from_arrays([c.iloc[rows] for c in columns]))
    sizes = np.bincount(codes, minlength=len(places))
    rows_by_place = np.split(rows[np.argsort(codes, kind="stable")], np.cumsum(sizes)[:-1])
    if len(places) == 0:
        rows_by_place = []
    if progress is not None and done:
        progress(done, total)
    try:
        for (location, admin1, admin2, country), place_rows in zip(
            places, rows_by_place, strict=True
        ):
            found = geocode.event_place(location, admin1, admin2, country)
            size = len(place_rows)
            tally.rows += size
            tally.from_cache += size * (geocode.last_source == _FROM_CACHE)
            tally.manual += size * (geocode.last_source == _FROM_MANUAL)
            tally.learned += size * (geocode.last_source == _FROM_LEARNED)
            tally.found += size * (found is not None)
            tally.not_found += size * (found is None)
            if found is None and geocode.problem:
                tally.problems[geocode.problem] = tally.problems.get(geocode.problem, 0) + size
            done += size
            if progress is not None:
                progress(done, total)
            if found is None:
                continue
            answer, floor = found
            latitude[place_rows], longitude[place_rows] = answer.latitude, answer.longitude
            geocoders.write(place_rows, answer.geocoder)
            matched.write(place_rows, answer.matched_name)
            coded = np.nan_to_num(precision[place_rows], nan=0.0)
            precision[place_rows] = np.maximum(coded, max(answer.geo_precision, floor))
    finally:
        tally.fallbacks = geocode.fallbacks
        geocode.finish()
    out[LATITUDE] = pd.Series(latitude, index=out.index, dtype="float64")
    out[LONGITUDE] = pd.Series(longitude, index=out.index, dtype="float64")
    out[GEO_PRECISION] = pd.Series(precision, index=out.index, dtype="float64").astype("Int64")
    out[GEOCODER] = geocoders.series(out.index)
    out[MATCHED_NAME] = matched.series(out.index)
    return out


# ---------------------------------------------------------------------------------------
# Helpers


_FROM_CACHE, _FROM_MANUAL, _FROM_LEARNED, _ASKED = "cache", "manual", "learned", "asked"


class _GeocodeCalls:
    """Asks one geocoder about each distinct place once, through the cache."""

    def __init__(
        self,
        geocoder: Geocoder | GeocodeFunction | None,
        cache: GeocodeCache | None,
        provider: str | None,
        cache_dir: str | os.PathLike[str] | None,
        places_file: str | os.PathLike[str] | None = None,
        learned: LearnedPlaces | None = None,
    ) -> None:
        if geocoder is None:
            geocoder = GazetteerGeocoder(cache_dir=cache_dir, places_file=None)
        # A geopy Geocoder or anything shaped like one (ResilientGeocoder), or a function.
        self.function: GeocodeFunction = getattr(geocoder, "geocode", geocoder)
        self.provider = provider or provider_id(geocoder)
        self.country_parameter = country_parameter(self.function)
        self.cache = cache
        # A RateLimiter that swallows errors answers None for a failed request: not cached.
        self.cache_not_found = not getattr(geocoder, "swallow_exceptions", False)
        target = geocoder_object(geocoder)
        self.target = target
        if isinstance(target, GazetteerGeocoder):
            self.countries = _CountryCodes(lambda: target.gazetteer)
            self.resolver: PlaceResolver | None = PlaceResolver(target.gazetteer)
            self.provider = f"{self.provider}/resolver-{RESOLVER_VERSION}"
        else:
            self.countries = _CountryCodes(lambda: default_gazetteer(cache_dir))
            self.resolver = None
        self.answers: dict[tuple[str, str | None], GeocodeAnswer | None] = {}
        self.overrides = ManualPlaces(places_file, lambda: self.countries.gazetteer)
        self.learned = learned
        self.sources: dict[tuple[str, str | None], str] = {}
        self.last_source = self.ask_source = ""
        self.problem = ""
        self.fallbacks = 0

    def event_place(
        self, location: str, admin1: str, admin2: str, country: str
    ) -> tuple[GeocodeAnswer, int] | None:
        """The answer for an event's place, and the least precision that answer can have."""
        code = self.countries.code(country)
        self.last_source = self.problem = ""
        if country and code is None:
            # Never searched as the whole world: a place named in another country is wrong.
            self.problem = f"country {country!r} is not recognised"
            return None
        manual = self._manual(location, code)
        if manual is not None:
            return manual, 0
        if self.learned is not None:
            answer = self.learned.find(location, code, admin1)
            if answer is not None and self._in_district(answer, admin1, admin2, country):
                self.last_source = _FROM_LEARNED
                return answer, 0
        if self.resolver is not None:
            return self._resolved(location, admin1, admin2, country, code)
        for text, floor in ((location, 0), (admin1, COUNTRY_PRECISION)):
            answer = self.answer(text, code)
            if answer is not None:
                return answer, floor
        # No fall back to the country's centre: a dot in the middle of a country says nothing
        # about where a strike was, and such events are better listed as "not on the map".
        return None

    def _in_district(self, answer: GeocodeAnswer, admin1: str, admin2: str, country: str) -> bool:
        """Whether a learned point can lie in the row's district: a namesake learned from
        another district of the same province is another place."""
        if self.resolver is None or not admin2:
            return True
        district = self.resolver.district(admin2, admin1, country)
        if district is None:
            return True
        point = (district.latitude, district.longitude)
        return km(point, (answer.latitude, answer.longitude)) <= DISTRICT_RADIUS_KM

    def _manual(self, text: str, code: str | None) -> GeocodeAnswer | None:
        override = self.overrides.find(text, code) if text else None
        if override is None:
            return None
        self.last_source = _FROM_MANUAL
        return override_answer(override)

    def _resolved(
        self, location: str, admin1: str, admin2: str, country: str, code: str | None
    ) -> tuple[GeocodeAnswer, int] | None:
        """The offline resolver's answer (through the cache); a province's row of the manual
        places file beats a fallback to that province."""
        parts = {"admin1": admin1, "admin2": admin2}
        cache = self.cache
        if cache is not None and cache.has(self.provider, location, code, **parts):
            self.last_source = _FROM_CACHE
            answer = cache.get(self.provider, location, code, **parts)
        else:
            self.last_source = _ASKED
            assert self.resolver is not None
            resolution = self.resolver.resolve(location, admin1, admin2, country)
            self.problem = resolution.problem
            answer = None
            if resolution.place is not None:
                location_found = self.target.location_of(resolution.place)
                answer = answer_of(location_found, self.provider)
                answer = replace(answer, geo_precision=resolution.geo_precision)
            if cache is not None:
                cache.put(self.provider, location, code, answer, **parts)
        if answer is not None and answer.geo_precision >= COUNTRY_PRECISION and admin1:
            manual = self._manual(admin1, code)
            if manual is not None:
                return manual, COUNTRY_PRECISION
        return None if answer is None else (answer, 0)

    def answer(self, text: str, code: str | None) -> GeocodeAnswer | None:
        key = (normalize_name(text), code)
        if not key[0]:
            return None
        if key not in self.answers:
            override = self.overrides.find(text, code)
            if override is not None:
                self.answers[key], self.sources[key] = override_answer(override), _FROM_MANUAL
            else:
                self.answers[key] = self._ask(text, code)
                self.sources[key] = self.ask_source
        self.last_source = self.sources[key]
        return self.answers[key]

    def finish(self) -> None:
        if self.cache is not None:
            self.cache.save()

    def _ask(self, text: str, code: str | None) -> GeocodeAnswer | None:
        self.ask_source = _FROM_CACHE
        if self.cache is not None and self.cache.has(self.provider, text, code):
            return self.cache.get(self.provider, text, code)
        self.ask_source = _ASKED
        location = self._call(text, code)
        answer = None if location is None else answer_of(location, self.provider)
        # An answer from an online provider's offline fallback is not that provider's answer.
        fell_back = getattr(self.target, "fell_back", False) is True
        if fell_back:
            self.fallbacks += 1
        elif self.cache is not None and (answer is not None or self.cache_not_found):
            self.cache.put(self.provider, text, code, answer)
        return answer

    def _call(self, text: str, code: str | None) -> Location | None:
        if code is None:
            found = self.function(text, exactly_one=True)
        elif self.country_parameter == "country_codes":
            found = self.function(text, exactly_one=True, country_codes=code)
        elif self.country_parameter == "countries":
            found = self.function(text, exactly_one=True, countries=[code])
        else:
            found = self.function(f"{text}, {self.countries.name(code) or code}", exactly_one=True)
        if isinstance(found, list):
            return found[0] if found else None
        return found


class _CountryCodes:
    """Country column text → ISO alpha-2 code, remembered per distinct text."""

    def __init__(self, gazetteer: Callable[[], Gazetteer]) -> None:
        self.codes: dict[str, str | None] = {}
        self._get_gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        return self._get_gazetteer()

    def code(self, text: str) -> str | None:
        if not text:
            return None
        if text not in self.codes:
            self.codes[text] = self.gazetteer.country_code(text)
        return self.codes[text]

    def name(self, code: str) -> str | None:
        return self.gazetteer.country_name(code)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), math.nan)
    return pd.to_numeric(frame[column], errors="coerce").astype("float64").to_numpy(copy=True)


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped strings (positional index), "" for missing and non-text values."""
    if column not in frame.columns:
        return pd.Series("", index=pd.RangeIndex(len(frame)), dtype="str")
    values = frame[column].reset_index(drop=True)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
        "string",
        "empty",
    ):
        values = values.where(values.map(lambda v: isinstance(v, str)))
    return values.astype("str").fillna("").str.strip()
