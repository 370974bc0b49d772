"""GeoJSON features for events: id, style and a plain-text label each; no report text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from components.map.spread import spot_spread
from components.map.style import (
    APPROXIMATE_EXTRA_RADIUS,
    SELECTED_OUTLINE,
    UNKNOWN_TYPE_COLOUR,
    colours_for,
    marker_radii,
)
from components.table import schema as s
from components.view.detail import format_range
from components.view.filters import is_approximate, lowest_killed

__all__ = ["counted", "event_features"]


def event_features(
    events: pd.DataFrame,
    selected_id: str | None = None,
    colours: Mapping[str, str] | None = None,
    *,
    colour_by: str = s.EVENT_TYPE,
    fans: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict[str, Any]]:
    """GeoJSON point features for the events that have coordinates, smallest drawn last.

    Events at exactly the same spot keep their coordinates and carry a ``spread`` offset in
    pixels, which the map uses to draw them around the spot; their label says how many share it.
    ``fans`` (one row per event: its fan's centre as latitude, longitude, and its offset in
    pixels; NaN where not fanned) draws crowded events around another centre the same way.
    """
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    if placed.empty:
        return []
    if colours is None:
        colours = colours_for(events[colour_by], colour_by)
    approximate = is_approximate(placed).to_numpy()
    killed = lowest_killed(placed).to_numpy(dtype="float64", na_value=np.nan)
    radius = marker_radii(killed) + np.where(approximate, APPROXIMATE_EXTRA_RADIUS, 0)
    ids = placed[s.EVENT_ID].astype(str).to_numpy()
    selected = ids == selected_id
    fills = placed[colour_by].map(colours).fillna(UNKNOWN_TYPE_COLOUR).astype(str).to_numpy()
    outline = np.where(selected, SELECTED_OUTLINE, np.where(approximate, fills, "#ffffff"))
    weight = np.where(selected, 3, np.where(approximate, 2, 1))
    labels = _labels(placed) + np.where(approximate, " · approximate", "")
    latitude = placed[s.LATITUDE].to_numpy(dtype="float64").round(6)
    longitude = placed[s.LONGITUDE].to_numpy(dtype="float64").round(6)
    spread, sharing = spot_spread(latitude, longitude, radius)
    centre = np.column_stack([latitude, longitude])
    moved = sharing > 1
    if fans is not None:
        placed_rows = (events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()).to_numpy()
        fan_centre, fan_offset = fans[0][placed_rows], fans[1][placed_rows]
        fanned = ~np.isnan(fan_offset[:, 0])
        centre[fanned], spread[fanned] = fan_centre[fanned].round(6), fan_offset[fanned]
        moved |= fanned
    shared = sharing > 1
    labels[shared] = counted(sharing[shared], "event") + " at this spot · " + labels[shared]
    order = np.argsort(-radius, kind="stable")
    features = []
    for i in order.tolist():
        properties = {
            "event_id": ids[i],
            "fill": fills[i],
            "radius": int(radius[i]),
            "outline": str(outline[i]),
            "weight": int(weight[i]),
            "approximate": bool(approximate[i]),
            "label": str(labels[i]),
        }
        if moved[i]:
            properties.update(
                lat=float(centre[i, 0]), lng=float(centre[i, 1]), spread=spread[i].tolist()
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [longitude[i], latitude[i]]},
                "properties": properties,
            }
        )
    return features


def counted(count: Any, word: str) -> Any:
    """'1 event', '2 events'; for one number or for an array of them."""
    if np.ndim(count) == 0:
        return f"{int(count):,} {word}{'' if count == 1 else 's'}"
    return np.array([counted(c, word) for c in np.asarray(count).tolist()], dtype=object)


def _labels(events: pd.DataFrame) -> np.ndarray:
    """Short plain-text hover labels: date, type, place and killed."""
    start = events[s.DATE_START].dt.strftime("%Y-%m-%d").fillna("")
    low, high = events[s.KILLED_MIN], events[s.KILLED_MAX]
    reported = (low.notna() | high.notna()).to_numpy()
    killed = np.full(len(events), "", dtype=object)
    killed[reported] = [
        f"{format_range(a, b)} killed"
        for a, b in zip(low[reported].tolist(), high[reported].tolist(), strict=True)
    ]
    parts = [
        start.astype(str).to_numpy(dtype=object),
        events[s.EVENT_TYPE].fillna("").astype(str).to_numpy(dtype=object),
        events[s.LOCATION].fillna("").astype(str).to_numpy(dtype=object),
        killed,
    ]
    label = parts[0]
    for part in parts[1:]:
        joiner = np.where((label != "") & (part != ""), " · ", "")
        label = label + joiner + part
    return label
