"""How events look on the map: colours by type or confidence, sizes by the killed figure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from components.table import schema as s

TYPE_COLOURS: dict[str, str] = {
    "Air/drone strike": "#d62728",
    "Shelling/artillery/missile attack": "#ff7f0e",
    "Remote explosive/landmine/IED": "#9467bd",
    "Grenade": "#8c564b",
    "Suicide bomb": "#e377c2",
    "Armed clash": "#1f77b4",
}

SPARE_COLOURS: tuple[str, ...] = (
    "#2ca02c",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)

UNKNOWN_TYPE_COLOUR = "#7f7f7f"
SELECTED_OUTLINE = "#000000"
SIZE_EXAMPLES: tuple[int | None, ...] = (None, 1, 10, 100, 1000)
APPROXIMATE_EXTRA_RADIUS = 3
AGGREGATE_FILL = "#2f4b7c"
# Confidence grades, weakest first, from orange through sand and violet to near black: none
# of them is the pale blue of the sea.
CONFIDENCE_COLOURS: dict[str, str] = dict(
    zip(s.CONFIDENCE_GRADES, ("#e66101", "#b8a07e", "#5e3c99", "#1b1b3a"), strict=True)
)
FIXED_COLOURS: dict[str, dict[str, str]] = {
    s.EVENT_TYPE: TYPE_COLOURS,
    s.CONFIDENCE: CONFIDENCE_COLOURS,
}


def colours_for(values: pd.Series, column: str = s.EVENT_TYPE) -> dict[str, str]:
    """A stable colour for each value of ``column`` present: fixed ones first, then spares."""
    fixed = FIXED_COLOURS.get(column, {})
    colours: dict[str, str] = {}
    spare = iter(SPARE_COLOURS)
    for value in sorted(str(v) for v in values.dropna().unique()):
        colours[value] = fixed.get(value) or next(spare, UNKNOWN_TYPE_COLOUR)
    return colours


def type_colours(event_types: pd.Series) -> dict[str, str]:
    """A stable colour for each event type present: fixed ones first, then the spare palette."""
    return colours_for(event_types, s.EVENT_TYPE)


def legend_items(events: pd.DataFrame, colour_by: str = s.EVENT_TYPE) -> list[tuple[str, str]]:
    """(value, colour) for each value of the colour column in the events, for the legend."""
    empty = "(no type)" if colour_by == s.EVENT_TYPE else "(none)"
    return [(v or empty, c) for v, c in colours_for(events[colour_by], colour_by).items()]


def size_legend() -> list[tuple[str, int]]:
    """(label, radius) examples for the size legend."""
    return [
        ("killed not reported" if k is None else f"{k:,} killed", marker_radius(k))
        for k in SIZE_EXAMPLES
    ]


def marker_radius(killed: float | int | None) -> int:
    """Radius in pixels: area grows with the killed figure, on a log scale so 1,000 stays usable."""
    if killed is None or pd.isna(killed):
        return 5
    return 6 + round(3 * math.log10(1 + max(killed, 0)) ** 1.3)


def marker_radii(killed: np.ndarray) -> np.ndarray:
    """:func:`marker_radius` for an array of killed figures (NaN: not reported)."""
    grown = 6 + np.round(3 * np.log10(1 + np.maximum(np.nan_to_num(killed), 0)) ** 1.3)
    return np.where(np.isnan(killed), 5, grown).astype("int64")
