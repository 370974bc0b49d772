"""The hot columns kept beside the Parquet cache, as a file a server maps instead of reading.

Reading the hot columns (:mod:`components.storage.hot_columns`) out of the Parquet file costs
about a second of CPU per million rows at every server start, on the cores the first page
needs. Once read, they are written beside the Parquet file as an uncompressed Arrow IPC file;
a later start maps that file (``pa.memory_map``): nothing is decompressed or copied, and the
operating system pages the columns in as DuckDB scans them.

The file names the Parquet file it was made from (size, modification time and a checksum of
its footer) and the columns' layout: a file made from another build of the cache, of another
layout, or damaged, is never used, and is written again from the Parquet file. Writes are
atomic, so a file cut short by a crash is never seen.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pyarrow as pa

from components.table.files import replace_atomically

__all__ = ["FORMAT", "hot_file", "map_hot", "parquet_stamp", "write_hot"]

FORMAT = "strikemap-hot-columns/arrow-1"
_KEY = b"strikemap"
# A Parquet file ends with its footer (the row groups' offsets and statistics): two builds of
# the cache differ there even when their sizes and times agree.
_FOOTER_BYTES = 1 << 16


def hot_file(parquet: Path) -> Path:
    """Where the hot columns of ``parquet`` are kept."""
    parquet = Path(parquet)
    return parquet.with_name(parquet.name + ".hot.arrow")


def parquet_stamp(parquet: Path, layout: str) -> str:
    """What the hot file of ``parquet`` must name to be used: that file, and the columns'
    ``layout`` (their names and types, in a word)."""
    parquet = Path(parquet)
    stat = parquet.stat()
    with open(parquet, "rb") as handle:
        handle.seek(max(stat.st_size - _FOOTER_BYTES, 0))
        footer = zlib.crc32(handle.read(_FOOTER_BYTES))
    return json.dumps([FORMAT, stat.st_size, stat.st_mtime_ns, footer, layout])


def write_hot(path: Path, table: pa.Table, stamp: str) -> None:
    """Write ``table`` to ``path`` (atomically) as one uncompressed Arrow IPC file."""
    # The IPC file holds one dictionary per column: the row groups' own ones are merged.
    table = table.unify_dictionaries().replace_schema_metadata({_KEY: stamp})

    def write(temp: Path) -> None:
        with pa.OSFile(str(temp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)

    replace_atomically(Path(path), write)


def map_hot(path: Path, stamp: str) -> pa.Table | None:
    """The table in ``path``, memory-mapped, if it carries ``stamp``; else None (absent, stale
    or damaged: the caller reads the Parquet file instead)."""
    try:
        reader = pa.ipc.open_file(pa.memory_map(str(path)))
        if (reader.schema.metadata or {}).get(_KEY, b"").decode() != stamp:
            return None
        table = reader.read_all()
        table.validate()  # the buffers' sizes agree with the lengths the file states
        return table.replace_schema_metadata(None)
    except (OSError, ValueError, pa.ArrowException):
        return None
