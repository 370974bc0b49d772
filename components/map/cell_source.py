"""Where the map's grid cells come from: the few questions :mod:`components.map.aggregate` asks
of the events in view, answered here from arrays held in memory and, for a table a query engine
holds, by :class:`components.storage.view.EngineCells` in the engine itself.

Both answer alike, so the cells, fans, labels and landing zooms are drawn by one code whatever
holds the table. A cell is named by its key: its column and row on the Web Mercator grid of its
size (``floor(x / cell)``, ``floor(y / cell)``, x and y in world units 0 to 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from components.map.bounds import mercator_x, mercator_y
from components.table import schema as s

__all__ = [
    "CellSource",
    "CellTable",
    "FrameCells",
    "Parts",
    "crowded_parts",
    "frame_cells",
    "key_codes",
    "keys_of",
    "nested_parts",
    "no_parts",
    "part_sizes",
]


@dataclass(frozen=True)
class CellTable:
    """Per cell, sorted by key (column, then row): key, count, box (south, west, north, east),
    killed total (lowest figures), events without a killed figure, mean (latitude, longitude)."""

    keys: np.ndarray  # (n, 2) int64
    count: np.ndarray
    box: np.ndarray
    killed: np.ndarray
    unknown: np.ndarray
    mean: np.ndarray


@dataclass(frozen=True)
class Parts:
    """Crowded parts of some cells: each part's width, its key at that width, its count and
    its box."""

    part: np.ndarray  # float64
    keys: np.ndarray  # (m, 2) int64
    count: np.ndarray
    box: np.ndarray

    def parents(self, cell: float) -> np.ndarray:
        """The keys of the cells ``cell`` wide the parts lie in: the grids nest exactly, every
        width being a power of two."""
        ratio = np.round(cell / self.part).astype("int64").reshape(-1, 1)
        return self.keys // np.maximum(ratio, 1)


class CellSource(Protocol):
    """The events in one view of the map, as the grid asks for them."""

    def cells(self, cell: float) -> CellTable:
        """Every cell ``cell`` wide that holds an event in view."""
        ...

    def points(self, cell: float, keys: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        """The events in the cells ``keys`` in the table's order (the map's point columns at
        least), and each one's cell key."""
        ...

    def crowded(self, cell: float, keys: np.ndarray, finest: np.ndarray, more_than: int) -> Parts:
        """Inside each cell ``keys[i]``, the squares ``cell / 2``, ``cell / 4``, ... down to
        ``finest[i]`` wide holding more than ``more_than`` events."""
        ...


def keys_of(latitude: np.ndarray, longitude: np.ndarray, cell: float) -> np.ndarray:
    """Each point's cell key, (n, 2) int64."""
    return np.column_stack(
        [np.floor(mercator_x(longitude) / cell), np.floor(mercator_y(latitude) / cell)]
    ).astype("int64")


def key_codes(keys: np.ndarray) -> np.ndarray:
    """One int64 per key that sorts as the keys do (column, then row)."""
    keys = np.asarray(keys, dtype="int64").reshape(-1, 2)
    return keys[:, 0] * (1 << 32) + keys[:, 1]


def frame_cells(
    latitude: np.ndarray, longitude: np.ndarray, killed: np.ndarray, cell: float
) -> tuple[CellTable, np.ndarray]:
    """The cells of points held in memory, and each point's cell number (its row of the table)."""
    distinct, codes, count, box = _group_points(
        key_codes(keys_of(latitude, longitude, cell)), latitude, longitude
    )
    n = len(distinct)
    table = CellTable(
        keys=np.column_stack([distinct >> 32, distinct & 0xFFFFFFFF]).astype("int64"),
        count=count,
        box=box,
        killed=np.bincount(codes, np.nan_to_num(killed), n).round().astype("int64"),
        unknown=np.bincount(codes, np.isnan(killed), n).astype("int64"),
        mean=np.column_stack(
            [np.bincount(codes, v, n) / np.maximum(count, 1) for v in (latitude, longitude)]
        ),
    )
    return table, codes


def _group_points(
    codes: np.ndarray, latitude: np.ndarray, longitude: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Points grouped by code: the distinct codes sorted, each point's group number, and per
    group its count and box (south, west, north, east). Hashed, not sorted: a view may hold a
    million points."""
    found, distinct = pd.factorize(codes)
    rank = np.empty(len(distinct), dtype="int64")
    rank[np.argsort(distinct)] = np.arange(len(distinct))
    found = rank[found] if len(found) else found.astype("int64")
    groups = pd.DataFrame({"lat": latitude, "lng": longitude}).groupby(found, sort=True)
    low, high = groups.min(), groups.max()
    box = np.column_stack([low["lat"], low["lng"], high["lat"], high["lng"]]).reshape(-1, 4)
    count = np.bincount(found, minlength=len(distinct))
    return np.sort(np.asarray(distinct, dtype="int64")), found, count, box


def _runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that sorts ``codes``, and where each run of one code starts in it."""
    order = np.argsort(codes, kind="stable")
    ranked = codes[order]
    return order, np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]]) if len(ranked) else order


def _boxes(order: np.ndarray, starts: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The box (south, west, north, east) around each run's boxes."""
    if not len(starts):
        return np.zeros((0, 4))
    ranked = box[order]
    low = [np.minimum.reduceat(ranked[:, i], starts) for i in (0, 1)]
    high = [np.maximum.reduceat(ranked[:, i], starts) for i in (2, 3)]
    return np.column_stack([*low, *high])


class FrameCells:
    """A :class:`CellSource` over rows of a loaded table (the events in view, in its order)."""

    def __init__(self, events: pd.DataFrame, rows: np.ndarray) -> None:
        self.events = events
        self.rows = rows
        self.latitude = events[s.LATITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
        self.longitude = events[s.LONGITUDE].to_numpy(dtype="float64", na_value=np.nan)[rows]
        self._keys: dict[float, np.ndarray] = {}

    def cells(self, cell: float) -> CellTable:
        # As plain arrays before taking the rows: taking from Arrow columns costs far more.
        low, high = (
            self.events[c].to_numpy(dtype="float64", na_value=np.nan)[self.rows]
            for c in (s.KILLED_MIN, s.KILLED_MAX)
        )
        killed = np.where(np.isnan(low), high, low)  # lowest_killed
        return frame_cells(self.latitude, self.longitude, killed, cell)[0]

    def points(self, cell: float, keys: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
        inside = self._inside(cell, keys)
        # Only the events drawn one by one are taken whole: a view may hold most of a million.
        return self.events.iloc[self.rows[inside]], self._keys_at(cell)[inside]

    def crowded(self, cell: float, keys: np.ndarray, finest: np.ndarray, more_than: int) -> Parts:
        return crowded_parts(self.latitude, self.longitude, cell, keys, finest, more_than)

    def _keys_at(self, cell: float) -> np.ndarray:
        if cell not in self._keys:
            self._keys[cell] = keys_of(self.latitude, self.longitude, cell)
        return self._keys[cell]

    def _inside(self, cell: float, keys: np.ndarray) -> np.ndarray:
        return np.isin(key_codes(self._keys_at(cell)), key_codes(keys))


def part_sizes(cell: float, finest: np.ndarray) -> list[float]:
    """The widths ``cell / 2``, ``cell / 4``, ... down to the smallest of ``finest``."""
    sizes, part = [], cell / 2
    smallest = float(np.min(finest)) if len(finest) else cell
    while part >= smallest:
        sizes.append(part)
        part /= 2
    return sizes


# A square packed in one number: its depth, column and row (each below 2**29, zoom 27).
_BITS = 29
_MASK = (1 << _BITS) - 1


def crowded_parts(
    latitude: np.ndarray,
    longitude: np.ndarray,
    cell: float,
    keys: np.ndarray,
    finest: np.ndarray,
    more_than: int,
) -> Parts:
    """:meth:`CellSource.crowded` for points held in memory, sorted by width (widest first),
    then by key. The points are grouped once at their cell's finest width; the wider squares
    are sums of those groups (the grids nest exactly: every width is a power of two)."""
    asked, finest = key_codes(keys), np.asarray(finest, dtype="float64")
    if len(finest) and finest.min() < 2.0**-_BITS:
        raise ValueError(f"squares finer than 2**-{_BITS} of the world are not counted")
    order = np.argsort(asked)
    codes = key_codes(keys_of(latitude, longitude, cell))
    at = np.minimum(np.searchsorted(asked[order], codes), max(len(asked) - 1, 0))
    inside = (asked[order][at] == codes) if len(asked) else np.zeros(len(codes), bool)
    width = finest[order][at[inside]]
    lat, lng = latitude[inside], longitude[inside]
    level = np.round(np.log2(cell / width)).astype("int64")
    fine = np.column_stack([np.floor(mercator_x(lng) / width), np.floor(mercator_y(lat) / width)])
    fine = fine.astype("int64")
    groups, _, count, box = _group_points(
        (level << (2 * _BITS)) | (fine[:, 0] << _BITS) | fine[:, 1], lat, lng
    )
    level = groups >> (2 * _BITS)
    fine = np.column_stack([(groups >> _BITS) & _MASK, groups & _MASK])
    return nested_parts(level, fine, count, box, cell, finest, more_than)


def nested_parts(
    level: np.ndarray,
    fine: np.ndarray,
    count: np.ndarray,
    box: np.ndarray,
    cell: float,
    finest: np.ndarray,
    more_than: int,
) -> Parts:
    """The crowded parts, widest first, then by key, of groups of events: each group lies in
    a square ``cell / 2 ** level`` wide (its key ``fine`` at that width, the finest asked in
    its cell) and holds ``count`` events in ``box``. The wider squares are sums of those
    groups (the grids nest exactly: every width is a power of two); a square may be given in
    several groups."""
    found: list[Parts] = []
    for part in part_sizes(cell, finest):
        depth = round(np.log2(cell / part))
        here = level >= depth
        ratio = (1 << (level[here] - depth)).reshape(-1, 1)
        squares = fine[here] // ratio
        runs, starts = _runs((squares[:, 0] << _BITS) | squares[:, 1])
        if not len(starts):
            continue
        total = np.add.reduceat(count[here][runs], starts)
        crowded = total > more_than
        found.append(
            Parts(
                np.full(int(crowded.sum()), part),
                squares[runs][starts][crowded],
                total[crowded],
                _boxes(runs, starts, box[here])[crowded],
            )
        )
    if not found:
        return no_parts()
    return Parts(
        *(np.concatenate([getattr(p, f) for p in found]) for f in Parts.__dataclass_fields__)
    )


def no_parts() -> Parts:
    return Parts(np.zeros(0), np.zeros((0, 2), "int64"), np.zeros(0, "int64"), np.zeros((0, 4)))
