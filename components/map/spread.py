"""Drawing crowded events apart, so that each can be clicked: rings and spirals in pixels.

Events are fanned around a centre: those at exactly one spot around that spot (a ring for a
few, a spiral for more), and a few events close together in one grid cell around their mean,
in the order of their directions from it, so the picture keeps its shape. A fanned event keeps
its coordinates; the map draws it at its fan's centre plus an offset in screen pixels, which
holds at every zoom (see ``static/events.js``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = ["Fans", "fan_cells", "spot_spread"]

# Events at exactly the same spot are drawn around it: a ring of this radius (pixels) for a
# few, a spiral for more.
SPREAD_PIXELS = 14
SPREAD_RING_MAX = 8
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
# Two markers closer than this share of the sum of their radii hide each other's centre.
_OVERLAP = 0.9
# Space between the edges of two fanned markers, in pixels.
_GAP = 2


def spot_spread(
    latitude: np.ndarray, longitude: np.ndarray, radius: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets that put events at one spot around it, and how many share each spot.

    The ring, or the spiral's spacing, widens with the spot's largest marker (``radius``), so
    that no marker covers another's middle.
    """
    radius = np.full(len(latitude), 6.0) if radius is None else np.asarray(radius, "float64")
    spots = pd.DataFrame({"latitude": latitude, "longitude": longitude, "radius": radius}).groupby(
        ["latitude", "longitude"], sort=False
    )
    rank = spots.cumcount().to_numpy()
    sharing = spots["latitude"].transform("size").to_numpy()
    widest = spots["radius"].transform("max").to_numpy()
    ring = sharing <= SPREAD_RING_MAX
    angle = np.where(ring, 2 * np.pi * rank / sharing - np.pi / 2, rank * _GOLDEN_ANGLE)
    ring_radius = np.maximum(SPREAD_PIXELS, sharing * (2 * widest + _GAP) / (2 * np.pi))
    # Neighbours on a golden-angle spiral stand at least ~1.6 steps apart.
    step = np.maximum(0.7 * SPREAD_PIXELS, (2 * widest + _GAP) / 1.6)
    distance = np.where(ring, ring_radius, step * np.sqrt(rank + 1))
    offsets = np.column_stack([distance * np.cos(angle), distance * np.sin(angle)]).round(1)
    return offsets, sharing


class Fans:
    """Per event: its fan's centre in pixels and its offset from it (NaN: drawn where it is)."""

    def __init__(self, count: int) -> None:
        self.centre = np.full((count, 2), np.nan)
        self.offset = np.full((count, 2), np.nan)

    def fanned(self) -> np.ndarray:
        return ~np.isnan(self.offset[:, 0])


def fan_cells(
    px: np.ndarray, py: np.ndarray, radius: np.ndarray, cell: np.ndarray, cell_pixels: float
) -> Fans:
    """Fans for events drawn one by one inside grid cells of ``cell_pixels`` (pixel coordinates
    at the zoom drawn; ``cell`` numbers each event's cell).

    In a cell whose events hide one another, all of them go on a ring around their mean, kept
    inside the cell so that two cells' fans never meet; events at one spot alone in their cell
    go around that spot. A cell whose events are all apart is left as it is.
    """
    fans = Fans(len(px))
    order = np.argsort(cell, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(cell[order]) != 0])
    for members in np.split(order, starts[1:]):
        if len(members) < 2:
            continue
        x, y, r = px[members], py[members], radius[members]
        if not _hidden(x, y, r):
            continue
        if np.ptp(x) == 0 and np.ptp(y) == 0:
            continue  # one spot: spot_spread draws it, with a ring or a spiral of any size
        centre, offsets = _ring(x, y, r, cell_pixels)
        fans.centre[members] = centre
        fans.offset[members] = offsets
    return fans


def _hidden(x: np.ndarray, y: np.ndarray, r: np.ndarray) -> bool:
    """Whether any two of these markers come close enough to hide one another."""
    distance = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    reach = _OVERLAP * (r[:, None] + r[None, :])
    np.fill_diagonal(distance, np.inf)
    return bool((distance < reach).any())


def _ring(
    x: np.ndarray, y: np.ndarray, r: np.ndarray, cell_pixels: float
) -> tuple[np.ndarray, np.ndarray]:
    """A ring of the markers around their mean, wide enough for them side by side when the cell
    allows it, in the order of their directions from the mean."""
    count, widest = len(x), float(r.max())
    wanted = count * (2 * widest + _GAP) / (2 * np.pi)
    room = max(cell_pixels / 2 - widest - 1, SPREAD_PIXELS / 2)
    radius = min(max(wanted, SPREAD_PIXELS), room)
    # The centre moves just enough for the ring to stay inside the events' own cell.
    low_x = np.floor(x.mean() / cell_pixels) * cell_pixels
    low_y = np.floor(y.mean() / cell_pixels) * cell_pixels
    edge = min(radius + widest, cell_pixels / 2)
    centre_x = float(np.clip(x.mean(), low_x + edge, low_x + cell_pixels - edge))
    centre_y = float(np.clip(y.mean(), low_y + edge, low_y + cell_pixels - edge))
    # Each event's slot keeps its direction from the centre; ties (one spot) in table order.
    direction = np.arctan2(y - y.mean(), x - x.mean())
    slot = np.empty(count, dtype=int)
    slot[np.lexsort((np.arange(count), direction))] = np.arange(count)
    start = float(np.sort(direction)[0]) if np.ptp(direction) > 0 else -np.pi / 2
    angle = start + 2 * np.pi * slot / count
    offsets = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]).round(1)
    return np.array([centre_x, centre_y]), offsets
