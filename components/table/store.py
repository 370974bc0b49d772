"""Saving new events into the canonical events CSV, so that two people saving at once lose
nothing.

:func:`append_events` validates the new rows through ``events.validate_events``, then,
holding the file's lock, reads the current file, adds the rows and puts the whole new file
in place in one step. Rows already in the file are written back cell for cell; its header,
extra columns included, is kept. With a ``note`` (where the rows came from), each new event
gets a row of that note in ``sources.csv`` beside the file, written with the events file as one
step: both files change, or neither.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from components.table import schema as s
from components.table.cells import cell_text, csv_text
from components.table.dialect import read_rows
from components.table.errors import EventFileError
from components.table.events import validate_events
from components.table.files import locked, resolved, write_text_atomically
from components.table.merge import replace_both, sources_rows

__all__ = ["append_events"]


def append_events(
    path: str | os.PathLike[str], rows: pd.DataFrame, *, note: str | None = None
) -> list[str]:
    """Append ``rows`` (canonical columns) to the events CSV at ``path``; return their ids.

    An id already in the file gets a suffix (``-2``, ``-3`` ...). With ``note``, each saved
    event also gets a sources row holding only that note (a note, not a report: it counts as
    no source), in the same step as the events. Raises EventFileError (or SourcesFileError),
    and saves nothing, when a row does not pass validation or a file cannot be read.
    """
    path = Path(path)
    new_rows = validated_cells(rows, path)
    if not new_rows:
        return []
    if note is not None:
        # The sources file the page reads: beside the events file as named (a link or not).
        sources = resolved(path.with_name(s.SOURCES_FILE_NAME))
        return _append_with_note(resolved(path), sources, new_rows, note)
    with locked(path):
        lines, ids = _appended(path, new_rows)
        write_text_atomically(path, csv_text(lines))
    return ids


def _append_with_note(
    path: Path, sources: Path, new_rows: list[dict[str, str]], note: str
) -> list[str]:
    """Append the rows, and a sources row of ``note`` for each: both files or neither."""
    with locked(path), locked(sources):
        lines, ids = _appended(path, new_rows)
        table = sources_rows(sources)
        header = [*table.header, *(c for c in s.SOURCE_COLUMNS if c not in table.header)]
        body = [row + [""] * (len(header) - len(row)) for row in table.body]
        noted = [[_note_cell(c, i, note) for c in header] for i in ids]
        sources_text = ("\ufeff" if table.bom else "") + csv_text(
            [header, *body, *noted], table.delimiter
        )
        try:
            replace_both(sources, sources_text, path, csv_text(lines))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise EventFileError(
                str(path), f"cannot be written ({reason}); nothing was saved in either file"
            ) from error
    return ids


def _note_cell(column: str, event_id: str, note: str) -> str:
    return event_id if column == s.EVENT_ID else note if column == s.NOTES else ""


def _appended(path: Path, new_rows: list[dict[str, str]]) -> tuple[list[list[str]], list[str]]:
    """The file's lines (header first) with the new rows added under free ids, and those ids."""
    header, existing = _read_rows(path)
    for column in list(s.CANONICAL_COLUMNS) + [c for r in new_rows for c in r]:
        if column not in header:
            header.append(column)
    taken = {row[header.index(s.EVENT_ID)] for row in existing if len(row) > 0}
    ids = []
    for row in new_rows:
        row[s.EVENT_ID] = _free_id(row[s.EVENT_ID], taken)
        taken.add(row[s.EVENT_ID])
        ids.append(row[s.EVENT_ID])
    width = len(header)
    lines = [header]
    lines += [row + [""] * (width - len(row)) for row in existing]
    lines += [[row.get(column, "") for column in header] for row in new_rows]
    return lines, ids


# ---------------------------------------------------------------------------------------
# Helpers


def validated_cells(rows: pd.DataFrame, path: Path) -> list[dict[str, str]]:
    """The rows as CSV cells after validation; EventFileError lists what is wrong."""
    if rows.empty:
        return []
    frame = rows.copy().astype(object).where(rows.notna(), "")
    # Columns Strikemap works out itself are never written into the events file.
    frame = frame.drop(
        columns=[c for c in frame if str(c).startswith("_") or c in s.INTERNAL_COLUMNS]
    )
    cells = frame.map(cell_text)
    if s.EVENT_ID in cells:
        cells[s.EVENT_ID] = cells[s.EVENT_ID].str.strip()
    # Ids are made unique against the file (and each other) later; here only an empty id
    # is an error, so the check sees them made unique.
    checked = cells.copy()
    if s.EVENT_ID in checked:
        given = checked[s.EVENT_ID] != ""
        checked.loc[given, s.EVENT_ID] = [
            f"{value}\u0000{n}" for n, value in enumerate(checked.loc[given, s.EVENT_ID])
        ]
    loaded = validate_events(checked, source="the new events")
    if loaded.problems:
        listed = "; ".join(str(p).replace("; the row was left out", "") for p in loaded.problems)
        raise EventFileError(str(path), f"nothing was saved: {listed}")
    return [dict(row) for row in cells.to_dict(orient="records")]


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the current file, cell for cell ([], [] when absent)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return list(s.CANONICAL_COLUMNS), []
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise EventFileError(str(path), f"cannot be read ({reason}); nothing was saved") from error
    table = read_rows(data, str(path), _unreadable)
    if not table.header:
        return list(s.CANONICAL_COLUMNS), []
    header, rows = table.header, [table.header, *table.body]
    if s.EVENT_ID not in header:
        raise EventFileError(
            str(path), "has no event_id column, so it is not an events file; nothing was saved"
        )
    return header, [row for row in rows[1:] if any(cell.strip() for cell in row)]


def _free_id(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    number = 2
    while f"{wanted}-{number}" in taken:
        number += 1
    return f"{wanted}-{number}"


def _unreadable(path: str, reason: str) -> EventFileError:
    return EventFileError(path, f"{reason}; fix it before saving; nothing was saved")
