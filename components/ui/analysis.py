"""Below the map: what the current view adds up to, and likely duplicates to merge.

Place names and other report text reach the charts as data (drawn as SVG text), and the
page only through ``st.text`` and ``st.dataframe``, which never read them as HTML.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from components.table import schema as s
from components.table import sources
from components.table.errors import StrikemapError
from components.view import duplicates, summary

__all__ = ["analysis"]

DUPLICATES_KEY = "likely_duplicates"
MERGED_KEY = "merged_message"
SHOWN_GROUPS = 25


def analysis(shown: pd.DataFrame, events_path: Path, *, from_file: bool) -> None:
    """Summary charts of the events shown, and the duplicate finder, in two tabs."""
    summary_tab, duplicates_tab = st.tabs(["Summary of this view", "Likely duplicates"])
    with summary_tab:
        _summary(shown)
    with duplicates_tab:
        _duplicates(shown, events_path, from_file=from_file)


def _summary(shown: pd.DataFrame) -> None:
    st.text("\n".join(summary.totals(shown).describe()))
    if shown.empty:
        return
    by_month = summary.summary_by_month(shown)
    by_place = summary.summary_by_place(shown, top=10)
    months, places = st.columns(2)
    with months:
        st.caption("Events per month")
        st.bar_chart(by_month["events"], height=180, x_label="", y_label="")
        st.caption("Killed per month: lowest and highest reported totals (unknowns left out)")
        killed = by_month[[s.KILLED_MIN, s.KILLED_MAX]].rename(
            columns={s.KILLED_MIN: "lowest", s.KILLED_MAX: "highest"}
        )
        st.bar_chart(
            killed, height=180, stack=False, color=["#f4a582", "#b2182b"], x_label="", y_label=""
        )
    with places:
        st.caption("The places with the most events")
        st.bar_chart(by_place["events"], height=180, horizontal=True, x_label="", y_label="")
        st.caption("Killed at those places: lowest reported totals (unknowns left out)")
        st.bar_chart(
            by_place[s.KILLED_MIN], height=180, horizontal=True, color="#b2182b", x_label=""
        )


def _duplicates(shown: pd.DataFrame, events_path: Path, *, from_file: bool) -> None:
    st.caption(
        "Events of the same type, at most a day apart and a few kilometres apart, among the "
        "events shown. Merging keeps one event; the others' reports become its sources."
    )
    days_column, km_column, run_column = st.columns([1, 1, 2], vertical_alignment="bottom")
    days = days_column.number_input("Days apart, at most", 0, 30, 1, key="duplicate_days")
    km = km_column.number_input("Kilometres apart, at most", 0.1, 100.0, 5.0, key="duplicate_km")
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
    st.dataframe(pairs, hide_index=True, height=min(400, 40 + 35 * len(pairs)))
    if not from_file:
        st.caption("Merging writes to the events file: go back to it to merge these.")
        return
    for number, ids in enumerate(groups[:SHOWN_GROUPS], start=1):
        _merge_form(number, ids, events_path)
    if len(groups) > SHOWN_GROUPS:
        st.caption(f"… and {len(groups) - SHOWN_GROUPS:,} more groups: narrow the filters.")


def _merge_form(number: int, ids: list[str], events_path: Path) -> None:
    # Ids come from files: they stay out of labels, which Streamlit reads as Markdown.
    with st.expander(f"Group {number}: {len(ids)} events"):
        keep = st.selectbox("Keep this event", ids, key=f"keep_{number}")
        others = [i for i in ids if i != keep]
        st.text(f"Merging moves the reports of {', '.join(others)} into {keep}.")
        if st.button("Merge into the kept event", key=f"merge_{number}"):
            try:
                written = sources.merge_events(
                    events_path, sources.sources_path(events_path), keep, others
                )
            except StrikemapError as error:
                st.error("The merge was not made; nothing was changed.")
                st.text(str(error))
                return
            st.session_state.pop(DUPLICATES_KEY, None)
            st.session_state[MERGED_KEY] = f"Merged into {keep}: {written} source(s) added."
            st.rerun()
