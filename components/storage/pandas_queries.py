"""EventQueries over a loaded pandas table: the specification the engines are held to.

Every answer comes from the pure modules the pandas page uses (components.view.filters,
timeline, summary; components.map.bounds; components.ui.events_table's order), so a test that
compares an engine with this class compares it with the page as it has always computed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from components.map.bounds import (
    Bounds,
    data_bounds,
    events_in_bounds,
    mercator_x,
    mercator_y,
)
from components.map.cell_source import crowded_parts, key_codes, keys_of
from components.storage.queries import POINT_COLUMNS, TableLists, ViewSummary
from components.table import schema as s
from components.table import sources as src
from components.view import summary, timeline
from components.view.filters import (
    EventFilter,
    FilterCounts,
    actors,
    count_events,
    filter_events,
    largest_figure,
    lowest_killed,
)

__all__ = ["PandasQueries", "sorted_positions"]

_PERIODS = {"D": "D", "W": "W", "M": "M", "Y": "Y"}


class PandasQueries:
    """The EventQueries of a loaded table (sources attached) held in memory."""

    def __init__(self, events: pd.DataFrame, sources: pd.DataFrame | None = None) -> None:
        self.events = events
        self._sources = sources if sources is not None else src.empty_sources()

    def version(self) -> str:
        return f"pandas:{id(self.events)}:{len(self.events)}"

    def total(self) -> int:
        return len(self.events)

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        return timeline.data_span(self.events)

    def lists(self) -> TableLists:
        events = self.events
        grades = events[s.CONFIDENCE].fillna("").astype(str).str.strip().unique()
        return TableLists(
            killed=largest_figure(events, s.KILLED_MIN, s.KILLED_MAX),
            injured=largest_figure(events, s.INJURED_MIN, s.INJURED_MAX),
            types=sorted(t for t in events[s.EVENT_TYPE].unique() if t),
            actors=actors(events),
            grades=sorted(g for g in grades if g),
        )

    def counts(self, event_filter: EventFilter | None) -> FilterCounts:
        return count_events(self.events, self._passed(event_filter))

    def period_counts(self, event_filter: EventFilter | None, period: str) -> pd.DataFrame:
        if period not in _PERIODS:
            raise ValueError(f"unknown period {period!r}")
        passed = self._passed(event_filter)
        passed = passed[passed[s.DATE_START].notna()]
        starts = passed[s.DATE_START].dt.to_period(period).dt.start_time
        frame = pd.DataFrame(
            {"period": starts, "events": 1, "killed": lowest_killed(passed).fillna(0)}
        )
        table = frame.groupby("period", sort=True).sum().reset_index()
        return pd.DataFrame(
            {
                "period": table["period"].astype("datetime64[ns]"),
                "events": table["events"].astype("int64"),
                "killed": table["killed"].astype("int64"),
            }
        )

    def event_days(self, event_filter: EventFilter | None) -> np.ndarray:
        days = self._passed(event_filter)[s.DATE_START].dropna().dt.normalize().unique()
        return np.sort(np.asarray(days, dtype="datetime64[ns]"))

    def count(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None = None,
        *,
        up_to: int | None = None,
    ) -> int:
        counted = len(self._in_view(event_filter, bounds))
        return counted if up_to is None else min(counted, up_to + 1)

    def map_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        limit: int,
        *,
        ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        chosen = self._in_view(event_filter, bounds)
        if ids is not None:
            chosen = chosen[chosen[s.EVENT_ID].isin(list(ids))]
        return chosen[list(POINT_COLUMNS)].head(int(limit)).reset_index(drop=True)

    def cells(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None, cell: float
    ) -> pd.DataFrame:
        placed = self._in_view(event_filter, bounds)
        latitude = placed[s.LATITUDE].to_numpy(dtype="float64")
        longitude = placed[s.LONGITUDE].to_numpy(dtype="float64")
        mx, my = mercator_x(longitude), mercator_y(latitude)
        killed = lowest_killed(placed).to_numpy(dtype="float64", na_value=np.nan)
        frame = pd.DataFrame(
            {
                "cx": np.floor(mx / cell),
                "cy": np.floor(my / cell),
                "latitude": latitude,
                "longitude": longitude,
                "killed": np.nan_to_num(killed),
                "unknown": np.isnan(killed).astype("int64"),
            }
        )
        grouped = frame.groupby(["cx", "cy"], sort=True)
        return pd.DataFrame(
            {
                "events": grouped.size(),
                "killed": grouped["killed"].sum().astype("int64"),
                "unknown": grouped["unknown"].sum(),
                "latitude": grouped["latitude"].mean(),
                "longitude": grouped["longitude"].mean(),
                "south": grouped["latitude"].min(),
                "west": grouped["longitude"].min(),
                "north": grouped["latitude"].max(),
                "east": grouped["longitude"].max(),
            }
        ).reset_index(drop=True)

    def cell_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        limit: int,
    ) -> pd.DataFrame:
        placed = self._in_view(event_filter, bounds)
        chosen = placed[_in_squares(placed, cell, keys)]
        return chosen[list(POINT_COLUMNS)].head(int(limit)).reset_index(drop=True)

    def crowded_parts(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        finest: Sequence[float],
        more_than: int,
    ) -> pd.DataFrame:
        placed = self._in_view(event_filter, bounds)
        latitude = placed[s.LATITUDE].to_numpy(dtype="float64")
        longitude = placed[s.LONGITUDE].to_numpy(dtype="float64")
        asked = np.array(keys, dtype="int64").reshape(-1, 2)
        parts = crowded_parts(latitude, longitude, cell, asked, np.array(finest), more_than)
        return pd.DataFrame(
            {
                "part": parts.part,
                "cx": parts.keys[:, 0],
                "cy": parts.keys[:, 1],
                "events": parts.count.astype("int64"),
                **{n: parts.box[:, i] for i, n in enumerate(("south", "west", "north", "east"))},
            }
        )

    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame:
        return self.events[self.events[s.EVENT_ID].isin(list(ids))].reset_index(drop=True)

    def sources_of(self, event_id: str) -> pd.DataFrame:
        return src.sources_of(event_id, self.events, self._sources)

    def page(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        order: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> pd.DataFrame:
        if bounds is None:
            chosen = self._passed(event_filter)
        else:
            chosen = self._in_view(event_filter, bounds)
        rows = sorted_positions(chosen, order, not descending)[offset : offset + limit]
        return chosen.iloc[rows].reset_index(drop=True)

    def summary(self, event_filter: EventFilter | None, top_places: int = 10) -> ViewSummary:
        passed = self._passed(event_filter)
        return ViewSummary(
            summary.totals(passed),
            summary.summary_by_month(passed),
            summary.summary_by_place(passed, top=top_places),
        )

    def extent(self, event_filter: EventFilter | None) -> tuple[float, float, float, float] | None:
        box = data_bounds(self._passed(event_filter))
        return None if box is None else (box.south, box.west, box.north, box.east)

    def unplaced(self, event_filter: EventFilter | None, limit: int) -> pd.DataFrame:
        passed = self._passed(event_filter)
        lost = passed[passed[s.LATITUDE].isna() | passed[s.LONGITUDE].isna()]
        return lost.head(int(limit)).reset_index(drop=True)

    def _passed(self, event_filter: EventFilter | None) -> pd.DataFrame:
        return filter_events(self.events, event_filter or EventFilter())

    def _in_view(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None
    ) -> pd.DataFrame:
        passed = self._passed(event_filter)
        placed = passed[passed[s.LATITUDE].notna() & passed[s.LONGITUDE].notna()]
        if bounds is None:
            return placed
        return events_in_bounds(placed, Bounds(*(float(v) for v in bounds)))


def _in_squares(placed: pd.DataFrame, cell: float, keys: Sequence[tuple[int, int]]) -> np.ndarray:
    """Whether each placed event lies in one of the grid squares ``keys`` of ``cell``."""
    latitude = placed[s.LATITUDE].to_numpy(dtype="float64")
    longitude = placed[s.LONGITUDE].to_numpy(dtype="float64")
    return np.isin(key_codes(keys_of(latitude, longitude, cell)), key_codes(np.array(keys)))


def sorted_positions(events: pd.DataFrame, order: str, ascending: bool) -> np.ndarray:
    """Row positions of ``events`` sorted by ``order`` (one of ORDERS); missing values last
    whichever the direction, ties in the table's order."""
    keys = _sort_keys(events, order)
    return np.argsort(keys if ascending else _descending(keys), kind="stable")


def _sort_keys(events: pd.DataFrame, column: str) -> np.ndarray:
    """Values to sort by, NaN where missing."""
    if column == "killed":
        return lowest_killed(events).to_numpy(dtype="float64", na_value=np.nan)
    if column == s.DATE_START:
        days = events[column].to_numpy(dtype="datetime64[ns]")
        return np.where(np.isnat(days), np.nan, days.astype("int64").astype("float64"))
    text = events[column].fillna("").astype(str).str.casefold()
    codes, _ = pd.factorize(text, sort=True)
    return np.where(text.to_numpy() == "", np.nan, codes).astype("float64")


def _descending(keys: np.ndarray) -> np.ndarray:
    """Keys that sort largest first with an ascending sort, missing values still last."""
    return np.where(np.isnan(keys), np.inf, -keys)
