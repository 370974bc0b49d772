"""Online geocoders through geopy (Nominatim, Photon, Pelias), made patient and safe.

:func:`online_geocoder` builds one, at its public server or a self-hosted ``domain``; the
:class:`ResilientGeocoder` around it keeps to a request rate, retries timeouts, 429 (after
the server's Retry-After), 5xx, broken answers and refused connections with bounded
exponential backoff, and then answers from a fallback geocoder (the offline gazetteer).
An answer that came from the fallback is marked so that it is not cached as the online
provider's: a later run asks the provider again.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQueryError,
    GeocoderRateLimited,
    GeocoderServiceError,
)
from geopy.geocoders import Nominatim, Pelias, Photon
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from components.table.errors import UnknownProviderError

__all__ = [
    "DEFAULT_USER_AGENT",
    "ONLINE_PROVIDERS",
    "PROVIDERS",
    "ResilientGeocoder",
    "online_geocoder",
]

DEFAULT_USER_AGENT = "Strikemap/1.0 (strike-map research tool; offline-first geocoding)"
ONLINE_PROVIDERS: dict[str, type[Geocoder]] = {
    "nominatim": Nominatim,
    "photon": Photon,
    "pelias": Pelias,
}
PROVIDERS = ("offline", *ONLINE_PROVIDERS)
# Public servers' usage policies: Nominatim allows 1 request/s per application.
PUBLIC_MIN_DELAY_SECONDS = 1.0

log = logging.getLogger(__name__)

# Errors that say the request itself will never work: retrying cannot help.
_NOT_RETRIED = (GeocoderQueryError, GeocoderAuthenticationFailure, GeocoderInsufficientPrivileges)


def online_geocoder(
    provider: str,
    *,
    domain: str | None = None,
    scheme: str | None = None,
    user_agent: str = DEFAULT_USER_AGENT,
    timeout: float = 10.0,
    api_key: str | None = None,
) -> Geocoder:
    """A geopy geocoder for ``provider`` at its public server or at ``domain``.

    ``domain`` may carry its scheme ("http://localhost:8080"); plain http is allowed for
    self-hosted servers. Pelias has no public server, so it needs a domain.
    """
    if provider not in ONLINE_PROVIDERS:
        valid = ", ".join(ONLINE_PROVIDERS)
        raise UnknownProviderError(
            f"unknown online geocoder {provider!r}; valid options are {valid}"
        )
    # urllib's adapter has no retries of its own, so ResilientGeocoder's are the only ones.
    options: dict[str, Any] = {
        "user_agent": user_agent,
        "timeout": timeout,
        "adapter_factory": URLLibAdapter,
    }
    if domain:
        parts = urlsplit(domain if "//" in domain else f"//{domain}")
        options["domain"] = parts.netloc + parts.path.rstrip("/")
        options["scheme"] = scheme or parts.scheme or "https"
    elif provider == "pelias":
        raise UnknownProviderError("pelias has no public server: give the --domain of yours")
    elif scheme:
        options["scheme"] = scheme
    if provider == "pelias":
        return Pelias(options.pop("domain"), api_key, **options)
    return ONLINE_PROVIDERS[provider](**options)


class ResilientGeocoder:
    """Retries an online geocoder with backoff, keeps its rate, then falls back offline.

    ``geocode`` has geopy's signature, so :func:`components.geo.geocoder.geocode_events` and
    geopy's RateLimiter use it like any geocoder. After ``give_up_after`` requests in a row
    that failed every retry, or after backoff kept it waiting ``max_wait_in_a_row_seconds``
    without one answer (a server's own Retry-After does not count), the provider is treated
    as down for the rest of the run: a dead server costs a bounded wait, never a blocked run.
    ``attempts`` counts the requests made.
    """

    def __init__(
        self,
        geocoder: Geocoder,
        *,
        fallback: Geocoder | None = None,
        min_delay_seconds: float | None = None,
        max_retries: int = 4,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 30.0,
        max_retry_after_seconds: float = 120.0,
        give_up_after: int = 3,
        max_wait_in_a_row_seconds: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.geocoder = geocoder
        self.fallback = fallback
        self.min_delay_seconds = (
            _default_min_delay(geocoder) if min_delay_seconds is None else min_delay_seconds
        )
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.max_retry_after_seconds = max_retry_after_seconds
        self.give_up_after = give_up_after
        self.max_wait_in_a_row_seconds = max_wait_in_a_row_seconds
        self.waited_in_a_row = 0.0
        self.attempts = 0
        self.fell_back = False
        self.failures_in_a_row = 0
        self.retries = 0
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._lock = threading.Lock()

    @property
    def provider_id(self) -> str:
        """The provider and its server, e.g. "nominatim@nominatim.openstreetmap.org"."""
        name = type(self.geocoder).__name__.lower()
        return f"{name}@{getattr(self.geocoder, 'domain', '')}"

    @property
    def is_down(self) -> bool:
        """Whether the provider failed so often in a row that it is no longer asked."""
        return self.failures_in_a_row >= self.give_up_after

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | list[str] | None = None,
    ) -> Location | list[Location] | None:
        """Ask the provider (retrying), else the fallback; sets ``fell_back`` accordingly."""
        with self._lock:
            self.fell_back = False
            if not self.is_down:
                try:
                    found = self._ask_with_retries(query, exactly_one, country_codes)
                except GeocoderServiceError as error:
                    self.failures_in_a_row += 1
                    log.warning(
                        "%s failed for %r (%s); using the fallback", self.provider_id, query, error
                    )
                else:
                    self.failures_in_a_row = 0
                    self.waited_in_a_row = 0.0
                    return found
            self.fell_back = True
            if self.fallback is None:
                return None
            return _call(self.fallback, query, exactly_one, country_codes)

    def _ask_with_retries(self, query, exactly_one, country_codes):
        for attempt in range(self.max_retries + 1):
            self._keep_rate()
            self.attempts += 1
            try:
                return _call(self.geocoder, query, exactly_one, country_codes)
            except _NOT_RETRIED:
                raise
            except GeocoderServiceError as error:
                if attempt == self.max_retries:
                    raise
                delay = self._delay(attempt, error)
                told = isinstance(error, GeocoderRateLimited) and error.retry_after is not None
                if not told and self.waited_in_a_row + delay > self.max_wait_in_a_row_seconds:
                    # Failing for this long without one answer: down for the rest of the run.
                    self.failures_in_a_row = max(self.failures_in_a_row, self.give_up_after - 1)
                    raise
                self.retries += 1
                self.waited_in_a_row += 0.0 if told else delay
                self._sleep(delay)
        raise AssertionError("unreachable")

    def _delay(self, attempt: int, error: GeocoderServiceError) -> float:
        backoff = min(self.max_backoff_seconds, self.backoff_seconds * 2**attempt)
        backoff *= 1 + random.random() * 0.1  # spread retries of parallel runs apart
        retry_after = getattr(error, "retry_after", None)
        if isinstance(error, GeocoderRateLimited) and retry_after is not None:
            if retry_after > self.max_retry_after_seconds:
                raise error
            return max(float(retry_after), 0.0)
        return backoff

    def _keep_rate(self) -> None:
        now = self._clock()
        if self._last_request is not None:
            wait = self._last_request + self.min_delay_seconds - now
            if wait > 0:
                self._sleep(wait)
                now += wait
        self._last_request = now


def _call(geocoder: Any, query: str, exactly_one: bool, country_codes) -> Any:
    """Ask a geopy geocoder, restricted to a country in the way that provider understands."""
    codes = [country_codes] if isinstance(country_codes, str) else list(country_codes or [])
    if not codes:
        return geocoder.geocode(query, exactly_one=exactly_one)
    if isinstance(geocoder, Nominatim) or hasattr(geocoder, "gazetteer"):
        return geocoder.geocode(query, exactly_one=exactly_one, country_codes=codes)
    if isinstance(geocoder, Pelias):
        return geocoder.geocode(query, exactly_one=exactly_one, countries=codes)
    return geocoder.geocode(f"{query}, {codes[0]}", exactly_one=exactly_one)


def _default_min_delay(geocoder: Geocoder) -> float:
    """1 s between requests to a public server; none for a self-hosted one."""
    public = {"nominatim.openstreetmap.org", "photon.komoot.io"}
    return PUBLIC_MIN_DELAY_SECONDS if getattr(geocoder, "domain", "") in public else 0.0
