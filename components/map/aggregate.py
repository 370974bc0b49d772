"""Grid cells for views with too many events: one circle per cell, labelled with its count."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from components.map.bounds import Bounds, mercator_x, mercator_y
from components.map.features import counted, event_features
from components.map.settings import CELL_PIXELS, MAX_POINTS, MAX_ZOOM
from components.map.style import AGGREGATE_FILL
from components.table import schema as s
from components.view.filters import lowest_killed

__all__ = ["aggregate_features"]


def aggregate_features(
    events: pd.DataFrame,
    in_view: np.ndarray,
    zoom: int,
    selected: str | None,
    colours: Mapping[str, str],
    colour_by: str,
) -> list[dict[str, Any]]:
    """One circle per grid cell in view; a cell holding one event shows that event instead."""
    rows = np.flatnonzero(in_view)
    latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
    killed = lowest_killed(events).to_numpy(dtype="float64", na_value=np.nan)[rows]
    x, y = mercator_x(longitude), mercator_y(latitude)
    cell = CELL_PIXELS / (256 * 2.0**zoom)
    while True:
        key = np.floor(x / cell).astype("int64") * (1 << 32) + np.floor(y / cell).astype("int64")
        codes, distinct = pd.factorize(key)
        if len(distinct) <= 4 * MAX_POINTS // 10:
            break
        cell *= 2
    count = np.bincount(codes, minlength=len(distinct))
    cells = pd.DataFrame(
        {
            "code": codes,
            "latitude": latitude,
            "longitude": longitude,
            "x": x,
            "y": y,
            "killed": np.nan_to_num(killed),
            "unknown": np.isnan(killed),
        }
    ).groupby("code", sort=True)
    centre = _inside_cells(cells[["x", "y"]].mean().to_numpy(), cell, count, zoom)
    low = cells[["latitude", "longitude"]].min().to_numpy()
    high = cells[["latitude", "longitude"]].max().to_numpy()
    killed_total = cells["killed"].sum().to_numpy().astype("int64")
    unknown = cells["unknown"].sum().to_numpy().astype("int64")
    lone = count == 1
    features = event_features(
        events.iloc[rows[lone[codes]]], selected, colours, colour_by=colour_by
    )
    drawn_zoom = math.log2(CELL_PIXELS / (256 * cell))
    for i in np.flatnonzero(~lone).tolist():
        box = Bounds(low[i, 0], low[i, 1], high[i, 0], high[i, 1])
        target = min(MAX_ZOOM, max(math.floor(drawn_zoom) + 1, box.fitting_zoom()))
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(centre[i, 1], 5), round(centre[i, 0], 5)],
                },
                "properties": {
                    "fill": AGGREGATE_FILL,
                    "radius": _cell_radius(int(count[i])),
                    "outline": "#ffffff",
                    "weight": 2,
                    "approximate": False,
                    "count": int(count[i]),
                    "killed": int(killed_total[i]),
                    "zoom_to": [
                        round(float(v), 5) for v in (box.south, box.west, box.north, box.east)
                    ],
                    "zoom": int(target),
                    "label": _cell_label(int(count[i]), int(killed_total[i]), int(unknown[i])),
                },
            }
        )
    return features


def _cell_radius(count: int) -> float:
    """Radius in pixels of a grid cell's circle: grows with the log of its number of events,
    and stays within half a cell, so that circles of two cells never overlap."""
    return round(min(CELL_PIXELS / 2 - 2, 10 + 4 * math.log10(max(count, 1))), 1)


def _inside_cells(mean_xy: np.ndarray, cell: float, count: np.ndarray, zoom: int) -> np.ndarray:
    """Each cell's circle at the mean of its events, moved just enough to lie inside its own
    cell: no two circles overlap, and none stands where its events are not. (lat, lng) rows."""
    pixel = 1 / (256 * 2.0**zoom)
    margin = np.array([_cell_radius(int(c)) for c in count]) * pixel
    margin = np.minimum(margin, cell / 2)
    low = np.floor(mean_xy / cell) * cell
    x = np.clip(mean_xy[:, 0], low[:, 0] + margin, low[:, 0] + cell - margin)
    y = np.clip(mean_xy[:, 1], low[:, 1] + margin, low[:, 1] + cell - margin)
    longitude = x * 360 - 180
    latitude = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y))))
    return np.column_stack([latitude, longitude])


def _cell_label(count: int, killed: int, unknown: int) -> str:
    if unknown == count:
        killed_text = "no killed figure reported"
    else:
        killed_text = f"{killed:,} killed (lowest reported figures"
        killed_text += f"; {counted(unknown, 'event')} report none)" if unknown else ")"
    return f"{count:,} events here · {killed_text} · click to zoom in"
