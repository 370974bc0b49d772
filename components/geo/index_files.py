"""The gazetteer index's files: Arrow IPC tables read memory-mapped, checksums, key hashes."""

from __future__ import annotations

import mmap
import os
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa

MANIFEST_FILE = "gazetteer-manifest.json"
PLACES_FILE = "gazetteer-places.arrow"
NAMES_FILE = "gazetteer-names.arrow"
COUNTRY_NAMES_FILE = "gazetteer-country-names.arrow"
LOCK_FILE = "gazetteer.lock"
INDEX_FILES = (PLACES_FILE, NAMES_FILE, COUNTRY_NAMES_FILE)

KIND_NAME, KIND_ALTERNATE, KIND_FOLDED = 0, 1, 2
# A province's name as GeoNames (and so event datasets) write it: read in dataset rows only,
# so that report coding finds exactly the regions it found before these names came in.
KIND_DATASET = 3
# ... stored under its key with this mark, apart from the same key as a report name.
DATASET_PREFIX = "#"
FOLDED_PREFIX = "~"


def read_table(path: Path) -> pa.Table:
    """An Arrow IPC file, memory-mapped: nothing is copied."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def checksum(path: Path) -> int:
    """CRC-32 of a file's bytes."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return zlib.crc32(b"")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return zlib.crc32(view)


def arrow_column(table: pa.Table, name: str) -> pa.Array:
    column = table.column(name)
    return column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()


def numbers_view(table: pa.Table, name: str) -> np.ndarray:
    """A numeric column as a read-only NumPy view of its (memory-mapped) Arrow buffer."""
    return _view(arrow_column(table, name))


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


def bools_of(table: pa.Table, name: str) -> np.ndarray:
    """A boolean column without nulls as a NumPy array (Arrow packs booleans into bits)."""
    array = arrow_column(table, name)
    if array.null_count:
        raise ValueError(f"column {name} has missing values")
    bits = np.unpackbits(np.frombuffer(array.buffers()[1], np.uint8), bitorder="little")
    return bits[array.offset : array.offset + len(array)].astype(bool)


def strings_of(table: pa.Table, name: str) -> list[str]:
    """A string column of few distinct values as a list sharing one str object per value."""
    encoded = arrow_column(table, name).dictionary_encode()
    values = encoded.dictionary.to_pylist()
    return [values[i] for i in _view(encoded.indices).tolist()]


def hash_key(key: str) -> int:
    """Stable 64-bit hash of a name key (CRC-32 and Adler-32); matches are verified by key."""
    data = key.encode("utf-8")
    return zlib.crc32(data) << 32 | zlib.adler32(data)
