"""Below the map: the events table, what the view adds up to, and likely duplicates.

Place names and other report text reach the charts as data (drawn as SVG text), and the
page only through ``st.text`` and ``st.dataframe``, which never read them as HTML.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from components import storage
from components.table import schema as s
from components.table.errors import StrikemapError
from components.ui import events_table, state
from components.view import duplicates, summary

__all__ = ["analysis"]

DUPLICATES_KEY = state.DUPLICATES
MERGED_KEY = state.MERGED
SHOWN_GROUPS = 25
TABS = ("Events", "Summary of this view", "Likely duplicates")
LOW_COLOUR, HIGH_COLOUR = "#f4a582", "#b2182b"


def analysis(shown: pd.DataFrame, events_path: Path, *, from_file: bool, query=None) -> None:
    """The table of events, summary charts and the duplicate finder, in tabs.

    Only the open tab is computed: the summary adds up every event shown, which costs a
    noticeable time at a million events, and is not needed while another tab is open.
    In query mode (``query``: the engine and the filter, components.ui.query_view) the table
    and the summary are asked of the engine, and ``shown`` is a bounded part of the events.
    """
    tabs = st.tabs(list(TABS), key=state.ANALYSIS_TABS, on_change="rerun")
    if not state.map_has_drawn(st.session_state.get(state.MAP)):
        # The table's grid and the charts cost the browser as much as the map does: they
        # follow it (the map's first report reruns the page a moment later).
        next((tab for tab in tabs if tab.open), tabs[0]).caption(
            "The table follows once the map is drawn."
        )
        return
    with tabs[0]:
        if tabs[0].open:
            if query is None:
                events_table.events_table(shown)
            else:
                events_table.query_events_table(query.engine, query.event_filter)
    with tabs[1]:
        if tabs[1].open:
            if query is None:
                _summary(shown)
            else:
                found = query.engine.summary(query.event_filter, 10)
                _summary_of(found.totals, found.by_month, found.by_place)
    with tabs[2]:
        if tabs[2].open:
            _duplicates(shown if query is None else query.rows(), events_path, from_file=from_file)


def _summary(shown: pd.DataFrame) -> None:
    by_month = summary.summary_by_month(shown) if not shown.empty else None
    by_place = summary.summary_by_place(shown, top=10) if not shown.empty else None
    _summary_of(summary.totals(shown), by_month, by_place)


def _summary_of(totals: summary.Totals, by_month, by_place) -> None:
    st.text("\n".join(totals.describe()))
    if totals.events == 0 or by_month is None:
        return
    months, places = st.columns(2)
    with months:
        st.caption("Events per month")
        st.altair_chart(month_chart(by_month, ["events"], ["#4e79a7"]), width="stretch")
        st.caption(
            "Killed per month: the range from the lowest to the highest reported totals "
            "(unknowns left out)"
        )
        st.altair_chart(killed_range_chart(by_month), width="stretch")
    with places:
        st.caption("The places with the most events")
        st.altair_chart(place_chart(by_place, "events", "#4e79a7"), width="stretch")
        st.caption("Killed at those places: lowest reported totals (unknowns left out)")
        st.altair_chart(place_chart(by_place, s.KILLED_MIN, HIGH_COLOUR), width="stretch")


def month_chart(by_month: pd.DataFrame, columns: list[str], colours: list[str]) -> alt.Chart:
    """Bars a month wide on a time axis whose labels carry the year."""
    frame = by_month[columns].reset_index()
    frame["end"] = frame["month"] + pd.DateOffset(months=1)
    return (
        alt.Chart(frame)
        .mark_bar(color=colours[0])
        .encode(
            x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0)),
            x2="end:T",
            y=alt.Y(f"{columns[0]}:Q", title=None),
            y2=alt.datum(0),
            tooltip=[alt.Tooltip("month:T", format="%B %Y"), f"{columns[0]}:Q"],
        )
        .properties(height=180)
    )


def killed_range_chart(by_month: pd.DataFrame) -> alt.Chart:
    """Each month's killed total as a range: from the lowest reported figures to the highest."""
    frame = by_month[[s.KILLED_MIN, s.KILLED_MAX]].reset_index()
    frame = frame.rename(columns={s.KILLED_MIN: "lowest", s.KILLED_MAX: "highest"})
    frame["end"] = frame["month"] + pd.DateOffset(months=1)
    x = alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0))
    tooltip = [alt.Tooltip("month:T", format="%B %Y"), "lowest:Q", "highest:Q"]
    span = (
        alt.Chart(frame)
        .mark_bar(color=LOW_COLOUR)
        .encode(x=x, x2="end:T", y=alt.Y("lowest:Q", title=None), y2="highest:Q", tooltip=tooltip)
    )
    # The lowest total as a dark tick, so a month whose figures agree still shows a mark.
    low = (
        alt.Chart(frame)
        .mark_tick(color=HIGH_COLOUR, thickness=2)
        .encode(x=x, y="lowest:Q", tooltip=tooltip)
    )
    return alt.layer(span, low).properties(height=180)


def place_chart(by_place: pd.DataFrame, column: str, colour: str) -> alt.Chart:
    """Horizontal bars, most first, every place's name written whole."""
    frame = by_place[[column]].reset_index()
    return (
        alt.Chart(frame)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y(
                "place:N",
                sort=list(frame["place"]),
                title=None,
                axis=alt.Axis(labelLimit=0, labelOverlap=False),
            ),
            x=alt.X(f"{column}:Q", title=None),
            tooltip=["place:N", f"{column}:Q"],
        )
        .properties(height=max(120, 22 * len(frame)))
    )


def _duplicates(shown: pd.DataFrame, events_path: Path, *, from_file: bool) -> None:
    st.caption(
        "Events of the same type, at most a day apart and a few kilometres apart, among the "
        "events shown. Merging keeps one event; the others' reports become its sources."
    )
    days_column, km_column, run_column = st.columns([1, 1, 2], vertical_alignment="bottom")
    days = days_column.number_input("Days apart, at most", 0, 30, 1, key=state.DUPLICATE_DAYS)
    km = km_column.number_input(
        "Kilometres apart, at most", 0.1, 100.0, 5.0, key=state.DUPLICATE_KM
    )
    if run_column.button(f"Look among the {len(shown):,} events shown"):
        st.session_state[DUPLICATES_KEY] = duplicates.likely_duplicates(
            shown, days=int(days), km=float(km)
        )
    if MERGED_KEY in st.session_state:
        st.success("The events were merged.")
        st.text(st.session_state.pop(MERGED_KEY))
    pairs = st.session_state.get(DUPLICATES_KEY)
    if pairs is None:
        return
    groups = duplicates.duplicate_groups(pairs)
    if not groups:
        st.text("No likely duplicates among these events.")
        return
    st.text(f"{len(groups):,} group(s) of likely duplicates.")
    if pairs.attrs.get("note"):
        st.text(f"Bounded search: {pairs.attrs['note']}.")
    st.dataframe(pairs, hide_index=True, height=min(400, 40 + 35 * len(pairs)))
    if not from_file:
        st.caption("Merging writes to the events file: go back to it to merge these.")
        return
    for number, ids in enumerate(groups[:SHOWN_GROUPS], start=1):
        _merge_form(number, ids, shown, events_path)
    if len(groups) > SHOWN_GROUPS:
        st.caption(f"… and {len(groups) - SHOWN_GROUPS:,} more groups: narrow the filters.")


def _merge_form(number: int, ids: list[str], events: pd.DataFrame, events_path: Path) -> None:
    # Ids come from files: they stay out of labels, which Streamlit reads as Markdown.
    with st.expander(f"Group {number}: {len(ids)} events"):
        # What the analyst compares before choosing: each member side by side.
        st.dataframe(duplicates.group_members(events, ids), hide_index=True)
        keep = st.selectbox("Keep this event", ids, key=f"keep_{number}")
        others = [i for i in ids if i != keep]
        st.text(f"Merging moves the reports of {', '.join(others)} into {keep}.")
        if st.button("Merge into the kept event", key=f"merge_{number}"):
            try:
                # The files, or the shared database when one is set.
                written = storage.open_store(events_path).merge_duplicates(keep, others)
            except StrikemapError as error:
                st.error("The merge was not made; nothing was changed.")
                st.text(str(error))
                return
            st.session_state.pop(DUPLICATES_KEY, None)
            st.session_state[MERGED_KEY] = f"Merged into {keep}: {written} source(s) added."
            st.rerun()
