"""Benchmark the offline gazetteer: build, load, lookups per second cold and warm, memory.

Run: .venv/bin/python scripts/bench_geocoder.py [--cache-dir DIR] [--lookups N]
Targets: ready in under 1 s after the first build, >= 20,000 lookups/s warm, < 500 MB RSS.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.gazetteer import Gazetteer

QUERIES = [
    ("Deir ez-Zor", "Syria"), ("Dayr al-Zawr", None), ("Halep", "Syrië"), ("Damasco", None),
    ("Charkow", None), ("Bagdad", "Irak"), ("Khan Younes", "PS"), ("Hodeida", "Yemen"),
    ("Misurata", None), ("Tripoli", "LB"), ("حلب", None), ("Харків", None),
    ("Kismaayo", "Somalia"), ("Qandahar", "AF"), ("Rangoon", None), ("Tombouctou", None),
    ("Donetsk Oblast", None), ("outskirts of Aleppo", None), ("Xqzvbnm", None),
    ("Edlib", "SY"),
]  # fmt: skip


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None, help="default: a temporary one")
    parser.add_argument("--lookups", type=int, default=50_000)
    args = parser.parse_args()
    directory = args.cache_dir or Path(tempfile.mkdtemp(prefix="strikemap-bench-"))
    rows = []
    start = time.perf_counter()
    Gazetteer.build(directory)
    rows.append(("gazetteer build", f"{time.perf_counter() - start:.1f} s"))
    start = time.perf_counter()
    gazetteer = Gazetteer.load(directory)
    rows.append(("load (ready)", f"{time.perf_counter() - start:.3f} s"))
    rows.append(("places in index", f"{len(gazetteer):,}"))
    start = time.perf_counter()
    for name, hint in QUERIES:
        gazetteer.lookup(name, hint)
    cold = len(QUERIES) / (time.perf_counter() - start)
    rows.append(("lookups/s cold (first of each name)", f"{cold:,.0f}"))
    rng = random.Random(1)
    queries = [rng.choice(QUERIES) for _ in range(args.lookups)]
    start = time.perf_counter()
    for name, hint in queries:
        gazetteer.lookup(name, hint, limit=1)
    warm = len(queries) / (time.perf_counter() - start)
    rows.append(("lookups/s warm (repeated names)", f"{warm:,.0f}"))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows.append(("peak resident memory (incl. build)", f"{peak_kb / 1024:,.0f} MB"))
    width = max(len(label) for label, _ in rows)
    print(f"{'measure':<{width}}  value")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
