"""The view in numbers: events, killed and injured totals, by month and by place.

Totals add up ranges: the lowest total adds each event's lowest figure, the highest total each
event's highest figure. An event that reports no figure is left out of that total and counted,
never taken as zero. Small frames for ``st.bar_chart``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from components.table import schema as s

__all__ = [
    "FigureTotal",
    "Totals",
    "place_names",
    "summary_by_month",
    "summary_by_place",
    "totals",
]

FIGURES: dict[str, tuple[str, str]] = {
    "killed": (s.KILLED_MIN, s.KILLED_MAX),
    "injured": (s.INJURED_MIN, s.INJURED_MAX),
}
NO_PLACE = "(no place reported)"


@dataclass(frozen=True)
class FigureTotal:
    """One figure (killed or injured) added up over the events that report it."""

    word: str
    lowest: int
    highest: int
    reporting: int
    open_ended: int
    unknown: int

    def describe(self) -> str:
        """E.g. 'Killed: 120–180 in 14 events; 3 events report no figure and are left out'."""
        if self.reporting == 0:
            return f"{self.word.capitalize()}: no event reports a figure"
        span = f"{self.lowest:,}"
        if self.highest != self.lowest:
            span += f"–{self.highest:,}"
        text = f"{self.word.capitalize()}: {span} in {_events(self.reporting)}"
        if self.open_ended:
            give = "gives" if self.open_ended == 1 else "give"
            text += f" (or more: {_events(self.open_ended)} {give} only a lowest figure)"
        if self.unknown:
            verb = "reports no figure and is" if self.unknown == 1 else "report no figure and are"
            text += f"; {_events(self.unknown)} {verb} left out"
        return text


@dataclass(frozen=True)
class Totals:
    """The number of events and the killed and injured totals of a view."""

    events: int
    killed: FigureTotal
    injured: FigureTotal

    def describe(self) -> list[str]:
        """One line each: events, killed, injured."""
        return [f"Events: {self.events:,}", self.killed.describe(), self.injured.describe()]


def totals(events: pd.DataFrame) -> Totals:
    """Events counted; killed and injured added up as ranges, unknowns left out and counted."""
    return Totals(
        events=len(events),
        **{word: _figure_total(events, word, low, high) for word, (low, high) in FIGURES.items()},
    )


def summary_by_month(events: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month of date_start (every month in between, even empty ones):
    ``events``, ``killed_min``, ``killed_max``, ``injured_min``, ``injured_max``.

    Indexed by the month's first day; unknown figures add nothing (see ``totals``).
    """
    columns = ["events", *(c for pair in FIGURES.values() for c in pair)]
    dated = events[events[s.DATE_START].notna()]
    if dated.empty:
        return pd.DataFrame(
            columns=columns, index=pd.DatetimeIndex([], name="month"), dtype="int64"
        )
    month = dated[s.DATE_START].dt.to_period("M")
    table = _sums(dated, month)
    every_month = pd.period_range(month.min(), month.max(), freq="M")
    table = table.reindex(every_month, fill_value=0)
    table.index = table.index.to_timestamp()
    table.index.name = "month"
    return table[columns]


def summary_by_place(events: pd.DataFrame, top: int | None = 10) -> pd.DataFrame:
    """The ``top`` places with the most events (all with ``None``): same columns as by month.

    A place is its location, else its admin1, with the country ("Deir ez-Zor, Syria").
    Ties are broken by the lowest killed total, then by name.
    """
    table = _sums(events, place_names(events))
    table = table.rename_axis("place").reset_index()
    table = table.sort_values(
        ["events", "killed_min", "place"], ascending=[False, False, True], kind="stable"
    )
    if top is not None:
        table = table.head(top)
    return table.set_index("place")


def place_names(events: pd.DataFrame) -> pd.Series:
    """Each event's place in words: location (else admin1), then country."""
    location = events[s.LOCATION].fillna("").astype(str).str.strip()
    admin1 = events[s.ADMIN1].fillna("").astype(str).str.strip()
    country = events[s.COUNTRY].fillna("").astype(str).str.strip()
    place = location.where(location != "", admin1)
    named = place + (", " + country).where((country != "") & (place != ""), "")
    named = named.where(place != "", country)
    return named.where(named != "", NO_PLACE)


# --- helpers -----------------------------------------------------------------------------------


def _figure_total(events: pd.DataFrame, word: str, low: str, high: str) -> FigureTotal:
    minimum, maximum = events[low].astype("float64"), events[high].astype("float64")
    lowest = minimum.fillna(maximum)
    highest = maximum.fillna(minimum)
    reporting = lowest.notna()
    return FigureTotal(
        word=word,
        lowest=int(lowest.sum(skipna=True)),
        highest=int(highest.sum(skipna=True)),
        reporting=int(reporting.sum()),
        open_ended=int((minimum.notna() & maximum.isna()).sum()),
        unknown=int((~reporting).sum()),
    )


def _sums(events: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Per key: the number of events and each figure's lowest and highest totals."""
    frame = pd.DataFrame({"key": keys, "events": 1}, index=events.index)
    for low, high in FIGURES.values():
        minimum, maximum = events[low].astype("float64"), events[high].astype("float64")
        frame[low] = minimum.fillna(maximum)
        frame[high] = maximum.fillna(minimum)
    table = frame.groupby("key", sort=True).sum(min_count=0)
    return table.astype("int64").rename_axis(None)


def _events(count: int) -> str:
    return f"{count:,} event{'s' if count != 1 else ''}"
