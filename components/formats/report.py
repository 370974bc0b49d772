"""What an import tells its user: the choices it made, one line per cause of rejected rows (its
count and first rows), the rows kept with a warning, and a last line of totals. The command line
and the app's upload print the same lines; the full list of rejected rows goes to a CSV file
on request (``--rejects FILE``).
"""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from components.table import schema as s
from components.table.events import Problem, printable
from components.table.files import write_text_atomically
from components.table.sources import sources_path

if TYPE_CHECKING:
    from components.formats import ImportedEvents

__all__ = [
    "FIRST_ROWS",
    "cause_lines",
    "report_lines",
    "totals_line",
    "write_rejects",
    "write_sources",
]

FIRST_ROWS = 3
REJECT_COLUMNS = ("row", "event_id", "column", "value", "reason")


def report_lines(imported: ImportedEvents) -> list[str]:
    """Every line of the import's report, the totals last."""
    lines = [f"note: {printable(note)}" for note in imported.notes]
    # Problems on the header row (a renamed column) leave no row out: they are notes.
    header = [p for p in imported.problems if p.row < imported.first_data_row]
    rows = [p for p in imported.problems if p.row >= imported.first_data_row]
    lines += [f"note: {p}" for p in header]
    lines += cause_lines(rows, "rejected")
    lines += cause_lines(imported.warnings, "kept with a warning")
    if imported.skipped:
        lines.append(f"{imported.skipped:,} rows not events: {imported.skipped_reason}")
    lines.append(totals_line(imported))
    return lines


def totals_line(imported: ImportedEvents) -> str:
    """``imported N of M rows (K rejected, J not events)``."""
    count, rejected = len(imported.events), len(imported.rejected_rows)
    return (
        f"imported {count:,} of {imported.rows_in:,} rows "
        f"({rejected:,} rejected, {imported.skipped:,} not events)"
    )


def cause_lines(problems: list[Problem], outcome: str) -> list[str]:
    """One line per cause (column and reason): how many rows, and the first few of them."""
    causes: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in problems:
        causes[(problem.column or "", problem.expected)].append(problem)
    lines = []
    for (column, expected), found in sorted(causes.items(), key=lambda c: -len(c[1])):
        rows = len({p.row for p in found})
        first = ", ".join(_where(p) for p in found[:FIRST_ROWS])
        more = f", … ({rows - FIRST_ROWS:,} more)" if rows > FIRST_ROWS else ""
        where = f"column {column}: " if column else ""
        lines.append(
            f"{printable(found[0].source)}: {rows:,} row{'s' if rows != 1 else ''} {outcome}, "
            f"{where}{printable(expected)}: {first}{more}"
        )
    return lines


def write_rejects(imported: ImportedEvents, path: str | os.PathLike[str]) -> Path:
    """Every rejected row's problem as CSV (row, event_id, column, value, reason), atomically."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REJECT_COLUMNS)
    for p in imported.problems:
        writer.writerow([p.row, getattr(p, "event_id", ""), p.column or "", p.value, p.expected])
    path = Path(path)
    write_text_atomically(path, buffer.getvalue())
    return path


def write_sources(sources: pd.DataFrame | None, events_path: str | os.PathLike[str]) -> Path | None:
    """Further reports of the events as the sources table beside the written events file
    (``sources.csv`` in its folder; ``<name>.sources.csv`` when that file exists already, so
    that an import never overwrites sources kept by hand). None when there are none."""
    if sources is None or sources.empty:
        return None
    beside = sources_path(events_path)
    path = beside if not beside.exists() else Path(events_path).with_suffix(".sources.csv")
    columns = list(s.SOURCE_COLUMNS)
    text = sources.reindex(columns=columns).fillna("").to_csv(index=False, lineterminator="\n")
    write_text_atomically(path, text)
    return path


def _where(problem: Problem) -> str:
    event_id = getattr(problem, "event_id", "")
    shown = problem.value if len(problem.value) <= 40 else problem.value[:37] + "..."
    named = f" (id {printable(event_id)})" if event_id else ""
    return f"row {problem.row}{named} found {printable(repr(shown))}"
