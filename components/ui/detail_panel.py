"""The panel beside the map: one event's reports, precision, confidence and how to cite it.

Text from reports and files is shown with ``st.text``, ``st.code`` or escaped HTML: never
read as Markdown or HTML.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from components import storage
from components.map import view_url
from components.table import schema as s
from components.table import sources
from components.ui import state
from components.ui.data import caption_text
from components.ui.map_panel import select
from components.view import detail

__all__ = ["detail_panel", "event_link", "history_rows", "view_link"]

# An event's own link opens the map this close around it.
EVENT_LINK_ZOOM = 12
# Reports shown at once in the panel; "more" adds as many again.
REPORTS_PAGE = 20
# Changes of an event's history shown at once (database mode), newest first.
HISTORY_PAGE = 10


def _show_more(page_key: str, shown: int) -> None:
    st.session_state[page_key] = shown + REPORTS_PAGE


def detail_panel(
    all_events: pd.DataFrame, shown: pd.DataFrame, more_sources: pd.DataFrame, selected: str | None
) -> None:
    with st.container(border=True, key="detail_panel"):
        st.subheader("Event details")
        matches = all_events[all_events[s.EVENT_ID] == selected] if selected else all_events[:0]
        if matches.empty:
            if selected:
                # A link may name an event of an upload that was never saved to the file.
                st.warning("The link names an event that is not among the events loaded here.")
                st.text(f"Event id: {selected}")
            else:
                st.text("Click a point on the map, or a row of the events table below.")
            return
        event = matches.iloc[0]
        st.text(detail.headline(event))
        if selected not in set(shown[s.EVENT_ID]):
            st.caption("This event is outside the current filters.")
        st.html(field_list(detail.summary_rows(event)))
        for note in detail.approximation_notes(event):
            caption_text(note)
        st.html(field_list([("Confidence", detail.confidence_words(event))]))
        listed = sources.sources_of(event[s.EVENT_ID], all_events, more_sources)
        # Paged: a fill-down slip can give one event thousands of reports.
        page_key = f"reports_shown_{event[s.EVENT_ID]}"
        reports = detail.source_rows(listed.iloc[: st.session_state.get(page_key, REPORTS_PAGE)])
        if len(listed) > 1:
            st.markdown(f"**{len(listed):,} reports of this strike**")
        with st.container(height=360, border=False):
            for report in reports:
                _report(report, several=len(listed) > 1)
            if not reports:
                st.text("(no report recorded)")
            if len(listed) > len(reports):
                st.button(
                    f"Show {min(REPORTS_PAGE, len(listed) - len(reports))} more reports "
                    f"({len(listed) - len(reports):,} not shown)",
                    key=f"more_{page_key}",
                    on_click=_show_more,
                    args=(page_key, len(reports)),
                )
        _cite(event, reports)
        with st.expander("Event id and coder's notes"):
            st.html(field_list(detail.record_rows(event)))
        _history(str(event[s.EVENT_ID]))
        _same_spot(all_events, event, selected)


def _history(event_id: str) -> None:
    """Who changed this event, when and how, newest first, paged. Only the team database
    keeps a history; in the file mode the panel says nothing of it."""
    if storage.database_url() is None:
        return
    changes = list(reversed(storage.open_store().history(event_id)))
    if not changes:
        return
    page_key = f"history_shown_{event_id}"
    shown = changes[: st.session_state.get(page_key, HISTORY_PAGE)]
    with st.expander(f"History of this event ({len(changes):,} changes)"):
        for change in shown:
            st.html(field_list(history_rows(change)))
        if len(changes) > len(shown):
            st.button(
                f"Show {min(HISTORY_PAGE, len(changes) - len(shown))} older changes "
                f"({len(changes) - len(shown):,} not shown)",
                key=f"more_{page_key}",
                on_click=_show_more_history,
                args=(page_key, len(shown)),
            )


def history_rows(change: storage.Change) -> list[tuple[str, str]]:
    """One change as label: value lines (the values are escaped where they are shown)."""
    when = change.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [("When", when), ("Who", change.who), ("What", change.action)]
    return rows + ([("Details", change.detail)] if change.detail else [])


def _show_more_history(page_key: str, shown: int) -> None:
    st.session_state[page_key] = shown + HISTORY_PAGE


def view_link() -> str:
    """The address of the page as it is now: filters, dates, map and panel."""
    pairs = [(name, value) for name in state.URL_PARAMS for value in _all(name)]
    return f"{_base_url()}?{urlencode(pairs)}"


def event_link(event: pd.Series) -> str:
    """An address that opens this event's panel, the map close around it, its dates shown."""
    pairs: list[tuple[str, str]] = [(state.EVENT, str(event[s.EVENT_ID]))]
    if pd.notna(event[s.LATITUDE]) and pd.notna(event[s.LONGITUDE]):
        latitude, longitude = float(event[s.LATITUDE]), float(event[s.LONGITUDE])
        view = view_url.MapView(latitude, longitude, EVENT_LINK_ZOOM)
        pairs += list(view.as_params().items())
    start = event[s.DATE_START]
    end = event[s.DATE_END] if pd.notna(event[s.DATE_END]) else start
    if pd.notna(start):
        pairs += [(state.DATES, start.date().isoformat()), (state.DATES, end.date().isoformat())]
    return f"{_base_url()}?{urlencode(pairs)}"


def citation(event: pd.Series, reports: list[detail.SourceRow], link: str) -> str:
    """A plain-text citation: id, date, place, the first source, and the link to this view."""
    parts = [f"Strikemap event {event[s.EVENT_ID]}", detail.headline(event)]
    if reports:
        first = reports[0]
        source = first.heading()
        if first.link:
            source += f" <{first.link}>"
        parts.append(f"source: {source}")
    parts.append(f"view: {link}")
    return "; ".join(p for p in parts if p)


def field_list(rows: list[tuple[str, str]]) -> str:
    """Label: value lines as HTML, every value escaped (values come from reports and files)."""
    lines = "".join(
        f'<div style="margin:.15em 0"><b>{html.escape(label)}</b>: {html.escape(value)}</div>'
        for label, value in rows
    )
    return f'<div class="strikemap-fields" style="line-height:1.45">{lines}</div>'


def _cite(event: pd.Series, reports: list[detail.SourceRow]) -> None:
    """Copy buttons: st.code shows the text literally with a copy icon."""
    with st.expander("Cite this event", icon=":material/content_copy:"):
        st.caption("Copy citation (id, date, place, source, link to this view)")
        st.code(citation(event, reports, view_link()), language=None, wrap_lines=True)
        st.caption("Copy link to this event")
        st.code(event_link(event), language=None, wrap_lines=True)


def _same_spot(all_events: pd.DataFrame, event: pd.Series, selected: str) -> None:
    same_spot = detail.events_at_same_spot(all_events, event)
    if same_spot.empty:
        return
    count = len(same_spot)
    st.markdown(f"**{count} other event{'s' if count != 1 else ''} at this exact spot**")
    choice = st.selectbox(
        "Show another event at this spot",
        ["", *same_spot[s.EVENT_ID]],
        format_func=lambda i: "—" if not i else _choice_label(same_spot, i),
        key=f"same_spot_{selected}",
    )
    if choice:
        select(choice)
        st.rerun(scope="fragment")


def _report(report: detail.SourceRow, *, several: bool) -> None:
    """One report: where it comes from, what it says, and the figures it gives."""
    if several:
        st.html(f"<b>{html.escape(report.heading())}</b>")
    rows = [("Killed", report.killed), ("Injured", report.injured)] if several else []
    rows += [("Published", report.date), ("Language", report.language)]
    if report.notes:
        rows.append(("Notes", report.notes))
    st.html(field_list(rows))
    if report.link:
        st.link_button("Open the source", report.link)
    st.text(report.text or "(no text recorded)", width="stretch")


def _choice_label(events: pd.DataFrame, event_id: str) -> str:
    event = events[events[s.EVENT_ID] == event_id].iloc[0]
    day = event[s.DATE_START].strftime("%Y-%m-%d")
    return f"{day} · {event[s.EVENT_TYPE]} · {event_id}"


def _all(name: str) -> list[str]:
    return state.query_list(st.query_params, name)


def _base_url() -> str:
    url = st.context.url or ""
    return url.split("?", 1)[0]
