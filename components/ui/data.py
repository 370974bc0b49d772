"""The page's data tools: upload and merge another file, download the view, place events by hand.

Widgets and calls only; the work is done by components.formats, exporters, geocoder and overrides.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from components import formats, storage
from components.formats import snapshot, writers
from components.geo import overrides
from components.geo.gazetteer import resolve_cache_dir
from components.geo.geocoder import GeocodeCache, geocode_events
from components.geo.learned import LEARNED_FILE, learned_summary
from components.table import schema as s
from components.table import store
from components.table.errors import StrikemapError
from components.ui import state

DATASET_KEY = state.DATASET
PLACES_KEY = state.PLACES
DATASET_NOTE_KEY = state.DATASET_NOTE
# The rows the upload added, and the file they came from, until they are saved or dropped.
ADDED_KEY, ADDED_NAME_KEY = "uploaded_added_rows", "uploaded_added_name"
MAX_UPLOAD_ROWS = 250_000
# A snapshot carries every point of the view; beyond this it is too big to open comfortably.
SNAPSHOT_LIMIT = 20_000


def current_events(file_events: pd.DataFrame) -> pd.DataFrame:
    """The events the page works on: the file's, or what an upload merged or replaced them with."""
    uploaded = st.session_state.get(DATASET_KEY)
    return file_events if uploaded is None else uploaded


def caption_text(text: str) -> None:
    """A caption that shows text literally: st.caption reads Markdown, and names or places
    from files could carry links or images that the browser would fetch."""
    st.html(f'<div style="color:rgba(49,51,63,.6);font-size:.875rem">{html.escape(text)}</div>')


def uses_the_file() -> bool:
    """Whether the page shows the events file itself, not an upload held in this session."""
    return st.session_state.get(DATASET_KEY) is None


def data_tools(file_events: pd.DataFrame, events_path: Path) -> None:
    """Upload another file, and save what an upload added into the events file, in the sidebar."""
    with st.sidebar:
        st.header("Data")
        if learned := _learned_line(*_learned_file_version()):
            caption_text(learned)
        _upload(file_events)
        _save_upload(events_path)


def _learned_file_version() -> tuple[str, float]:
    """The learned places' file and when it last changed (0 when there is none)."""
    path = resolve_cache_dir() / LEARNED_FILE
    try:
        return str(path), path.stat().st_mtime
    except OSError:
        return str(path), 0.0


# Read once per change of the file, not by opening SQLite on every rerun of the page.
@st.cache_data(show_spinner=False, max_entries=4)
def _learned_line(path: str, modified: float) -> str:
    return learned_summary(Path(path).parent)


def upload_status() -> None:
    """Say, above the map, that the page shows an upload not saved; a reload would lose it."""
    if uses_the_file():
        return
    st.warning(
        "Showing events uploaded in this session and not saved to the events file: a reload "
        "or a link opened elsewhere shows the file without them. Save them from the sidebar."
    )
    # A reload or closing the tab asks first (the browser's own question).
    components.html(
        "<script>window.parent.onbeforeunload = function (e) { e.preventDefault(); "
        "e.returnValue = ''; return ''; };</script>",
        height=0,
    )


def _save_upload(events_path: Path) -> None:
    added = st.session_state.get(ADDED_KEY)
    if added is None or uses_the_file():
        return
    name = st.session_state.get(ADDED_NAME_KEY, "the upload")
    if not st.button(
        f"Save the {len(added):,} uploaded events into the events file",
        type="primary",
        help="Adds them to the events file in one step (an id already there gets a suffix); "
        "each saved event's notes, and a note in sources.csv, say which file it came from.",
        width="stretch",
    ):
        return
    rows = added.copy()
    origin = f"imported from {name}"
    rows[s.NOTES] = [f"{n}; {origin}" if n else origin for n in rows[s.NOTES].fillna("")]
    # The sources file keeps where each event came from and when, saved in the same step.
    saved_on = pd.Timestamp.now(tz="UTC").strftime("%Y-%m-%d")
    try:
        ids = store.append_events(
            events_path, rows, note=f"{origin}, an upload saved on {saved_on}"
        )
    except StrikemapError as error:
        st.error("The uploaded events were not saved; the events file is unchanged.")
        st.text(str(error))
        return
    for key in (DATASET_KEY, DATASET_NOTE_KEY, ADDED_KEY, ADDED_NAME_KEY):
        st.session_state.pop(key, None)
    st.session_state[state.DATASET_SAVED] = f"{len(ids):,} events from {name} saved."
    st.rerun()


def place_by_hand(
    not_on_map: int,
    unplaced: Callable[[], pd.DataFrame],
    places_file: Path,
    map_state: dict | None,
) -> None:
    """For events not on the map: pick a gazetteer suggestion or a map click, and save it.

    ``unplaced()`` gives the rows (at most a bounded number of the ``not_on_map``); it is
    asked, and the gazetteer's suggestions looked up, only while the box is open: at a
    million events that is a query and thousands of rows sent on every step of the slider.
    """
    if not not_on_map:
        return
    box = st.expander(
        "1 event not on the map: place it by hand"
        if not_on_map == 1
        else f"{not_on_map:,} events not on the map: place them by hand",
        key=state.PLACE_BY_HAND,
        on_change="rerun",
    )
    with box:
        if not box.open:
            return
        unplaced_rows = unplaced()
        if len(unplaced_rows) < not_on_map:
            st.caption(f"The first {len(unplaced_rows):,} of them, by date.")
        _place_by_hand(unplaced_rows, places_file, map_state)


def _place_by_hand(unplaced: pd.DataFrame, places_file: Path, map_state: dict | None) -> None:
    """The unplaced events listed, a place among their names chosen, and its form."""
    st.dataframe(
        unplaced[[s.EVENT_ID, s.DATE_START, s.EVENT_TYPE, s.LOCATION, s.ADMIN1, s.COUNTRY]],
        hide_index=True,
    )
    names = unplaced[[s.LOCATION, s.COUNTRY]].drop_duplicates()
    names = names[names[s.LOCATION] != ""]
    if names.empty:
        st.text("These events name no place; give them coordinates in the file.")
        return
    labels = [
        f"{row[s.LOCATION]} ({row[s.COUNTRY] or 'no country'})" for _, row in names.iterrows()
    ]
    choice = st.selectbox("Place to fix", range(len(labels)), format_func=labels.__getitem__)
    name, country = names.iloc[choice][s.LOCATION], names.iloc[choice][s.COUNTRY]
    _place_form(name, country, places_file, map_state)


def _place_form(name: str, country: str, places_file: Path, map_state: dict | None) -> None:
    candidates = overrides.suggestions(name, country or None, limit=5)
    clicked = (map_state or {}).get("last_clicked") or None
    options: list[tuple[str, float, float, int]] = [
        (
            f"{p.name}, {p.country_code} ({p.latitude:.4f}, {p.longitude:.4f})",
            p.latitude,
            p.longitude,
            p.geo_precision,
        )
        for p in candidates
    ]
    if clicked:
        options.append(
            (
                f"The last point clicked on the map ({clicked['lat']:.4f}, {clicked['lng']:.4f})",
                clicked["lat"],
                clicked["lng"],
                1,
            )
        )
    # Typed coordinates start from the middle of the map, not from 0, 0 in the Gulf of Guinea.
    centre = (map_state or {}).get("center") or {}
    options.append(
        (
            "Coordinates typed below",
            float(centre.get("lat", 0.0)),
            float(centre.get("lng", 0.0)),
            1,
        )
    )
    picked = st.radio(
        "Where is it?",
        range(len(options)),
        format_func=lambda i: options[i][0],
        key=f"place_pick_{name}_{country}",
    )
    label, latitude, longitude, precision = options[picked]
    if label == "Coordinates typed below":
        latitude = st.number_input("Latitude", -90.0, 90.0, latitude, format="%.5f")
        longitude = st.number_input(
            "Longitude", -180.0, 180.0, (longitude + 180) % 360 - 180, format="%.5f"
        )
    precision = st.selectbox(
        "Geo precision", (1, 2, 3), index=precision - 1, format_func=_precision_words
    )
    note = st.text_input("Note (why this place)", max_chars=300)
    if st.button("Save this place for every event that names it", type="primary"):
        try:
            where = storage.open_store(places_path=places_file)  # the files or the database
            where.place_by_hand(name, country, latitude, longitude, precision, note)
        except StrikemapError as error:
            st.error("The place could not be saved.")
            st.text(str(error))
            return
        st.session_state.pop(DATASET_KEY, None)
        st.rerun()


def _precision_words(code: int) -> str:
    return f"{code}: {s.GEO_PRECISION_WORDS[code]}"


def _upload(file_events: pd.DataFrame) -> None:
    upload = st.file_uploader(
        "Add events from a file",
        type=["csv", "tsv", "txt", "json", "geojson"],
        help=(
            "ACLED or UCDP GED exports (any era, re-saved by Excel or R), GDELT 1.0 or 2.0 "
            "event files, GeoJSON, Bellingcat's civilian-harm JSON, Airwars incident tables, "
            "tables of dated places (geocoded), or Strikemap's CSV."
        ),
    )
    if st.session_state.get(state.DATASET_SAVED):
        st.success(st.session_state.pop(state.DATASET_SAVED))
    if st.session_state.get(DATASET_NOTE_KEY):
        caption_text(st.session_state[DATASET_NOTE_KEY])
        if st.button("Drop the upload: back to the events file"):
            for key in (DATASET_KEY, DATASET_NOTE_KEY, ADDED_KEY, ADDED_NAME_KEY):
                st.session_state.pop(key, None)
            st.rerun()
    if upload is None:
        return
    format_name = st.selectbox("Format", formats.FORMAT_CHOICES)
    imported = _import(upload.getvalue(), upload.name, format_name)
    if imported is None:
        return
    *details, totals = imported.report()  # the command line's lines: one per cause, totals last
    st.text(f"{imported.summary()}\n{totals}")
    if details:
        rejected = len(imported.rejected_rows)
        with st.expander(f"{rejected:,} rows rejected: why" if rejected else "Notes on the import"):
            st.text("\n".join(details))
    if len(imported.events) > MAX_UPLOAD_ROWS:
        st.error(f"The upload has more than {MAX_UPLOAD_ROWS:,} events; split it or use the CLI.")
        return
    # Stacked, so that the labels are read whole in a narrow sidebar.
    if st.button("Show with the current events", disabled=imported.events.empty, width="stretch"):
        placed = _placed(imported.events)
        merged = merge_events(current_events(file_events), placed)
        _use(
            merged, f"Showing the events file with {upload.name} (not saved).", placed, upload.name
        )
    if st.button(
        "Show only the uploaded events",
        disabled=imported.events.empty,
        width="stretch",
        help="For this session only: the events file is not changed.",
    ):
        placed = _placed(imported.events)
        _use(
            placed,
            f"Showing only {upload.name}; the events file is unchanged.",
            placed,
            upload.name,
        )


def merge_events(current: pd.DataFrame, added: pd.DataFrame) -> pd.DataFrame:
    """The current events with the added ones; an added event replaces one with the same id."""
    kept = current[~current[s.EVENT_ID].isin(set(added[s.EVENT_ID]))]
    return pd.concat([kept, added], ignore_index=True)


@st.cache_data(show_spinner="Reading the file…", max_entries=2)
def _import_cached(data: bytes, name: str, format_name: str) -> formats.ImportedEvents:
    return formats.import_bytes(data, name, format_name)


def _import(data: bytes, name: str, format_name: str) -> formats.ImportedEvents | None:
    try:
        return _import_cached(data, name, format_name)
    except StrikemapError as error:
        st.error("The file cannot be used.")
        st.text(str(error))
        return None


def _placed(events: pd.DataFrame) -> pd.DataFrame:
    return geocode_events(events, cache=GeocodeCache(), places_file=st.session_state[PLACES_KEY])


def _use(events: pd.DataFrame, note: str, added: pd.DataFrame, name: str) -> None:
    st.session_state[DATASET_KEY] = events
    st.session_state[DATASET_NOTE_KEY] = note
    st.session_state[ADDED_KEY] = added
    st.session_state[ADDED_NAME_KEY] = name
    st.rerun()


def downloads(shown: pd.DataFrame, filters_text: str, colours: dict[str, str]) -> None:
    """Downloads of the events the filters keep, under the map (they follow every date step)."""
    st.caption(f"Download the {len(shown):,} events the filters keep")
    left, middle, right = st.columns(3)
    # Callables: the files are written when a button is pressed, not on every rerun.
    left.download_button(
        "CSV",
        lambda: writers.to_csv(shown, spreadsheet_safe=True),
        file_name="strikemap-events.csv",
        mime="text/csv",
        help="Cells that a spreadsheet would run as formulas start with an apostrophe.",
    )
    middle.download_button(
        "GeoJSON",
        lambda: writers.to_geojson(shown),
        file_name="strikemap-events.geojson",
        mime="application/geo+json",
    )
    right.download_button(
        "Map",
        lambda: snapshot.snapshot_html(shown, filters_text=filters_text, colours=colours),
        file_name="strikemap-view.html",
        mime="text/html",
        disabled=len(shown) > SNAPSHOT_LIMIT,
        help=(
            "One HTML file that opens offline: the map of these events, its legend, the "
            f"filters in words and the totals. Up to {SNAPSHOT_LIMIT:,} events: narrow the "
            "filters for more."
        ),
    )
    # Why the map button is greyed, said where it is seen, not only on hover.
    reason = snapshot_unavailable(len(shown))
    if reason:
        right.caption(reason)


def snapshot_unavailable(count: int) -> str | None:
    """Why the map snapshot cannot be downloaded for ``count`` events, or None when it can."""
    if count <= SNAPSHOT_LIMIT:
        return None
    return (
        f"The map file holds at most {SNAPSHOT_LIMIT:,} events; {count:,} are shown. "
        "Narrow the filters or the dates to download it."
    )
