"""The map on the page: where it opens, fitting and finding, clicks, the legend.

The base map never changes within a session (a changed map would be remounted and lose the
analyst's position): moves go through st_folium's ``center=`` and ``zoom=``, set only when
the page asks the map to move (a link, an import, "fit", a found place, a cell click, a row
of the events table).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components.geo import overrides
from components.map import layer as map_layer
from components.map import view_url
from components.map.settings import MAP_HEIGHT
from components.table import schema as s
from components.ui import state

__all__ = ["COLOUR_CHOICES", "move_map", "select", "the_map"]

COLOUR_CHOICES: dict[str, str] = {"event type": s.EVENT_TYPE, "confidence": s.CONFIDENCE}
# The zoom a found place or an event of the table opens at: streets and villages readable.
PLACE_ZOOM, REGION_ZOOM = 12, 8
# Reserve the map's height before it arrives, so the page below does not jump.
_RESERVE = (
    f"<style>iframe[title='streamlit_folium.st_folium']{{min-height:{MAP_HEIGHT}px;"
    "background:#c9dbe6}</style>"
)


def move_map(lat: float, lng: float, zoom: int) -> None:
    """Ask the map to move; it moves only when ``center=`` changes, so nudge a repeat."""
    earlier = st.session_state.get(state.REQUESTED_VIEW)
    if earlier is not None and earlier.center == (lat, lng) and earlier.zoom == zoom:
        lat += 1e-7
    st.session_state[state.REQUESTED_VIEW] = view_url.MapView(lat, lng, zoom)


def the_map(
    all_events: pd.DataFrame, shown: pd.DataFrame, colour_by: str, *, online_tiles: bool
) -> str | None:
    """Fit and find controls, the map and its legend; returns the selected event's id."""
    map_state = st.session_state.get(state.MAP)
    home = _home_view(all_events)
    _fit_after_import(all_events)
    _fit_and_find(shown)
    _take_click(map_state)
    selected = st.session_state.get(state.SELECTED)
    view = view_url.view_from_map(map_state) or home
    # Only a real move is written: every write resends the whole address from the server's copy.
    for name, value in view.as_params().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    requested = st.session_state.get(state.REQUESTED_VIEW, home)
    colours = map_layer.colours_for(all_events[colour_by], colour_by)
    layer = map_layer.view_layer(
        shown,
        bounds=(map_state or {}).get("bounds"),
        zoom=view.zoom,
        selected=selected,
        colours=colours,
        colour_by=colour_by,
    )
    st.html(_RESERVE)
    st_folium(
        map_layer.base_map(home.center, home.zoom, online_tiles=online_tiles),
        feature_group_to_add=layer.layer,
        center=requested.center,
        zoom=requested.zoom,
        key=state.MAP,
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
            f"{layer.events_in_view:,} events in view, grouped into {layer.features:,} cells "
            "labelled with their number of events: click a cell or zoom in to see single events."
        )
    _legend(all_events, colour_by, aggregated=layer.mode == "aggregated")
    return selected


def select(event_id: str) -> None:
    """Open an event's panel; the address carries it, so a shared link opens it too."""
    st.session_state[state.SELECTED] = event_id
    st.query_params[state.EVENT] = event_id


def _home_view(events: pd.DataFrame) -> view_url.MapView:
    """Where the map opens: the view in the page's address, else the extent of the data."""
    if state.HOME_VIEW not in st.session_state:
        center, zoom = map_layer.initial_view(events)
        st.session_state[state.HOME_VIEW] = view_url.view_from_params(
            st.query_params
        ) or view_url.MapView(center[0], center[1], zoom)
        st.session_state[state.FITTED_TO] = _identity(events)
    return st.session_state[state.HOME_VIEW]


def _identity(events: pd.DataFrame) -> tuple[int, int]:
    return id(events), len(events)


def _fit_after_import(events: pd.DataFrame) -> None:
    """When the events change (an upload merged or shown instead), show all of them."""
    if st.session_state.get(state.FITTED_TO) == _identity(events):
        return
    st.session_state[state.FITTED_TO] = _identity(events)
    _fit(events)


def _fit(events: pd.DataFrame) -> None:
    center, zoom = map_layer.initial_view(events)
    move_map(center[0], center[1], zoom)


def _fit_and_find(shown: pd.DataFrame) -> None:
    fit, find = st.columns([2, 3], vertical_alignment="bottom")
    with fit:
        if st.button(
            "Fit to the data",
            icon=":material/fit_screen:",
            help="Show every event the filters keep.",
            width="stretch",
        ):
            _fit(shown)
    with find:
        query = st.text_input(
            "Find a place",
            key=state.PLACE_SEARCH,
            placeholder="A town, a region or a country, e.g. Kharkiv",
            label_visibility="collapsed",
        )
    if query.strip():
        _place_results(query.strip())


def _place_results(query: str) -> None:
    places = overrides.suggestions(query, None, limit=5)
    if not places:
        st.caption(f"No place called {query!r} in the gazetteer.")
        return
    columns = st.columns(len(places))
    for number, (column, place) in enumerate(zip(columns, places, strict=True)):
        label = f"{place.name}, {place.country_code}"
        if column.button(label, key=f"found_place_{number}", width="stretch"):
            zoom = PLACE_ZOOM if place.geo_precision <= 2 else REGION_ZOOM
            move_map(place.latitude, place.longitude, zoom)


def _take_click(map_state: dict | None) -> None:
    """Act on a new click on the map: a point selects its event, a grid cell zooms into it."""
    if state.SELECTED not in st.session_state:
        st.session_state[state.SELECTED] = st.query_params.get(state.EVENT)
    target, seen = map_layer.new_target(map_state, st.session_state.get(state.SEEN_CLICK))
    st.session_state[state.SEEN_CLICK] = seen
    if target is None:
        return
    if isinstance(target, str):
        select(target)
        return
    lat, lng = target.center
    move_map(lat, lng, target.zoom if target.zoom is not None else target.fitting_zoom())


def _legend(events: pd.DataFrame, colour_by: str, *, aggregated: bool) -> None:
    colours = "".join(
        _swatch(name, f"width:.8em;height:.8em;background:{colour}")
        for name, colour in map_layer.legend_items(events, colour_by)
    )
    # currentColor: the outline follows the theme's text colour, so dark mode shows it too.
    sizes = "".join(
        _swatch(label, f"width:{2 * r}px;height:{2 * r}px;border:1px solid currentColor")
        for label, r in map_layer.size_legend()
    )
    approximate = _swatch(
        "", "width:16px;height:16px;border:2px dashed currentColor;background:#8882"
    )
    what = next(k for k, v in COLOUR_CHOICES.items() if v == colour_by)
    cells = ""
    if aggregated:
        cell = _swatch("", f"width:18px;height:18px;background:{map_layer.AGGREGATE_FILL}")
        cells = (
            f"<div>{cell} a group of events, labelled with their number; hover for the "
            "killed total</div>"
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
