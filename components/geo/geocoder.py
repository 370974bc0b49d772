"""Geocoding's public names in one place (the modules behind them each do one job).

- :mod:`components.geo.geocoders.gazetteer`: the offline gazetteer as a geopy geocoder;
- :mod:`components.geo.cache`: answers kept between runs;
- :mod:`components.geo.events`: filling in the coordinates of an events table;
- :mod:`components.geo.answers`: any provider's answer in the event table's terms.
"""

from components.geo.answers import GeocodeAnswer
from components.geo.cache import CACHE_FILE, GeocodeCache
from components.geo.events import SOURCE_GEOCODER, GeocodeTally, geocode_events
from components.geo.geocoders.gazetteer import GAZETTEER_PROVIDER, GazetteerGeocoder

__all__ = [
    "CACHE_FILE",
    "GAZETTEER_PROVIDER",
    "SOURCE_GEOCODER",
    "GazetteerGeocoder",
    "GeocodeAnswer",
    "GeocodeCache",
    "GeocodeTally",
    "geocode_events",
]
