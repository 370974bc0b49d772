"""Importers: other datasets into the canonical event table.

``FORMATS`` is the one table of importers. Detection tries them in its order, the command
line's ``--format`` choices are its keys, and ``docs/formats.md`` is written from it.
Every importer only turns its source into canonical cells (strings); the rows then pass the
one gate, ``events.validate_events``, like a hand-made events file.

    >>> loaded = import_file("acled-export.csv")          # format detected
    >>> loaded.events, loaded.problems, loaded.summary()
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pandas as pd

from components.formats import (
    acled,
    airwars,
    bellingcat,
    canonical,
    gdelt,
    geojson,
    placelist,
    ucdp,
)
from components.formats._tabular import (
    ROW,
    ImportOptions,
    ImportProblem,
    RawEvents,
    decode,
    header_names,
)
from components.formats.report import report_lines
from components.table import dialect
from components.table import schema as s
from components.table.errors import EventFileError, ImportFileError, UnknownFormatError
from components.table.events import (
    MAX_FILE_BYTES,
    LoadedEvents,
    Problem,
    validate_events,
)
from components.table.files import read_limited

__all__ = [
    "AUTO",
    "FORMATS",
    "FORMAT_CHOICES",
    "ImportOptions",
    "ImportProblem",
    "ImportedEvents",
    "Importer",
    "detect",
    "docs_markdown",
    "import_bytes",
    "import_file",
]

AUTO = "auto"
# Formats without a header row: their rows are numbered from 1.
HEADERLESS = frozenset({"gdelt", "geojson", "bellingcat"})
HEAD_CHARS = 64 * 1024


@dataclass(frozen=True)
class Importer:
    """One source format: how to recognise it, how to read it, and how it maps (for the docs)."""

    name: str
    description: str
    detected_by: str
    looks_like: Callable[[str, str], bool]
    read: Callable[[bytes, str, ImportOptions], RawEvents]
    mapping: tuple[tuple[str, str, str], ...]
    module_doc: str

    @classmethod
    def from_module(cls, module: ModuleType) -> Importer:
        return cls(
            name=module.NAME,
            description=module.DESCRIPTION,
            detected_by=module.DETECTED_BY,
            looks_like=module.looks_like,
            read=module.read,
            mapping=module.MAPPING,
            module_doc=(module.__doc__ or "").strip(),
        )


# Detection order matters: the most specific shapes first, the canonical table last.
FORMATS: dict[str, Importer] = {
    m.NAME: Importer.from_module(m)
    for m in (geojson, bellingcat, gdelt, acled, ucdp, airwars, canonical, placelist)
}
FORMAT_CHOICES: tuple[str, ...] = (AUTO, *FORMATS)


@dataclass
class ImportedEvents(LoadedEvents):
    """LoadedEvents plus which format was read, the rows left out on purpose (not events), what
    the importer chose (``notes``), the rows kept with a remark (``warnings``) and further
    reports of the events (``sources``, the sources table's columns)."""

    format_name: str = ""
    skipped: int = 0
    skipped_reason: str = ""
    notes: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sources: pd.DataFrame | None = None
    first_data_row: int = 2

    @property
    def rejected_rows(self) -> list[int]:
        """Rows left out for a problem (a header note on row 1 of a table leaves none out)."""
        return sorted({p.row for p in self.problems if p.row >= self.first_data_row})

    @property
    def rows_in(self) -> int:
        """Rows the source holds: imported, rejected, or not events."""
        return len(self.events) + len(self.rejected_rows) + self.skipped

    def summary(self) -> str:
        """One line for the command line and the app, e.g.
        '3 events imported from x.csv (acled) · 1 row rejected'."""
        count = len(self.events)
        rejected = len(self.rejected_rows)
        parts = [
            f"{count:,} event{'s' if count != 1 else ''} imported from {self.source} "
            f"({self.format_name})",
            f"{rejected:,} row{'s' if rejected != 1 else ''} rejected",
        ]
        if self.skipped:
            parts.append(f"{self.skipped:,} skipped: {self.skipped_reason}")
        return " · ".join(parts)

    def report(self) -> list[str]:
        """The lines to show: notes, one per cause of rejection, warnings, then the totals."""
        return report_lines(self)


def import_file(
    path: str | os.PathLike[str],
    format: str = AUTO,
    *,
    options: ImportOptions | None = None,
) -> ImportedEvents:
    """Read a file in any known format (or the one named) into validated canonical events.

    Raises ImportFileError (an EventFileError) with a one-line reason when the file as a whole
    is unusable, and UnknownFormatError for a format name that does not exist.
    """
    path = Path(path)
    source = str(path)
    data = read_limited(path, MAX_FILE_BYTES, ImportFileError)
    return import_bytes(data, source, format, options=options)


def import_bytes(
    data: bytes,
    name: str,
    format: str = AUTO,
    *,
    options: ImportOptions | None = None,
) -> ImportedEvents:
    """Like import_file, for bytes already in memory (an upload); ``name`` names the source."""
    options = options or ImportOptions()
    data = _as_utf8(data, name)
    importer = FORMATS[detect(data, name)] if format == AUTO else _importer(format)
    _check_readable(data, name, importer.name)
    try:
        raw = importer.read(data, name, options)
    except ImportFileError:
        raise
    except EventFileError as exc:
        raise ImportFileError(exc.path, exc.reason, format_name=importer.name) from exc
    copies = _drop_copies(raw)
    loaded = validate_events(raw.frame, source=name)
    ids = _ids_by_row(raw.frame, {p.row for p in [*raw.problems, *loaded.problems]})
    problems = [_as_reported(p, ids, raw.as_written) for p in [*raw.problems, *loaded.problems]]
    problems.sort(key=lambda p: (p.row, p.column or ""))
    first_data_row = 1 if importer.name in HEADERLESS else 2
    # Every row a problem names is left out, whatever the gate counts as its header row.
    bad = {p.row for p in problems if p.row >= first_data_row}
    events = loaded.events
    if bad and ROW in events:
        events = events[~events[ROW].isin(bad)].reset_index(drop=True)
    return ImportedEvents(
        events=events,
        problems=problems,
        source=name,
        format_name=importer.name,
        skipped=raw.skipped + copies,
        skipped_reason="; ".join(
            filter(None, [raw.skipped_reason if raw.skipped else "", _copies_reason(copies)])
        ),
        notes=raw.notes,
        warnings=raw.warnings,
        sources=raw.sources,
        first_data_row=first_data_row,
    )


def detect(data: bytes, name: str) -> str:
    """The name of the first format in FORMATS whose ``looks_like`` accepts the file's start.

    Raises ImportFileError when the file is empty, binary, or looks like none of them.
    """
    data = _as_utf8(data, name)
    _check_readable(data, name, None)
    head = decode(data[: HEAD_CHARS * 4])[:HEAD_CHARS]
    for importer in FORMATS.values():
        if importer.looks_like(head, name):
            return importer.name
    articles = set(header_names(head)) & placelist.ARTICLE_NAMES
    raise ImportFileError(
        name,
        "has no columns that any importer recognises (ACLED, UCDP GED, GDELT, GeoJSON, "
        "Bellingcat, Airwars, a table of dated places, or Strikemap's event_id, date_start, …); "
        + (
            "it holds news articles: save them as .txt files and draft events from them with "
            "python -m components code, or choose a format with --format "
            if articles
            else "choose one with --format "
        )
        + f"({', '.join(FORMATS)})",
    )


def docs_markdown() -> str:
    """docs/formats.md: the formats, how each is detected, and how each maps its columns."""
    lines = [
        "# Import and export formats",
        "",
        "<!-- Written by components.formats.docs_markdown(); "
        "tests/test_formats.py checks that it is current. -->",
        "",
        "`python -m components import FILE [--format auto|"
        + "|".join(FORMATS)
        + "] --out OUT.csv` reads any of these into the event table (see the README). "
        "With `auto` the first format whose check accepts the file is used, in this order:",
        "",
        "| format | reads | detected when |",
        "|---|---|---|",
        *(f"| `{i.name}` | {i.description} | {i.detected_by} |" for i in FORMATS.values()),
        "",
        "Every importer only moves cells into the canonical columns; then each row passes the "
        "same checks as a hand-made events file. A row that fails is left out and reported "
        "with its row number, its id in the source and the reason; the other rows load. "
        "A row the CSV reader cannot split (a quote that never closes) is reported with its "
        'line and skipped, and the rows around it load; backslash-escaped quotes (`\\"`) are '
        "read as quotes. A file that is empty, binary, has no readable row, or has none of the "
        "columns a format needs is refused as a whole, in one line. Source columns not listed "
        "are dropped unless the table says otherwise.",
        "",
        "The import then says what it chose (the order of day and month, the century of "
        "two-digit years, ids it made), one line per cause of rejected rows with their count "
        "and first rows, the rows kept with a warning, and last "
        "`imported N of M rows (K rejected, J not events)`. `--rejects FILE` writes every "
        "rejected row with its reason as CSV; the exit status is 1 when rows were read but "
        "none imported. Further sources of the events (Bellingcat's) are written as the "
        "sources table beside OUT.csv (`sources.csv`, or `OUT.sources.csv` when a "
        "`sources.csv` is there already). The app's upload shows the same lines.",
    ]
    for importer in FORMATS.values():
        lines += [
            "",
            f"## `{importer.name}`",
            "",
            " ".join(importer.module_doc.split()),
            "",
            "| source column | canonical column | rule |",
            "|---|---|---|",
            *(f"| {_md(src)} | {_md(dst)} | {_md(rule)} |" for src, dst, rule in importer.mapping),
        ]
    lines += [
        "",
        "## Export",
        "",
        "`python -m components export IN.csv --format csv|geojson --out OUT` writes the "
        "(filtered) events.",
        "",
        "- **CSV**: the canonical columns first, then any extra columns; ISO dates; empty "
        "cells for unknown figures. Meant for spreadsheets, it neutralises formulas: a cell "
        "that begins with `=`, `+`, `-`, `@`, a tab or a carriage return and is not a "
        "number gets a leading apostrophe (`'=HYPERLINK(…)`).",
        "- **GeoJSON**: a FeatureCollection with one Point feature per event "
        "(`[longitude, latitude]`, null geometry for an event not yet placed); the feature "
        "`id` and `properties.event_id` are the event id; the other columns are properties "
        "(numbers as numbers, unknown as null). It reads back through the `geojson` "
        "importer to the same events.",
        "",
    ]
    return "\n".join(lines)


def _importer(name: str) -> Importer:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(name, FORMAT_CHOICES) from None


def _as_utf8(data: bytes, name: str) -> bytes:
    """UTF-16 text (with its byte-order mark) as UTF-8; any other bytes unchanged."""
    return dialect.utf16_as_utf8(data, name, ImportFileError)


def _check_readable(data: bytes, name: str, format_name: str | None) -> None:
    if not data or data.isspace():
        raise ImportFileError(name, "the file is empty", format_name=format_name)
    if b"\x00" in data[:8192]:
        raise ImportFileError(
            name,
            "looks like a binary file, not text; unzip it, or export it as CSV or GeoJSON",
            format_name=format_name,
        )


def _drop_copies(raw: RawEvents) -> int:
    """Leave out rows that repeat an earlier row cell for cell, id included (overlapping
    exports pasted together): the event is already there. Returns how many were left out."""
    frame = raw.frame
    if s.EVENT_ID not in frame or len(frame) < 2:
        return 0
    repeated = frame[s.EVENT_ID].duplicated(keep=False) & (frame[s.EVENT_ID] != "")
    if not repeated.any():  # the common case, and cheap: only ids are compared
        return 0
    content = [c for c in frame.columns if c != ROW]
    copy = repeated & frame[repeated].duplicated(subset=content, keep="first").reindex(
        frame.index, fill_value=False
    )
    if not copy.any():
        return 0
    raw.frame = frame[~copy].reset_index(drop=True)
    return int(copy.sum())


def _copies_reason(copies: int) -> str:
    if not copies:
        return ""
    copy = "copies" if copies != 1 else "copy"
    return f"{copies:,} {copy} of an earlier row (same id, same cells)"


def _ids_by_row(frame: pd.DataFrame, rows: set[int]) -> dict[int, str]:
    """The source id of each of these rows (only the reported ones: a dict of every row of a
    large file costs more than the rest of the import)."""
    if ROW not in frame or s.EVENT_ID not in frame or frame.empty or not rows:
        return {}
    chosen = frame[frame[ROW].isin(list(rows))]
    ids = chosen[s.EVENT_ID].fillna("").astype(str).str.strip()
    return dict(zip(chosen[ROW].astype(int), ids, strict=True))


def _as_reported(
    problem: Problem, ids: dict[int, str], as_written: dict[str, Mapping[int, str]]
) -> ImportProblem:
    """The problem with the row's source id, and the cell as the source wrote it."""
    if isinstance(problem, ImportProblem) and problem.event_id:
        return problem
    value = as_written.get(problem.column or "", {}).get(problem.row, problem.value)
    return ImportProblem(
        problem.source,
        problem.row,
        problem.column,
        value,
        problem.expected,
        event_id=ids.get(problem.row, ""),
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
