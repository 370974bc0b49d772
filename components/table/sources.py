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

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from components.table import rules
from components.table import schema as s
from components.table.dialect import MAX_FILE_BYTES, read_rows
from components.table.errors import MergeError, SourcesFileError, shown_path
from components.table.files import read_limited
from components.table.merge import merge_events
from components.table.reader import clean_header
from components.table.rules import ROW, Problem

__all__ = [
    "OUTLET_COUNT",
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

SOURCE_COUNT = s.SOURCE_COUNT
# How many different outlets those sources come from: two reports of one outlet are one voice.
# The reserved prefix keeps it out of every file written and never reads it from one.
OUTLET_COUNT = f"{s.RESERVED_PREFIX}outlet_count"
# The event row's own figures, kept when attach_sources widens the ranges to span all sources.
OWN_FIGURES = s.OWN_FIGURES
# The columns that say an event row records a source of its own.
OWN_SOURCE_MARKS: tuple[str, ...] = (
    s.SOURCE_NAME,
    s.SOURCE_URL,
    s.SOURCE_DATE,
    s.SOURCE_TEXT,
)
SOURCE_FIGURES: tuple[str, ...] = tuple(OWN_FIGURES)
SOURCE_TEXT_COLUMNS: tuple[str, ...] = tuple(c for c in s.SOURCE_COLUMNS if c not in OWN_FIGURES)


@dataclass
class LoadedSources:
    """The good rows of a sources file, and what was wrong with the others."""

    sources: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    @property
    def rejected_rows(self) -> list[int]:
        return rules.rejected_rows(self.problems)


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
        return LoadedSources(empty_sources(), source=shown_path(path))
    table = read_rows(read_limited(path, MAX_FILE_BYTES, SourcesFileError, "CSV file"),
                      str(path), SourcesFileError)  # fmt: skip
    if not table.header:
        return LoadedSources(empty_sources(), source=shown_path(path))
    if s.EVENT_ID not in table.header:
        raise SourcesFileError(
            str(path),
            "the header has no event_id column; the first row must name the columns, e.g. "
            + ", ".join(s.SOURCE_COLUMNS[:3])
            + ", ...",
        )
    return validate_sources(table.header, table.body, shown_path(path))


def empty_sources() -> pd.DataFrame:
    """A typed sources table with no rows."""
    return validate_sources(list(s.SOURCE_COLUMNS), [], "").sources


def attach_sources(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The events with ``source_count``, casualty ranges that span every source, and confidence.

    - The event's own killed/injured figures are kept in ``killed_min_own`` and the like.
    - Each source's lowest figure is its minimum (its maximum when it gives only that); its
      highest is its maximum (its minimum when it gives only that). The event's range runs from
      the lowest of the lowest figures to the highest of the highest; a source that gives a
      minimum but no maximum ("at least 12") leaves the maximum open. Unknown is ignored, and
      stays unknown when no source gives a figure.
    - ``_outlet_count`` says how many different outlets those sources are: reports naming the
      same outlet (its name, else its web address's host) count once.
    - An empty ``confidence`` becomes "several sources" with two or more outlets, "single
      source" with one (however many of its reports), and stays empty when no source is
      recorded. A coder's grade is kept.
    - A sources row that records no report (only notes, such as where a saved upload came
      from) is a note: it is not counted.

    Calling it again on its own result gives the same result. Sources of events not in
    ``events`` are ignored.
    """
    # Copy-on-write: the new columns below never reach the caller's frame.
    events = events.copy(deep=False)
    for column, own in OWN_FIGURES.items():
        if own not in events:
            events[own] = events[column].astype("Int64")
    if s.CONFIDENCE not in events:
        events[s.CONFIDENCE] = ""

    # Ids as integer codes: counting and spanning by code is many times faster than grouping
    # and mapping text at a million rows. Sources of events not in ``events`` are ignored.
    codes, unique_ids = pd.factorize(events[s.EVENT_ID])
    sources = sources[_is_a_report(sources).to_numpy(dtype=bool)]
    source_codes = pd.Index(unique_ids).get_indexer(sources[s.EVENT_ID])
    extra, extra_codes = sources[source_codes >= 0], source_codes[source_codes >= 0]
    extra_count = np.bincount(extra_codes, minlength=len(unique_ids))
    own_source = _records_a_source(events).to_numpy(dtype=bool)
    events[SOURCE_COUNT] = own_source.astype(int) + extra_count[codes]
    events[OUTLET_COUNT] = _outlet_counts(events, own_source, codes, extra, extra_codes)

    # Only events with sources in the table, or with several rows, need a grouped span.
    shared = (np.bincount(codes, minlength=len(unique_ids)) > 1) | (extra_count > 0)
    shared_rows = np.flatnonzero(shared[codes])
    every_code = np.concatenate([codes[shared_rows], extra_codes])
    for low, high in s.SOURCE_CASUALTY_RANGES.values():
        own_low, own_high = (_floats(events[OWN_FIGURES[c]]) for c in (low, high))
        # An event's only source: its minimum (its maximum when it gives only that), and its
        # maximum as given ("at least 12" leaves it open), as the span of one source is.
        lowest = np.where(np.isnan(own_low), own_high, own_low)
        highest = own_high.copy()
        if len(shared_rows):
            spans = _span(
                every_code,
                len(unique_ids),
                np.concatenate([own_low[shared_rows], _floats(extra[low])]),
                np.concatenate([own_high[shared_rows], _floats(extra[high])]),
            )
            lowest[shared_rows], highest[shared_rows] = (span[codes[shared_rows]] for span in spans)
        events[low], events[high] = (_whole(v, events.index) for v in (lowest, highest))

    graded = events[s.CONFIDENCE].fillna("").astype(str).str.strip()
    derived = _derived_confidence(events[OUTLET_COUNT], events[SOURCE_COUNT], events.index)
    events[s.CONFIDENCE] = graded.where(graded != "", derived)
    return events


_DERIVED_GRADES = pa.array(["", "single source", "several sources"], pa.string())


def _derived_confidence(outlets: pd.Series, count: pd.Series, index: pd.Index) -> pd.Series:
    """ "several sources" with two outlets or more, "single source" with one report or more,
    else empty; built from three words, not a million Python strings."""
    choice = np.where(outlets.to_numpy() >= 2, 2, np.where(count.to_numpy() >= 1, 1, 0))
    words = pa.DictionaryArray.from_arrays(pa.array(choice, pa.int8()), _DERIVED_GRADES)
    return pd.Series(words.cast(pa.string()), index=index, dtype="str")


def _whole(figures: np.ndarray, index: pd.Index) -> pd.Series:
    """Whole-number figures (NaN when unknown) as Int64."""
    unknown = np.isnan(figures)
    whole = np.where(unknown, 0, figures).astype("int64")
    return pd.Series(pd.arrays.IntegerArray(whole, unknown), index=index)


def sources_of(event_id: str, events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every source of one event, the event row's own first, then the table's in file order.

    Columns: the sources table's, plus ``own`` (True for the event row's source). Figures are
    what each source reports, not the widened range. Empty when the event is unknown. Rows of
    the table that record no report (notes only, e.g. which uploaded file the event was saved
    from) are not sources: their notes go with the event's own source.
    """
    match = events[events[s.EVENT_ID] == event_id]
    columns = [*s.SOURCE_COLUMNS, "own"]
    rows = []
    mine = sources[sources[s.EVENT_ID] == event_id]
    reports = _is_a_report(mine).to_numpy(dtype=bool)
    if not match.empty:
        event = match.iloc[0]
        if _records_a_source(match).iloc[0]:
            own = {c: event.get(c, "") for c in SOURCE_TEXT_COLUMNS}
            # The event's notes are the coder's, not the source's; notes of the table are kept.
            own[s.NOTES] = "; ".join(n for n in mine[~reports][s.NOTES].astype(str) if n.strip())
            for column in SOURCE_FIGURES:
                own[column] = event.get(OWN_FIGURES[column], event[column])
            rows.append(pd.DataFrame([{**own, "own": True}]))
    more = mine[reports]
    if not more.empty:
        rows.append(more[list(s.SOURCE_COLUMNS)].assign(own=False))
    if not rows:
        return _typed(pd.DataFrame(columns=columns))
    return _typed(pd.concat(rows, ignore_index=True)[columns])


# --- helpers -----------------------------------------------------------------------------------


def _records_a_source(events: pd.DataFrame) -> pd.Series:
    marks = [events[c].fillna("").astype(str).str.strip() != "" for c in OWN_SOURCE_MARKS]
    return pd.Series(np.logical_or.reduce([m.to_numpy(dtype=bool) for m in marks]), events.index)


def _is_a_report(sources: pd.DataFrame) -> pd.Series:
    """Sources rows that record a report: an outlet, address, date, text or a figure."""
    marks = [sources[c].fillna("").astype(str).str.strip() != "" for c in OWN_SOURCE_MARKS]
    marks += [sources[c].notna() for c in SOURCE_FIGURES]
    return pd.concat(marks, axis=1).any(axis=1) if marks else pd.Series(True, sources.index)


def _outlet_keys(name: pd.Series, url: pd.Series) -> pd.Series:
    """Who published each report: its outlet's name folded, else its address's host; '' when
    neither is known (such a report is never taken for another outlet's)."""
    folded = name.fillna("").astype(str).str.casefold().str.split().str.join(" ")
    host = (
        url.fillna("")
        .astype(str)
        .str.strip()
        .str.extract(r"^[a-z][a-z0-9+.-]*://(?:[^@/]*@)?([^/:?#]+)", flags=re.IGNORECASE)[0]
        .fillna("")
        .str.casefold()
        .str.removeprefix("www.")
    )
    return folded.where(folded != "", host)


def _outlet_counts(
    events: pd.DataFrame,
    own_source: np.ndarray,
    codes: np.ndarray,
    extra: pd.DataFrame,
    extra_codes: np.ndarray,
) -> np.ndarray:
    """Per event row, how many different outlets its sources come from."""
    outlets = own_source.astype(int)
    if extra.empty:
        return outlets
    # Only events with sources in the table need a look at names: a few rows of a million.
    with_extra = np.isin(codes, np.unique(extra_codes))
    own_keys = _outlet_keys(events[s.SOURCE_NAME][with_extra], events[s.SOURCE_URL][with_extra])
    extra_keys = _outlet_keys(extra[s.SOURCE_NAME], extra[s.SOURCE_URL])
    keys = pd.concat([own_keys[own_source[with_extra]], extra_keys], ignore_index=True)
    keys = keys.to_numpy(dtype=object, copy=True)
    key_codes = np.concatenate([codes[with_extra][own_source[with_extra]], extra_codes])
    # A report whose outlet is unknown is its own outlet.
    unknown = keys == ""
    keys[unknown] = [f"\0{n}" for n in range(int(unknown.sum()))]
    pairs = pd.DataFrame({"code": key_codes, "key": keys}).drop_duplicates()
    per_code = np.bincount(pairs["code"].to_numpy(), minlength=int(codes.max()) + 1)
    return np.where(with_extra, per_code[codes], outlets)


def _floats(figures: pd.Series) -> np.ndarray:
    return figures.to_numpy(dtype="float64", na_value=np.nan)


def _span(
    codes: np.ndarray, count: int, minimum: np.ndarray, maximum: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per event code, the lowest of the lowest figures and the highest of the highest."""
    lows = np.where(np.isnan(minimum), maximum, minimum)
    highs = np.where(np.isnan(maximum), minimum, maximum)
    lowest, highest = np.full(count, np.nan), np.full(count, np.nan)
    # fmin and fmax skip NaN: an unknown figure does not count.
    np.fmin.at(lowest, codes, lows)
    np.fmax.at(highest, codes, highs)
    # A source that gives a minimum but no maximum ("at least 12") leaves the maximum open.
    open_ended = np.zeros(count, dtype=bool)
    np.logical_or.at(open_ended, codes, ~np.isnan(minimum) & np.isnan(maximum))
    highest[open_ended] = np.nan
    return lowest, highest


def validate_sources(header: list[str], body: list[list[str]], source: str) -> LoadedSources:
    """Check every cell by the sources' rules; return typed good rows and the others' problems."""
    names, renamed = clean_header(header)
    width = len(names)
    # Rows are numbered as a spreadsheet shows them; a blank line is no source and no problem.
    numbered = [(n, row) for n, row in enumerate(body, start=2) if any(c.strip() for c in row)]
    raw = pd.DataFrame(
        [row[:width] + [""] * (width - len(row)) for _, row in numbered],
        columns=range(width),
        dtype=object,
    ).set_axis(names, axis=1)
    for column in s.SOURCE_COLUMNS:
        if column not in raw:
            raw[column] = ""
    raw.insert(0, ROW, [n for n, _ in numbered])
    raw[rules.EXTRA] = [",".join(row[width:]) if any(row[width:]) else "" for _, row in numbered]
    typed, problems = rules.check(raw, rules.SOURCE_RULES, source)
    notes = [
        Problem(source, 1, name, name, f"{why}; its cells were read as column {new!r}")
        for name, new, why in renamed
    ]
    sources = raw.drop(columns=[rules.EXTRA])
    for column in SOURCE_TEXT_COLUMNS:
        sources[column] = raw[column].fillna("").astype(str)
    for column, values in typed.items():
        sources[column] = values
    problems = notes + problems
    sources = sources[~sources[ROW].isin(rules.rejected_rows(problems))].reset_index(drop=True)
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
