"""Benchmark: synthetic events at several sizes, measured function by function and, with
``--browser``, as the analyst meets them in Chromium; ``--engine`` adds the embedded columnar
engine (DuckDB over Parquet), up to ten million events.

Prints Markdown tables. The events are synthetic (see benchmarks/synthetic.py), written to a
temporary folder and never shipped as data. Each function-level measurement runs in its own
child process, so one size's memory does not count towards another.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import functions
from benchmarks.synthetic import write_synthetic_csv

__all__ = ["main"]

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
NAIVE_SIZE = 10_000
# Above this many events the function-level table (the whole table in pandas) is left out.
FUNCTIONS_MAX = 2_000_000


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its tables; 0 when every run finished."""
    args = _parser().parse_args(argv)
    if args.child:
        print(json.dumps(functions.CHILDREN[args.child](Path(args.csv), Path(args.cache_dir))))
        return 0
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="strikemap-bench-") as scratch:
        out_dir = Path(args.out_dir) if args.out_dir else Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        csv_files = {size: _synthetic_file(out_dir, size, args.seed) for size in sizes}
        tables = []
        if not args.skip_functions:
            tables.append(("Functions", _function_table(csv_files, out_dir, args.naive_size)))
        if args.browser:
            from benchmarks import browser

            rows = browser.measure(csv_files, out_dir, naive_size=args.naive_size)
            tables.append(("In the browser (Chromium)", browser.table(rows)))
        if args.engine:
            from benchmarks import engine

            rows = engine.measure(args.engine_sizes, out_dir, args.seed)
            tables.append(("Columnar engine (DuckDB over Parquet)", engine.table(rows)))
    print(f"{os.cpu_count()} CPUs; load average (1, 5, 15 min) at the end: {_load_average()}\n")
    for title, text in tables:
        print(f"### {title}\n\n{text}\n")
    return 0


def _synthetic_file(out_dir: Path, size: int, seed: int) -> Path:
    path = out_dir / f"synthetic-events-{size}.csv"
    if not path.exists():
        write_synthetic_csv(path, size, seed)
        print(f"wrote {size:,} synthetic events to {path}", file=sys.stderr)
    return path


def _function_table(csv_files: dict[int, Path], out_dir: Path, naive_size: int) -> str:
    rows = []
    for size, csv_path in csv_files.items():
        if size > FUNCTIONS_MAX:
            # The whole table in pandas would not fit (about 2 GB a million rows): the page
            # runs in query mode there, measured by --browser and --engine.
            print(f"{size:,} events: no function-level row (query mode)", file=sys.stderr)
            continue
        cache_dir = out_dir / f"cache-{size}"
        cold = _run_child("cold", csv_path, cache_dir)
        warm = _run_child("warm", csv_path, cache_dir)
        rows.append(functions.row(f"{size:,}", "view layer (this app)", csv_path, cold, warm))
        print(f"measured {size:,} events (functions)", file=sys.stderr)
        if size == naive_size:
            naive = _run_child("naive", csv_path, cache_dir)
            rows.append(
                functions.row(f"{size:,}", "one folium.Marker per event", csv_path, naive, None)
            )
    return functions.table(rows)


def _load_average() -> str:
    return ", ".join(f"{n:.1f}" for n in os.getloadavg())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--out-dir", help="keep the synthetic files here (default: a temp dir)")
    parser.add_argument("--naive-size", type=int, default=NAIVE_SIZE, help="0 for none")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--browser", action="store_true", help="also measure in Chromium")
    parser.add_argument(
        "--engine", action="store_true", help="also measure the DuckDB engine (--engine-sizes)"
    )
    parser.add_argument(
        "--engine-sizes",
        type=lambda text: [int(n.replace("_", "")) for n in text.split(",") if n.strip()],
        default=[1_000_000, 10_000_000],
    )
    parser.add_argument("--skip-functions", action="store_true", help="no function-level table")
    parser.add_argument("--child", choices=sorted(functions.CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    return parser


def _run_child(kind: str, csv_path: Path, cache_dir: Path):
    """Run one measurement in a fresh Python process and return what it printed."""
    command = [sys.executable, "-m", "benchmarks.bench", "--child", kind, "--csv", str(csv_path)]
    command += ["--cache-dir", str(cache_dir)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    sys.exit(main())
