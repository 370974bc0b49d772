"""The naive page the benchmark compares with: one folium.Marker with a tooltip per event.

``streamlit run naive_app.py -- --events FILE``; the benchmark copies it beside a link to the
project's static/ folder, so it draws on the same offline base map.
"""

from __future__ import annotations

import argparse
import sys

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from components.map import layer as map_layer


@st.cache_data
def _events(path: str) -> pd.DataFrame:
    frame = pd.read_csv(path, usecols=["event_type", "location", "latitude", "longitude"])
    return frame.dropna(subset=["latitude", "longitude"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", required=True)
    events = _events(parser.parse_known_args(sys.argv[1:])[0].events)
    st.markdown(f"**{len(events):,} events shown**")
    fmap = map_layer.base_map((30.0, 40.0), 2)
    for row in events.itertuples(index=False):
        folium.Marker(
            [row.latitude, row.longitude], tooltip=f"{row.event_type} · {row.location}"
        ).add_to(fmap)
    st_folium(fmap, height=560, use_container_width=True, returned_objects=[])


main()
