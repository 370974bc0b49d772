"""The database mode's benchmark: synthetic events loaded into PostgreSQL/PostGIS (1 and 10
million by default), then the map's views one after another, each as the page would ask:
count the events in view, then fetch them (up to 5,000) or have the database group them
into grid cells, and build the features the map draws. Beside it, the file mode at one
million in the same run: the whole table in pandas, filtered and layered in Python.

    python -m benchmarks.db_bench                   # starts the local server (scripts/db.sh)
    python -m benchmarks.db_bench --sizes 1000000 --url postgresql://…/postgres

Each size gets a fresh database (strikemap_bench_N) on the server, dropped at the end unless
--keep. Prints a Markdown table. By hand, not in CI: 10 million events take a while to load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

from components import PROJECT_ROOT
from components.table import schema as s
from components.view.filters import EventFilter

# As in benchmarks/engine.py: the world, a year's window, a 30-day preset with two filters,
# and a view zoomed into a dense synthetic spot; then a continent, and two filters the ready
# grid counts cannot answer (an actor, a casualty range), which scan the events themselves.
WORLD = (-85.0, -180.0, 85.0, 180.0)
DENSE_BOUNDS = (34.85, 38.3, 35.15, 38.7)
MIDDLE_EAST = (10.0, 25.0, 45.0, 75.0)


def views(last: dt.date) -> list[tuple[str, EventFilter, tuple, int]]:
    year = EventFilter(date_from=last - dt.timedelta(days=365), date_to=last)
    month = EventFilter(
        date_from=last - dt.timedelta(days=30),
        date_to=last,
        killed=(1, None),
        event_types=frozenset({"Air/drone strike"}),
    )
    actor = EventFilter(actors=frozenset({"Synthetic armed group 7"}))
    return [
        ("world, no filter", EventFilter(), WORLD, 2),
        ("world, one year", year, WORLD, 2),
        ("world, 30 days, air strikes, killed ≥ 1", month, WORLD, 2),
        ("dense spot, zoom 12", EventFilter(), DENSE_BOUNDS, 12),
        ("dense spot, one year", year, DENSE_BOUNDS, 12),
        ("Middle East, zoom 4, no filter", EventFilter(), MIDDLE_EAST, 4),
        ("Middle East, zoom 4, one year, air strikes", EventFilter(
            date_from=year.date_from, date_to=last, event_types=month.event_types),
         MIDDLE_EAST, 4),
        ("world, one actor (raw scan)", actor, WORLD, 2),
        ("world, killed ≥ 10 (raw scan)", EventFilter(killed=(10, None)), WORLD, 2),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    server = args.url or _start_server()
    sizes = [int(n.replace("_", "")) for n in args.sizes.split(",") if n.strip()]
    rows = []
    if args.file_size:
        rows += _file_mode(args.file_size, args.seed)
    for size in sizes:
        rows += _database_mode(
            server, size, args.seed, keep=args.keep, reuse=args.reuse, only=args.only
        )
    print(_table(rows))
    return 0


def _has_events(url: str, size: int) -> bool:
    try:
        with psycopg.connect(url) as conn:
            return _one(conn, "SELECT count(*) FROM event_points") == size
    except psycopg.Error:
        return False


def _database_mode(
    server: str, size: int, seed: int, *, keep: bool, reuse: bool = False, only: str = ""
) -> list[dict]:
    from benchmarks.synthetic import synthetic_chunks
    from components.map.style import colours_for
    from components.storage import transfer
    from components.storage.postgres import PostgresStore
    from components.storage.view import database_view
    from components.table.events import validate_events

    name = f"strikemap_bench_{size}"
    url = server.rsplit("/", 1)[0] + "/" + name
    reused = reuse and _has_events(url, size)
    if not reused:
        _admin(server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))  # fmt: skip
        _admin(server, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    store = PostgresStore(url)
    try:
        begun = time.perf_counter()
        store.init()  # counts the ready grid rows when an older database has none
        init_seconds = time.perf_counter() - begun
        started = time.perf_counter()
        loaded = float("nan")
        if not reused:

            def typed():
                for chunk in synthetic_chunks(size, seed):
                    yield validate_events(chunk, source="synthetic").events
                    print(f"  loading a chunk of {len(chunk):,}", file=sys.stderr)

            transfer.replace_with_chunks(store, typed())
            loaded = time.perf_counter() - started
        with store.transaction() as conn:
            table_mb = _one(conn, "SELECT pg_total_relation_size('events')") / 1e6
            ready_rows = _one(conn, "SELECT count(*) FROM event_cells")
            ready_mb = (
                _one(
                    conn,
                    "SELECT COALESCE(sum(pg_total_relation_size(inhrelid)), 0)::float8 FROM "
                    "pg_inherits WHERE inhparent = 'event_cells'::regclass",
                )
                / 1e6
            )
            last = _one(conn, "SELECT max(date_start) FROM events")
            types = [r[0] for r in conn.execute("SELECT DISTINCT event_type FROM events")]
        import pandas as pd

        colours = colours_for(pd.Series(types))
        engine = store.queries()
        rows = []
        for label, event_filter, bounds, zoom in views(last):
            if only not in label:
                continue
            times = []
            for _ in range(2):
                begun = time.perf_counter()
                view = database_view(engine, event_filter, bounds, zoom, colours=colours)
                times.append(time.perf_counter() - begun)
            rows.append(
                {
                    "mode": "database",
                    "events": size,
                    "view": label,
                    "first s": times[0],
                    "again s": times[1],
                    "layer": f"{view.mode}: {len(view.features):,} features",
                    "read": _read(view.mode, event_filter, bounds, zoom),
                    "in view": view.events_in_view,
                    "bytes": view.bytes,
                    "memory MB": _server_memory_mb(store),
                    "load": (
                        f"{loaded:.0f} s, {table_mb:,.0f} MB on disk"
                        if not reused
                        else f"(kept from an earlier run) {table_mb:,.0f} MB on disk"
                    )
                    + f"; ready grid counts {ready_rows:,} rows, {ready_mb:,.0f} MB"
                    + (f", counted in {init_seconds:.0f} s" if init_seconds > 5 else ""),
                }
            )
            print(f"  {label}: {times[1]:.2f} s", file=sys.stderr)
        return rows
    finally:
        store.close()
        if not keep:
            _admin(server, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))  # fmt: skip


def _file_mode(size: int, seed: int) -> list[dict]:
    """The file mode's path at ``size``: the typed table in pandas, filter + view layer."""
    import pandas as pd

    from benchmarks.synthetic import synthetic_chunks
    from components.geo.events import geocode_events
    from components.map.layer import view_layer
    from components.map.style import colours_for
    from components.table.events import validate_events
    from components.view.filters import filter_events

    started = time.perf_counter()
    chunks = [validate_events(c, source="synthetic").events for c in synthetic_chunks(size, seed)]
    events = geocode_events(pd.concat(chunks, ignore_index=True), places_file=None)
    loaded = time.perf_counter() - started
    colours = colours_for(events[s.EVENT_TYPE])
    last = events[s.DATE_START].max().date()
    rows = []
    for label, event_filter, (south, west, north, east), zoom in views(last):
        times = []
        for _ in range(2):
            begun = time.perf_counter()
            shown = filter_events(events, event_filter)
            bounds = {"_southWest": {"lat": south, "lng": west}}
            bounds["_northEast"] = {"lat": north, "lng": east}
            layer = view_layer(shown, bounds=bounds, zoom=zoom, colours=colours)
            times.append(time.perf_counter() - begun)
        rows.append(
            {
                "mode": "files (pandas)",
                "events": size,
                "view": label,
                "first s": times[0],
                "again s": times[1],
                "layer": f"{layer.mode}: {layer.features:,} features",
                "read": "pandas",
                "in view": layer.events_in_view,
                "bytes": layer.bytes,
                "memory MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "load": f"{loaded:.0f} s (generated, validated, placed in memory)",
            }
        )
        print(f"  files {label}: {times[1]:.2f} s", file=sys.stderr)
    return rows


def _read(mode: str, event_filter: EventFilter, bounds: tuple, zoom: int) -> str:
    """What the view read: the events themselves (points), or the grid from the ready counts
    (with the raw edges) or from a scan of every event that passes."""
    if mode != "aggregated":
        return "points"
    from components.map.bounds import Bounds, widened
    from components.map.settings import VIEW_MARGIN
    from components.storage.cells_read import cells_query
    from components.storage.query import cell_size

    wide = widened(Bounds(*bounds), VIEW_MARGIN)
    box = (wide.south, wide.west, wide.north, wide.east)
    query = cells_query(event_filter, box, cell_size(zoom))
    return "ready counts" if "event_cells" in query.text.as_string(None) else "raw scan"


def _server_memory_mb(store) -> float:
    """The server's memory: the proportional set size (PSS) of every PostgreSQL process."""
    with store.transaction() as conn:
        folder = Path(_one(conn, "SHOW data_directory"))
    try:
        postmaster = int((folder / "postmaster.pid").read_text().split()[0])
    except OSError:
        return float("nan")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if int(entry.name) != postmaster and parent != postmaster:
                continue
            for line in (entry / "smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1024


def _start_server() -> str:
    done = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "db.sh")], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"the database did not start:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def _admin(server: str, statement: sql.Composable) -> None:
    with psycopg.connect(server.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(statement)


def _one(conn, query: str):
    return conn.execute(query).fetchone()[0]


def _table(rows: list[dict]) -> str:
    lines = [
        f"Load average {', '.join(f'{n:.1f}' for n in os.getloadavg())}; {os.cpu_count()} CPUs.",
        "",
        "| mode | events | view | first s | again s | layer | read | in view | MB sent "
        "| memory MB |",
        "|---|---:|---|---:|---:|---|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['mode']} | {row['events']:,} | {row['view']} | {row['first s']:.2f} | "
            f"{row['again s']:.2f} | {row['layer']} | {row['read']} | {row['in view']:,} | "
            f"{row['bytes'] / 1e6:.2f} | {row['memory MB']:,.0f} |"
        )
    loads = dict.fromkeys(f"{r['mode']} {r['events']:,}: {r['load']}" for r in rows)
    lines += ["", "Loading: " + "; ".join(loads)]
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.db_bench", description=__doc__)
    parser.add_argument("--sizes", default="1000000,10000000", help="events in the database")
    parser.add_argument("--file-size", type=int, default=1_000_000, help="file mode; 0: none")
    parser.add_argument("--url", help="a server's URL (default: start the local one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default="", help="only the views whose name holds this text")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument(
        "--reuse", action="store_true", help="use a kept database of the right size as it is"
    )
    return parser


if __name__ == "__main__":
    sys.exit(main())
