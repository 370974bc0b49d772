"""Dates as exports and spreadsheets write them, read one column at a time.

Handled: ISO (``2018-02-07``, with or without a time), ``20180207``, seconds or milliseconds
since 1970 (``1518000000000``, UTC), month names in any place
(``9-May-20``, ``01-January-2015``, ``07 February 2018``, ``october-7-2023``), and numbers
(``31-12-19``, ``01/02/2024 00:00:00``, ``1/22/2014 12:00:00 AM``).

Numbers alone do not say whether the day or the month comes first. The whole column is read
with one order: the one its values allow (a first number above 12 is a day), or, when every value
fits both, the order the source's producer writes. The choice is stated in a note, and so is the
century given to two-digit years. A cell in no known form, or a day that does not exist,
passes unchanged, so the gate rejects that row and names it.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

__all__ = ["DAY_FIRST", "MONTH_FIRST", "read_dates"]

DAY_FIRST, MONTH_FIRST = "day first", "month first"

_TIME = re.compile(
    r"[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Seconds or milliseconds since 1970 (UTC), as JSON and GeoJSON tools write timestamps.
_EPOCH = re.compile(r"^(\d{9,10}|\d{12,13})(?:\.0+)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_NAMED = re.compile(
    r"^([A-Za-z]+|\d{1,4})[-/ .,]+([A-Za-z]+|\d{1,4})\.?[-/ .,]+([A-Za-z]+|\d{1,4})$"
)
_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%B").lower(),
        dt.date(2000, number, 1).strftime("%b").lower(),
    )
}
_MONTHS["sept"] = 9


def read_dates(values: pd.Series, column: str, prefer: str = DAY_FIRST) -> tuple[pd.Series, str]:
    """ISO days for a column of dates, and a note on the order and century chosen ('' if none).

    ``prefer`` is the order the producer writes when the values do not settle it.
    """
    codes, distinct = pd.factorize(values.fillna("").astype(str).str.strip())
    texts = [_without_time(v) for v in distinct]
    numeric = [m.groups() for v in texts if (m := _NUMERIC.match(v))]
    order, why = _order(numeric, prefer)
    two_digit = any(len(year) == 2 for *_, year in numeric) or any(
        _named_two_digit_year(v) for v in texts
    )
    parsed = [
        _parse(text, order) or original for text, original in zip(texts, distinct, strict=False)
    ]
    iso = pd.Series(parsed, dtype=object).take(codes) if len(codes) else pd.Series([], dtype=object)
    iso.index = values.index
    notes = []
    if why:
        notes.append(f"read as {order} ({why})")
    if two_digit:
        notes.append("two-digit years read as 1969–2068 ('19' → 2019, '97' → 1997)")
    return iso, (f"{column}: " + "; ".join(notes)) if notes else ""


def _without_time(value: str) -> str:
    return _TIME.sub("", value).strip()


def _order(numeric: list[tuple[str, str, str]], prefer: str) -> tuple[str, str]:
    """The order of day and month for the column's numeric dates, and why ('' if none)."""
    if not numeric:
        return prefer, ""
    day_first_misfits = sum(int(a) > 31 or int(b) > 12 for a, b, _ in numeric)
    month_first_misfits = sum(int(a) > 12 or int(b) > 31 for a, b, _ in numeric)
    if day_first_misfits == month_first_misfits == 0:
        return prefer, "no date in the column has a number above 12 to tell; as this source writes"
    if day_first_misfits < month_first_misfits:
        return DAY_FIRST, "a first number above 12 is a day"
    if month_first_misfits < day_first_misfits:
        return MONTH_FIRST, "a second number above 12 is a day"
    return prefer, "its dates disagree; as this source writes"


def _named_two_digit_year(text: str) -> bool:
    match = _NAMED.match(text)
    return (
        bool(match)
        and any(p.lower() in _MONTHS for p in match.groups())
        and (len(match.group(3)) == 2 and match.group(3).isdigit())
    )


def _parse(text: str, order: str) -> str | None:
    """The ISO day of one date without its time, or None."""
    if (match := _ISO.match(text)) or (match := _COMPACT.match(text)):
        year, month, day = match.groups()
    elif match := _EPOCH.match(text):
        seconds = int(match.group(1)) / (1000 if len(match.group(1)) > 10 else 1)
        return dt.datetime.fromtimestamp(seconds, dt.UTC).date().isoformat()
    elif match := _NUMERIC.match(text):
        first, second, year = match.groups()
        day, month = (first, second) if order == DAY_FIRST else (second, first)
    elif match := _NAMED.match(text):
        parts = match.groups()
        names = [i for i, p in enumerate(parts) if p.lower().rstrip(".") in _MONTHS]
        if len(names) != 1:
            return None
        month = str(_MONTHS[parts[names[0]].lower().rstrip(".")])
        numbers = [p for i, p in enumerate(parts) if i != names[0]]
        if not all(n.isdigit() for n in numbers):
            return None
        # The year is the four-digit number, else the last one (9-May-20, May 9 20 is not used).
        if len(numbers[0]) == 4:
            year, day = numbers
        else:
            day, year = numbers
    else:
        return None
    return _iso(year, month, day)


def _iso(year: str, month: str, day: str) -> str | None:
    number = int(year)
    if len(year) == 2:
        number += 2000 if number < 69 else 1900
    try:
        return dt.date(number, int(month), int(day)).isoformat()
    except ValueError:
        return None
