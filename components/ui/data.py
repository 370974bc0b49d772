"""The page's data tools: upload and merge another file, download the view, place events by hand.

Widgets and calls only; the work is done by components.formats, exporters, geocoder and overrides.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import streamlit as st

from components import formats
from components.formats import snapshot, writers
from components.geo import overrides
from components.geo.geocoder import GeocodeCache, geocode_events
from components.table import schema as s
from components.table.errors import StrikemapError

DATASET_KEY = "uploaded_dataset"
PLACES_KEY = "places_file"
DATASET_NOTE_KEY = "uploaded_dataset_note"
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


def data_tools(
    file_events: pd.DataFrame, shown: pd.DataFrame, filters_text: str, colours: dict[str, str]
) -> None:
    """Upload, and downloads of the current view, in the sidebar."""
    with st.sidebar:
        st.header("Data")
        _upload(file_events)
        _downloads(shown, filters_text, colours)


def place_by_hand(unplaced: pd.DataFrame, places_file: Path, map_state: dict | None) -> None:
    """For events not on the map: pick a gazetteer suggestion or a map click, and save it."""
    if unplaced.empty:
        return
    with st.expander(f"{len(unplaced):,} events not on the map: place them by hand"):
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
    options.append(("Coordinates typed below", 0.0, 0.0, 1))
    picked = st.radio(
        "Where is it?",
        range(len(options)),
        format_func=lambda i: options[i][0],
        key=f"place_pick_{name}_{country}",
    )
    label, latitude, longitude, precision = options[picked]
    if label == "Coordinates typed below":
        latitude = st.number_input("Latitude", -90.0, 90.0, 0.0, format="%.5f")
        longitude = st.number_input("Longitude", -180.0, 180.0, 0.0, format="%.5f")
    precision = st.selectbox(
        "Geo precision", (1, 2, 3), index=precision - 1, format_func=_precision_words
    )
    note = st.text_input("Note (why this place)", max_chars=300)
    if st.button("Save this place for every event that names it", type="primary"):
        try:
            overrides.add_override(places_file, name, country, latitude, longitude, precision, note)
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
        help="ACLED or UCDP GED exports, GDELT 2.0 event files, GeoJSON, or Strikemap's CSV.",
    )
    if st.session_state.get(DATASET_NOTE_KEY):
        caption_text(st.session_state[DATASET_NOTE_KEY])
        if st.button("Back to the events file"):
            st.session_state.pop(DATASET_KEY, None)
            st.session_state.pop(DATASET_NOTE_KEY, None)
            st.rerun()
    if upload is None:
        return
    format_name = st.selectbox("Format", formats.FORMAT_CHOICES)
    imported = _import(upload.getvalue(), upload.name, format_name)
    if imported is None:
        return
    st.text(imported.summary())
    if imported.problems:
        with st.expander(f"{len(imported.rejected_rows):,} rows rejected: why"):
            st.text("\n".join(str(p) for p in imported.problems[:500]))
    if len(imported.events) > MAX_UPLOAD_ROWS:
        st.error(f"The upload has more than {MAX_UPLOAD_ROWS:,} events; split it or use the CLI.")
        return
    merge, swap = st.columns(2)
    if merge.button("Merge with current events", disabled=imported.events.empty):
        merged = merge_events(current_events(file_events), _placed(imported.events))
        _use(merged, f"Showing the events file merged with {upload.name} (not saved).")
    if swap.button("Replace current events", disabled=imported.events.empty):
        _use(_placed(imported.events), f"Showing {upload.name} instead of the file (not saved).")


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


def _use(events: pd.DataFrame, note: str) -> None:
    st.session_state[DATASET_KEY] = events
    st.session_state[DATASET_NOTE_KEY] = note
    st.rerun()


def _downloads(shown: pd.DataFrame, filters_text: str, colours: dict[str, str]) -> None:
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
