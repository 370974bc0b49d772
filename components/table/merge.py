"""Merging likely duplicates into one event: a transaction over the events and sources files.

Each merged event's validated row leaves the events file and becomes a row of the sources file
under the kept id; sources already listed under a merged id move to the kept id. Rows that were
left out when the events file was loaded (a repeated id, a bad date) stay exactly as written.

Both new files are written in full beside the old ones before either is put in place; if
putting the second in place fails, the first is put back. So a failure leaves both files as
they were, and the page can say "the merge was not made; nothing changed". A retry after a
crash between the two steps finds its sources rows already written and does not add them again.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pandas as pd

from components.table import schema as s
from components.table.cells import cell_text, csv_text
from components.table.dialect import MAX_FILE_BYTES, Rows, read_rows
from components.table.errors import MergeError, SourcesFileError, StrikemapError, printable
from components.table.events import read_events
from components.table.files import locked, read_limited, resolved

__all__ = ["merge_events", "replace_both", "sources_rows"]

NOT_MADE = "the merge was not made; nothing changed"


def merge_events(
    events_path: str | os.PathLike[str],
    sources_path: str | os.PathLike[str],
    keep_id: str,
    merge_ids: list[str] | tuple[str, ...],
) -> int:
    """Merge duplicate events into ``keep_id``; return how many sources rows were written.

    Raises MergeError (and changes nothing) when an id is not a valid event of the file, or a
    file cannot be read or written.
    """
    events_path, sources_path = resolved(events_path), resolved(sources_path)
    merge_ids = list(dict.fromkeys(i for i in merge_ids if i != keep_id))
    if not merge_ids:
        raise MergeError("nothing to merge: give at least one event id other than the kept one")
    try:
        with locked(events_path), locked(sources_path):
            events_text, sources_text, written = _merged_files(
                events_path, sources_path, keep_id, merge_ids
            )
            replace_both(sources_path, sources_text, events_path, events_text)
    except MergeError:
        raise
    except (OSError, StrikemapError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise MergeError(f"{NOT_MADE} ({printable(reason)})") from error
    return written


def _merged_files(
    events_path: Path, sources_path: Path, keep_id: str, merge_ids: list[str]
) -> tuple[str, str, int]:
    """The new text of both files, and how many sources rows they gain or move."""
    loaded = read_events(events_path)
    by_id = loaded.events.set_index(s.EVENT_ID)
    absent = [i for i in (keep_id, *merge_ids) if i not in by_id.index]
    if absent:
        raise MergeError(
            f"{loaded.source}: no valid event with id "
            f"{', '.join(repr(printable(i)) for i in absent)}; reload the events and "
            f"choose again; {NOT_MADE}"
        )
    events = read_rows(read_limited(events_path, MAX_FILE_BYTES, MergeError, "CSV file"),
                       loaded.source, MergeError)  # fmt: skip
    sources = sources_rows(sources_path)
    header = [*sources.header, *(c for c in s.SOURCE_COLUMNS if c not in sources.header)]
    id_at, notes_at = header.index(s.EVENT_ID), header.index(s.NOTES)
    body = [row + [""] * (len(header) - len(row)) for row in sources.body]
    # Rows a merge already wrote under the kept id (a run stopped between its two steps).
    done = {row[notes_at].split(";", 1)[0] for row in body if row[id_at].strip() == keep_id}
    moved = 0
    for row in body:
        from_id = row[id_at].strip()
        if from_id in merge_ids:
            row[id_at] = keep_id
            row[notes_at] = _join_notes(f"merged from {from_id}", row[notes_at])
            moved += 1
    new_rows = [
        [merged_cell(column, event_id, by_id.loc[event_id], keep_id) for column in header]
        for event_id in merge_ids
        if f"merged from {event_id}" not in done
    ]
    leaving = {int(by_id.loc[i, "_row"]): i for i in merge_ids}
    kept = []
    id_column = events.header.index(s.EVENT_ID)
    for number, row in enumerate(events.body, start=2):
        if number not in leaving:
            kept.append(row)
        elif len(row) <= id_column or row[id_column].strip() != leaving[number]:
            raise MergeError(f"{loaded.source} changed while it was read; {NOT_MADE}")
    events_text = ("\ufeff" if events.bom else "") + csv_text(
        [events.header, *kept], events.delimiter
    )
    sources_text = csv_text([header, *body, *new_rows])
    return events_text, sources_text, moved + len(new_rows)


def sources_rows(path: Path) -> Rows:
    if not path.exists():
        return Rows(list(s.SOURCE_COLUMNS), [], ",", False)
    table = read_rows(read_limited(path, MAX_FILE_BYTES, SourcesFileError, "CSV file"),
                      str(path), SourcesFileError)  # fmt: skip
    if not table.header:
        return Rows(list(s.SOURCE_COLUMNS), [], ",", False)
    if s.EVENT_ID not in table.header:
        raise SourcesFileError(str(path), "the header has no event_id column")
    return table


def replace_both(first: Path, first_text: str, second: Path, second_text: str) -> None:
    """Put both files in place, or neither: both are written in full before either moves."""
    old_first = first.read_bytes() if first.exists() else None
    temps = [_temp_beside(first), _temp_beside(second)]
    try:
        for temp, text in zip(temps, (first_text, second_text), strict=True):
            with open(temp, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temps[0], first)
        try:
            os.replace(temps[1], second)
        except OSError:
            _put_back(first, old_first)
            raise
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def _put_back(path: Path, old: bytes | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
        return
    temp = _temp_beside(path)
    try:
        temp.write_bytes(old)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")


def merged_cell(column: str, event_id: str, event: pd.Series, keep_id: str) -> str:
    """One cell of the sources row that a merged event becomes."""
    if column == s.EVENT_ID:
        return keep_id
    if column == s.NOTES:
        others = [
            f"{name}: {cell_text(event[name])}"
            for name in event.index
            if name not in s.SOURCE_COLUMNS
            and name not in s.INTERNAL_COLUMNS
            and not str(name).startswith("_")
            and cell_text(event[name]) != ""
        ]
        if cell_text(event[s.NOTES]):
            others.append(f"notes: {cell_text(event[s.NOTES])}")
        return _join_notes(f"merged from {event_id}", "; ".join(others))
    return cell_text(event[column]) if column in event.index else ""


def _join_notes(first: str, rest: str) -> str:
    return f"{first}; {rest}" if rest.strip() else first
