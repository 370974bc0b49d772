"""Places placed by hand: ``data/places.csv`` (name, country → point), which always wins.

Analysts add a row for a village the gazetteer lacks or gets wrong; the app's "place by
hand" panel writes rows with :func:`add_override` and offers :func:`suggestions` to pick from.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from components import SHIPPED_PLACES
from components.geo.gazetteer import Gazetteer, Place, default_gazetteer, normalize_name
from components.table import rules
from components.table.cells import cell_text, csv_text
from components.table.dialect import read_rows
from components.table.errors import PlacesFileError, shown_path
from components.table.files import locked, read_limited, write_text_atomically
from components.table.rules import Problem

__all__ = [
    "DEFAULT_PLACES_FILE",
    "MANUAL_GEOCODER",
    "PLACES_COLUMNS",
    "LoadedPlaces",
    "Override",
    "add_override",
    "check_places",
    "find_override",
    "read_overrides",
    "read_places",
    "suggestions",
]

DEFAULT_PLACES_FILE = SHIPPED_PLACES
PLACES_COLUMNS = ("name", "country", "latitude", "longitude", "geo_precision", "note")
MANUAL_GEOCODER = "manual"

OverrideKey = tuple[str, str]
MAX_PLACES_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Override:
    """One row of the places file."""

    name: str
    country: str
    latitude: float
    longitude: float
    geo_precision: int
    note: str = ""


@dataclass
class LoadedPlaces:
    """The usable rows of the places file, and what was wrong with the others."""

    overrides: dict[OverrideKey, Override] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return rules.rejected_rows(self.problems)


def read_places(
    path: str | os.PathLike[str] | None = None,
    *,
    gazetteer: Gazetteer | None = None,
    keys: bool = True,
) -> LoadedPlaces:
    """The places file's good rows by (normalized name, ISO country code or "").

    Read with the events file's dialect rules (any delimiter, a byte-order mark, cp1252). A row
    that cannot be used is reported and skipped; a file that cannot be used at all (unreadable,
    binary, a missing column) is one problem and no places: the events load without it.
    """
    path = Path(path) if path is not None else DEFAULT_PLACES_FILE
    loaded = LoadedPlaces(source=shown_path(path))
    try:
        header, body = _read_rows(path)
    except PlacesFileError as error:
        loaded.problems.append(Problem(loaded.source, 1, None, "", f"{error.reason}; no place "
                                       "in it was used"))  # fmt: skip
        return loaded
    for number, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(header, cells, strict=False))
        try:
            override = _override(row)
        except _BadCell as bad:
            problem = Problem(loaded.source, number, bad.column, bad.value, bad.expected)
            loaded.problems.append(problem)
            continue
        if keys:
            loaded.overrides[_key(override.name, override.country, gazetteer)] = override
    return loaded


def check_places(path: str | os.PathLike[str] | None = None) -> LoadedPlaces:
    """What is wrong in the places file, without placing anything (for the page to show)."""
    return read_places(path, gazetteer=None, keys=False)


def read_overrides(
    path: str | os.PathLike[str] | None = None, *, gazetteer: Gazetteer | None = None
) -> dict[OverrideKey, Override]:
    """The good rows of the places file (see :func:`read_places`); {} if absent."""
    return read_places(path, gazetteer=gazetteer).overrides


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
    try:
        override = _override({k: str(v) for k, v in values.items()})
    except _BadCell as bad:
        raise PlacesFileError(str(path), str(bad)) from None
    with locked(path):
        header, body = _read_rows(path)
        rows = [
            {c: cell for c, cell in zip(header, cells, strict=False) if c in PLACES_COLUMNS}
            for cells in body
            if any(cell.strip() for cell in cells)
        ]
        rows = [{c: row.get(c, "") for c in PLACES_COLUMNS} for row in rows]
        same = _key(name, country, None)
        rows = [r for r in rows if _key(r["name"], r["country"], None) != same]
        rows.append({column: cell_text(getattr(override, column)) for column in PLACES_COLUMNS})
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


class _BadCell(ValueError):
    """One cell of a place that cannot be used."""

    def __init__(self, row: dict[str, str | None], column: str, expected: str) -> None:
        self.column, self.value, self.expected = column, row.get(column) or "", expected
        super().__init__(f"column {column}: {self.value!r} is not {expected}")


def _override(row: dict[str, str | None]) -> Override:
    """The place a row gives; raises _BadCell naming the first cell that cannot be used."""

    def fail(column: str, expected: str) -> _BadCell:
        return _BadCell(row, column, expected)

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


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the places file; an absent file has none.

    Raises PlacesFileError when the file cannot be used as a whole.
    """
    if not path.exists():
        return list(PLACES_COLUMNS), []
    data = read_limited(path, MAX_PLACES_BYTES, PlacesFileError, "CSV file")
    table = read_rows(data, str(path), PlacesFileError)
    header = [h.lower() for h in table.header]
    missing = [c for c in PLACES_COLUMNS[:4] if table.header and c not in header]
    if missing:
        raise PlacesFileError(str(path), f"the header has no {', '.join(missing)} column")
    return header, table.body
