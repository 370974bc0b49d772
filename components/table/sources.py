"""Several reports of one strike: the sources table beside the events file.

``data/sources.csv`` (the events file's folder / ``sources.csv``) holds more reports of events,
one row each, keyed by ``event_id``. The event row's own source is its first source; the table
adds the others. See docs/sources.md for the rules (how ranges widen, how confidence is derived,
what a merge writes).

    >>> loaded = read_sources(sources_path("data/events.csv"))
    >>> shown = attach_sources(events, loaded.sources)
    >>> sources_of("seed-000-2", shown, loaded.sources)
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from components.table import schema as s
from components.table.errors import EventFileError, StrikemapError
from components.table.events import (
    MAX_FILE_BYTES,
    Problem,
    decode_text,
    printable,
    read_events,
    utf16_as_utf8,
)
from components.table.files import locked, read_limited, write_text_atomically

__all__ = [
    "OWN_FIGURES",
    "SOURCE_COUNT",
    "LoadedSources",
    "MergeError",
    "SourcesFileError",
    "attach_sources",
    "empty_sources",
    "merge_events",
    "read_sources",
    "sources_of",
    "sources_path",
]

SOURCE_COUNT = "source_count"
# The event row's own figures, kept when attach_sources widens the ranges to span all sources.
OWN_FIGURES: dict[str, str] = {
    column: f"{column}_own" for pair in s.SOURCE_CASUALTY_RANGES.values() for column in pair
}
# The columns that say an event row records a source of its own.
OWN_SOURCE_MARKS: tuple[str, ...] = (
    s.SOURCE_NAME,
    s.SOURCE_URL,
    s.SOURCE_DATE,
    s.SOURCE_TEXT,
)
SOURCE_FIGURES: tuple[str, ...] = tuple(OWN_FIGURES)
SOURCE_TEXT_COLUMNS: tuple[str, ...] = tuple(c for c in s.SOURCE_COLUMNS if c not in OWN_FIGURES)
ROW = "_row"


class SourcesFileError(EventFileError):
    """A sources file cannot be used as a whole (unreadable, binary, no event_id column)."""


class MergeError(StrikemapError, ValueError):
    """A merge that cannot be done as asked (an id not in the events file, or merged twice)."""


@dataclass
class LoadedSources:
    """The good rows of a sources file, and what was wrong with the others."""

    sources: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems})


def sources_path(events_path: str | os.PathLike[str]) -> Path:
    """Where the sources of an events file live: ``sources.csv`` in the same folder."""
    return Path(events_path).with_name(s.SOURCES_FILE_NAME)


def read_sources(path: str | os.PathLike[str]) -> LoadedSources:
    """Read and check a sources CSV; a missing file is an empty table, not an error.

    Each row needs an event_id; dates are ISO dates or empty; figures are whole numbers or
    empty, the minimum not above the maximum. A row with a problem is reported and left out.
    Raises SourcesFileError when the file as a whole cannot be used.
    """
    path = Path(path)
    if not path.exists():
        return LoadedSources(empty_sources(), source=str(path))
    header, body = _read_rows(path)
    return _validate(header, body, str(path))


def empty_sources() -> pd.DataFrame:
    """A typed sources table with no rows."""
    return _validate(list(s.SOURCE_COLUMNS), [], "").sources


def attach_sources(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The events with ``source_count``, casualty ranges that span every source, and confidence.

    - The event's own killed/injured figures are kept in ``killed_min_own`` and the like.
    - Each source's lowest figure is its minimum (its maximum when it gives only that); its
      highest is its maximum (its minimum when it gives only that). The event's range runs from
      the lowest of the lowest figures to the highest of the highest; a source that gives a
      minimum but no maximum ("at least 12") leaves the maximum open. Unknown is ignored, and
      stays unknown when no source gives a figure.
    - An empty ``confidence`` becomes "several sources" with two or more sources, "single
      source" with one, and stays empty when no source is recorded. A coder's grade is kept.

    Calling it again on its own result gives the same result. Sources of events not in
    ``events`` are ignored.
    """
    events = events.copy()
    for column, own in OWN_FIGURES.items():
        if own not in events:
            events[own] = events[column].astype("Int64")
    if s.CONFIDENCE not in events:
        events[s.CONFIDENCE] = ""

    ids = events[s.EVENT_ID]
    # A hash lookup: Series.isin on text is many times slower at 100,000 rows.
    extra = sources[pd.Index(ids.unique()).get_indexer(sources[s.EVENT_ID]) >= 0]
    has_own = _records_a_source(events)
    extra_count = extra.groupby(s.EVENT_ID).size()
    events[SOURCE_COUNT] = (
        has_own.astype(int) + ids.map(extra_count).fillna(0).astype(int)
    ).astype(int)

    reports = pd.concat(
        [
            pd.DataFrame({s.EVENT_ID: ids, **{c: events[OWN_FIGURES[c]] for c in SOURCE_FIGURES}}),
            extra[[s.EVENT_ID, *SOURCE_FIGURES]],
        ],
        ignore_index=True,
    )
    for low, high in s.SOURCE_CASUALTY_RANGES.values():
        spanned = _span(reports, low, high)
        events[low] = ids.map(spanned[low]).astype("Int64")
        events[high] = ids.map(spanned[high]).astype("Int64")

    graded = events[s.CONFIDENCE].fillna("").astype(str).str.strip()
    derived = np.select(
        [events[SOURCE_COUNT] >= 2, events[SOURCE_COUNT] == 1],
        ["several sources", "single source"],
        default="",
    )
    events[s.CONFIDENCE] = graded.where(graded != "", pd.Series(derived, index=events.index))
    return events


def sources_of(event_id: str, events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every source of one event, the event row's own first, then the table's in file order.

    Columns: the sources table's, plus ``own`` (True for the event row's source). Figures are
    what each source reports, not the widened range. Empty when the event is unknown.
    """
    match = events[events[s.EVENT_ID] == event_id]
    columns = [*s.SOURCE_COLUMNS, "own"]
    rows = []
    if not match.empty:
        event = match.iloc[0]
        if _records_a_source(match).iloc[0]:
            own = {c: event.get(c, "") for c in SOURCE_TEXT_COLUMNS}
            own[s.NOTES] = ""  # the event's notes are the coder's, not the source's
            for column in SOURCE_FIGURES:
                own[column] = event.get(OWN_FIGURES[column], event[column])
            rows.append(pd.DataFrame([{**own, "own": True}]))
    more = sources[sources[s.EVENT_ID] == event_id]
    if not more.empty:
        rows.append(more[list(s.SOURCE_COLUMNS)].assign(own=False))
    if not rows:
        return _typed(pd.DataFrame(columns=columns))
    return _typed(pd.concat(rows, ignore_index=True)[columns])


def merge_events(
    events_path: str | os.PathLike[str],
    sources_path: str | os.PathLike[str],
    keep_id: str,
    merge_ids: list[str] | tuple[str, ...],
) -> int:
    """Merge duplicate events into ``keep_id``; return how many sources rows were written.

    Each merged event's source becomes a row of the sources file under ``keep_id`` (its notes
    say "merged from <id>" and hold the merged row's other fields), sources already listed
    under a merged id move to ``keep_id``, and the merged rows leave the events file. Rows with
    problems in either file are kept as written. Both files are written atomically while
    holding their locks (the sources file first: a crash between the two leaves a merged
    event in both places, never in neither).
    """
    events_path, sources_path = Path(events_path), Path(sources_path)
    merge_ids = list(dict.fromkeys(i for i in merge_ids if i != keep_id))
    if not merge_ids:
        raise MergeError("nothing to merge: give at least one event id other than the kept one")
    with locked(events_path), locked(sources_path):
        loaded = read_events(events_path)
        known = set(loaded.events[s.EVENT_ID])
        absent = [i for i in (keep_id, *merge_ids) if i not in known]
        if absent:
            raise MergeError(
                f"{printable(str(events_path))}: no valid event with id "
                f"{', '.join(repr(printable(i)) for i in absent)}; reload the events and "
                "choose again"
            )
        events_header, events_body, delimiter, bom = _read_raw(events_path)
        if sources_path.exists():
            sources_header, sources_body = _read_rows(sources_path)
        else:
            sources_header, sources_body = list(s.SOURCE_COLUMNS), []
        sources_header = [
            *sources_header,
            *(c for c in s.SOURCE_COLUMNS if c not in sources_header),
        ]
        id_at = sources_header.index(s.EVENT_ID)
        notes_at = sources_header.index(s.NOTES)
        moved = 0
        for row in sources_body:
            row += [""] * (len(sources_header) - len(row))
            if row[id_at].strip() in merge_ids:
                from_id = row[id_at].strip()
                row[id_at] = keep_id
                row[notes_at] = _join_notes(f"merged from {from_id}", row[notes_at])
                moved += 1
        merged = loaded.events.set_index(s.EVENT_ID).loc[merge_ids]
        new_rows = [
            [_merged_cell(column, event_id, event, keep_id) for column in sources_header]
            for event_id, event in merged.iterrows()
        ]
        write_text_atomically(sources_path, _csv([sources_header, *sources_body, *new_rows], ","))
        event_id_at = events_header.index(s.EVENT_ID)
        kept = [
            row
            for row in events_body
            if not (len(row) > event_id_at and row[event_id_at].strip() in merge_ids)
        ]
        write_text_atomically(
            events_path, ("\ufeff" if bom else "") + _csv([events_header, *kept], delimiter)
        )
    return moved + len(new_rows)


# --- helpers -----------------------------------------------------------------------------------


def _records_a_source(events: pd.DataFrame) -> pd.Series:
    marks = [events[c].fillna("").astype(str).str.strip() != "" for c in OWN_SOURCE_MARKS]
    return pd.concat(marks, axis=1).any(axis=1)


def _span(reports: pd.DataFrame, low: str, high: str) -> pd.DataFrame:
    """Per event id, the lowest of the lowest figures and the highest of the highest."""
    minimum = reports[low].astype("float64")
    maximum = reports[high].astype("float64")
    frame = pd.DataFrame(
        {
            s.EVENT_ID: reports[s.EVENT_ID],
            low: minimum.fillna(maximum),
            high: maximum.fillna(minimum),
            "open": minimum.notna() & maximum.isna(),
        }
    )
    grouped = frame.groupby(s.EVENT_ID, sort=False)
    spanned = pd.DataFrame({low: grouped[low].min(), high: grouped[high].max()})
    spanned.loc[grouped["open"].any(), high] = np.nan
    return spanned


def _merged_cell(column: str, event_id: str, event: pd.Series, keep_id: str) -> str:
    """One cell of the sources row that a merged event becomes."""
    if column == s.EVENT_ID:
        return keep_id
    if column == s.NOTES:
        others = [
            f"{name}: {_cell_text(event[name])}"
            for name in event.index
            if name not in s.SOURCE_COLUMNS
            and not str(name).startswith("_")
            and _cell_text(event[name]) != ""
        ]
        if _cell_text(event[s.NOTES]):
            others.append(f"notes: {_cell_text(event[s.NOTES])}")
        return _join_notes(f"merged from {event_id}", "; ".join(others))
    return _cell_text(event[column]) if column in event.index else ""


def _cell_text(value: object) -> str:
    """A typed cell as the events file writes it: ISO dates, whole numbers, empty = unknown."""
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):  # numpy scalars print as np.float64(...) otherwise
        value = value.item()
    return str(value)


def _join_notes(first: str, rest: str) -> str:
    return f"{first}; {rest}" if rest.strip() else first


def _read_raw(path: Path) -> tuple[list[str], list[list[str]], str, bool]:
    """Header, rows as written, delimiter and whether the file began with a byte-order mark."""
    data = read_limited(path, MAX_FILE_BYTES, SourcesFileError, "CSV file")
    data = utf16_as_utf8(data, str(path))
    bom = data.startswith(b"\xef\xbb\xbf")
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = _split(text, delimiter, str(path))
    if not rows:
        raise SourcesFileError(str(path), "the file is empty; it needs a header row")
    return [h.strip().lstrip("\ufeff") for h in rows[0]], rows[1:], delimiter, bom


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    data = read_limited(path, MAX_FILE_BYTES, SourcesFileError, "CSV file")
    if b"\x00" in utf16_as_utf8(data, str(path))[:8192]:
        raise SourcesFileError(
            str(path), "looks like a binary file, not CSV text; save or export it as CSV (UTF-8)"
        )
    if not data.strip():
        return list(s.SOURCE_COLUMNS), []
    header, body, _, _ = _read_raw(path)
    if s.EVENT_ID not in header:
        raise SourcesFileError(
            str(path),
            "the header has no event_id column; the first row must name the columns, e.g. "
            + ", ".join(s.SOURCE_COLUMNS[:3])
            + ", ...",
        )
    return header, body


def _split(text: str, delimiter: str, source: str) -> list[list[str]]:
    csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise SourcesFileError(
            source,
            f"is not readable as CSV near line {reader.line_num} ({exc}); "
            "check for a quote that is opened but never closed",
        ) from exc


def _validate(header: list[str], body: list[list[str]], source: str) -> LoadedSources:
    """Check every cell; return typed good rows and the problems of the others."""
    width = len(header)
    # Rows are numbered as a spreadsheet shows them; a blank line is no source and no problem.
    numbered = [(n, row) for n, row in enumerate(body, start=2) if any(c.strip() for c in row)]
    raw = pd.DataFrame(
        [row[:width] + [""] * (width - len(row)) for _, row in numbered],
        columns=header,
        dtype=object,
    )
    raw = raw.loc[:, ~raw.columns.duplicated()]
    for column in s.SOURCE_COLUMNS:
        if column not in raw:
            raw[column] = ""
    raw.insert(0, ROW, [n for n, _ in numbered])
    text = {c: raw[c].fillna("").astype(str).str.strip() for c in s.SOURCE_COLUMNS}
    problems: list[Problem] = []

    def flag(mask: pd.Series, column: str | None, expected: str, values: pd.Series) -> None:
        for row, value in zip(raw.loc[mask, ROW], values[mask], strict=True):
            problems.append(Problem(source, int(row), column, str(value), expected))

    extra = pd.Series(
        [",".join(row[width:]) if any(row[width:]) else "" for _, row in numbered],
        index=raw.index,
        dtype=object,
    )
    flag(extra != "", None, "more cells than the header has columns", extra)
    flag(
        text[s.EVENT_ID] == "",
        s.EVENT_ID,
        "every source needs the id of its event",
        text[s.EVENT_ID],
    )

    date = text[s.SOURCE_DATE]
    parsed = (
        pd.to_datetime(date, format="%Y-%m-%d", errors="coerce")
        .fillna(pd.to_datetime(date.where(date.str.len() == 7), format="%Y-%m", errors="coerce"))
        .fillna(pd.to_datetime(date.where(date.str.len() == 4), format="%Y", errors="coerce"))
    )
    flag(
        (date != "") & parsed.isna(),
        s.SOURCE_DATE,
        "an ISO date like 2018-02-08 (or 2018-02, or 2018), or empty",
        date,
    )

    counts: dict[str, pd.Series] = {}
    for column in SOURCE_FIGURES:
        values = pd.to_numeric(text[column].where(text[column] != ""), errors="coerce").astype(
            "float64"
        )
        bad = (text[column] != "") & (values.isna() | (values < 0) | (values % 1 != 0))
        flag(bad, column, "a whole number of people, or empty when not reported", text[column])
        counts[column] = values
    for low, high in s.SOURCE_CASUALTY_RANGES.values():
        inverted = counts[low].notna() & counts[high].notna() & (counts[low] > counts[high])
        flag(inverted, high, f"{high} must not be below {low}", text[high])

    sources = raw.copy()
    for column in SOURCE_TEXT_COLUMNS:
        sources[column] = raw[column].fillna("").astype(str)
    sources[s.EVENT_ID] = text[s.EVENT_ID]
    for column, values in counts.items():
        sources[column] = values.where(values % 1 == 0).round().astype("Int64")
    bad_rows = {p.row for p in problems}
    sources = sources[~sources[ROW].isin(bad_rows)].reset_index(drop=True)
    problems.sort(key=lambda p: (p.row, p.column or ""))
    extra_columns = [c for c in sources.columns if c not in s.SOURCE_COLUMNS and c != ROW]
    return LoadedSources(
        sources[[ROW, *s.SOURCE_COLUMNS, *extra_columns]], problems=problems, source=source
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in SOURCE_TEXT_COLUMNS:
        frame[column] = frame[column].fillna("").astype(str)
    for column in SOURCE_FIGURES:
        frame[column] = pd.array(
            [None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    frame["own"] = frame["own"].astype(bool)
    return frame.reset_index(drop=True)


def _csv(rows: list[list[str]], delimiter: str) -> str:
    """Rows as CSV text; a row with a carriage return in a cell is quoted whole (see exporters)."""
    buffer = io.StringIO()
    minimal = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoted if any("\r" in cell for cell in row) else minimal).writerow(row)
    return buffer.getvalue()
