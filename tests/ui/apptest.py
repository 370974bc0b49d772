"""The dashboard in Streamlit's AppTest as a person sees it: with the map drawn."""

from __future__ import annotations

# What the map's frame sends as soon as the map is drawn, before any click or move. Until
# it does, the page keeps the timeline's charts and the table back (ui/state.map_has_drawn);
# AppTest has no browser, so a test that reads them sets this state first.
MAP_DRAWN = {"last_object_clicked_count": 0}
