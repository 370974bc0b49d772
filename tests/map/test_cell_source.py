"""Landing zooms asked in one pass (every zoom's crowded parts at once) are those of asking zoom
after zoom, as the definition reads: the first zoom at which every part of a cell's events is
drawn one by one, unless its box stops fitting the map first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.map.aggregate import grid, landing_zooms
from components.map.bounds import Bounds, mercator_x, mercator_y
from components.map.cell_source import FrameCells
from components.map.settings import CELL_PIXELS, CELL_SHOWS_EVENTS, MAX_ZOOM, SPOT_SHOWS_EVENTS
from components.table import schema as s


def crowded_points(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    lat, lng = [], []
    for _ in range(12):  # places of every size: one spot, metres, kilometres, a region
        centre = rng.uniform([-50, -170], [60, 170])
        spread = rng.choice([0.0, 1e-4, 1e-2, 0.3, 3.0])
        count = int(rng.integers(5, 90))
        lat += list(centre[0] + rng.uniform(-spread, spread, count))
        lng += list(centre[1] + rng.uniform(-spread, spread, count))
    return pd.DataFrame(
        {
            s.LATITUDE: np.round(lat, 5),
            s.LONGITUDE: np.round(lng, 5),
            s.KILLED_MIN: pd.array([None] * len(lat), dtype="Int64"),
            s.KILLED_MAX: pd.array([None] * len(lat), dtype="Int64"),
        }
    )


def zoom_by_zoom(events: pd.DataFrame, box: np.ndarray, cell: float, drawn: int, pixels) -> int:
    """The definition, for one cell's events."""
    deepest = int(np.clip(Bounds(*box).fitting_zoom(pixels), drawn + 1, MAX_ZOOM))
    x, y = mercator_x(events[s.LONGITUDE].to_numpy()), mercator_y(events[s.LATITUDE].to_numpy())
    for zoom in range(drawn + 1, deepest + 1):
        part = CELL_PIXELS / (256 * 2.0**zoom)
        groups = events.groupby([np.floor(x / part), np.floor(y / part)])
        size = groups.size().to_numpy()
        spot = (groups[s.LATITUDE].nunique() == 1) & (groups[s.LONGITUDE].nunique() == 1)
        shown = (size <= CELL_SHOWS_EVENTS) | (spot.to_numpy() & (size <= SPOT_SHOWS_EVENTS))
        if zoom >= MAX_ZOOM or shown.all():
            return zoom
    return deepest


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("zoom", [1, 4, 8])
def test_landing_zooms_in_one_pass_follow_the_definition(seed, zoom):
    events = crowded_points(seed)
    source = FrameCells(events, np.arange(len(events)))
    cells = grid(source, zoom)
    drawn = round(np.log2(CELL_PIXELS / (256 * cells.cell)))
    landing = landing_zooms(source, cells, drawn, (700, 560))
    x = mercator_x(events[s.LONGITUDE].to_numpy())
    y = mercator_y(events[s.LATITUDE].to_numpy())
    keys = np.column_stack([np.floor(x / cells.cell), np.floor(y / cells.cell)]).astype("int64")
    counted = np.flatnonzero(~cells.as_points)
    assert counted.size
    for i in counted.tolist():
        mine = (keys == cells.cells.keys[i]).all(axis=1)
        expected = zoom_by_zoom(events[mine], cells.cells.box[i], cells.cell, drawn, (700, 560))
        assert landing[i] == expected, (i, cells.cells.count[i])
