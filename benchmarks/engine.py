"""The columnar engine's benchmark: DuckDB over a Parquet file of synthetic events, up to ten
million, never holding the whole table in pandas.

Building writes the Parquet file a million rows at a time (generated, validated as a file's rows
are, written); then a fresh process opens the engine and runs what the page needs for one view
after another: the status line's counts, the timeline, the grid cells of the world map, and the
single events of a zoomed-in view. Rows named by place only are not geocoded here (the page's
loader would), so they count as not on the map. Each step runs in its own child process, and
its peak memory is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["measure", "table"]

# A day-long step of the slider, a 30-day preset, a view zoomed into a dense synthetic spot.
WINDOW_DAYS = 365
DENSE_BOUNDS = (34.85, 38.3, 35.15, 38.7)


def measure(sizes: list[int], out_dir: Path, seed: int) -> list[dict]:
    rows = []
    for size in sizes:
        parquet = out_dir / f"synthetic-events-{size}.parquet"
        build = _child("build", parquet, size, seed)
        query = _child("query", parquet, size, seed)
        rows.append({"size": size, **build, **query, "load": _load_average()})
        print(f"measured {size:,} events in the engine", file=sys.stderr)
    return rows


def _child(kind: str, parquet: Path, size: int, seed: int) -> dict:
    command = [sys.executable, "-m", "benchmarks.engine", kind, str(parquet), str(size)]
    done = subprocess.run(
        [*command, "--seed", str(seed)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"engine benchmark step {kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _build(parquet: Path, size: int, seed: int) -> dict:
    from benchmarks.synthetic import synthetic_chunks
    from components.storage.duckdb_engine import write_parquet
    from components.table.events import validate_events

    def typed():
        for chunk in synthetic_chunks(size, seed):
            yield validate_events(chunk, source="synthetic benchmark data").events

    started = time.perf_counter()
    write_parquet(typed(), parquet)
    return {
        "build s": time.perf_counter() - started,
        "parquet MB": parquet.stat().st_size / 1e6,
        "build peak MB": _peak_mb(),
    }


def _query(parquet: Path, size: int, seed: int) -> dict:
    from components.storage.duckdb_engine import ColumnarEvents
    from components.storage.view import database_view
    from components.view.filters import EventFilter

    started = time.perf_counter()
    engine = ColumnarEvents(parquet)
    _, last = engine.date_span()
    opened = time.perf_counter() - started

    def view(event_filter: EventFilter, bounds=None, zoom: int = 2) -> tuple[float, int]:
        """The work of one rerun: counts, timeline, and the map's cells or events; its bytes."""
        began = time.perf_counter()
        engine.counts(event_filter)
        engine.period_counts(event_filter, "M")
        # The page's own map view: points when few, else grid cells (storage/view.py).
        drawn = database_view(engine, event_filter, bounds, zoom, colours={})
        return time.perf_counter() - began, drawn.bytes

    window = EventFilter(date_from=last - dt.timedelta(days=WINDOW_DAYS), date_to=last)
    stepped = EventFilter(date_from=window.date_from + dt.timedelta(days=1), date_to=last)
    preset = EventFilter(date_from=last - dt.timedelta(days=30), date_to=last)
    first_view, first_bytes = view(EventFilter())
    timed = {
        "slider step": view(stepped),
        "preset": view(preset),
        "killed ≥ 10": view(EventFilter(killed=(10, None))),
        "zoomed in": view(EventFilter(), DENSE_BOUNDS, 11),
    }
    return {
        "open s": opened,
        "first view s": first_view,
        **{f"{name} s": seconds for name, (seconds, _) in timed.items()},
        "sent max": max([first_bytes, *(sent for _, sent in timed.values())]),
        "query peak MB": _peak_mb(),
    }


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load_average() -> str:
    return "/".join(f"{n:.1f}" for n in os.getloadavg())


_COLUMNS = (
    ("build Parquet s", "build s", "s"),
    ("Parquet MB", "parquet MB", "mb"),
    ("build peak MB", "build peak MB", "mb"),
    ("open s", "open s", "s"),
    ("first view s", "first view s", "s"),
    ("slider step s", "slider step s", "s"),
    ("preset s", "preset s", "s"),
    ("killed ≥ 10 s", "killed ≥ 10 s", "s"),
    ("zoomed in s", "zoomed in s", "s"),
    ("result sent (max)", "sent max", "bytes"),
    ("query peak MB", "query peak MB", "mb"),
)


def table(rows: list[dict]) -> str:
    header = ["events", *(c[0] for c in _COLUMNS), "load avg (1/5/15 min)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [_cell(row[key], unit) for _, key, unit in _COLUMNS]
        lines.append("| " + " | ".join([f"{row['size']:,}", *cells, row["load"]]) + " |")
    return "\n".join(lines)


def _cell(value: float, unit: str) -> str:
    if unit == "bytes":
        return f"{value / 1e6:.2f} MB" if value >= 10_000 else f"{value / 1e3:.1f} kB"
    if unit == "mb":
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engine")
    parser.add_argument("kind", choices=("build", "query"))
    parser.add_argument("parquet", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    step = _build if args.kind == "build" else _query
    print(json.dumps(step(args.parquet, args.size, args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(_main())
