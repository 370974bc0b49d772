"""Filters on the event table: pure functions that can also describe themselves in words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from components.table import schema as s

__all__ = [
    "EventFilter",
    "FilterCounts",
    "actors",
    "count_events",
    "event_end",
    "filter_events",
    "filter_mask",
    "filter_positions",
    "is_approximate",
    "largest_figure",
    "lowest_killed",
]


@dataclass(frozen=True)
class EventFilter:
    """What the analyst asked to see. ``None`` means no limit on that field."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    killed: tuple[int, int | None] | None = None
    injured: tuple[int, int | None] | None = None
    include_unknown_casualties: bool = True
    event_types: frozenset[str] | None = None
    actors: frozenset[str] | None = None
    exact_only: bool = False
    # Confidence grades kept; "" stands for events nobody graded.
    confidence: frozenset[str] | None = None

    def describe(self) -> str:
        """The filter in words, e.g. '7 Feb 2018 – 8 Feb 2018 · killed ≥ 10'."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{_day(self.date_from) or '…'} – {_day(self.date_to) or '…'}")
        for word, bounds in (("killed", self.killed), ("injured", self.injured)):
            if bounds is not None:
                parts.append(_describe_bounds(word, bounds))
        if not self.include_unknown_casualties:
            parts.append("casualties reported")
        elif self.killed or self.injured:
            parts.append("events without that figure included")
        if self.event_types is not None:
            parts.append("type: " + (", ".join(sorted(self.event_types)) or "none"))
        if self.actors is not None:
            parts.append("actor: " + (", ".join(sorted(self.actors)) or "none"))
        if self.exact_only:
            parts.append("approximate places and dates left out")
        if self.confidence is not None:
            grades = sorted(g or "not graded" for g in self.confidence)
            parts.append("confidence: " + (", ".join(grades) or "none"))
        return " · ".join(parts) or "all events"


def filter_events(events: pd.DataFrame, event_filter: EventFilter) -> pd.DataFrame:
    """The events that pass every part of the filter."""
    keep = filter_mask(events, event_filter)
    if keep.all():
        # Copy-on-write: a shallow copy costs nothing and still cannot change ``events``.
        return events.copy(deep=False)
    # Rows by position: much faster than a boolean mask on text columns backed by Arrow.
    return events.iloc[np.flatnonzero(keep)]


def filter_positions(events: pd.DataFrame, event_filter: EventFilter) -> np.ndarray:
    """The positions (0, 1, …) of the events that pass, for taking rows only when needed."""
    return np.flatnonzero(filter_mask(events, event_filter))


def filter_mask(events: pd.DataFrame, event_filter: EventFilter) -> np.ndarray:
    """One bool per event, True where it passes every part of the filter; nothing is copied.

    Masks of filters on the same table combine with ``&``: the dates and the other filters
    can be computed apart and joined without taking rows twice.
    """
    keep = pd.Series(True, index=events.index)
    if event_filter.date_from is not None:
        keep &= event_end(events) >= pd.Timestamp(event_filter.date_from)
    if event_filter.date_to is not None:
        keep &= events[s.DATE_START] <= pd.Timestamp(event_filter.date_to)
    if not event_filter.include_unknown_casualties:
        keep &= ~_casualties_unknown(events)
    for (low, high), bounds in (
        ((s.KILLED_MIN, s.KILLED_MAX), event_filter.killed),
        ((s.INJURED_MIN, s.INJURED_MAX), event_filter.injured),
    ):
        if bounds is not None:
            keep &= _range_overlaps(
                events[low], events[high], bounds, event_filter.include_unknown_casualties
            )
    if event_filter.event_types is not None:
        keep &= events[s.EVENT_TYPE].isin(event_filter.event_types)
    if event_filter.actors is not None:
        keep &= events[s.ACTOR1].isin(event_filter.actors) | events[s.ACTOR2].isin(
            event_filter.actors
        )
    if event_filter.exact_only:
        keep &= ~is_approximate(events)
    if event_filter.confidence is not None:
        grades = events[s.CONFIDENCE] if s.CONFIDENCE in events else pd.Series("", events.index)
        keep &= grades.fillna("").astype(str).str.strip().isin(event_filter.confidence)
    return keep.to_numpy(dtype=bool)


def is_approximate(events: pd.DataFrame) -> pd.Series:
    """Events placed at a region's centre, or dated only to a month or a year."""
    region = events[s.GEO_PRECISION].astype("Float64").fillna(0) >= 3
    coarse_date = events[s.DATE_PRECISION].isin(("month", "year"))
    return (region | coarse_date).astype(bool)


def event_end(events: pd.DataFrame) -> pd.Series:
    """The last day each event may have happened on.

    date_end when given; otherwise the end of the week, month or year that date_start stands
    for when the date is that coarse, else date_start itself.
    """
    start = events[s.DATE_START]
    coarse_end = start.copy()
    precision = events[s.DATE_PRECISION]
    for code, period in (("week", "W"), ("month", "M"), ("year", "Y")):
        mask = precision == code
        if mask.any():
            ends = start[mask].dt.to_period(period).dt.end_time.dt.normalize()
            coarse_end[mask] = ends.astype(start.dtype)
    return events[s.DATE_END].fillna(coarse_end)


def actors(events: pd.DataFrame) -> list[str]:
    """Every actor named as striker or struck, sorted."""
    names = pd.concat([events[s.ACTOR1], events[s.ACTOR2]])
    return sorted(n for n in names.unique() if n)


def lowest_killed(events: pd.DataFrame) -> pd.Series:
    """The lowest reported number killed (killed_max when only that is given); NaN if unknown."""
    return events[s.KILLED_MIN].astype("float64").fillna(events[s.KILLED_MAX].astype("float64"))


def largest_figure(events: pd.DataFrame, low: str, high: str) -> int:
    """The largest figure reported in a pair of range columns; 0 when none is reported."""
    top = pd.concat([events[low], events[high]]).max(skipna=True)
    return 0 if pd.isna(top) else int(top)


@dataclass(frozen=True)
class FilterCounts:
    """How many events are on the map, filtered out, or passed the filter but cannot be placed."""

    shown: int
    filtered_out: int
    not_on_map: int

    def status_line(self) -> str:
        return (
            f"{self.shown:,} event{'s' if self.shown != 1 else ''} shown · "
            f"{self.filtered_out:,} filtered out · {self.not_on_map:,} not on the map"
        )


def count_events(all_events: pd.DataFrame, passed: pd.DataFrame) -> FilterCounts:
    placed = passed[s.LATITUDE].notna() & passed[s.LONGITUDE].notna()
    return FilterCounts(
        shown=int(placed.sum()),
        filtered_out=len(all_events) - len(passed),
        not_on_map=int((~placed).sum()),
    )


def _casualties_unknown(events: pd.DataFrame) -> pd.Series:
    """Events that report neither killed nor injured."""
    figures = [s.KILLED_MIN, s.KILLED_MAX, s.INJURED_MIN, s.INJURED_MAX]
    return events[figures].isna().all(axis=1)


def _range_overlaps(
    low: pd.Series, high: pd.Series, bounds: tuple[int, int | None], include_unknown: bool
) -> pd.Series:
    """Whether each reported range [low, high] meets the asked range; a missing end is open.

    An event that does not report this figure passes only when unknowns are included.
    """
    asked_low, asked_high = bounds
    unknown = low.isna() & high.isna()
    reported_high = high.astype("float64").fillna(float("inf"))
    reported_low = low.astype("float64").fillna(0)
    meets = reported_high >= asked_low
    if asked_high is not None:
        meets &= reported_low <= asked_high
    return (unknown & include_unknown) | (~unknown & meets.fillna(False))


def _describe_bounds(word: str, bounds: tuple[int, int | None]) -> str:
    low, high = bounds
    if high is None:
        return f"{word} ≥ {low:,}"
    if low == high:
        return f"{word} = {low:,}"
    return f"{word} {low:,}–{high:,}"


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else ""
