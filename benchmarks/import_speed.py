"""Benchmark: import speed per format, and what every real file in ../shared/realdata imports.

    python -m benchmarks.import_speed                  # synthetic files, rows/s per format
    python -m benchmarks.import_speed --realdata       # also the table per real file
    python -m benchmarks.import_speed --rows 200000 --runs 5

The synthetic files (ids ``SYN…``, invented places) are written to a temporary folder and never
kept. Each format is timed ``--runs`` times and the best run is shown, because the machine is
shared and a slow run measures the neighbours, not the importer; the CPU seconds (all threads of
this process) are shown beside the wall time for the same reason.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from components import PROJECT_ROOT, formats
from components.formats.gdelt import COLUMNS as GDELT_COLUMNS

__all__ = ["main", "realdata_table", "synthetic_files"]

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
REAL_FOLDERS = ("acled", "ucdp", "gdelt", "incidents")
_PLACES = (
    ("Kettle Ford", "Northmark", 10.12, 45.67),
    ("Pike Crossing", "Northmark", 10.2, 45.7),
    ("Saltby Pier", "Coastmark", -3.5, 40.1),
    ("Lowvale", "Coastmark", -3.4, 40.2),
)
_ACLED_TYPES = (
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Battles", "Armed clash"),
    ("Violence against civilians", "Attack"),
)


def synthetic_files(rows: int, folder: Path) -> dict[str, Path]:
    """A plain file of each tabular format with ``rows`` synthetic events."""
    rng = np.random.default_rng(7)
    place = rng.integers(0, len(_PLACES), rows)
    kind = rng.integers(0, len(_ACLED_TYPES), rows)
    days = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2500, rows), unit="D")
    killed = rng.integers(0, 30, rows)
    names = [p[0] for p in _PLACES]
    admin = [p[1] for p in _PLACES]
    latitude = np.array([p[2] for p in _PLACES])[place]
    longitude = np.array([p[3] for p in _PLACES])[place]
    acled = pd.DataFrame(
        {
            "event_id_cnty": [f"SYN{i}" for i in range(rows)],
            "event_date": days.strftime("%Y-%m-%d"),
            "year": days.year,
            "time_precision": 1,
            "event_type": [_ACLED_TYPES[k][0] for k in kind],
            "sub_event_type": [_ACLED_TYPES[k][1] for k in kind],
            "actor1": "Military Forces of Zedland (2020-)",
            "actor2": "Brown Hill Militia",
            "country": "Zedland",
            "admin1": [admin[p] for p in place],
            "location": [names[p] for p in place],
            "latitude": latitude,
            "longitude": longitude,
            "geo_precision": 1,
            "source": "Zed Herald",
            "notes": [f"Synthetic event {i} near {names[p]}." for i, p in enumerate(place)],
            "fatalities": killed,
        }
    )
    ucdp = pd.DataFrame(
        {
            "id": np.arange(rows) + 1,
            "where_prec": 1,
            "date_prec": 1,
            "date_start": days.strftime("%Y-%m-%d 00:00:00.000"),
            "date_end": days.strftime("%Y-%m-%d 00:00:00.000"),
            "type_of_violence": 1,
            "side_a": "Government of Zedland",
            "side_b": "Brown Hill",
            "country": "Zedland",
            "adm_1": [admin[p] for p in place],
            "where_coordinates": [names[p] for p in place],
            "latitude": latitude,
            "longitude": longitude,
            "low": killed,
            "best": killed,
            "high": killed + 2,
            "source_office": "Zed Herald",
        }
    )
    gdelt = pd.DataFrame("", index=range(rows), columns=list(GDELT_COLUMNS))
    gdelt["GLOBALEVENTID"] = np.arange(rows) + 1
    gdelt["SQLDATE"] = days.strftime("%Y%m%d")
    gdelt["EventCode"] = np.where(kind < 2, "195", "042")
    gdelt["ActionGeo_Type"] = "4"
    gdelt["ActionGeo_FullName"] = [f"{names[p]}, {admin[p]}, Zedland" for p in place]
    gdelt["ActionGeo_Lat"], gdelt["ActionGeo_Long"] = latitude, longitude
    gdelt["DATEADDED"] = days.strftime("%Y%m%d000000")
    gdelt["SOURCEURL"] = "https://news.example.org/a"
    files = {
        "acled": (acled, ","),
        "ucdp": (ucdp, ","),
        "gdelt": (gdelt, "\t"),
    }
    paths = {}
    for name, (frame, sep) in files.items():
        path = folder / f"synthetic-{name}.csv"
        frame.to_csv(path, index=False, sep=sep, header=name != "gdelt", lineterminator="\n")
        paths[name] = path
    return paths


def speed_table(paths: dict[str, Path], runs: int) -> list[str]:
    """Markdown: rows, best seconds and rows/s per format."""
    lines = [
        "| format | rows | best wall (s) | rows/s (wall) | CPU (s) | rows per CPU-second |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, path in paths.items():
        data = path.read_bytes()
        best, cpu = float("inf"), float("inf")
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            imported = formats.import_bytes(data, path.name, name)
            best = min(best, time.perf_counter() - started)
            cpu = min(cpu, time.process_time() - started_cpu)
        rows = imported.rows_in
        lines.append(
            f"| {name} | {rows:,} | {best:.2f} | {rows / best:,.0f} | {cpu:.2f} | "
            f"{rows / cpu:,.0f} |"
        )
    return lines


def realdata_table(folder: Path = REALDATA) -> list[str]:
    """Markdown: per real file, rows in, imported, rejected by cause, not events, seconds."""
    lines = [
        "| file | format | rows in | imported | rejected (by cause) | not events | kept with "
        "a warning | s |",
        "|---|---|---:|---:|---|---:|---:|---:|",
    ]
    for path in sorted(p for d in REAL_FOLDERS for p in (folder / d).glob("*") if p.is_file()):
        started = time.perf_counter()
        imported = formats.import_file(path)
        seconds = time.perf_counter() - started
        causes = Counter((p.column or "row", p.expected) for p in imported.problems)
        rejected = len(imported.rejected_rows)
        why = "; ".join(f"{n} {col}: {expected[:50]}" for (col, expected), n in causes.items())
        lines.append(
            f"| {path.parent.name}/{path.name} | {imported.format_name} | {imported.rows_in:,} | "
            f"{len(imported.events):,} | {rejected:,}{f' ({why})' if why else ''} | "
            f"{imported.skipped:,} | {len({w.row for w in imported.warnings}):,} | {seconds:.2f} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_speed", description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000, help="rows per synthetic file")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per format; best shown")
    parser.add_argument("--realdata", action="store_true", help="also the real files' table")
    args = parser.parse_args(argv)
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = synthetic_files(args.rows, Path(folder))
        print("\n".join(speed_table(paths, args.runs)), file=out)
    if args.realdata:
        if REALDATA.is_dir():
            print("\n" + "\n".join(realdata_table()), file=out)
        else:
            print(f"\n{REALDATA} is not here: no real-file table", file=out)
    sys.stdout.write(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
