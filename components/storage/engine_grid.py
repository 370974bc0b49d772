"""The map's grid from one pass of the embedded engine: the filtered rows grouped in squares
``FINE`` times finer than the map's cells, from which the cells, the rows of the small cells
and the crowded parts of the others (to that depth) are summed here, in memory.

One pass over the filtered rows instead of three (cells, their events, their crowded parts):
each pass over a million rows costs about the same, whatever it groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from components.map.cell_source import key_codes, nested_parts
from components.storage.queries import CELL_COLUMNS, PART_COLUMNS

__all__ = [
    "FINE",
    "FINE_DEPTH",
    "FineGroups",
    "box_of",
    "cells_of",
    "fine_groups",
    "known_depth",
    "parts_of",
]

# The groups' squares are the cell's halved this many times (so FINE to a cell's width): the
# depth to which a cell's crowded parts are known without another pass.
FINE_DEPTH = 3
FINE = 1 << FINE_DEPTH
_HAIR = 1e-7  # degrees, about a centimetre


@dataclass(frozen=True)
class FineGroups:
    """The filtered rows in squares ``cell / FINE`` wide: key, count, killed total, events
    without a killed figure, sums of latitudes and longitudes, box, first row numbers."""

    keys: np.ndarray  # (n, 2) int64, at the fine width
    count: np.ndarray
    killed: np.ndarray
    unknown: np.ndarray
    sums: np.ndarray  # (n, 2): latitude, longitude
    box: np.ndarray  # (n, 4): south, west, north, east
    first_rows: list  # per group, its first row numbers (all of them in a small group)

    def cells(self) -> np.ndarray:
        """Each group's cell key (the grids nest exactly)."""
        return self.keys >> FINE_DEPTH


def fine_groups(frame: pd.DataFrame) -> FineGroups:
    """engine_sql.fine_cells_sql's rows."""
    return FineGroups(
        keys=frame[["fx", "fy"]].to_numpy(dtype="int64").reshape(-1, 2),
        count=frame["events"].to_numpy(dtype="int64"),
        killed=frame["killed"].to_numpy(dtype="int64"),
        unknown=frame["unknown"].to_numpy(dtype="int64"),
        sums=frame[["lat_sum", "lng_sum"]].to_numpy(dtype="float64").reshape(-1, 2),
        box=frame[["south", "west", "north", "east"]].to_numpy(dtype="float64").reshape(-1, 4),
        first_rows=list(frame["first_rows"]),
    )


def cells_of(groups: FineGroups, listed_up_to: int) -> tuple[pd.DataFrame, dict[int, list[int]]]:
    """The cells (CELL_COLUMNS, by key), and the row numbers of every cell of at most
    ``listed_up_to`` events, by key as one number (each group lists that many at least)."""
    keys = groups.cells()
    codes = key_codes(keys)
    distinct, cell = np.unique(codes, return_inverse=True)
    n = len(distinct)
    count = np.bincount(cell, groups.count, n).astype("int64")
    frame = pd.DataFrame(
        {
            "events": count,
            "killed": np.bincount(cell, groups.killed, n).astype("int64"),
            "unknown": np.bincount(cell, groups.unknown, n).astype("int64"),
            "latitude": np.bincount(cell, groups.sums[:, 0], n) / np.maximum(count, 1),
            "longitude": np.bincount(cell, groups.sums[:, 1], n) / np.maximum(count, 1),
        }
    )
    for i, (name, reduce) in enumerate(
        (("south", np.minimum), ("west", np.minimum), ("north", np.maximum), ("east", np.maximum))
    ):
        start = np.full(n, np.inf if reduce is np.minimum else -np.inf)
        reduce.at(start, cell, groups.box[:, i])
        frame[name] = start
    listed: dict[int, list[int]] = {}
    for i in np.flatnonzero(count[cell] <= listed_up_to).tolist():
        listed.setdefault(int(distinct[cell[i]]), []).extend(int(r) for r in groups.first_rows[i])
    return frame[list(CELL_COLUMNS)], {code: sorted(rows) for code, rows in listed.items()}


def known_depth(cell: float, finest: list[float]) -> np.ndarray:
    """Which of the squares asked down to ``finest`` the groups answer (no finer than they)."""
    depth = np.round(np.log2(cell / np.asarray(finest, dtype="float64"))).astype("int64")
    return (depth >= 1) & (depth <= FINE_DEPTH)


def box_of(groups: FineGroups, keys: list[tuple[int, int]]) -> tuple[float, ...]:
    """(south, west, north, east) around the rows of the cells ``keys`` (which hold rows)."""
    cells = groups.cells()
    codes = key_codes(cells)
    chosen = np.isin(codes, key_codes(keys))
    box = groups.box[chosen]
    # A hair wider: the view's SQL works out its east edge from its width, which may round
    # off an event on that edge; events of other cells let in are left out by their key.
    low, high = box[:, :2].min(axis=0) - _HAIR, box[:, 2:].max(axis=0) + _HAIR
    return (*low.tolist(), *high.tolist())


def parts_of(
    groups: FineGroups,
    cell: float,
    keys: list[tuple[int, int]],
    finest: list[float],
    more_than: int,
) -> pd.DataFrame:
    """EventQueries.crowded_parts from the groups (PART_COLUMNS, widest first, then by key),
    for squares asked no finer than the groups are (see :func:`known_depth`)."""
    asked = key_codes(keys)
    depth = np.round(np.log2(cell / np.asarray(finest, dtype="float64"))).astype("int64")
    if not known_depth(cell, finest).all():
        raise ValueError(f"squares asked deeper than {FINE_DEPTH} halvings of the cells")
    cells = groups.cells()
    codes = key_codes(cells)
    order = np.argsort(asked)
    at = np.minimum(np.searchsorted(asked[order], codes), max(len(asked) - 1, 0))
    inside = (asked[order][at] == codes) if len(asked) else np.zeros(len(codes), bool)
    level = depth[order][at[inside]]
    fine = groups.keys[inside] >> (FINE_DEPTH - level).reshape(-1, 1)
    parts = nested_parts(
        level,
        fine,
        groups.count[inside],
        groups.box[inside],
        cell,
        np.asarray(finest, dtype="float64"),
        more_than,
    )
    frame = pd.DataFrame(
        {
            "part": parts.part,
            "cx": parts.keys[:, 0],
            "cy": parts.keys[:, 1],
            "events": parts.count,
            "south": parts.box[:, 0],
            "west": parts.box[:, 1],
            "north": parts.box[:, 2],
            "east": parts.box[:, 3],
        }
    )
    return frame[list(PART_COLUMNS)]
