"""The map on the page: where it opens, fitting and finding, clicks, the legend.

The base map never changes within a session (a changed map would be remounted and lose the
analyst's position): moves go through st_folium's ``center=`` and ``zoom=``, set only when
the page asks the map to move (a link, an import, "fit", a found place, a cell click, a row
of the events table).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.geo import overrides
from components.map import layer as map_layer
from components.map import view_url
from components.map.bounds import Bounds, map_bounds
from components.map.clicks import on_grid, view_box
from components.map.settings import MAP_HEIGHT, MAX_FIT_ZOOM
from components.table import schema as s
from components.ui import state

__all__ = ["COLOUR_CHOICES", "FrameMap", "QueryMap", "move_map", "select", "the_map"]

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


@dataclass(frozen=True)
class FrameMap:
    """What the map shows of a table held in pandas: every event, and those the filters keep."""

    all_events: pd.DataFrame
    shown: pd.DataFrame

    def identity(self) -> object:
        return id(self.all_events), len(self.all_events)

    def home(self) -> tuple[tuple[float, float], int]:
        return map_layer.initial_view(self.all_events)

    def fit(self) -> tuple[tuple[float, float], int]:
        return map_layer.initial_view(self.shown)

    def colours(self, colour_by: str) -> dict[str, str]:
        return map_layer.colours_for(self.all_events[colour_by], colour_by)

    def layer(
        self, bounds: Bounds | None, zoom: int, selected, colours: Mapping[str, str], colour_by: str
    ):
        return map_layer.view_layer(
            self.shown,
            bounds=bounds,
            zoom=zoom,
            selected=selected,
            colours=colours,
            colour_by=colour_by,
        )

    def legend_items(self, colour_by: str) -> list[tuple[str, str]]:
        return map_layer.legend_items(self.all_events, colour_by)


@dataclass(frozen=True)
class QueryMap:
    """What the map shows of a table a query engine holds (components.storage.queries)."""

    engine: object
    event_filter: object
    values: Mapping[str, list[str]]  # the colour columns' values (the sidebar's lists)

    def identity(self) -> object:
        return self.engine.version()

    def home(self) -> tuple[tuple[float, float], int]:
        return _view_of(self.engine.extent(None))

    def fit(self) -> tuple[tuple[float, float], int]:
        return _view_of(self.engine.extent(self.event_filter))

    def colours(self, colour_by: str) -> dict[str, str]:
        return map_layer.colours_for(
            pd.Series(self.values.get(colour_by, []), dtype=str), colour_by
        )

    def layer(
        self, bounds: Bounds | None, zoom: int, selected, colours: Mapping[str, str], colour_by: str
    ):
        from components.storage.view import database_view

        # Asked on the grid's edges: a small pan, or the view a move lands on and the one the
        # map then reports, ask the engine the same questions, answered once.
        box = None if bounds is None else on_grid(bounds, zoom)
        drawn = database_view(
            self.engine,
            self.event_filter,
            None if box is None else (box.south, box.west, box.north, box.east),
            zoom,
            colours=colours,
            colour_by=colour_by,
            selected=selected,
            pixels=map_layer.screen_pixels(bounds, zoom),
        )
        # The same layer as the pandas map's: only the features' source differs.
        return map_layer.ViewLayer(
            map_layer.features_layer(drawn.features),
            drawn.mode,
            len(drawn.features),
            drawn.events_in_view,
            drawn.bytes,
        )

    def legend_items(self, colour_by: str) -> list[tuple[str, str]]:
        empty = "(no type)" if colour_by == s.EVENT_TYPE else "(none)"
        return [(v or empty, c) for v, c in self.colours(colour_by).items()]


def _view_of(box) -> tuple[tuple[float, float], int]:
    """A centre and zoom that show a box of (south, west, north, east), as initial_view does."""
    if box is None:
        return (30.0, 20.0), 2
    bounds = Bounds(*box)
    return bounds.center, max(2, min(MAX_FIT_ZOOM, bounds.fitting_zoom()))


def the_map(source: FrameMap | QueryMap, colour_by: str, *, online_tiles: bool) -> str | None:
    """Fit and find controls, the map and its legend; returns the selected event's id."""
    map_state = st.session_state.get(state.MAP)
    home = _home_view(source)
    earlier = st.session_state.get(state.REQUESTED_VIEW)
    _fit_after_import(source)
    _fit_and_find(source)
    _take_click(map_state)
    selected = st.session_state.get(state.SELECTED)
    view = view_url.view_from_map(map_state) or home
    # Only a real move is written: every write resends the whole address from the server's copy.
    for name, value in view.as_params().items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    requested = st.session_state.get(state.REQUESTED_VIEW, home)
    colours = source.colours(colour_by)
    moved = st.session_state.get(state.REQUESTED_VIEW, earlier) is not earlier
    bounds, zoom = _drawn_view(map_state, view.zoom, requested if moved else None)
    layer = source.layer(bounds, zoom, selected, colours, colour_by)
    st.html(_RESERVE)
    # Imported in a page's run: streamlit-folium registers its frame with the server only then
    # (the server may import this module earlier, to have the first page ready sooner).
    from streamlit_folium import st_folium

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
    _legend(source.legend_items(colour_by), colour_by, aggregated=layer.mode == "aggregated")
    return selected


def _drawn_view(
    map_state: dict | None, zoom: int, moving_to: view_url.MapView | None
) -> tuple[Bounds | None, int]:
    """The view to draw: the one the map reports, or, when this run moves the map (a cell
    clicked, a place found), the one it is moving to. The map then draws its events once,
    where it lands, and the view it reports next is the one already drawn."""
    shown = map_bounds((map_state or {}).get("bounds"))
    if moving_to is None or shown is None:
        return shown, zoom
    pixels = map_layer.screen_pixels(shown, zoom)
    return view_box(moving_to.center, moving_to.zoom, pixels), moving_to.zoom


def select(event_id: str) -> None:
    """Open an event's panel; the address carries it, so a shared link opens it too."""
    st.session_state[state.SELECTED] = event_id
    st.query_params[state.EVENT] = event_id


def _home_view(source: FrameMap | QueryMap) -> view_url.MapView:
    """Where the map opens: the view in the page's address, else the extent of the data."""
    if state.HOME_VIEW not in st.session_state:
        center, zoom = source.home()
        st.session_state[state.HOME_VIEW] = view_url.view_from_params(
            st.query_params
        ) or view_url.MapView(center[0], center[1], zoom)
        st.session_state[state.FITTED_TO] = source.identity()
    return st.session_state[state.HOME_VIEW]


def _fit_after_import(source: FrameMap | QueryMap) -> None:
    """When the events change (an upload merged or shown instead), show all of them."""
    if st.session_state.get(state.FITTED_TO) == source.identity():
        return
    st.session_state[state.FITTED_TO] = source.identity()
    center, zoom = source.home()
    move_map(center[0], center[1], zoom)


def _fit_and_find(source: FrameMap | QueryMap) -> None:
    fit, find = st.columns([2, 3], vertical_alignment="bottom")
    with fit:
        if st.button(
            "Fit to the data",
            icon=":material/fit_screen:",
            help="Show every event the filters keep.",
            width="stretch",
        ):
            center, zoom = source.fit()
            move_map(center[0], center[1], zoom)
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
    # The browser has usually zoomed there already (static/events.js), and reported the view
    # with the click; asked again, the map stays where it is. A click it did not zoom moves here.
    lat, lng = target.center
    move_map(lat, lng, target.zoom if target.zoom is not None else target.fitting_zoom())


def _legend(items: list[tuple[str, str]], colour_by: str, *, aggregated: bool) -> None:
    colours = "".join(
        _swatch(name, f"width:.8em;height:.8em;background:{colour}") for name, colour in items
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
