"""Typed values back to text: the one cell formatter and the one CSV writer.

Every file Strikemap writes (the events file, sources, places, exports, geocoded tables) goes
through :func:`cell_text` and :func:`csv_text`, so what it writes it reads back the same.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

__all__ = ["cell_text", "csv_text", "json_value"]


def json_value(value: Any) -> Any:
    """A cell as a JSON value: ISO date text, int, float, text, or None when unknown."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return value
    if isinstance(value, int | str | bool):
        return value
    return str(value)


def cell_text(value: Any) -> str:
    """A cell as a CSV file holds it: ISO dates, whole numbers without ``.0``, empty = unknown."""
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_text(rows: Iterable[Sequence[object]], delimiter: str = ",") -> str:
    """Rows as CSV text with ``\\n`` line ends, every cell read back exactly as written.

    The csv module quotes a cell holding ``\\n`` but not one holding a lone ``\\r`` when the
    line end is ``\\n``; such a cell would split its row in two for any reader. A row with a
    carriage return anywhere is therefore written with every cell quoted.
    """
    buffer = io.StringIO()
    minimal = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    quoted = csv.writer(buffer, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = ["" if cell is None else str(cell) for cell in row]
        (quoted if any("\r" in cell for cell in cells) else minimal).writerow(cells)
    return buffer.getvalue()
