"""The map's questions to the embedded engine (:class:`components.storage.duckdb_engine.
ColumnarEvents`): the grid's cells, the events of the cells drawn one by one and the crowded
parts of the others, answered from one grouping pass (:mod:`components.storage.engine_grid`)
where it can, else from the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from components.map.cell_source import key_codes, part_sizes
from components.map.settings import SPOT_SHOWS_EVENTS
from components.storage import engine_grid as grid
from components.storage import engine_sql as q
from components.storage.answers import frozen, remembered
from components.storage.queries import POINT_COLUMNS
from components.view.filters import EventFilter

__all__ = ["CELL_ROWS", "MapQuestions"]

# Cells of at most this many events list their rows with the counts: all the cells the map
# draws one by one but at the deepest zoom (a few events, or a ring of them at one spot).
CELL_ROWS = SPOT_SHOWS_EVENTS


def _grid_key(event_filter: EventFilter | None, bounds, cell: float) -> object:
    return frozen((event_filter, bounds, float(cell)))


class MapQuestions:
    """The grid's questions of an engine over one file. The engine provides ``_scan`` (the view
    its filters read), ``_answers`` and ``_grids`` (kept answers and grid passes),
    ``_kept_points`` (rows read by number), ``_where_in_view``, ``_frame`` and ``_typed``."""

    @remembered
    def cells(
        self, event_filter: EventFilter | None, bounds: Sequence[float] | None, cell: float
    ) -> pd.DataFrame:
        where, params = self._where_in_view(event_filter, bounds)
        fine = float(cell) / grid.FINE
        groups = grid.fine_groups(
            self._frame(q.fine_cells_sql(where, self._scan), [fine, fine, CELL_ROWS, *params])
        )
        cells, listed = grid.cells_of(groups, CELL_ROWS)
        # What the map asks next of this grid is answered from the same pass: the events of
        # the cells drawn one by one (cell_points) and the crowded parts of the others.
        self._grids.get(_grid_key(event_filter, bounds, cell), lambda: (groups, listed))
        return cells

    @remembered
    def cell_points(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        limit: int,
    ) -> pd.DataFrame:
        _, listed = self._grids.peek(_grid_key(event_filter, bounds, cell)) or (None, None)
        codes = key_codes(keys).tolist()
        if listed is not None and all(code in listed for code in codes):
            # Every square's rows were listed with the cells: read by number, no second pass.
            rows = sorted(int(r) for code in codes for r in listed[code])
            return self._points_at(rows[: int(limit)])
        where, params = self._in_squares(event_filter, bounds, cell, keys)
        return self._typed(
            f"SELECT {', '.join(POINT_COLUMNS)} FROM events WHERE {where} ORDER BY _row LIMIT ?",
            [*params, int(limit)],
        )

    def _points_at(self, rows: list[int]) -> pd.DataFrame:
        """The map's columns of the rows numbered ``rows`` (sorted); the rows of the last views
        are kept, as a step of the slider draws mostly the events it drew before."""
        if self._kept_points.missing(rows):
            read = self._typed(
                f"SELECT _row, {', '.join(POINT_COLUMNS)} FROM events JOIN "
                "(SELECT unnest(?::BIGINT[]) AS wanted) AS chosen ON _row = chosen.wanted",
                [self._kept_points.missing(rows)],
            )
            self._kept_points.add(read)
        return self._kept_points.take(rows)[list(POINT_COLUMNS)]

    @remembered
    def crowded_parts(
        self,
        event_filter: EventFilter | None,
        bounds: Sequence[float] | None,
        cell: float,
        keys: Sequence[tuple[int, int]],
        finest: Sequence[float],
        more_than: int,
    ) -> pd.DataFrame:
        keys, finest = [(int(x), int(y)) for x, y in keys], [float(f) for f in finest]
        groups, _ = self._grids.peek(_grid_key(event_filter, bounds, cell)) or (None, None)
        if groups is None:
            return self._parts(event_filter, bounds, cell, keys, finest, more_than)
        # The cells' pass grouped the rows a few halvings deep: the squares asked no deeper are
        # summed from its groups; the few others are counted from their rows, inside their box.
        known = grid.known_depth(float(cell), finest)
        shallow = [k for k, ok in zip(keys, known, strict=True) if ok]
        parts = grid.parts_of(
            groups, float(cell), shallow, list(np.array(finest)[known]), more_than
        )
        if known.all():
            return parts
        deep = [k for k, ok in zip(keys, known, strict=True) if not ok]
        box = grid.box_of(groups, deep)
        deeper = self._parts(
            event_filter, bounds, cell, deep, list(np.array(finest)[~known]), more_than, box
        )
        both = pd.concat([parts, deeper], ignore_index=True)
        return both.sort_values(["part", "cx", "cy"], ascending=[False, True, True]).reset_index(
            drop=True
        )

    def _parts(self, event_filter, bounds, cell, keys, finest, more_than, box=None):
        """crowded_parts counted from the rows (inside ``box`` too, when given)."""
        where, params = self._where_in_view(event_filter, bounds)
        if box is not None:
            inside, more = q.bounds_sql(box)
            where, params = f"{where} AND {inside}", [*params, *more]
        codes = key_codes(keys).tolist()
        widths = part_sizes(cell, np.array(finest, dtype="float64"))
        values = [float(cell), float(cell), *params, codes, [float(f) for f in finest], widths]
        return self._frame(q.parts_sql(where, self._scan), [*values, int(more_than)])

    def _in_squares(self, event_filter, bounds, cell: float, keys) -> tuple[str, list[object]]:
        where, params = self._where_in_view(event_filter, bounds)
        codes = key_codes(keys).tolist()
        return q.in_squares_sql(where), [*params, float(cell), float(cell), codes]
