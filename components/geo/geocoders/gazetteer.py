"""The offline gazetteer as a geopy geocoder, with the manual places file in front of it."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

from components.geo.answers import override_answer
from components.geo.gazetteer import (
    FEATURE_COUNTRY,
    FEATURE_REGION,
    Gazetteer,
    Place,
    default_gazetteer,
)
from components.geo.overrides import DEFAULT_PLACES_FILE, Override, find_override, read_overrides

__all__ = ["GAZETTEER_PROVIDER", "GazetteerGeocoder", "ManualPlaces"]

GAZETTEER_PROVIDER = "gazetteer"


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
        self._overrides = ManualPlaces(places_file, lambda: self.gazetteer)

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
            return self.location_of(places[0])
        return [self.location_of(place) for place in places[: limit or 10]]

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

    def location_of(self, place: Place) -> Location:
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


class ManualPlaces:
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


def _override_location(override: Override) -> Location:
    raw = asdict(override_answer(override)) | {"name": override.name, "note": override.note}
    address = f"{override.name}, {override.country}" if override.country else override.name
    return Location(address, (override.latitude, override.longitude), raw)
