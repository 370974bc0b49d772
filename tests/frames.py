"""Event tables built in memory for the tests, through the same gate as a file's rows."""

from __future__ import annotations

import pandas as pd

from components.table import schema as s
from components.table.events import validate_events


def make_events(*rows: dict[str, str]) -> pd.DataFrame:
    """Typed events from rows of strings (date_start defaults to 7 February 2018); every row
    must be valid."""
    loaded = validate_events(
        pd.DataFrame([{s.DATE_START: "2018-02-07", **row} for row in rows], dtype=object),
        source="test",
    )
    assert [str(p) for p in loaded.problems] == []
    return loaded.events
