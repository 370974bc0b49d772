"""Counts of events and killed over time, for the histograms above the date slider."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from components.table import schema as s
from components.view.filters import lowest_killed

__all__ = [
    "BIN_LABELS",
    "PLAY_STEPS",
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


# Playback steps by the calendar: a month after 31 January is the end of February.
PLAY_STEPS: dict[str, pd.DateOffset] = {
    "1 day": pd.DateOffset(days=1),
    "1 week": pd.DateOffset(weeks=1),
    "1 month": pd.DateOffset(months=1),
}


def playback_windows(
    window: tuple[dt.date, dt.date],
    last: dt.date,
    step: str,
    *,
    moving: bool = True,
    event_days: np.ndarray | None = None,
) -> list[tuple[dt.date, dt.date]]:
    """The date windows of a playback that starts from ``window`` and ends on ``last``.

    Each window ends one calendar ``step`` (a key of :data:`PLAY_STEPS`) after the one before;
    the last ends on ``last``. A moving window keeps its start that far behind its end; a
    growing one keeps the chosen start. With ``event_days`` (datetime64 days of the events),
    windows holding none of them are skipped, so empty years pass in one step.
    """
    offset = PLAY_STEPS[step]
    start, end = window
    if start > end:
        raise ValueError(f"a playback window starts before it ends, not {start} after {end}")
    days = None if event_days is None else np.sort(event_days.astype("datetime64[D]"))
    windows = [(start, min(end, last))]
    anchor_start, anchor_end, steps = pd.Timestamp(start), pd.Timestamp(end), 1
    while windows[-1][1] < last:
        # Counted from the chosen window, not step by step: 31 Jan + 1 month, + 2 months ...
        next_end = min((anchor_end + offset * steps).date(), last)
        next_start = (anchor_start + offset * steps).date() if moving else start
        steps += 1
        if days is not None and next_end != last and not _holds_any(days, next_start, next_end):
            continue
        windows.append((min(next_start, next_end), next_end))
    return windows


def _holds_any(days: np.ndarray, start: dt.date, end: dt.date) -> bool:
    low = np.searchsorted(days, np.datetime64(start, "D"), side="left")
    high = np.searchsorted(days, np.datetime64(end, "D"), side="right")
    return bool(high > low)


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
