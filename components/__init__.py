"""Strikemap: reported strikes on a map.

The packages follow the data flow: ``coding`` (report → coded event), ``formats`` (other
datasets → coded events, and the files written back), ``table`` (the event table: schema,
reading, validation, store, cache), ``geo`` (place names → coordinates), ``view`` (filters,
timeline, summary, duplicates, detail), ``map`` (the Leaflet map) and ``ui`` (the pages);
``cli`` is the command line.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout: data/, .cache/ and static/ live here, whatever the working directory."""
SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"
"""The events the dashboard opens when given no other file."""
SHIPPED_PLACES = PROJECT_ROOT / "data" / "places.csv"
"""The places placed by hand, beside the shipped events."""
