"""Counts of events and killed over time, for the histograms above the date slider."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from components.table import schema as s
from components.view.filters import lowest_killed

__all__ = [
    "BIN_LABELS",
    "bin_width",
    "data_span",
    "playback_windows",
    "preset_window",
    "timeline_counts",
]

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
    starts = _period_starts(events[s.DATE_START].to_numpy(dtype="datetime64[ns]"), period)
    known = ~np.isnat(starts)
    killed = lowest_killed(events).to_numpy(dtype="float64", na_value=np.nan)
    periods, codes = np.unique(starts[known], return_inverse=True)
    counts = pd.DataFrame(
        {
            "events": np.bincount(codes, minlength=len(periods)),
            KILLED: np.bincount(
                codes, weights=np.nan_to_num(killed[known]), minlength=len(periods)
            ),
        },
        index=pd.DatetimeIndex(periods),
    )
    first = pd.Timestamp(first) if first is not None else counts.index.min()
    last = pd.Timestamp(last) if last is not None else counts.index.max()
    if pd.isna(first) or pd.isna(last):
        return counts.iloc[0:0].astype("int64")
    every = pd.period_range(first, last, freq=period).start_time
    counts = counts.reindex(counts.index.union(every), fill_value=0)
    counts.index = counts.index.strftime(BIN_FORMATS[period])
    counts.index.name = BIN_LABELS[period]
    return counts.astype("int64")


def data_span(events: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The first day an event starts and the last day one ends; None with no dated events."""
    first = events[s.DATE_START].min()
    last = pd.concat([events[s.DATE_END], events[s.DATE_START]]).max()
    if pd.isna(first) or pd.isna(last):
        return None
    return first.date(), last.date()


def preset_window(events: pd.DataFrame, days: int | None) -> tuple[dt.date, dt.date]:
    """The last ``days`` days of the data (both ends included), or all of it for None.

    The window never starts before the first event; with no dated events it is today.
    """
    span = data_span(events)
    if span is None:
        today = dt.date.today()
        return today, today
    first_day, last_day = span
    if days is None:
        return first_day, last_day
    if days < 1:
        raise ValueError(f"a window is at least 1 day long, not {days}")
    return max(first_day, last_day - dt.timedelta(days=days - 1)), last_day


def playback_windows(
    first: dt.date, last: dt.date, step_days: int, window_days: int | None = None
) -> list[tuple[dt.date, dt.date]]:
    """The date windows of a playback from ``first`` to ``last``, ``step_days`` apart.

    Each window ends ``step_days`` after the one before (the last ends on ``last``). With
    ``window_days`` a window holds that many days, up to and including its end (a moving
    window); without, every window starts on ``first`` (cumulative).
    """
    if step_days < 1:
        raise ValueError(f"a playback step is at least 1 day, not {step_days}")
    if window_days is not None and window_days < 1:
        raise ValueError(f"a playback window is at least 1 day long, not {window_days}")
    if first > last:
        return []
    windows = []
    end = first + dt.timedelta(days=step_days - 1)
    while True:
        end = min(end, last)
        start = first if window_days is None else max(first, end - dt.timedelta(window_days - 1))
        windows.append((start, end))
        if end == last:
            return windows
        end += dt.timedelta(days=step_days)


def _period_starts(days: np.ndarray, period: str) -> np.ndarray:
    """The first day of the period each datetime falls in (NaT stays NaT)."""
    if period == "D":
        return days.astype("datetime64[D]").astype("datetime64[ns]")
    if period == "W":
        # Weeks run Monday to Sunday; 1 January 1970 was a Thursday, 3 days after a Monday.
        day_numbers = days.astype("datetime64[D]").astype("int64")
        monday = (day_numbers + 3) // 7 * 7 - 3
        return np.where(np.isnat(days), days, monday.astype("datetime64[D]")).astype(
            "datetime64[ns]"
        )
    if period == "M":
        return days.astype("datetime64[M]").astype("datetime64[ns]")
    if period == "Y":
        return days.astype("datetime64[Y]").astype("datetime64[ns]")
    raise ValueError(f"unknown period {period!r}; valid options are {', '.join(BIN_LABELS)}")
