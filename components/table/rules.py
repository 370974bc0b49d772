"""The one validator: a table of rules, checked over a frame of strings, for events and sources.

Each rule reads the stripped text of its columns, writes the typed values it stands for, and
flags the cells that break it. :func:`check` runs a table of rules and returns the typed
columns and one :class:`Problem` per bad cell; a row with any problem is left out by the caller.
Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from components.table import schema as s
from components.table.errors import printable

__all__ = [
    "EVENT_RULES",
    "ROW",
    "SOURCE_RULES",
    "Problem",
    "check",
    "parse_dates",
    "parse_numbers",
]

ROW = "_row"
EXTRA = "_extra"
_EARLIEST, _LATEST = pd.Timestamp(s.EARLIEST_DATE), pd.Timestamp(s.LATEST_DATE)
_WINDOW = f"between {_EARLIEST.year} and {_LATEST.year}; check the year"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one cell (or one row, when column is None). Row 1 is the header: a
    problem there is a note about a column, and no row is left out for it."""

    source: str
    row: int
    column: str | None
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"{printable(self.source)}, row {self.row}"
        if self.column:
            where += f", column {printable(self.column)}"
        if self.row == 1:
            return f"{where}: {self.expected}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{where}: {self.expected} (found {shown!r}); the row was left out"


def rejected_rows(problems: Iterable[Problem]) -> list[int]:
    """The rows left out for these problems (header notes leave none out)."""
    return sorted({p.row for p in problems if p.row > 1})


# --- the rules ---------------------------------------------------------------------------------

Flag = tuple[pd.Series, str | None, str, pd.Series]  # mask, column, expected, values shown


class _Columns(dict):
    """Each column of ``raw`` as stripped text, worked out when first asked for."""

    def __init__(self, raw: pd.DataFrame) -> None:
        super().__init__()
        self.raw = raw

    def __missing__(self, column: str) -> pd.Series:
        if column in self.raw:
            self[column] = self.raw[column].fillna("").astype(str).str.strip()
        else:
            self[column] = pd.Series("", index=self.raw.index, dtype=object)
        return self[column]


@dataclass(frozen=True)
class Identifier:
    """A required id; with ``unique``, a later row repeating an id is left out."""

    column: str
    missing: str
    unique: bool = False

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        ids = text[self.column]
        typed[self.column] = ids
        flags = [(ids == "", self.column, self.missing, ids)]
        if self.unique:
            repeated = (ids != "") & ids.duplicated(keep="first")
            flags.append((repeated, self.column, "this id is already used by an earlier row", ids))
        return flags


@dataclass(frozen=True)
class Date:
    """YYYY-MM-DD, YYYY-MM or YYYY within the window; the precision its form implies goes to
    ``typed[column + ':precision']``."""

    column: str
    expected: str
    required: bool = False
    as_text: bool = False  # checked, but kept as written (a source's date)

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        values = text[self.column]
        dates, precision = parse_dates(values)
        outside = dates.notna() & ((dates < _EARLIEST) | (dates > _LATEST))
        given = values != ""
        unreadable = dates.isna() & (given | self.required)
        typed[self.column + ":dates"] = dates.mask(outside)
        if not self.as_text:
            typed[self.column] = dates.mask(outside)
        typed[self.column + ":precision"] = precision
        return [
            (unreadable, self.column, self.expected, values),
            (outside, self.column, f"a date {_WINDOW}", values),
        ]


@dataclass(frozen=True)
class NotBefore:
    """A later date (``date_end``) that must not come before an earlier one."""

    column: str
    earlier: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        late, early = typed[self.column + ":dates"], typed[self.earlier + ":dates"]
        before = late.notna() & early.notna() & (late < early)
        return [(before, self.column, f"{self.column} must not be before {self.earlier}",
                 text[self.column])]  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """One of a few words (lower case); empty takes the precision of ``default_from``'s form."""

    column: str
    choices: tuple[str, ...]
    default_from: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        words = text[self.column].str.lower()
        words = words.where(words != "", typed[self.default_from + ":precision"])
        typed[self.column] = words
        bad = ~words.isin(self.choices)
        return [(bad, self.column, f"one of {', '.join(self.choices)}", words)]


@dataclass(frozen=True)
class Degrees:
    """A coordinate in decimal degrees, given together with its ``partner`` or not at all."""

    column: str
    limit: int
    partner: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        values = parse_numbers(text[self.column])
        given = _given(text[self.column])
        numbers = values.to_numpy()
        bad = given & (np.isnan(numbers) | (np.abs(numbers) > self.limit))
        typed[self.column] = values.mask(bad)
        lacking = ~given & _given(text[self.partner])
        return [
            (bad, self.column, f"decimal degrees between -{self.limit} and {self.limit}",
             text[self.column]),
            (lacking, self.column,
             f"latitude and longitude both given, or both empty ({self.partner} is given)",
             text[self.column]),
        ]  # fmt: skip


@dataclass(frozen=True)
class Code:
    """One of a few whole-number codes, or empty."""

    column: str
    codes: tuple[int, ...]
    expected: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        numbers = parse_numbers(text[self.column]).to_numpy()
        bad = _given(text[self.column]) & ~np.isin(numbers, self.codes)
        typed[self.column] = _whole_numbers(numbers, bad | np.isnan(numbers), text.raw.index)
        return [(bad, self.column, self.expected, text[self.column])]


@dataclass(frozen=True)
class Figure:
    """A whole number of people from 0 to MAX_FIGURE, or empty when not reported."""

    column: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        numbers = parse_numbers(text[self.column]).to_numpy()
        given = _given(text[self.column])
        missing = np.isnan(numbers)
        with np.errstate(invalid="ignore"):
            bad = given & (missing | (numbers < 0) | (np.mod(numbers, 1) != 0))
        too_large = given & ~bad & (numbers > s.MAX_FIGURE)
        # Masked before the cast: a figure of 1e30 would not fit a 64-bit integer.
        typed[self.column] = _whole_numbers(numbers, bad | too_large | missing, text.raw.index)
        return [
            (bad, self.column, "a whole number of people, or empty when not reported",
             text[self.column]),
            (too_large, self.column, f"at most {s.MAX_FIGURE:,} people; check for a typo",
             text[self.column]),
        ]  # fmt: skip


@dataclass(frozen=True)
class Range:
    """A (minimum, maximum) pair of figures: the maximum not below the minimum."""

    low: str
    high: str

    def apply(self, text: _Columns, typed: dict) -> list[Flag]:
        low, high = typed[self.low], typed[self.high]
        inverted = (low > high).fillna(False).to_numpy(dtype=bool)
        return [(inverted, self.high, f"{self.high} must not be below {self.low}", text[self.high])]


EVENT_RULES: tuple = (
    Identifier(s.EVENT_ID, "every event needs an id", unique=True),
    Date(s.DATE_START, "an ISO date like 2018-02-07 (or 2018-02, or 2018)", required=True),
    Date(s.DATE_END, "an ISO date like 2018-02-08, or empty for one day"),
    NotBefore(s.DATE_END, s.DATE_START),
    Choice(s.DATE_PRECISION, s.DATE_PRECISIONS, default_from=s.DATE_START),
    Degrees(s.LATITUDE, 90, partner=s.LONGITUDE),
    Degrees(s.LONGITUDE, 180, partner=s.LATITUDE),
    Code(s.GEO_PRECISION, (1, 2, 3), "1, 2 or 3 (ACLED geo_precision), or empty"),
    *(Figure(c) for c in s.COUNT_COLUMNS),
    *(Range(low, high) for low, high in s.CASUALTY_RANGES.values()),
    Date(s.SOURCE_DATE, "an ISO date like 2018-02-08, or empty", as_text=True),
)

SOURCE_RULES: tuple = (
    Identifier(s.EVENT_ID, "every source needs the id of its event"),
    Date(
        s.SOURCE_DATE, "an ISO date like 2018-02-08 (or 2018-02, or 2018), or empty", as_text=True
    ),
    *(Figure(c) for c in s.OWN_FIGURES),
    *(Range(low, high) for low, high in s.SOURCE_CASUALTY_RANGES.values()),
)


def check(raw: pd.DataFrame, rules: tuple, source: str) -> tuple[dict, list[Problem]]:
    """Run ``rules`` over ``raw`` (strings, a ``_row`` column, maybe ``_extra``).

    Returns the typed value of each ruled column and the problems, sorted by row and column.
    """
    text = _Columns(raw)
    typed: dict = {}
    flags: list[Flag] = []
    if EXTRA in raw:
        extra = raw[EXTRA].fillna("").astype(str)
        flags.append((extra != "", None, "more cells than the header has columns", extra))
    for rule in rules:
        flags.extend(rule.apply(text, typed))
    rows = raw[ROW].to_numpy()
    problems = []
    for mask, column, expected, values in flags:
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if len(where):  # most masks flag nothing: no rows taken
            shown = values.iloc[where]
            problems += [
                Problem(source, int(row), column, str(value), expected)
                for row, value in zip(rows[where], shown, strict=True)
            ]
    problems.sort(key=lambda p: (p.row, p.column or ""))
    return {k: v for k, v in typed.items() if ":" not in k}, problems


# --- parsing -----------------------------------------------------------------------------------


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse YYYY-MM-DD, YYYY-MM or YYYY; also return the precision each form implies."""
    # Many rows share a date: parse each distinct text once.
    codes, distinct = pd.factorize(values)
    distinct = pd.Series(distinct, dtype="str")
    day = pd.to_datetime(distinct, format="%Y-%m-%d", errors="coerce")
    month = pd.to_datetime(distinct.where(distinct.str.len() == 7), format="%Y-%m", errors="coerce")
    year = pd.to_datetime(distinct.where(distinct.str.len() == 4), format="%Y", errors="coerce")
    dates = day.fillna(month).fillna(year)
    form = np.where(day.notna(), 0, np.where(month.notna(), 1, np.where(year.notna(), 2, 0)))
    # Three words per row, built in Arrow from the codes: not a million Python strings.
    per_row = pa.array(
        form[np.maximum(codes, 0)] if len(form) else codes, pa.int8(), mask=codes < 0
    )
    words = pa.DictionaryArray.from_arrays(per_row, _PRECISION_WORDS).cast(pa.string())
    precision = pd.Series(words, index=values.index, dtype="str")
    return _spread(dates, codes, values.index), precision


_PRECISION_WORDS = pa.array(["day", "month", "year"], pa.string())


def parse_numbers(values: pd.Series) -> pd.Series:
    """Plain decimal numbers as floats; anything else (and empty) missing."""
    try:
        # Arrow's parser reads plain decimal numbers and refuses anything else; then pandas decides.
        text = pa.array(values, type=pa.string(), from_pandas=True)
        given = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
        parsed = pc.cast(given, pa.float64())
        return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        codes, distinct = pd.factorize(values.where(values != ""))
        numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
        return _spread(numbers.astype("float64"), codes, values.index)


def _given(text: pd.Series) -> np.ndarray:
    """Which cells hold something (the text is stripped already)."""
    return (text != "").to_numpy(dtype=bool)


def _whole_numbers(numbers: np.ndarray, missing: np.ndarray, index: pd.Index) -> pd.Series:
    """``numbers`` rounded to Int64, missing where ``missing`` says (those may be anything)."""
    whole = np.round(np.where(missing, 0.0, numbers)).astype("int64")
    return pd.Series(pd.arrays.IntegerArray(whole, missing.copy()), index=index)


def _spread(distinct: pd.Series, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Values per distinct text back to one per row; code -1 (a missing text) becomes missing."""
    if not len(distinct):
        return pd.Series(index=index, dtype=distinct.dtype)
    spread = pd.Series(distinct.to_numpy()[np.maximum(codes, 0)], index=index, dtype=distinct.dtype)
    missing = codes < 0
    return spread.mask(missing) if missing.any() else spread
