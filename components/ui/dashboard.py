"""The Streamlit page: widgets and calls into the pure modules, nothing else.

The sidebar's filters rerun the whole page; the map, the time window, the panel, the table
and the summary form one fragment, so a date step, a click or a playback frame reruns only
them. Text that comes from reports or files is shown with ``st.text`` (no Markdown, no HTML)
or HTML-escaped inside ``st.html``; it never enters the map except as plain-text labels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

from components import storage
from components.geo import overrides
from components.map import assets
from components.map import layer as map_layer
from components.map.settings import MAP_HEIGHT
from components.storage.pandas_queries import PandasQueries
from components.storage.queries import EventQueries, TableLists
from components.table import pipeline, sources
from components.table import schema as s
from components.table.errors import StrikemapError
from components.table.events import LoadedEvents
from components.ui import analysis, detail_panel, map_panel, query_view, state, time
from components.ui import data as ui_data
from components.ui.state import URL
from components.view.filters import EventFilter, count_events, filter_events

# What the analyst picks, and the value in the confidence column it stands for.
CONFIDENCE_CHOICES: dict[str, str] = {**{g: g for g in s.CONFIDENCE_GRADES}, "not graded": ""}
COLOUR_CHOICES = map_panel.COLOUR_CHOICES
_SKELETON = (
    f'<div style="height:{MAP_HEIGHT}px;border-radius:.5rem;background:#c9dbe6;'
    'display:flex;align-items:center;justify-content:center;color:#3b4a57">'
    "Loading the events and the map…</div>"
)


@dataclass
class Loaded:
    """The events file and its sources table, as the page shows them."""

    events: LoadedEvents
    sources: sources.LoadedSources
    sources_error: str | None = None


@dataclass
class QueryLoaded:
    """A table the page asks a query engine about (too large for pandas, or the database)."""

    engine: EventQueries
    problems: pipeline.ColumnarLoad | None
    sources: sources.LoadedSources
    sources_error: str | None = None


def dashboard(events_path: Path, places_path: Path) -> None:
    """The whole page for one events file and the file of places placed by hand."""
    st.title("Strikemap")
    st.caption("Reported air and drone strikes, shelling and missile attacks, from coded reports.")
    # The map's place on the page, shown at once, so nothing jumps when the map arrives.
    skeleton = st.empty()
    skeleton.html(_SKELETON)
    st.session_state[state.PLACES] = places_path
    both = _load(str(events_path), str(places_path))
    if both is None:
        skeleton.empty()
        return
    if isinstance(both, QueryLoaded):
        _query_page(both, skeleton, events_path, places_path)
        return
    loaded = both.events
    events = ui_data.current_events(loaded.events)
    _show_notes(loaded, both, places_path)
    other_filters = _sidebar_filters(_table_lists(events))
    other_filtered = filter_events(events, other_filters)
    ui_data.data_tools(loaded.events, events_path)
    skeleton.empty()
    # While playing, the fragment reruns on a timer: each run is one step of the window.
    interval = time.PLAY_INTERVAL_SECONDS if time.playing() else None
    st.fragment(_main_view, run_every=interval)(
        events, other_filtered, other_filters, both.sources.sources, events_path, places_path
    )


def _show_notes(loaded, both: Loaded | QueryLoaded, places_path: Path) -> None:
    """What was wrong in the files, and whether the map's own files are installed."""
    if loaded is not None:
        _show_load_problems(loaded)
    _show_load_problems(both.sources, "sources file")
    _show_load_problems(overrides.check_places(places_path), "places file")
    if both.sources_error:
        st.warning("The sources file cannot be used; each event shows its own report only.")
        st.text(both.sources_error)
    missing = assets.missing_assets()
    if missing:
        st.error("The map's files are not installed, so the map cannot be drawn.")
        st.text(f"Missing under static/vendor: {', '.join(missing)}. Run: make setup")
    elif not assets.basemap_installed():
        st.warning("The offline base map is not built: no land, regions or place names.")
        st.text("Run: make setup")


def _query_page(both: QueryLoaded, skeleton, events_path: Path, places_path: Path) -> None:
    """The page over a query engine: the same sidebar and main view, no frame of every row."""
    engine = both.engine
    _show_notes(both.problems, both, places_path)
    lists = engine.lists()
    other_filters = _sidebar_filters(lists)
    with st.sidebar:
        st.caption(
            f"{engine.total():,} events: the page asks a query engine instead of holding them "
            "all; adding events from a file works on smaller tables."
        )
    skeleton.empty()
    values = {s.EVENT_TYPE: lists.types, s.CONFIDENCE: _confidence_values(lists)}
    interval = time.PLAY_INTERVAL_SECONDS if time.playing() else None
    st.fragment(query_view.main_view, run_every=interval)(
        engine, other_filters, both.sources.sources, events_path, places_path, values, _options
    )


def _options() -> tuple[str, bool]:
    """The colour column and whether online tiles may load, as the sidebar set them."""
    return COLOUR_CHOICES.get(st.session_state.get(state.COLOUR), s.EVENT_TYPE), _online_tiles()


def _confidence_values(lists: TableLists) -> list[str]:
    """Every grade an event may carry: the usual ones, "" for none, and the coders' own."""
    return sorted({*s.CONFIDENCE_GRADES, "", *lists.grades})


def _main_view(
    events: pd.DataFrame,
    other_filtered: pd.DataFrame,
    other_filters: EventFilter,
    more_sources: pd.DataFrame,
    events_path: Path,
    places_path: Path,
) -> None:
    """Status, map and panel, the time window, then the table, the summary and the tools."""
    time.advance_playback()
    # The map goes above the timeline, so that it sits fully on screen: a click inside a
    # partly hidden map iframe scrolls the page between mouse down and up and is lost.
    status, map_area, charts = st.container(), st.container(), st.container()
    source = time.frame_source(events, other_filtered)
    date_from, date_to = time.time_window(source)
    event_filter = replace(other_filters, date_from=date_from, date_to=date_to)
    # The filters are all "and": the dates narrow what the others kept, no need to start over.
    shown = filter_events(other_filtered, EventFilter(date_from=date_from, date_to=date_to))
    with status:
        st.markdown(f"**{count_events(events, shown).status_line()}**")
        st.text(f"Filters: {event_filter.describe()}")
        ui_data.upload_status()
    colour_by = COLOUR_CHOICES.get(st.session_state.get(state.COLOUR), s.EVENT_TYPE)
    with map_area:
        left, right = st.columns([3, 2], gap="medium")
        with left:
            points = map_panel.FrameMap(events, shown)
            selected = map_panel.the_map(points, colour_by, online_tiles=_online_tiles())
        with right:
            detail_panel.detail_panel(events, shown, more_sources, selected)
    with charts:
        time.histograms(source, (date_from, date_to))
    analysis.analysis(shown, events_path, from_file=ui_data.uses_the_file())
    not_placed = shown[s.LATITUDE].isna() | shown[s.LONGITUDE].isna()
    ui_data.place_by_hand(
        int(not_placed.sum()),
        lambda: shown[not_placed],
        places_path,
        st.session_state.get(state.MAP),
    )
    type_colours = map_layer.colours_for(events[s.EVENT_TYPE])
    ui_data.downloads(shown, event_filter.describe(), type_colours)


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


def read_ahead(events_path: Path, places_path: Path) -> None:
    """Load the events into the cache the first page asks; run beside the server, before it."""
    _load(str(events_path), str(places_path))


def _load(path: str, places: str) -> Loaded | QueryLoaded | None:
    """Load the file and its sources, or explain in one message why it cannot be used."""
    files = (path, places, str(sources.sources_path(path)))
    try:
        if storage.database_url():  # the shared database, asked in place (any size)
            return _database_queries(storage.open_store().version())
        modified = tuple(_modified(f) for f in files)
        if _wants_query_mode(path, modified[0]):
            return _load_query(path, places, modified)
        return _load_cached(path, places, modified)
    except StrikemapError as error:
        st.error("The events file cannot be used.")
        st.text(str(error))
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def _wants_query_mode(path: str, modified: float) -> bool:
    """Whether the file is large enough for query mode (counted once per version of it)."""
    return pipeline.wants_query_mode(Path(path))


@st.cache_resource(show_spinner="Preparing the events for queries…", max_entries=2)
def _load_query(path: str, places: str, modified: tuple[float, ...]) -> QueryLoaded:
    """The file built batch by batch into Parquet (cached), and the engine over it."""
    from components.storage.duckdb_engine import ColumnarEvents

    error = None
    try:
        more = sources.read_sources(sources.sources_path(path))
    except StrikemapError as problem:
        more, error = sources.LoadedSources(sources.empty_sources()), str(problem)
    built = pipeline.load_columnar(Path(path), Path(places), more.sources)
    engine = ColumnarEvents(built.parquet, sources=more.sources)
    return QueryLoaded(engine, built, more, error)


@st.cache_resource(show_spinner="Connecting to the database…", max_entries=2)
def _database_queries(version: str) -> QueryLoaded:
    """The shared database, asked in place (its version: a save anywhere makes a new one)."""
    from components.storage.pg_queries import PostgresQueries

    store = storage.open_store()
    return QueryLoaded(PostgresQueries(store), None, store.sources())


def _modified(path: str) -> float:
    """When the file last changed, so that an edited file is read again."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def _show_load_problems(
    loaded: LoadedEvents | sources.LoadedSources | overrides.LoadedPlaces, what: str = "events file"
) -> None:
    if not loaded.problems:
        return
    rows = loaded.rejected_rows
    if not rows:  # only notes on the header (a renamed column) or on the file as a whole
        st.warning(f"The {what} has notes on its columns or as a whole: see below.")
    else:
        st.warning(
            f"{len(rows):,} row{'s' if len(rows) != 1 else ''} of the {what} "
            f"{'were' if len(rows) != 1 else 'was'} left out; the other rows loaded."
        )
    with st.expander(f"What was wrong in the {what}, row by row"):
        st.text("\n".join(str(p) for p in loaded.problems[:500]))
        if len(loaded.problems) > 500:
            st.text(f"… and {len(loaded.problems) - 500:,} more problems.")


def _sidebar_filters(lists: TableLists) -> EventFilter:
    """Casualty, type and actor filters; None wherever the analyst set no limit."""
    with st.sidebar:
        st.header("Filters")
        killed = _casualty_slider("Killed", lists.killed, state.KILLED)
        injured = _casualty_slider("Injured", lists.injured, state.INJURED)
        include_unknown = st.checkbox(
            "Include events whose casualties are not reported",
            value=True,
            help="Unknown is not zero: these events report no killed or injured figure.",
            key=state.UNKNOWN,
            bind=URL,
        )
        exact_only = st.checkbox(
            "Leave out approximate places and dates",
            help="Events placed at a region's centre (geo precision 3) or dated only to a month "
            "or a year. On the map they are drawn hollow, dashed and larger.",
            key=state.EXACT,
            bind=URL,
        )
        chosen_types = st.multiselect(
            "Event type", lists.types, placeholder="All types", key=state.TYPES, bind=URL
        )
        chosen_actors = st.multiselect(
            "Actor (striking or struck)",
            lists.actors,
            placeholder="All actors",
            key=state.ACTORS,
            bind=URL,
        )
        chosen_grades = st.multiselect(
            "Confidence",
            list(CONFIDENCE_CHOICES) + [g for g in lists.grades if g not in CONFIDENCE_CHOICES],
            placeholder="All grades",
            key=state.CONFIDENCE,
            bind=URL,
            help="Ungraded events count as a single source or several, by the reports recorded.",
        )
        st.divider()
        st.radio("Colour the points by", list(COLOUR_CHOICES), key=state.COLOUR, bind=URL)
        st.toggle(
            "Online base map (OpenStreetMap tiles)",
            key=state.TILES,
            bind=URL,
            help="Off by default: the offline map draws land, borders, regions and place names "
            "and needs no network. When the tiles cannot be reached, the offline map shows.",
            on_change=_consent_to_tiles,
        )
        if st.session_state.get(state.TILES) and not st.session_state.get(TILES_CONSENT):
            # A received link cannot make this browser ask a third party for tiles unasked.
            st.caption("This link asks for the online base map, which loads tiles from "
                       "openstreetmap.org.")  # fmt: skip
            st.button("Load the online map", on_click=_consent_to_tiles)
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


def _table_lists(events: pd.DataFrame) -> TableLists:
    """The sidebar's lists, computed once per loaded table, not on every rerun."""
    memo = st.session_state.get("_table_lists")
    if memo is not None and memo[0] is events:
        return memo[1]
    lists = PandasQueries(events).lists()
    st.session_state["_table_lists"] = (events, lists)
    return lists


TILES_CONSENT = "tiles_consent"


def _consent_to_tiles() -> None:
    st.session_state[TILES_CONSENT] = True


def _online_tiles() -> bool:
    """Online tiles only when this viewer asked for them in this session, not a link alone."""
    return bool(st.session_state.get(state.TILES) and st.session_state.get(TILES_CONSENT))


def _casualty_slider(label: str, top: int, key: str) -> tuple[int, int | None] | None:
    """A range slider over the reported figures; None while it spans everything."""
    if top <= 0:
        st.caption(f"{label}: no figures reported in this file.")
        return None
    chosen = st.slider(label, 0, top, (0, top), key=key, bind=URL)
    chosen = (min(chosen), max(chosen))  # a link may give the range reversed
    if chosen == (0, top):
        return None
    return chosen[0], None if chosen[1] == top else chosen[1]
