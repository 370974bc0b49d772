"""Geocoding: the offline gazetteer as a geopy geocoder, a cache of answers on disk, and
filling in the coordinates of an events table.

:func:`geocode_events` works with any geopy geocoder (the offline :class:`GazetteerGeocoder`
by default, or Nominatim, Photon, Pelias, optionally wrapped in geopy's ``RateLimiter``) and
asks it about each distinct (place name, country) once; a :class:`GeocodeCache` keeps the
answers, "not found" included, between runs.
"""

from __future__ import annotations

import inspect
import json
import logging
import math
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from components.geo.gazetteer import (
    COUNTRY_PRECISION,
    FEATURE_COUNTRY,
    FEATURE_REGION,
    Gazetteer,
    Place,
    default_gazetteer,
    normalize_name,
    resolve_cache_dir,
)
from components.geo.overrides import (
    DEFAULT_PLACES_FILE,
    MANUAL_GEOCODER,
    Override,
    find_override,
    read_overrides,
)
from components.table.files import locked, write_text_atomically
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

GAZETTEER_PROVIDER = "gazetteer"
SOURCE_GEOCODER = "source"
CACHE_FILE = "geocode-cache.json"
CACHE_FORMAT = "strikemap-geocode-cache"
CACHE_VERSION = 1

log = logging.getLogger(__name__)

GeocodeFunction = Callable[..., Location | list[Location] | None]


@dataclass(frozen=True, slots=True)
class GeocodeAnswer:
    """Where a geocoder put a place name, in the event table's terms."""

    latitude: float
    longitude: float
    geocoder: str
    matched_name: str
    geo_precision: int


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


class GazetteerGeocoder(Geocoder):
    """A geopy geocoder that answers from the offline gazetteer; it never uses the network.

    Rows of the manual places file (``places_file``, default data/places.csv; None for none)
    win over the gazetteer.
    """

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        places_file: str | os.PathLike[str] | None = DEFAULT_PLACES_FILE,
        scheme: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
        proxies: Any = DEFAULT_SENTINEL,
        user_agent: str | None = None,
        ssl_context: Any = DEFAULT_SENTINEL,
        adapter_factory: Any = None,
    ) -> None:
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self._gazetteer = gazetteer
        self._cache_dir = cache_dir
        self._load_lock = threading.Lock()
        self._overrides = _Overrides(places_file, lambda: self.gazetteer)

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, loaded (or built) on first use."""
        with self._load_lock:
            if self._gazetteer is None:
                self._gazetteer = default_gazetteer(self._cache_dir)
            return self._gazetteer

    @property
    def provider_id(self) -> str:
        """Names this geocoder and its data in cache keys."""
        return f"{GAZETTEER_PROVIDER}/{self.gazetteer.version_tag}"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        country_codes: str | Iterable[str] | None = None,
        limit: int | None = None,
    ) -> Location | list[Location] | None:
        """Find a place by name, like geopy's Nominatim.geocode.

        ``query`` is a place name, optionally followed by ", <country>". ``country_codes``
        (ISO alpha-2 codes, or country names) restricts the answers to those countries; a
        code that is not a country gives no answers. Returns None when nothing matches.
        """
        if not isinstance(query, str):
            raise TypeError(f"query must be a string, not {type(query).__name__}")
        countries = self._country_restriction(country_codes)
        if countries is not None and not countries:
            return None
        override = self._override(query, countries)
        if override is not None:
            return override
        places = self._places(query, countries)
        if not places:
            return None
        if exactly_one:
            return self._location(places[0])
        return [self._location(place) for place in places[: limit or 10]]

    def _override(self, query: str, countries: list[str] | None) -> Location | None:
        head, comma, tail = query.rpartition(",")
        tail_country = self.gazetteer.country_code(tail) if comma and head.strip() else None
        name = head.split(",")[0] if tail_country else query
        for code in [tail_country] if tail_country else countries or [None]:
            override = self._overrides.find(name, code)
            if override is not None and (countries is None or code in countries or not code):
                return _override_location(override)
        return None

    def _country_restriction(self, country_codes: str | Iterable[str] | None) -> list[str] | None:
        if country_codes is None:
            return None
        if isinstance(country_codes, str):
            country_codes = [country_codes]
        codes = [self.gazetteer.country_code(code) for code in country_codes]
        return list(dict.fromkeys(code for code in codes if code))

    def _places(self, query: str, countries: list[str] | None) -> list[Place]:
        """Places for a name, or for "name, ..., country" inside that country."""
        head, comma, tail = query.rpartition(",")
        tail_country = self.gazetteer.country_code(tail) if comma and head.strip() else None
        if tail_country is None:
            return self._lookup(query, countries)
        if countries is not None and tail_country not in countries:
            return []
        return self._lookup(head.split(",")[0], [tail_country])

    def _lookup(self, name: str, countries: list[str] | None) -> list[Place]:
        if countries is None:
            return self.gazetteer.lookup(name)
        found = [self.gazetteer.lookup(name, code) for code in countries]
        return [place for places in found for place in places if place.country_code in countries]

    def _location(self, place: Place) -> Location:
        country_name = self.gazetteer.country_name(place.country_code)
        address = place.name
        if place.feature != FEATURE_COUNTRY and country_name:
            address = f"{place.name}, {country_name}"
        if place.feature == FEATURE_REGION:
            geocoder = f"{GAZETTEER_PROVIDER}:{place.country_code}.{place.admin1}"
        else:
            geocoder = f"{GAZETTEER_PROVIDER}:{place.geonameid}"
        raw = asdict(place) | {"geocoder": geocoder}
        return Location(address, (place.latitude, place.longitude), raw)


class GeocodeCache:
    """Geocoding answers on disk (JSON), keyed by provider, normalized query and country.

    "Not found" is an answer too, so a name is asked about once. Writes go through a temporary
    file and os.replace; a damaged file is set aside as ``*.corrupt`` and started afresh.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, autosave_every: int = 50):
        self.path = Path(path) if path is not None else resolve_cache_dir() / CACHE_FILE
        self.autosave_every = autosave_every
        self._answers: dict[tuple[str, str, str], GeocodeAnswer | None] = {}
        self._unsaved = 0
        self._lock = threading.RLock()
        self._answers.update(self._read())

    def __len__(self) -> int:
        return len(self._answers)

    def has(self, provider: str, query: str, country_code: str | None = None) -> bool:
        """Whether an answer (found or not) is cached for this query."""
        return _cache_key(provider, query, country_code) in self._answers

    def get(
        self, provider: str, query: str, country_code: str | None = None
    ) -> GeocodeAnswer | None:
        """The cached answer; None if the place was not found or is not cached (see has)."""
        return self._answers.get(_cache_key(provider, query, country_code))

    def put(
        self,
        provider: str,
        query: str,
        country_code: str | None,
        answer: GeocodeAnswer | None,
    ) -> None:
        """Remember an answer (None = not found); saves every ``autosave_every`` new answers."""
        with self._lock:
            self._answers[_cache_key(provider, query, country_code)] = answer
            self._unsaved += 1
            if self.autosave_every and self._unsaved >= self.autosave_every:
                self.save()

    def save(self) -> None:
        """Write the cache, merged with answers other processes saved meanwhile.

        The file lock makes the read-merge-write of concurrent savers take turns.
        """
        with self._lock:
            try:
                with locked(self.path):
                    merged = self._read() | self._answers
                    document = {
                        "format": CACHE_FORMAT,
                        "version": CACHE_VERSION,
                        "answers": [_entry(key, answer) for key, answer in merged.items()],
                    }
                    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
                    write_text_atomically(self.path, text)
            except OSError as error:
                log.warning("cannot save the geocode cache %s: %s", self.path, error)
                return
            self._answers = merged
            self._unsaved = 0

    def _read(self) -> dict[tuple[str, str, str], GeocodeAnswer | None]:
        """The answers in the file; a damaged file is renamed *.corrupt and ignored."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            log.warning("cannot read the geocode cache %s: %s", self.path, error)
            return {}
        try:
            return _parse_cache(data.decode("utf-8"))
        except (ValueError, TypeError, KeyError) as error:
            corrupt = self.path.with_name(self.path.name + ".corrupt")
            log.warning("geocode cache %s is damaged (%s); moved to %s", self.path, error, corrupt)
            try:
                os.replace(self.path, corrupt)
            except OSError:
                log.warning("cannot move the damaged geocode cache %s aside", self.path)
            return {}


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
    the same (location, admin1, country) are looked up once, together.
    """
    geocode = _GeocodeCalls(geocoder, cache, provider, cache_dir, places_file)
    out = events.copy()
    total = len(out)
    latitude = np.asarray(_numbers(out, LATITUDE), dtype="float64")
    longitude = np.asarray(_numbers(out, LONGITUDE), dtype="float64")
    precision = np.asarray(_numbers(out, GEO_PRECISION), dtype="float64")
    geocoders = _texts(out, GEOCODER).to_numpy(dtype=object)
    matched = _texts(out, MATCHED_NAME).to_numpy(dtype=object)
    locations, admin1s, countries = (_texts(out, c) for c in (LOCATION, ADMIN1, COUNTRY))
    tally = tally if tally is not None else GeocodeTally()
    placed = ~(np.isnan(latitude) | np.isnan(longitude))
    named = ~placed & (locations != "").to_numpy()
    geocoders[placed & (geocoders == "")] = SOURCE_GEOCODER
    done = int(placed.sum()) + int((~placed & ~named).sum())
    tally.rows += done
    tally.found += int(placed.sum())
    tally.not_found += done - int(placed.sum())
    # Each distinct (location, admin1, country) is asked once, in the order the rows name them.
    rows = np.flatnonzero(named)
    codes, places = pd.factorize(
        pd.MultiIndex.from_arrays([locations.iloc[rows], admin1s.iloc[rows], countries.iloc[rows]])
    )
    sizes = np.bincount(codes, minlength=len(places))
    rows_by_place = np.split(rows[np.argsort(codes, kind="stable")], np.cumsum(sizes)[:-1])
    if len(places) == 0:
        rows_by_place = []
    if progress is not None and done:
        progress(done, total)
    try:
        for (location, admin1, country), place_rows in zip(places, rows_by_place, strict=True):
            found = geocode.event_place(location, admin1, country)
            size = len(place_rows)
            tally.rows += size
            tally.from_cache += size * (geocode.last_source == _FROM_CACHE)
            tally.manual += size * (geocode.last_source == _FROM_MANUAL)
            tally.found += size * (found is not None)
            tally.not_found += size * (found is None)
            done += size
            if progress is not None:
                progress(done, total)
            if found is None:
                continue
            answer, floor = found
            latitude[place_rows], longitude[place_rows] = answer.latitude, answer.longitude
            geocoders[place_rows], matched[place_rows] = answer.geocoder, answer.matched_name
            coded = np.nan_to_num(precision[place_rows], nan=0.0)
            precision[place_rows] = np.maximum(coded, max(answer.geo_precision, floor))
    finally:
        tally.fallbacks = geocode.fallbacks
        geocode.finish()
    out[LATITUDE] = pd.Series(latitude, index=out.index, dtype="float64")
    out[LONGITUDE] = pd.Series(longitude, index=out.index, dtype="float64")
    out[GEO_PRECISION] = pd.Series(precision, index=out.index, dtype="float64").astype("Int64")
    out[GEOCODER] = pd.Series(geocoders, index=out.index, dtype="str")
    out[MATCHED_NAME] = pd.Series(matched, index=out.index, dtype="str")
    return out


# ---------------------------------------------------------------------------------------
# Helpers


_FROM_CACHE, _FROM_MANUAL, _ASKED = "cache", "manual", "asked"


class _GeocodeCalls:
    """Asks one geocoder about each distinct (name, country) once, through the cache."""

    def __init__(
        self,
        geocoder: Geocoder | GeocodeFunction | None,
        cache: GeocodeCache | None,
        provider: str | None,
        cache_dir: str | os.PathLike[str] | None,
        places_file: str | os.PathLike[str] | None = None,
    ) -> None:
        if geocoder is None:
            geocoder = GazetteerGeocoder(cache_dir=cache_dir, places_file=None)
        # A geopy Geocoder or anything shaped like one (ResilientGeocoder), or a function.
        self.function: GeocodeFunction = getattr(geocoder, "geocode", geocoder)
        self.provider = provider or _provider_id(geocoder)
        self.country_parameter = _country_parameter(self.function)
        self.cache = cache
        # A RateLimiter that swallows errors answers None for a failed request: not cached.
        self.cache_not_found = not getattr(geocoder, "swallow_exceptions", False)
        target = _geocoder_object(geocoder)
        self.target = target
        if isinstance(target, GazetteerGeocoder):
            self.countries = _CountryCodes(lambda: target.gazetteer)
        else:
            self.countries = _CountryCodes(lambda: default_gazetteer(cache_dir))
        self.answers: dict[tuple[str, str | None], GeocodeAnswer | None] = {}
        self.overrides = _Overrides(places_file, lambda: self.countries.gazetteer)
        self.sources: dict[tuple[str, str | None], str] = {}
        self.last_source = self.ask_source = ""
        self.fallbacks = 0

    def event_place(
        self, location: str, admin1: str, country: str
    ) -> tuple[GeocodeAnswer, int] | None:
        """The answer for an event's place, and the least precision that answer can have."""
        code = self.countries.code(country)
        self.last_source = ""
        for text, floor in ((location, 0), (admin1, COUNTRY_PRECISION)):
            answer = self.answer(text, code)
            if answer is not None:
                return answer, floor
        # No fall back to the country's centre: a dot in the middle of a country says nothing
        # about where a strike was, and such events are better listed as "not on the map".
        return None

    def answer(self, text: str, code: str | None) -> GeocodeAnswer | None:
        key = (normalize_name(text), code)
        if not key[0]:
            return None
        if key not in self.answers:
            override = self.overrides.find(text, code)
            if override is not None:
                self.answers[key], self.sources[key] = _override_answer(override), _FROM_MANUAL
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
        answer = None if location is None else _answer(location, self.provider)
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


class _Overrides:
    """The manual places file, read on first use and again whenever it changes."""

    def __init__(self, path: str | os.PathLike[str] | None, gazetteer: Callable[[], Gazetteer]):
        self.path = Path(path) if path is not None else None
        self._get_gazetteer = gazetteer
        self._stamp: tuple[int, int] | None = None
        self._rows: dict = {}

    def find(self, name: str, code: str | None) -> Override | None:
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._stamp:
            self._rows = read_overrides(self.path, gazetteer=self._get_gazetteer())
            self._stamp = stamp
        return find_override(self._rows, name, code)


def _override_answer(override: Override) -> GeocodeAnswer:
    return GeocodeAnswer(
        latitude=override.latitude,
        longitude=override.longitude,
        geocoder=MANUAL_GEOCODER,
        matched_name=override.name,
        geo_precision=override.geo_precision,
    )


def _override_location(override: Override) -> Location:
    raw = asdict(_override_answer(override)) | {"name": override.name, "note": override.note}
    address = f"{override.name}, {override.country}" if override.country else override.name
    return Location(address, (override.latitude, override.longitude), raw)


def _geocoder_object(geocoder: object) -> object:
    """The geocoder behind a geocode function or a RateLimiter around one."""
    target = getattr(geocoder, "func", geocoder)
    return getattr(target, "__self__", target)


def _provider_id(geocoder: object) -> str:
    """A stable name for a geocoder (or a RateLimiter around one) to key cached answers by."""
    target = _geocoder_object(geocoder)
    provider_id = getattr(target, "provider_id", None)
    if isinstance(provider_id, str):
        return provider_id
    name = type(target).__name__.lower()
    domain = getattr(target, "domain", None)
    return f"{name}@{domain}" if isinstance(domain, str) else name


def _country_parameter(function: GeocodeFunction) -> str | None:
    """Which keyword, if any, restricts this geocode function to a country."""
    target = getattr(function, "func", function)
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return None
    for name in ("country_codes", "countries"):
        if name in parameters:
            return name
    return None


def _answer(location: Location, provider: str) -> GeocodeAnswer:
    """A geopy Location from any provider, as latitude, longitude, id, name and precision."""
    raw = location.raw if isinstance(location.raw, dict) else {}
    properties = raw.get("properties") if isinstance(raw.get("properties"), dict) else {}
    provider_name = provider.split("/")[0].split("@")[0]
    if isinstance(raw.get("geocoder"), str):
        geocoder = raw["geocoder"]
    elif raw.get("osm_id") is not None:
        geocoder = f"{provider_name}:{str(raw.get('osm_type', ''))[:1].upper()}{raw['osm_id']}"
    elif properties.get("osm_id") is not None:
        osm_type = str(properties.get("osm_type", ""))[:1].upper()
        geocoder = f"{provider_name}:{osm_type}{properties['osm_id']}"
    elif properties.get("gid") is not None:
        geocoder = f"{provider_name}:{properties['gid']}"
    else:
        geocoder = provider_name
    name = raw.get("name") or properties.get("name") or (location.address or "").split(",")[0]
    precision = raw.get("geo_precision")
    if not isinstance(precision, int):
        kind = raw.get("addresstype") or raw.get("type") or properties.get("type")
        precision = _precision_of_kind(kind or properties.get("layer"))
    return GeocodeAnswer(
        latitude=float(location.latitude),
        longitude=float(location.longitude),
        geocoder=geocoder,
        matched_name=str(name).strip(),
        geo_precision=precision,
    )


_REGION_KINDS = frozenset(
    {"country", "state", "region", "province", "county", "state_district", "district"}
    | {"macroregion", "macrocounty", "governorate", "administrative", "dependency"}
)
_PLACE_KINDS = frozenset(
    {"city", "town", "village", "hamlet", "suburb", "neighbourhood", "quarter", "locality"}
    | {"isolated_dwelling", "borough", "localadmin", "municipality", "venue", "address"}
    | {"house", "street", "building"}
)


def _precision_of_kind(kind: object) -> int:
    if kind in _REGION_KINDS:
        return COUNTRY_PRECISION
    if kind in _PLACE_KINDS:
        return 1
    return 2


def _numbers(frame: pd.DataFrame, column: str) -> list[float]:
    if column not in frame.columns:
        return [math.nan] * len(frame)
    return pd.to_numeric(frame[column], errors="coerce").astype("float64").tolist()


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as stripped strings (positional index), "" for missing and non-text values."""
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype="str")
    values = frame[column].reset_index(drop=True)
    if values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) not in (
        "string",
        "empty",
    ):
        values = values.where(values.map(lambda v: isinstance(v, str)))
    return values.astype("str").fillna("").str.strip()


def _cache_key(provider: str, query: str, country_code: str | None) -> tuple[str, str, str]:
    return (provider, normalize_name(query), (country_code or "").upper())


def _entry(key: tuple[str, str, str], answer: GeocodeAnswer | None) -> dict[str, Any]:
    provider, query, country_code = key
    entry: dict[str, Any] = {"provider": provider, "query": query, "country_code": country_code}
    if answer is None:
        return entry | {"found": False}
    return entry | {"found": True} | asdict(answer)


def _parse_cache(text: str) -> dict[tuple[str, str, str], GeocodeAnswer | None]:
    """Cache file text → answers; raises ValueError unless every entry is well formed."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        raise ValueError("not a Strikemap geocode cache")
    if document.get("version") != CACHE_VERSION:
        raise ValueError(f"unknown cache version {document.get('version')!r}")
    answers: dict[tuple[str, str, str], GeocodeAnswer | None] = {}
    for entry in document["answers"]:
        key = (entry["provider"], entry["query"], entry["country_code"])
        if not all(isinstance(part, str) for part in key):
            raise ValueError(f"bad key in entry {entry!r}")
        if entry["found"] is False:
            answers[key] = None
            continue
        answer = GeocodeAnswer(
            latitude=entry["latitude"],
            longitude=entry["longitude"],
            geocoder=entry["geocoder"],
            matched_name=entry["matched_name"],
            geo_precision=entry["geo_precision"],
        )
        if not _is_valid(answer) or entry["found"] is not True:
            raise ValueError(f"bad answer in entry {entry!r}")
        answers[key] = answer
    return answers


def _is_valid(answer: GeocodeAnswer) -> bool:
    numbers_ok = all(
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        for value in (answer.latitude, answer.longitude)
    )
    return (
        numbers_ok
        and -90 <= answer.latitude <= 90
        and -180 <= answer.longitude <= 180
        and isinstance(answer.geocoder, str)
        and isinstance(answer.matched_name, str)
        and answer.geo_precision in (1, 2, 3)
        and not isinstance(answer.geo_precision, bool)
    )
