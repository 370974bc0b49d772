"""The map's view in query mode, engine call by engine call: what one slider step asks DuckDB.

``python -m benchmarks.map_view EVENTS.parquet`` opens the embedded engine on a Parquet cache
of the page (e.g. the browser benchmark's, under its cache folder's ``events/``) and draws,
for a world, a region and a dense town view, three views one day of the date window apart (as
three steps of the slider), printing per view the process CPU and wall seconds in all and in
each engine call the grid makes (cells, cell_points, crowded_parts). CPU seconds count
DuckDB's threads too; on a shared machine they vary less than wall seconds.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import time
from pathlib import Path

# (south, west, north, east), zoom: the page's first view, a region, a dense synthetic spot.
VIEWS = {
    "world z2": ((-85.0, -180.0, 85.0, 180.0), 2),
    "region z5": ((30.0, 30.0, 42.0, 48.0), 5),
    "town z8": ((34.5, 38.0, 35.5, 39.2), 8),
}
CALLS = ("cells", "cell_points", "crowded_parts")
STEPS = 3


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.map_view")
    parser.add_argument("parquet", type=Path)
    parser.add_argument(
        "--columns",
        choices=("now", "never"),
        default="now",
        help="hold the hot columns in memory before the views (now) or read the file (never)",
    )
    args = parser.parse_args(argv)
    import pandas as pd

    from components.map.layer import colours_for
    from components.storage.duckdb_engine import ColumnarEvents
    from components.storage.view import database_view
    from components.view.filters import EventFilter

    cpu, wall = time.process_time(), time.perf_counter()
    engine = ColumnarEvents(args.parquet, columns_in_memory=args.columns)
    print(
        f"engine opened: {time.process_time() - cpu:.2f} s CPU, {time.perf_counter() - wall:.2f} s"
    )
    spent = _timed_calls(engine)
    colours = colours_for(pd.Series(engine.lists().types, dtype=str))
    first, last = engine.date_span()
    for number, (name, (bounds, zoom)) in enumerate(VIEWS.items()):
        for step in range(STEPS):
            # A new window each time: no answer is kept from another view.
            start = first + dt.timedelta(days=1 + step + STEPS * number)
            spent.clear()
            cpu, wall = time.process_time(), time.perf_counter()
            view = database_view(engine, EventFilter(start, last), bounds, zoom, colours=colours)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            calls = "  ".join(f"{c} {spent[c][0]:.2f}/{spent[c][1]:.2f}" for c in CALLS)
            print(
                f"{name} step {step + 1}: {cpu:.2f} s CPU, {wall:.2f} s wall, "
                f"{len(view.features)} features | CPU/wall {calls}"
            )
    print(f"load average {os.getloadavg()[0]:.1f}")
    engine.close()


def _timed_calls(engine) -> dict[str, list[float]]:
    """CPU and wall seconds per engine call the grid makes, wrapped on the instance."""
    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0])
    for name in CALLS:
        call = getattr(engine, name)

        def timed(*args, _call=call, _name=name, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return _call(*args, **kwargs)
            finally:
                spent[_name][0] += time.process_time() - cpu
                spent[_name][1] += time.perf_counter() - wall

        setattr(engine, name, timed)
    return spent


if __name__ == "__main__":
    main()
