"""The Streamlit page: widgets and calls into the pure modules, nothing else.

Text that comes from reports or files is shown with ``st.text`` (no Markdown, no HTML) or
HTML-escaped inside ``st.html``; it never enters the map except as plain-text labels.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components.map import assets, view_url
from components.map import layer as map_layer
from components.table import pipeline, sources
from components.table import schema as s
from components.table.errors import StrikemapError
from components.table.events import LoadedEvents
from components.ui import analysis, time
from components.ui import data as ui_data
from components.ui.time import URL
from components.view import detail
from components.view.filters import (
    EventFilter,
    actors,
    count_events,
    filter_events,
    largest_figure,
)

MAP_KEY = "map"
SELECTED_KEY = "selected_event_id"
SEEN_CLICK_KEY = "seen_map_click"
HOME_VIEW_KEY = "home_view"
REQUESTED_VIEW_KEY = "requested_view"
# Widgets bound to the page's address, so that a link reopens the same view. The key is the
# name of the query parameter.
KILLED_KEY, INJURED_KEY, UNKNOWN_KEY, EXACT_KEY = "killed", "injured", "unknown", "exact"
TYPES_KEY, ACTORS_KEY, TILES_KEY = "type", "actor", "tiles"
CONFIDENCE_KEY, COLOUR_KEY = "confidence", "colour"
# What the analyst picks, and the value in the confidence column it stands for.
CONFIDENCE_CHOICES: dict[str, str] = {**{g: g for g in s.CONFIDENCE_GRADES}, "not graded": ""}
COLOUR_CHOICES: dict[str, str] = {"event type": s.EVENT_TYPE, "confidence": s.CONFIDENCE}
EVENT_PARAM = "event"
MAP_HEIGHT = 560


@dataclass
class Loaded:
    """The events file and its sources table, as the page shows them."""

    events: LoadedEvents
    sources: sources.LoadedSources
    sources_error: str | None = None


def dashboard(events_path: Path, places_path: Path) -> None:
    """The whole page for one events file and the file of places placed by hand."""
    st.title("Strikemap")
    st.caption("Reported air and drone strikes, shelling and missile attacks, from coded reports.")
    st.session_state[ui_data.PLACES_KEY] = places_path
    both = _load(str(events_path), str(places_path))
    if both is None:
        return
    loaded = both.events
    events = ui_data.current_events(loaded.events)
    _show_load_problems(loaded)
    _show_load_problems(both.sources, "sources file")
    if both.sources_error:
        st.warning("The sources file cannot be used; each event shows its own report only.")
        st.text(both.sources_error)
    missing = assets.missing_assets()
    if missing:
        st.error("The map's files are not installed, so the map cannot be drawn.")
        st.text(f"Missing under static/vendor: {', '.join(missing)}. Run: make setup")

    other_filters = _sidebar_filters(events)
    # The map goes above the timeline, so that it sits fully on screen: a click inside a
    # partly hidden map iframe scrolls the page between mouse down and up and is lost.
    status, map_area = st.container(), st.container()
    other_filtered = filter_events(events, other_filters)
    date_from, date_to = time.time_window(events, other_filtered)
    event_filter = replace(other_filters, date_from=date_from, date_to=date_to)
    # The filters are all "and": the dates narrow what the others kept, no need to start over.
    shown = filter_events(other_filtered, EventFilter(date_from=date_from, date_to=date_to))
    with status:
        st.markdown(f"**{count_events(events, shown).status_line()}**")
        st.text(f"Filters: {event_filter.describe()}")
    colour_by = COLOUR_CHOICES.get(st.session_state.get(COLOUR_KEY), s.EVENT_TYPE)
    with map_area:
        _map_and_detail(
            events,
            shown,
            both.sources.sources,
            colour_by,
            online_tiles=st.session_state.get(TILES_KEY, False),
        )
    analysis.analysis(shown, events_path, from_file=ui_data.uses_the_file())
    unplaced = shown[shown[s.LATITUDE].isna() | shown[s.LONGITUDE].isna()]
    ui_data.place_by_hand(unplaced, places_path, st.session_state.get(MAP_KEY))
    type_colours = map_layer.colours_for(events[s.EVENT_TYPE])
    ui_data.data_tools(loaded.events, shown, event_filter.describe(), type_colours)


# A resource, not data: st.cache_data would unpickle a copy of a million rows on every rerun.
# Nothing changes the loaded frames afterwards; a changed file has a new key.
@st.cache_resource(show_spinner="Loading and geocoding events…", max_entries=4)
def _load_cached(path: str, places: str, modified: tuple[float, ...]) -> Loaded:
    loaded = pipeline.load_placed_events(Path(path), Path(places))
    try:
        more = sources.read_sources(sources.sources_path(path))
    except StrikemapError as error:
        # The events stand on their own: an unusable sources file costs only the extra reports.
        return Loaded(loaded, sources.LoadedSources(sources.empty_sources()), str(error))
    loaded.events = sources.attach_sources(loaded.events, more.sources)
    return Loaded(loaded, more)


def _load(path: str, places: str) -> Loaded | None:
    """Load the file and its sources, or explain in one message why it cannot be used."""
    files = (path, places, str(sources.sources_path(path)))
    try:
        return _load_cached(path, places, tuple(_modified(f) for f in files))
    except StrikemapError as error:
        st.error("The events file cannot be used.")
        st.text(str(error))
        return None


def _modified(path: str) -> float:
    """When the file last changed, so that an edited file is read again."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def _show_load_problems(
    loaded: LoadedEvents | sources.LoadedSources, what: str = "events file"
) -> None:
    if not loaded.problems:
        return
    rows = loaded.rejected_rows
    st.warning(
        f"{len(rows):,} row{'s' if len(rows) != 1 else ''} of the {what} "
        f"{'were' if len(rows) != 1 else 'was'} left out; the other rows loaded."
    )
    with st.expander(f"What was wrong in the {what}, row by row"):
        st.text("\n".join(str(p) for p in loaded.problems[:500]))
        if len(loaded.problems) > 500:
            st.text(f"… and {len(loaded.problems) - 500:,} more problems.")


def _sidebar_filters(events: pd.DataFrame) -> EventFilter:
    """Casualty, type and actor filters; None wherever the analyst set no limit."""
    with st.sidebar:
        st.header("Filters")
        killed = _casualty_slider("Killed", events, s.KILLED_MIN, s.KILLED_MAX, KILLED_KEY)
        injured = _casualty_slider("Injured", events, s.INJURED_MIN, s.INJURED_MAX, INJURED_KEY)
        include_unknown = st.checkbox(
            "Include events whose casualties are not reported",
            value=True,
            help="Unknown is not zero: these events report no killed or injured figure.",
            key=UNKNOWN_KEY,
            bind=URL,
        )
        exact_only = st.checkbox(
            "Leave out approximate places and dates",
            help="Events placed at a region's centre (geo precision 3) or dated only to a month "
            "or a year. On the map they are drawn hollow, dashed and larger.",
            key=EXACT_KEY,
            bind=URL,
        )
        types = sorted(t for t in events[s.EVENT_TYPE].unique() if t)
        chosen_types = st.multiselect(
            "Event type", types, placeholder="All types", key=TYPES_KEY, bind=URL
        )
        chosen_actors = st.multiselect(
            "Actor (striking or struck)",
            actors(events),
            placeholder="All actors",
            key=ACTORS_KEY,
            bind=URL,
        )
        chosen_grades = st.multiselect(
            "Confidence",
            list(CONFIDENCE_CHOICES) + _coders_grades(events),
            placeholder="All grades",
            key=CONFIDENCE_KEY,
            bind=URL,
            help="Ungraded events count as a single source or several, by the reports recorded.",
        )
        st.divider()
        st.radio("Colour the points by", list(COLOUR_CHOICES), key=COLOUR_KEY, bind=URL)
        st.toggle(
            "Online base map (OpenStreetMap tiles)",
            key=TILES_KEY,
            bind=URL,
            help="Off by default: the offline map draws country outlines and needs no network.",
        )
    return EventFilter(
        killed=killed,
        injured=injured,
        include_unknown_casualties=include_unknown,
        exact_only=exact_only,
        event_types=frozenset(chosen_types) if chosen_types else None,
        actors=frozenset(chosen_actors) if chosen_actors else None,
        confidence=frozenset(CONFIDENCE_CHOICES.get(g, g) for g in chosen_grades)
        if chosen_grades
        else None,
    )


def _coders_grades(events: pd.DataFrame) -> list[str]:
    """Grades a coder wrote that are not among the usual ones, so they can be chosen too."""
    grades = events[s.CONFIDENCE].fillna("").astype(str).str.strip().unique()
    return sorted(g for g in grades if g and g not in CONFIDENCE_CHOICES)


def _casualty_slider(
    label: str, events: pd.DataFrame, low: str, high: str, key: str
) -> tuple[int, int | None] | None:
    """A range slider over the reported figures; None while it spans everything."""
    top = largest_figure(events, low, high)
    if top <= 0:
        st.caption(f"{label}: no figures reported in this file.")
        return None
    chosen = st.slider(label, 0, top, (0, top), key=key, bind=URL)
    if chosen == (0, top):
        return None
    return chosen[0], None if chosen[1] == top else chosen[1]


@st.fragment
def _map_and_detail(
    all_events: pd.DataFrame,
    shown: pd.DataFrame,
    more_sources: pd.DataFrame,
    colour_by: str,
    *,
    online_tiles: bool,
) -> None:
    """The map and the panel beside it; a click, a pan or a zoom reruns only this part."""
    map_state = st.session_state.get(MAP_KEY)
    home = _home_view(all_events)
    _take_click(map_state)
    selected = st.session_state.get(SELECTED_KEY)
    view = view_url.view_from_map(map_state) or home
    # Only a real move is written: every write resends the whole address from the server's
    # copy, which can lag behind a window a preset just put into the bound date slider.
    for name, value in view.as_params().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    # The map moves only when the page asks it to: feeding the position it reports back as
    # center= would race a pan in progress and throw the analyst back.
    requested = st.session_state.get(REQUESTED_VIEW_KEY, home)
    colours = map_layer.colours_for(all_events[colour_by], colour_by)
    layer = map_layer.view_layer(
        shown,
        bounds=(map_state or {}).get("bounds"),
        zoom=view.zoom,
        selected=selected,
        colours=colours,
        colour_by=colour_by,
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st_folium(
            # The base map never changes within a session: a changed map would be remounted
            # and lose the analyst's position. Moves go through center= and zoom=.
            map_layer.base_map(home.center, home.zoom, online_tiles=online_tiles),
            feature_group_to_add=layer.layer,
            center=requested.center,
            zoom=requested.zoom,
            key=MAP_KEY,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=[
                "last_active_drawing",
                "last_object_clicked_count",
                "last_clicked",
                "center",
                "zoom",
                "bounds",
            ],
        )
        if layer.mode == "aggregated":
            st.caption(
                f"{layer.events_in_view:,} events in view, grouped into {layer.features:,} "
                "cells sized by their number of events: click a cell or zoom in to see single "
                "events."
            )
        _legend(all_events, colour_by, aggregated=layer.mode == "aggregated")
    with right:
        _detail_panel(all_events, shown, more_sources, selected)


def _home_view(events: pd.DataFrame) -> view_url.MapView:
    """Where the map opens: the view in the page's address, else one that shows every event."""
    if HOME_VIEW_KEY not in st.session_state:
        center, zoom = map_layer.initial_view(events)
        st.session_state[HOME_VIEW_KEY] = view_url.view_from_params(
            st.query_params
        ) or view_url.MapView(center[0], center[1], zoom)
    return st.session_state[HOME_VIEW_KEY]


def _take_click(map_state: dict | None) -> None:
    """Act on a new click on the map: a point selects its event, a grid cell zooms into it.

    The selection lives in the page's address too, so a shared link opens the same panel.
    """
    if SELECTED_KEY not in st.session_state:
        st.session_state[SELECTED_KEY] = st.query_params.get(EVENT_PARAM)
    target, seen = map_layer.new_target(map_state, st.session_state.get(SEEN_CLICK_KEY))
    st.session_state[SEEN_CLICK_KEY] = seen
    if target is None:
        return
    if isinstance(target, str):
        _select(target)
        return
    lat, lng = target.center
    zoom = target.zoom if target.zoom is not None else target.fitting_zoom()
    earlier = st.session_state.get(REQUESTED_VIEW_KEY)
    if earlier is not None and earlier.center == (lat, lng):
        # The map moves only when center= changes: the same cell clicked again after a pan.
        lat += 1e-7
    st.session_state[REQUESTED_VIEW_KEY] = view_url.MapView(lat, lng, zoom)


def _select(event_id: str) -> None:
    st.session_state[SELECTED_KEY] = event_id
    st.query_params[EVENT_PARAM] = event_id


def _legend(events: pd.DataFrame, colour_by: str, *, aggregated: bool) -> None:
    colours = "".join(
        _swatch(name, f"width:.8em;height:.8em;background:{colour}")
        for name, colour in map_layer.legend_items(events, colour_by)
    )
    sizes = "".join(
        _swatch(label, f"width:{2 * r}px;height:{2 * r}px;border:1px solid #555")
        for label, r in map_layer.size_legend()
    )
    approximate = _swatch("", "width:16px;height:16px;border:2px dashed #555;background:#5552")
    what = next(k for k, v in COLOUR_CHOICES.items() if v == colour_by)
    cells = ""
    if aggregated:
        cell = _swatch("", f"width:18px;height:18px;background:{map_layer.AGGREGATE_FILL}")
        cells = (
            f"<div>{cell} a group of events: size by their number; hover for the number and "
            "the killed total</div>"
        )
    st.html(
        f'<div class="strikemap-legend" style="font-size:0.85rem;line-height:1.8">'
        f"<div><b>Colour: {html.escape(what)}</b> {colours}</div>"
        f"<div><b>Size: killed (lowest reported figure)</b> {sizes}</div>"
        f"<div>{approximate} approximate: placed at a region's centre, or dated only to a month "
        f"or a year</div>{cells}</div>"
    )


def _swatch(label: str, shape_style: str) -> str:
    """One legend entry: a round mark styled by us, and a label escaped as HTML."""
    mark = (
        f'<span style="display:inline-block;border-radius:50%;vertical-align:middle;'
        f'margin-right:.3em;{shape_style}"></span>'
    )
    return f'<span style="margin-right:1em;white-space:nowrap">{mark}{html.escape(label)}</span>'


def _detail_panel(
    all_events: pd.DataFrame, shown: pd.DataFrame, more_sources: pd.DataFrame, selected: str | None
) -> None:
    with st.container(border=True, key="detail_panel"):
        matches = all_events[all_events[s.EVENT_ID] == selected] if selected else all_events[:0]
        if matches.empty:
            st.subheader("Event details")
            st.text("Click a point on the map to read the report behind it.")
            return
        event = matches.iloc[0]
        st.subheader("Event details")
        st.text(detail.headline(event))
        if selected not in set(shown[s.EVENT_ID]):
            st.caption("This event is outside the current filters.")
        st.html(_field_list(detail.summary_rows(event)))
        for note in detail.approximation_notes(event):
            ui_data.caption_text(note)
        st.html(_field_list([("Confidence", detail.confidence_words(event))]))
        reports = detail.source_rows(
            sources.sources_of(event[s.EVENT_ID], all_events, more_sources)
        )
        if len(reports) > 1:
            st.markdown(f"**{len(reports)} reports of this strike**")
        with st.container(height=360, border=False):
            for report in reports:
                _report(report, several=len(reports) > 1)
            if not reports:
                st.text("(no report recorded)")
        with st.expander("Event id and coder's notes"):
            st.html(_field_list(detail.record_rows(event)))
        same_spot = detail.events_at_same_spot(all_events, event)
        if not same_spot.empty:
            st.markdown(f"**{len(same_spot)} other event(s) at this exact spot**")
            choice = st.selectbox(
                "Show another event at this spot",
                ["", *same_spot[s.EVENT_ID]],
                format_func=lambda i: "—" if not i else _choice_label(same_spot, i),
                key=f"same_spot_{selected}",
            )
            if choice:
                _select(choice)
                st.rerun(scope="fragment")


def _report(report: detail.SourceRow, *, several: bool) -> None:
    """One report: where it comes from, what it says, and the figures it gives."""
    if several:
        st.html(f"<b>{html.escape(report.heading())}</b>")
    rows = [("Killed", report.killed), ("Injured", report.injured)] if several else []
    rows += [("Published", report.date), ("Language", report.language)]
    if report.notes:
        rows.append(("Notes", report.notes))
    st.html(_field_list(rows))
    if report.link:
        st.link_button("Open the source", report.link)
    st.text(report.text or "(no text recorded)", width="stretch")


def _field_list(rows: list[tuple[str, str]]) -> str:
    """Label: value lines as HTML, every value escaped (values come from reports and files)."""
    lines = "".join(
        f'<div style="margin:.15em 0"><b>{html.escape(label)}</b>: {html.escape(value)}</div>'
        for label, value in rows
    )
    return f'<div class="strikemap-fields" style="line-height:1.45">{lines}</div>'


def _choice_label(events: pd.DataFrame, event_id: str) -> str:
    event = events[events[s.EVENT_ID] == event_id].iloc[0]
    day = event[s.DATE_START].strftime("%Y-%m-%d")
    return f"{day} · {event[s.EVENT_TYPE]} · {event_id}"
