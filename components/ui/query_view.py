"""The page's main view in query mode: a table too large for pandas, asked of an engine.

The same status line, map, time window, panel, table and summary as the pandas page
(components.ui.dashboard), each asked of a :class:`components.storage.queries.EventQueries`
(DuckDB over Parquet, or PostgreSQL): nothing here holds more than a bounded number of rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from components.map import layer as map_layer
from components.storage.queries import EventQueries
from components.table import schema as s
from components.ui import analysis, detail_panel, map_panel, state, time
from components.ui import data as ui_data
from components.view.filters import EventFilter

__all__ = ["QueryTab", "main_view"]

# Rows the duplicate finder looks among, events at one spot listed in the panel, unplaced
# events offered for placing by hand, and rows a download may hold.
DUPLICATE_ROWS = 20_000
SPOT_ROWS = 200
UNPLACED_ROWS = 2_000
DOWNLOAD_ROWS = 100_000
DOWNLOADS = "query_downloads"


@dataclass(frozen=True)
class QueryTab:
    """What the tabs below the map ask in query mode: the engine and the filter."""

    engine: EventQueries
    event_filter: EventFilter

    def rows(self, limit: int = DUPLICATE_ROWS) -> pd.DataFrame:
        """The first events that pass, by date: the duplicate finder's bounded share."""
        return self.engine.page(self.event_filter, None, s.DATE_START, False, 0, limit)


def main_view(
    engine: EventQueries,
    other_filters: EventFilter,
    more_sources: pd.DataFrame,
    events_path: Path,
    places_path: Path,
    values: dict[str, list[str]],
    options: Callable[[], tuple[str, bool]],
) -> None:
    """Status, map and panel, the time window, then the table, the summary and the tools.

    ``values``: the colour columns' values; ``options()``: the colour column and whether the
    online tiles may load (the sidebar's choices, read on every run of the fragment).
    """
    time.advance_playback()
    # The time window's histograms go above its slider, drawn after the map (time.histograms).
    status, map_area, charts = st.container(), st.container(), st.container()
    time_source = time.query_source(engine, other_filters)
    date_from, date_to = time.time_window(time_source)
    event_filter = replace(other_filters, date_from=date_from, date_to=date_to)
    counts = engine.counts(event_filter)
    with status:
        st.markdown(f"**{counts.status_line()}**")
        st.text(f"Filters: {event_filter.describe()}")
        ui_data.upload_status()
    colour_by, online_tiles = options()
    with map_area:
        left, right = st.columns([3, 2], gap="medium")
        with left:
            source = map_panel.QueryMap(engine, event_filter, values)
            selected = map_panel.the_map(source, colour_by, online_tiles=online_tiles)
        with right:
            everything, shown = panel_rows(engine, event_filter, selected)
            detail_panel.detail_panel(everything, shown, more_sources, selected)
    with charts:
        time.histograms(time_source, (date_from, date_to))
    query = QueryTab(engine, event_filter)
    # In query mode the tabs ask the engine; no frame of the events shown is made.
    analysis.analysis(pd.DataFrame(), events_path, from_file=ui_data.uses_the_file(), query=query)
    ui_data.place_by_hand(
        counts.not_on_map,
        lambda: engine.unplaced(event_filter, UNPLACED_ROWS),
        places_path,
        st.session_state.get(state.MAP),
    )
    colours = map_layer.colours_for(pd.Series(values.get(s.EVENT_TYPE, []), dtype=str))
    _downloads(engine, event_filter, counts.shown + counts.not_on_map, colours)


def panel_rows(
    engine: EventQueries, event_filter: EventFilter, selected: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows the panel reads: the selected event and those at its exact spot, and of
    those the selected one when the filters keep it."""
    if not selected:
        empty = engine.events_by_id([])
        return empty, empty
    row = engine.events_by_id([selected])
    if row.empty:
        return row, row
    event = row.iloc[0]
    if pd.isna(event[s.LATITUDE]) or pd.isna(event[s.LONGITUDE]):
        # Not on the map: the panel shows it as the table opened it.
        return row, row
    lat, lng = float(event[s.LATITUDE]), float(event[s.LONGITUDE])
    spot = engine.page(None, (lat, lng, lat, lng), s.DATE_START, False, 0, SPOT_ROWS)
    everything = pd.concat([row, spot[spot[s.EVENT_ID] != selected]], ignore_index=True)
    kept = not engine.map_points(event_filter, None, 1, ids=[selected]).empty
    return everything, row if kept else row.iloc[0:0]


def _downloads(
    engine: EventQueries, event_filter: EventFilter, passed: int, colours: dict[str, str]
) -> None:
    """Downloads on request: writing them costs a query of every row they hold."""
    if passed > DOWNLOAD_ROWS:
        st.caption(
            f"Downloads hold at most {DOWNLOAD_ROWS:,} events; the filters keep {passed:,}: "
            "narrow them (dates, types, actors) to download."
        )
        return
    if not st.toggle(f"Prepare downloads of the {passed:,} events the filters keep", key=DOWNLOADS):
        return
    rows = engine.page(event_filter, None, s.DATE_START, False, 0, DOWNLOAD_ROWS)
    ui_data.downloads(rows, event_filter.describe(), colours)
