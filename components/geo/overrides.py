"""Places placed by hand: ``data/places.csv`` (name, country → point), which always wins.

Analysts add a row for a village the gazetteer lacks or gets wrong; the app's "place by
hand" panel writes rows with :func:`add_override` and offers :func:`suggestions` to pick from.
"""

from __future__ import annotations

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

from components import PROJECT_ROOT
from components.formats.writers import csv_text
from components.geo.gazetteer import Gazetteer, Place, default_gazetteer, normalize_name
from components.table.errors import PlacesFileError
from components.table.files import locked, write_text_atomically

__all__ = [
    "DEFAULT_PLACES_FILE",
    "MANUAL_GEOCODER",
    "PLACES_COLUMNS",
    "Override",
    "add_override",
    "find_override",
    "read_overrides",
    "suggestions",
]

DEFAULT_PLACES_FILE = PROJECT_ROOT / "data" / "places.csv"
PLACES_COLUMNS = ("name", "country", "latitude", "longitude", "geo_precision", "note")
MANUAL_GEOCODER = "manual"

OverrideKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Override:
    """One row of the places file."""

    name: str
    country: str
    latitude: float
    longitude: float
    geo_precision: int
    note: str = ""


def read_overrides(
    path: str | os.PathLike[str] | None = None, *, gazetteer: Gazetteer | None = None
) -> dict[OverrideKey, Override]:
    """Rows of the places file by (normalized name, ISO country code or ""); {} if absent.

    Raises PlacesFileError naming the row and column of a value that cannot be used.
    """
    path = Path(path) if path is not None else DEFAULT_PLACES_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise PlacesFileError(str(path), f"cannot be read ({error})") from error
    rows = list(csv.DictReader(io.StringIO(text)))
    missing = [c for c in PLACES_COLUMNS[:5] if rows and c not in rows[0]]
    if missing:
        raise PlacesFileError(str(path), f"missing column(s) {', '.join(missing)}")
    overrides: dict[OverrideKey, Override] = {}
    for number, row in enumerate(rows, start=2):
        override = _override(row, path, number)
        overrides[_key(override.name, override.country, gazetteer)] = override
    return overrides


def find_override(
    overrides: dict[OverrideKey, Override], name: str, country_code: str | None
) -> Override | None:
    """The override for a name in a country, else one given without a country."""
    key = normalize_name(name)
    return overrides.get((key, (country_code or "").upper())) or overrides.get((key, ""))


def add_override(
    path: str | os.PathLike[str] | None,
    name: str,
    country: str,
    latitude: float,
    longitude: float,
    precision: int = 1,
    note: str = "",
) -> Override:
    """Add (or replace) the row for ``name`` in ``country``, keeping every other row.

    The file is rewritten atomically under a lock, so concurrent writers take turns and a
    reader never sees half a file.
    """
    path = Path(path) if path is not None else DEFAULT_PLACES_FILE
    values = {
        "name": name,
        "country": country,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": precision,
        "note": note,
    }
    override = _override({k: str(v) for k, v in values.items()}, path, None)
    with locked(path):
        rows = _read_rows(path)
        same = _key(name, country, None)
        rows = [r for r in rows if _key(r["name"], r["country"], None) != same]
        rows.append({column: _cell(getattr(override, column)) for column in PLACES_COLUMNS})
        lines = [PLACES_COLUMNS, *([row[c] for c in PLACES_COLUMNS] for row in rows)]
        write_text_atomically(path, csv_text(lines))
    return override


def suggestions(
    name: str, country: str | None = None, limit: int = 5, *, gazetteer: Gazetteer | None = None
) -> list[Place]:
    """Gazetteer places a name may mean, best first, for picking one by hand."""
    gazetteer = gazetteer or default_gazetteer()
    return gazetteer.lookup(name, country, limit=limit)


# ---------------------------------------------------------------------------------------
# Helpers


def _override(row: dict[str, str | None], path: Path, number: int | None) -> Override:
    where = f"row {number}, " if number is not None else ""

    def fail(column: str, expected: str) -> PlacesFileError:
        value = row.get(column)
        return PlacesFileError(str(path), f"{where}column {column}: {value!r} is not {expected}")

    name = (row.get("name") or "").strip()
    if not normalize_name(name):
        raise fail("name", "a place name")
    numbers = {}
    for column, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        try:
            numbers[column] = float((row.get(column) or "").strip())
        except ValueError:
            raise fail(column, f"a number from {low} to {high}") from None
        if not (math.isfinite(numbers[column]) and low <= numbers[column] <= high):
            raise fail(column, f"a number from {low} to {high}")
    precision_text = (row.get("geo_precision") or "1").strip()
    if precision_text not in ("1", "2", "3"):
        raise fail("geo_precision", "1, 2 or 3")
    return Override(
        name=name,
        country=(row.get("country") or "").strip(),
        latitude=numbers["latitude"],
        longitude=numbers["longitude"],
        geo_precision=int(precision_text),
        note=(row.get("note") or "").strip(),
    )


def _key(name: str, country: str, gazetteer: Gazetteer | None) -> OverrideKey:
    if not country:
        return (normalize_name(name), "")
    code = (gazetteer or default_gazetteer()).country_code(country)
    return (normalize_name(name), code or country.upper())


def _read_rows(path: Path) -> list[dict[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise PlacesFileError(str(path), f"cannot be read ({error})") from error
    return [
        {column: row.get(column) or "" for column in PLACES_COLUMNS}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _cell(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)
