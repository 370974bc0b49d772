"""Counts of events and killed over time, for the histograms above the date slider."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from components import schema as s
from components.filters import lowest_killed

__all__ = ["BIN_LABELS", "bin_width", "timeline_counts"]

# pandas period codes: weeks run Monday to Sunday.
BIN_LABELS = {"D": "day", "W": "week", "M": "month", "Y": "year"}
BIN_FORMATS = {"D": "%Y-%m-%d", "W": "%Y-%m-%d", "M": "%Y-%m", "Y": "%Y"}
KILLED = "killed (lowest reported)"


def bin_width(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """A period code that gives a readable number of bars for the span of the data."""
    days = (last - first).days
    if days <= 120:
        return "D"
    if days <= 3 * 365:
        return "W"
    if days <= 40 * 365:
        return "M"
    return "Y"


def timeline_counts(
    events: pd.DataFrame, period: str, first: dt.date | None = None, last: dt.date | None = None
) -> pd.DataFrame:
    """Events and killed (lowest reported figures; unknown left out) per period.

    An event counts in the period of its first day. The index is the period's label; every
    period from ``first`` to ``last`` (default: the events' own span) has a row, zero or not.
    """
    killed = lowest_killed(events)
    frame = pd.DataFrame({"events": 1, KILLED: killed.fillna(0)})
    frame.index = events[s.DATE_START].dt.to_period(period).dt.start_time
    counts = frame.groupby(level=0).sum()
    first = pd.Timestamp(first) if first is not None else counts.index.min()
    last = pd.Timestamp(last) if last is not None else counts.index.max()
    if pd.isna(first) or pd.isna(last):
        return frame.iloc[0:0].astype("int64")
    periods = pd.period_range(first, last, freq=period).start_time
    counts = counts.reindex(counts.index.union(periods), fill_value=0)
    counts.index = counts.index.strftime(BIN_FORMATS[period])
    counts.index.name = BIN_LABELS[period]
    return counts.astype("int64")
