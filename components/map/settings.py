"""The map's fixed sizes and limits, defined once for the page, the layer and the address."""

from __future__ import annotations

MIN_ZOOM, MAX_ZOOM = 1, 18
# The map's height on the page in pixels, and the size assumed when fitting a box to it.
MAP_HEIGHT = 560
MAP_PIXELS = (700, MAP_HEIGHT)
# Above this many events in view, the map shows grid cells with counts instead of events:
# one event is ~300 bytes of GeoJSON, so the page stays under ~2 MB, and Leaflet stays smooth.
MAX_POINTS = 5_000
MAX_LAYER_BYTES = 5_000_000
# A grid cell is this many screen pixels wide at the zoom it is drawn for.
CELL_PIXELS = 64
# How far beyond the visible map events are still sent, as a share of its width and height,
# so that a small pan shows events at once.
VIEW_MARGIN = 0.25
# At most this many grid cells are drawn: cells grow (twice as wide, again) beyond it.
MAX_CELLS = 4 * MAX_POINTS // 10
# A cell holding this many events or fewer draws them one by one, fanned apart when they would
# hide each other: that many fit side by side inside a cell. More become one counted circle.
CELL_SHOWS_EVENTS = 12
# Events at one spot never part by zooming in: up to this many are drawn around the spot.
SPOT_SHOWS_EVENTS = 50
# Fitting the map to the data never zooms in closer than this: a lone event keeps its
# surroundings in view.
MAX_FIT_ZOOM = 10
