"""A geocoder's answer in the event table's terms, read from any geopy provider's Location."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass

from geopy.location import Location

from components.geo.gazetteer import COUNTRY_PRECISION
from components.geo.overrides import MANUAL_GEOCODER, Override

__all__ = [
    "GeocodeAnswer",
    "answer_of",
    "country_parameter",
    "geocoder_object",
    "is_valid",
    "override_answer",
    "provider_id",
]


@dataclass(frozen=True, slots=True)
class GeocodeAnswer:
    """Where a geocoder put a place name, in the event table's terms."""

    latitude: float
    longitude: float
    geocoder: str
    matched_name: str
    geo_precision: int


def override_answer(override: Override) -> GeocodeAnswer:
    return GeocodeAnswer(
        latitude=override.latitude,
        longitude=override.longitude,
        geocoder=MANUAL_GEOCODER,
        matched_name=override.name,
        geo_precision=override.geo_precision,
    )


def answer_of(location: Location, provider: str) -> GeocodeAnswer:
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


def is_valid(answer: GeocodeAnswer) -> bool:
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


def geocoder_object(geocoder: object) -> object:
    """The geocoder behind a geocode function or a RateLimiter around one."""
    target = getattr(geocoder, "func", geocoder)
    return getattr(target, "__self__", target)


def provider_id(geocoder: object) -> str:
    """A stable name for a geocoder (or a RateLimiter around one) to key cached answers by."""
    target = geocoder_object(geocoder)
    provider_id = getattr(target, "provider_id", None)
    if isinstance(provider_id, str):
        return provider_id
    name = type(target).__name__.lower()
    domain = getattr(target, "domain", None)
    return f"{name}@{domain}" if isinstance(domain, str) else name


def country_parameter(function: Callable) -> str | None:
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
