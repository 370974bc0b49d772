"""Moved to :mod:`components.geo.geocoders.online`; this name stays for existing imports."""

from components.geo.geocoders.online import (  # noqa: F401
    DEFAULT_USER_AGENT,
    ONLINE_PROVIDERS,
    PROVIDERS,
    PUBLIC_MIN_DELAY_SECONDS,
    ResilientGeocoder,
    online_geocoder,
)
