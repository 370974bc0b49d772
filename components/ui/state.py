"""Every session-state key and every URL parameter of the dashboard, declared in one place.

A URL parameter is part of a citation: a link copied today must open the same view later, so
the names below are a contract (README's "A link is a citation" lists them, and a test fails
when one it names disappears). Widgets bound to the address use their parameter as their key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

__all__ = [
    "URL",
    "URL_PARAMS",
    "dates_from_param",
    "dates_param",
    "map_has_drawn",
]

# Streamlit's value for binding a widget to the page's address.
URL = "query-params"

# --- URL parameters (also the keys of the widgets bound to them) ------------------------
DATES = "dates"
KILLED, INJURED, UNKNOWN, EXACT = "killed", "injured", "unknown", "exact"
TYPES, ACTORS, CONFIDENCE = "type", "actor", "confidence"
COLOUR, TILES = "colour", "tiles"
LAT, LNG, ZOOM = "lat", "lng", "zoom"
EVENT = "event"
URL_PARAMS: tuple[str, ...] = (
    DATES,
    KILLED,
    INJURED,
    UNKNOWN,
    EXACT,
    TYPES,
    ACTORS,
    CONFIDENCE,
    COLOUR,
    TILES,
    LAT,
    LNG,
    ZOOM,
    EVENT,
)

# --- session state: the map -------------------------------------------------------------
MAP = "map"  # st_folium's returned state
SELECTED = "selected_event_id"
SEEN_CLICK = "seen_map_click"
HOME_VIEW = "home_view"
REQUESTED_VIEW = "requested_view"
# The table whose extent the map was last fitted to: an import fits the map to the new one.
FITTED_TO = "map_fitted_to"
PLACE_SEARCH = "place_search"
# Links naming events that are not loaded: said once, when the page opens.
MISSING_EVENT_TOLD = "missing_event_told"

# --- session state: the time window -----------------------------------------------------
WINDOW = "time_window"  # the date slider's key (its value is written to DATES as ISO days)
# The typed dates: key prefixes, each followed by the window they show (ui.time._typed_keys).
FROM_TYPED, TO_TYPED, PRESET = "date_from_typed", "date_to_typed", "time_preset"
PLAYING, PLAY_FRAMES, PENDING_WINDOW = "playing", "play_frames", "pending_window"
PLAY_MODE, PLAY_STEP, LAST_STEP = "play_mode", "play_step", "play_last_step"
PLAY_SKIP_EMPTY = "play_skip_empty"

# --- session state: data, analysis, table -----------------------------------------------
DATASET = "uploaded_dataset"
DATASET_NOTE = "uploaded_dataset_note"
DATASET_SAVED = "uploaded_dataset_saved"
PLACES = "places_file"
DUPLICATES = "likely_duplicates"
MERGED = "merged_message"
DUPLICATE_DAYS, DUPLICATE_KM = "duplicate_days", "duplicate_km"
ANALYSIS_TABS = "analysis_tab"
PLACE_BY_HAND = "place_by_hand_open"  # the box of events not on the map, open or not
TABLE_PAGE, TABLE_SORT, TABLE_SELECTION = "table_page", "table_sort", "events_table"


def map_has_drawn(map_state: object) -> bool:
    """Whether the map has drawn in the browser: st_folium's state (``MAP``) exists only once
    its frame has sent it, which the frame does as soon as the map is drawn; the page's first
    run has none."""
    return map_state is not None


def dates_param(window: tuple[dt.date, dt.date]) -> list[str]:
    """The time window as the address writes it: two ISO days."""
    return [window[0].isoformat(), window[1].isoformat()]


def dates_from_param(values: str | Sequence[str] | None) -> tuple[dt.date, dt.date] | None:
    """The window a link asks for: two ISO days, or (older links) two epoch microseconds.

    Anything else is None, and the page opens on the whole span of the data.
    """
    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(values)
    if len(items) != 2:
        return None
    days = [_day(item) for item in items]
    if days[0] is None or days[1] is None:
        return None
    return min(days[0], days[1]), max(days[0], days[1])


def query_list(params: Mapping[str, object], name: str) -> list[str]:
    """Every value of a repeated parameter (st.query_params gives the last with [])."""
    getter = getattr(params, "get_all", None)
    if getter is not None:
        return list(getter(name))
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _day(text: str) -> dt.date | None:
    text = str(text).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        micros = float(text)
    except ValueError:
        return None
    if not -1e17 < micros < 1e17:
        return None
    # Streamlit wrote the slider's days as microseconds since 1970-01-01 (UTC midnight).
    return (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=micros)).date()
