"""The table of events: sorted, paged, and a row opens the event's panel and centres the map.

Only one page of rows goes to the browser, so a million events cost what fifty do. Text from
files reaches the page through ``st.dataframe``, which never reads it as HTML.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from components.map import layer as map_layer
from components.storage.pandas_queries import sorted_positions
from components.table import schema as s
from components.ui import state
from components.ui.map_panel import PLACE_ZOOM, move_map, select
from components.view.filters import lowest_killed

__all__ = ["SORTS", "events_table", "query_events_table", "table_page", "table_rows"]

PAGE_ROWS = 50
# What the analyst sorts by, and whether the largest or latest comes first.
SORTS: dict[str, tuple[str, bool]] = {
    "date, latest first": (s.DATE_START, False),
    "date, earliest first": (s.DATE_START, True),
    "killed, most first": ("killed", False),
    "place": (s.LOCATION, True),
    "type": (s.EVENT_TYPE, True),
}
COLUMNS = {
    s.DATE_START: "date",
    s.EVENT_TYPE: "type",
    s.LOCATION: "place",
    s.ADMIN1: "region",
    s.COUNTRY: "country",
    "killed": "killed",
    s.EVENT_ID: "event id",
}


def table_page(events: pd.DataFrame, sort: str, page: int) -> pd.DataFrame:
    """One page of ``events`` in the order ``sort`` names, with the columns the table shows."""
    column, ascending = SORTS[sort]
    order = sorted_positions(events, column, ascending)
    return table_rows(events.iloc[order[page * PAGE_ROWS : (page + 1) * PAGE_ROWS]])


def table_rows(chosen: pd.DataFrame) -> pd.DataFrame:
    """Events as the table shows them: text columns, killed in words."""
    killed = lowest_killed(chosen)
    return pd.DataFrame(
        {
            "date": chosen[s.DATE_START].dt.strftime("%Y-%m-%d").fillna(""),
            "type": chosen[s.EVENT_TYPE].fillna("").astype(str),
            "place": chosen[s.LOCATION].fillna("").astype(str),
            "region": chosen[s.ADMIN1].fillna("").astype(str),
            "country": chosen[s.COUNTRY].fillna("").astype(str),
            "killed": _killed_text(chosen, killed),
            "event id": chosen[s.EVENT_ID].astype(str),
        }
    ).reset_index(drop=True)


def events_table(shown: pd.DataFrame) -> None:
    """The events the filters keep (or those in the map's view), a page at a time."""
    in_view = st.toggle("Only the events in the map's view", key="table_in_view")
    events = shown
    if in_view:
        bounds = map_layer.bounds_from_map(st.session_state.get(state.MAP))
        if bounds is not None:
            events = map_layer.events_in_bounds(shown, bounds)
    sort, page = _controls(len(events))
    rows = table_page(events, sort, page)
    _show(rows, events, sort, page)


def query_events_table(engine, event_filter) -> None:
    """The same table, its pages asked of a query engine (components.storage.queries)."""
    in_view = st.toggle("Only the events in the map's view", key="table_in_view")
    bounds = map_layer.bounds_from_map(st.session_state.get(state.MAP)) if in_view else None
    box = None if bounds is None else (bounds.south, bounds.west, bounds.north, bounds.east)
    if box is None:
        counts = engine.counts(event_filter)
        count = counts.shown + counts.not_on_map
    else:
        count = engine.count(event_filter, box)
    sort, page = _controls(count)
    column, ascending = SORTS[sort]
    events = engine.page(event_filter, box, column, not ascending, page * PAGE_ROWS, PAGE_ROWS)
    _show(table_rows(events), events, sort, page)


def _controls(count: int) -> tuple[str, int]:
    """The sort and page pickers, and the count; the sort chosen and the page (from 0)."""
    sort_column, page_column, count_column = st.columns([2, 1, 2], vertical_alignment="bottom")
    sort = sort_column.selectbox("Sort by", list(SORTS), key=state.TABLE_SORT)
    pages = max(1, math.ceil(count / PAGE_ROWS))
    page = page_column.number_input("Page", 1, pages, 1, key=state.TABLE_PAGE) - 1
    page = min(page, pages - 1)
    count_column.caption(
        f"{count:,} events · page {page + 1:,} of {pages:,} · {PAGE_ROWS} rows a page"
    )
    return sort, page


def _show(rows: pd.DataFrame, events: pd.DataFrame, sort: str, page: int) -> None:
    picked = st.dataframe(
        rows,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"{state.TABLE_SELECTION}_{sort}_{page}",
        height=min(420, 38 + 35 * max(len(rows), 1)),
    )
    chosen = picked.selection.rows if picked is not None else []
    if chosen:
        _open(events, rows.iloc[chosen[0]]["event id"])


def _open(events: pd.DataFrame, event_id: str) -> None:
    """A row was picked: open its panel and centre the map on it (once per pick)."""
    if st.session_state.get("_table_opened") == event_id:
        return
    st.session_state["_table_opened"] = event_id
    select(event_id)
    event = events[events[s.EVENT_ID] == event_id].iloc[0]
    if pd.notna(event[s.LATITUDE]) and pd.notna(event[s.LONGITUDE]):
        move_map(float(event[s.LATITUDE]), float(event[s.LONGITUDE]), PLACE_ZOOM)
    st.rerun(scope="fragment")


def _killed_text(events: pd.DataFrame, lowest: pd.Series) -> list[str]:
    high = events[s.KILLED_MAX]
    texts = []
    for low, top in zip(lowest.tolist(), high.tolist(), strict=True):
        if pd.isna(low) and pd.isna(top):
            texts.append("not reported")
        elif pd.isna(low) or pd.isna(top) or low == top:
            low = top if pd.isna(low) else low
            texts.append(f"{int(low):,}")
        else:
            texts.append(f"{int(low):,}–{int(top):,}")
    return texts
