"""What the page asks of a query engine when the table is too large to hold in pandas.

The page's main view (status line, map, time histogram, events table, summary, panel, sidebar
lists) asks an :class:`EventQueries` instead of filtering a frame: DuckDB over a Parquet file
of the loaded events in the embedded mode (:mod:`components.storage.duckdb_engine`),
PostgreSQL in the team-database mode (:mod:`components.storage.pg_queries`). Both run the
same filter, :func:`components.storage.query.where_clause`, with bound parameters.

Every frame an engine returns has the loader's column names and types (``schema``), so the
pure modules that draw or describe events (map features, detail rows, table pages) take them
as they take the loaded table. Every method is bounded: none returns all rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from components.table import schema as s
from components.view.filters import EventFilter, FilterCounts
from components.view.summary import FIGURES, Totals

__all__ = [
    "CELL_COLUMNS",
    "ORDERS",
    "PART_COLUMNS",
    "PERIODS",
    "POINT_COLUMNS",
    "EventQueries",
    "TableLists",
    "ViewSummary",
    "summary_frames_empty",
]

Bounds = Sequence[float]  # south, west, north, east in degrees; west/east may pass ±180

# What the map draws of an event: map_points returns these columns, typed as the loader types
# them (date_start datetime64; figures and geo_precision Int64; latitude/longitude float64;
# the rest str with "" for empty). killed_min etc. are the figures shown (sources attached).
POINT_COLUMNS: tuple[str, ...] = (
    s.EVENT_ID,
    s.DATE_START,
    s.DATE_PRECISION,
    s.EVENT_TYPE,
    s.ACTOR1,
    s.ACTOR2,
    s.LATITUDE,
    s.LONGITUDE,
    s.GEO_PRECISION,
    s.KILLED_MIN,
    s.KILLED_MAX,
    s.INJURED_MIN,
    s.INJURED_MAX,
    s.CONFIDENCE,
    s.LOCATION,
)
# One grid cell of the map: count, killed total (lowest figures), events without a killed
# figure, mean point and extent.
CELL_COLUMNS: tuple[str, ...] = (
    "events",
    "killed",
    "unknown",
    "latitude",
    "longitude",
    "south",
    "west",
    "north",
    "east",
)
# A crowded square inside the grid cells the map counts (where a clicked cell lands): its width
# ("part", world units), its key at that width (column floor(x / part), row floor(y / part)),
# count and extent.
PART_COLUMNS: tuple[str, ...] = ("part", "cx", "cy", "events", "south", "west", "north", "east")
# Periods of the time histogram: the codes of components.view.timeline.
PERIODS: tuple[str, ...] = ("D", "W", "M", "Y")
# Orders of the events table: date_start, lowest killed figure, place, type.
ORDERS: tuple[str, ...] = (s.DATE_START, "killed", s.LOCATION, s.EVENT_TYPE)


@dataclass(frozen=True)
class TableLists:
    """The sidebar's lists, once per loaded table."""

    killed: int  # the largest killed figure (min or max) of any event, 0 when none
    injured: int  # the same for injured
    types: list[str]  # distinct non-empty event types, sorted
    actors: list[str]  # distinct non-empty actor1/actor2 values, sorted
    grades: list[str] = field(default_factory=list)  # distinct non-empty stripped confidences


@dataclass(frozen=True)
class ViewSummary:
    """What the "Summary of this view" tab shows, as components.view.summary computes it."""

    totals: Totals
    by_month: pd.DataFrame  # summary.summary_by_month's frame (every month, index "month")
    by_place: pd.DataFrame  # summary.summary_by_place's frame (top places, index "place")


@runtime_checkable
class EventQueries(Protocol):
    """A table of events the page queries in place. Filters are EventFilter; bounds are
    (south, west, north, east) with Leaflet's world-copy longitudes allowed; None = no limit.
    "Placed" = latitude and longitude both known. Engines are shared between sessions and
    must be safe to call from several threads."""

    def version(self) -> str:
        """Changes whenever the table changes (file digest, database change id)."""
        ...

    def total(self) -> int:
        """Every event of the table, placed or not."""
        ...

    def date_span(self) -> tuple[dt.date, dt.date] | None:
        """The first date_start and the last day an event ends (date_end, else date_start);
        None when no event is dated — as components.view.timeline.data_span."""
        ...

    def lists(self) -> TableLists:
        """The sidebar's lists."""
        ...

    def counts(self, event_filter: EventFilter | None) -> FilterCounts:
        """The status line: placed events that pass, events that fail, passed but unplaced."""
        ...

    def period_counts(self, event_filter: EventFilter | None, period: str) -> pd.DataFrame:
        """Columns ``period`` (datetime64[ns], the period's first day: Monday for "W"),
        ``events`` (int64), ``killed`` (int64, lowest killed figures summed, unknown as 0),
        one row per period that has events, by period; placed or not. ``period`` in PERIODS."""
        ...

    def event_days(self, event_filter: EventFilter | None) -> np.ndarray:
        """The distinct date_start days of the events that pass, sorted, datetime64[ns]."""
        ...

    def count(
        self,
        event_filter: EventFilter | None,
        bounds: Bounds | None = None,
        *,
        up_to: int | None = None,
    ) -> int:
        """Placed events that pass inside ``bounds``; past ``up_to`` the answer is up_to + 1."""
        ...

    def map_points(
        self,
        event_filter: EventFilter | None,
        bounds: Bounds | None,
        limit: int,
        *,
        ids: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Up to ``limit`` placed events that pass inside ``bounds`` (and have one of ``ids``
        when given), in the table's order; columns POINT_COLUMNS."""
        ...

    def cells(
        self, event_filter: EventFilter | None, bounds: Bounds | None, cell: float
    ) -> pd.DataFrame:
        """Placed events that pass inside ``bounds`` grouped in Web Mercator grid squares
        ``cell`` world-widths wide (x = (lng + 180) / 360, y = (1 - ln(tan(lat) + sec(lat))
        / pi) / 2 with lat clamped to ±85.05); columns CELL_COLUMNS, one row per square."""
        ...

    def cell_points(
        self,
        event_filter: EventFilter | None,
        bounds: Bounds | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        limit: int,
    ) -> pd.DataFrame:
        """Up to ``limit`` placed events that pass inside ``bounds`` and lie in the squares
        ``keys`` ((column, row) of the squares ``cells`` groups at ``cell``: floor(x / cell),
        floor(y / cell)), in the table's order; columns POINT_COLUMNS."""
        ...

    def crowded_parts(
        self,
        event_filter: EventFilter | None,
        bounds: Bounds | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        finest: Sequence[float],
        more_than: int,
    ) -> pd.DataFrame:
        """Inside each square ``keys[i]`` of ``cell``, the squares ``cell / 2``, ``cell / 4``,
        ... down to ``finest[i]`` wide holding more than ``more_than`` of the placed events that
        pass inside ``bounds`` (all widths in one pass); columns PART_COLUMNS, widest first,
        then by key."""
        ...

    def events_by_id(self, ids: Sequence[str]) -> pd.DataFrame:
        """The events with these ids, placed or not, every column of the loaded table
        (canonical columns, matched_name, source_count, killed_min_own and the like), typed as
        the loader types them, in the table's order; unknown ids are left out."""
        ...

    def sources_of(self, event_id: str) -> pd.DataFrame:
        """As components.table.sources.sources_of: the sources table's columns plus ``own``."""
        ...

    def page(
        self,
        event_filter: EventFilter | None,
        bounds: Bounds | None,
        order: str,
        descending: bool,
        offset: int,
        limit: int,
    ) -> pd.DataFrame:
        """Events that pass (placed inside ``bounds`` when given, placed or not when None),
        sorted by ``order`` (one of ORDERS; text case-folded; missing values last either way;
        ties in the table's order), rows ``offset`` to ``offset + limit``, columns as
        events_by_id."""
        ...

    def summary(self, event_filter: EventFilter | None, top_places: int = 10) -> ViewSummary:
        """The summary of the events that pass, as components.view.summary gives it."""
        ...

    def extent(self, event_filter: EventFilter | None) -> Bounds | None:
        """(south, west, north, east) of the placed events that pass; None when there are none."""
        ...

    def unplaced(self, event_filter: EventFilter | None, limit: int) -> pd.DataFrame:
        """Up to ``limit`` events that pass without a latitude or longitude, in the table's
        order, columns as events_by_id."""
        ...


def summary_frames_empty() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Empty by-month and by-place frames with summary's columns."""
    columns = ["events", *(c for pair in FIGURES.values() for c in pair)]
    by_month = pd.DataFrame(columns=columns, index=pd.DatetimeIndex([], name="month"))
    by_place = pd.DataFrame(columns=columns, index=pd.Index([], name="place"))
    return by_month.astype("int64"), by_place.astype("int64")
