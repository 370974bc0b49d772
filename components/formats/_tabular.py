"""Helpers the importers share: decoding text, splitting delimited rows, building the frame of
strings that ``events.validate_events`` checks.

Nothing here validates a value; that is the job of the one gate in ``components.table.events``.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from components.formats._csvread import EXTRA, ROW, Table, clean_header, read_table
from components.table import dialect
from components.table import schema as s
from components.table.errors import ImportFileError
from components.table.events import Problem, printable

CANONICAL = frozenset(s.CANONICAL_COLUMNS)
# Cells that say a figure is not known: never read as 0.
NOT_REPORTED = frozenset({"", "na", "n/a", "nan", "null", "none", "unknown", "unclear", "-", "?"})
_FIGURES = re.compile(r"^\s*(\d+)\s*(?:(?:-|–|—|to)\s*(\d+))?\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T][0-9:.]*)?\s*$")


@dataclass(frozen=True)
class ImportOptions:
    """Choices an importer may honour. Only GDELT has one today: which CAMEO codes to keep.

    ``event_codes``: a row is kept when its CAMEO EventCode starts with one of these codes, so
    ``195`` keeps 195, 1951 and 1952. The default keeps GDELT's whole "fight" class (root 19);
    the strike codes among them get ACLED's strike types, the others their CAMEO names, so
    the type filter can narrow the map to strikes.
    """

    event_codes: tuple[str, ...] = ("19",)


@dataclass(frozen=True)
class ImportProblem(Problem):
    """A Problem that also names the rejected row's id in the source, when it has one."""

    event_id: str = ""

    def __str__(self) -> str:
        text = super().__str__()
        if not self.event_id:
            return text
        where = f"{printable(self.source)}, row {self.row}"
        return text.replace(where, f"{where} (id {printable(self.event_id)})", 1)


@dataclass
class RawEvents:
    """What an importer hands to the gate: canonical columns as strings, one ``_row`` each.

    ``problems`` are rows the importer could not even turn into cells (a GeoJSON feature that is
    not a point, a GDELT line with the wrong number of columns); ``skipped`` counts rows left
    out on purpose (GDELT events that are not strikes), with ``skipped_reason`` in words.
    """

    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    skipped_reason: str = ""
    as_written: dict[str, Mapping[int, str]] = field(default_factory=dict)
    """For cells the importer rewrote (``36,5`` → ``36.5``, ``20180207`` → ``2018-02-07``):
    column → {row: the cell as the source wrote it}, so that a report shows the source's text."""
    notes: list[str] = field(default_factory=list)
    """What the importer chose for the whole file (a date order, a century), in words."""
    warnings: list[Problem] = field(default_factory=list)
    """Rows kept with a remark (UCDP's high below its low): named, never left out."""
    sources: pd.DataFrame | None = None
    """More reports of the events (the sources table's columns), when the source lists them."""


def decode(data: bytes) -> str:
    """Text in any encoding ``components.table.dialect`` knows; newlines as \\n."""
    return dialect.decode(data, "", ImportFileError).replace("\r\n", "\n").replace("\r", "\n")


def first_line_delimiter(text: str) -> str:
    """Tab, semicolon or comma: whichever the first line holds most of."""
    return dialect.sniff_delimiter(text)


def header_names(text: str) -> list[str]:
    """The first line's cells as the importers see them (lower-cased, stripped), for
    ``looks_like`` checks."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        cells = next(csv.reader([first], delimiter=first_line_delimiter(first)))
    except (csv.Error, StopIteration):
        return []
    return clean_header(cells)


def read_with_header(data: bytes, source: str, format_name: str) -> tuple[pd.DataFrame, Table]:
    """The rows of delimited bytes with a header row (see ``_csvread.read_table``): the frame
    of strings, and the table with the unreadable rows and the reader's notes."""
    table = read_table(data, source, format_name)
    return table.frame, table


def require_columns(
    frame: pd.DataFrame, needed: Iterable[str], source: str, format_name: str
) -> None:
    """Raise ImportFileError naming the columns a format needs and the file lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ImportFileError(
            source,
            f"is read as {format_name} but has no {', '.join(missing)} column; "
            f"check the export, or choose another --format",
            format_name=format_name,
        )


def cells(frame: pd.DataFrame, column: str) -> pd.Series:
    """A source column as stripped strings; an absent column is all empty."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def figure(frame: pd.DataFrame, column: str) -> pd.Series:
    """A number column (a count, a coordinate, a code) with the cells that say "not known"
    (``NA`` as R writes it, ``Unknown``, ``NULL``) empty: never 0, never a rejected row."""
    values = cells(frame, column)
    unknown = values.str.lower().isin(NOT_REPORTED)
    return values.where(~unknown, "") if unknown.any() else values


def coordinate(frame: pd.DataFrame, column: str) -> pd.Series:
    """A latitude or longitude column as ``figure`` reads it, with a decimal comma (``36,5``,
    as spreadsheets in many languages write it) read as a decimal point."""
    values = figure(frame, column)
    comma = values.str.match(r"^[+-]?\d+,\d+$")
    if not comma.any():
        return values
    return values.where(~comma, values.str.replace(",", ".", regex=False))


def recode(values: pd.Series, codes: Mapping[str, str]) -> pd.Series:
    """Replace known codes; unknown non-empty values pass through so the gate reports them."""
    return map_distinct(values, lambda v: codes.get(v, v))


def map_distinct(values: pd.Series, rule: Callable[[str], str]) -> pd.Series:
    """``rule`` applied once per distinct cell (dates and codes repeat: this is what keeps an
    import at 100k rows/s)."""
    codes, distinct = pd.factorize(values.fillna("").astype(str))
    mapped = pd.Series([rule(v) for v in distinct], dtype=object).take(codes)
    return pd.Series(mapped.to_numpy(), index=values.index, dtype=object)


def iso_day(values: pd.Series) -> pd.Series:
    """Keep the date of ``2018-02-07`` or ``2018-02-07 00:00:00.000``; others pass unchanged."""
    return map_distinct(values, lambda v: m.group(1) if (m := _ISO_DATE.match(v)) else v)


def where_both(latitude: pd.Series, longitude: pd.Series, word: str = "source") -> pd.Series:
    """``word`` where a row has both coordinates (the ``geocoder`` column), else empty."""
    both = (latitude != "").to_numpy() & (longitude != "").to_numpy()
    return pd.Series(np.where(both, word, ""), index=latitude.index, dtype=object)


def canonical_frame(rows: pd.Series, columns: Mapping[str, pd.Series]) -> pd.DataFrame:
    """Assemble the frame of strings for the gate: ``_row`` first, then the given columns."""
    frame = pd.DataFrame({ROW: rows.to_numpy()})
    for name, values in columns.items():
        series = values if isinstance(values, pd.Series) else pd.Series(values, index=rows.index)
        text = series.fillna("").astype(str).set_axis(frame.index)
        # Canonical text stays Arrow-backed (no copy through Python objects); extra columns are
        # Python text, as the events loader leaves them.
        frame[name] = text if name in CANONICAL or name == EXTRA else text.astype(object)
    return frame


def content_ids(raw: pd.DataFrame, prefix: str, columns: Iterable[str] | None = None) -> pd.Series:
    """A stable id from each row's content, for sources that give none: the same file gives
    the same ids on every import. Identical rows are told apart by their order (``-2``, ``-3``)."""
    names = [c for c in (columns or raw.columns) if c in raw and c not in (ROW, EXTRA)]
    joined = raw[ROW].astype(str).str.slice(0, 0)
    for name in names:
        joined = joined + raw[name].fillna("").astype(str) + "\x1f"
    digests = pd.Series(
        [hashlib.sha1(v.encode()).hexdigest()[:12] for v in joined], index=raw.index, dtype=object
    )
    repeat = digests.groupby(digests).cumcount() + 1
    suffix = repeat.map(lambda n: "" if n == 1 else f"-{n}")
    return (prefix + "-" + digests + suffix).astype(object)


def distinct_ids(frame: pd.DataFrame, source: str) -> list[Problem]:
    """Give a repeated id a suffix (``CIV1151-2``) where the rows differ, so that two incidents
    a producer numbered alike both load; a warning names each. Identical rows keep the same id:
    the gate rejects the copy."""
    ids = frame[s.EVENT_ID].astype(str)
    repeated = ids.duplicated(keep=False) & (ids != "")
    if not repeated.any():
        return []
    content = [c for c in frame.columns if c not in (ROW, s.EVENT_ID)]
    copies = frame[content].astype(str).duplicated(keep="first")
    nth = ids.groupby(ids).cumcount() + 1
    renamed = repeated & ~copies & (nth > 1)
    frame.loc[renamed, s.EVENT_ID] = ids[renamed] + "-" + nth[renamed].astype(str)
    return [
        ImportProblem(
            source,
            int(row),
            s.EVENT_ID,
            f"{old} → {new}",
            "an id of its own; an earlier, different incident has the same id, so a suffix "
            "was added",
            event_id=old,
        )
        for row, old, new in zip(
            frame.loc[renamed, ROW], ids[renamed], frame.loc[renamed, s.EVENT_ID], strict=True
        )
    ]


def figure_range(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Casualty text as (minimum, maximum): ``3`` → 3–3, ``1 – 2`` → 1–2, and ``Unknown``,
    ``NA`` or empty → both empty (not reported, never 0). Other text passes to the minimum, so
    the gate reports it."""
    codes, distinct = pd.factorize(values.fillna("").astype(str).str.strip())
    pairs = [_figure(v) for v in distinct]
    low = pd.Series([p[0] for p in pairs], dtype=object).take(codes)
    high = pd.Series([p[1] for p in pairs], dtype=object).take(codes)
    low.index = high.index = values.index
    return low, high


def _figure(text: str) -> tuple[str, str]:
    if text.lower() in NOT_REPORTED:
        return "", ""
    numbers = _FIGURES.match(text.replace(",", ""))
    if numbers is None:
        return text, ""
    low, high = numbers.group(1), numbers.group(2) or numbers.group(1)
    return low, high


def as_written(rows: pd.Series, source: pd.Series, rewritten: pd.Series) -> pd.Series:
    """The source's cell by row number wherever the importer's cell differs from it (a Series,
    not a dict: it is read only for the few rows that are reported)."""
    cells = source.to_numpy(dtype=object)
    changed = cells != rewritten.to_numpy(dtype=object)
    return pd.Series(cells[changed], index=rows.to_numpy()[changed], dtype=object)
