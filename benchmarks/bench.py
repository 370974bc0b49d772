"""Benchmark: synthetic events at several sizes through load, filter and map layer.

Prints a Markdown table. The events are synthetic (ids ``synthetic-0000001``, source name
"synthetic benchmark data"), written to a temporary folder and never shipped as data. Each
measurement runs in its own child process, so one size's memory does not count towards another.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from components.table import schema as s

__all__ = ["SYNTHETIC_SOURCE", "main", "synthetic_events", "write_synthetic_csv"]

SYNTHETIC_SOURCE = "synthetic benchmark data"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
NAIVE_SIZE = 10_000
# A share of the rows name a place instead of giving coordinates, as news-coded rows do.
NAMED_PLACE_SHARE = 0.2

# Real places the offline gazetteer knows, with their countries: the rows without coordinates
# name these, so geocoding is exercised as it is with real data.
_NAMED_PLACES: tuple[tuple[str, str, str], ...] = (
    ("Aleppo", "Aleppo", "Syria"),
    ("Idlib", "Idlib", "Syria"),
    ("Homs", "Homs", "Syria"),
    ("Raqqa", "Raqqa", "Syria"),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria"),
    ("Sanaa", "Sanaa", "Yemen"),
    ("Taiz", "Taiz", "Yemen"),
    ("Marib", "Marib", "Yemen"),
    ("Mosul", "Nineveh", "Iraq"),
    ("Kirkuk", "Kirkuk", "Iraq"),
    ("Fallujah", "Anbar", "Iraq"),
    ("Kabul", "Kabul", "Afghanistan"),
    ("Kandahar", "Kandahar", "Afghanistan"),
    ("Gaza", "Gaza Strip", "Palestine"),
    ("Kharkiv", "Kharkiv", "Ukraine"),
    ("Donetsk", "Donetsk", "Ukraine"),
    ("Mogadishu", "Banaadir", "Somalia"),
    ("Tripoli", "Tripoli", "Libya"),
    ("Maiduguri", "Borno", "Nigeria"),
    ("El Fasher", "North Darfur", "Sudan"),
    ("Gao", "Gao", "Mali"),
    ("Nowhere-on-any-map", "", "Syria"),
)
# (latitude, longitude, spread in degrees, weight): where the synthetic strikes cluster.
_HOTSPOTS: tuple[tuple[float, float, float, float], ...] = (
    (35.0, 38.5, 1.5, 0.25),
    (15.5, 45.0, 1.5, 0.15),
    (34.0, 43.5, 1.5, 0.12),
    (34.0, 67.0, 2.0, 0.10),
    (48.5, 36.5, 1.5, 0.12),
    (3.0, 45.0, 2.0, 0.06),
    (12.0, 13.0, 2.5, 0.06),
    (14.0, 25.0, 3.0, 0.06),
    (15.0, 0.0, 3.0, 0.04),
    (10.0, 0.0, 60.0, 0.04),
)
_EVENT_TYPES = (
    ("Air/drone strike", 0.45),
    ("Shelling/artillery/missile attack", 0.4),
    ("Remote explosive/landmine/IED", 0.1),
    ("Suicide bomb", 0.05),
)


def synthetic_events(count: int, seed: int = 0) -> pd.DataFrame:
    """``count`` synthetic events as canonical text columns, clearly marked as synthetic."""
    rng = np.random.default_rng(seed)
    width = max(6, len(str(count)))
    ids = pd.Series(np.arange(1, count + 1)).astype(str).str.zfill(width)
    days = rng.integers(0, 15 * 365, count)
    start = pd.Timestamp("2010-01-01") + pd.to_timedelta(days, unit="D")
    lasting = rng.random(count) < 0.1
    end = start + pd.to_timedelta(rng.integers(1, 4, count), unit="D")
    coarse = rng.random(count)
    precision = np.where(coarse < 0.9, "day", np.where(coarse < 0.95, "week", "month"))
    types, weights = zip(*_EVENT_TYPES, strict=True)
    hotspot = rng.choice(len(_HOTSPOTS), count, p=[h[3] for h in _HOTSPOTS])
    centre = np.array([h[:3] for h in _HOTSPOTS])[hotspot]
    latitude = np.clip(centre[:, 0] + rng.normal(0, 1, count) * centre[:, 2], -80, 80)
    longitude = (centre[:, 1] + rng.normal(0, 1, count) * centre[:, 2] * 1.5 + 180) % 360 - 180
    named = rng.random(count) < NAMED_PLACE_SHARE
    place = rng.integers(0, len(_NAMED_PLACES), count)
    places = pd.DataFrame(_NAMED_PLACES, columns=[s.LOCATION, s.ADMIN1, s.COUNTRY]).iloc[place]
    killed = np.floor(rng.pareto(1.2, count) * 2).astype("int64")
    killed_known = rng.random(count) < 0.8
    killed_extra = np.where(rng.random(count) < 0.3, rng.integers(1, 20, count), 0)
    injured = np.floor(rng.pareto(1.0, count) * 3).astype("int64")
    injured_known = rng.random(count) < 0.5
    actor = rng.integers(0, 400, (2, count))
    geo_precision = rng.choice(np.array(["1", "2", "3"]), count, p=[0.7, 0.2, 0.1])

    def text(values: np.ndarray, known: np.ndarray) -> np.ndarray:
        return np.where(known, values.astype(str), "")

    def coordinate(values: np.ndarray) -> np.ndarray:
        return np.where(named, "", np.char.mod("%.5f", values))

    frame = pd.DataFrame(
        {
            s.EVENT_ID: "synthetic-" + ids,
            s.DATE_START: start.strftime("%Y-%m-%d"),
            s.DATE_END: np.where(lasting, end.strftime("%Y-%m-%d"), ""),
            s.DATE_PRECISION: precision,
            s.EVENT_TYPE: np.array(types)[rng.choice(len(types), count, p=weights)],
            s.ACTOR1: np.char.add("Synthetic armed group ", actor[0].astype(str)),
            s.ACTOR2: np.char.add("Synthetic target group ", actor[1].astype(str)),
            s.COUNTRY: np.where(named, places[s.COUNTRY].to_numpy(), "Synthetic country"),
            s.ADMIN1: np.where(named, places[s.ADMIN1].to_numpy(), ""),
            s.LOCATION: np.where(
                named,
                places[s.LOCATION].to_numpy(),
                np.char.add("Synthetic place ", (hotspot * 1000 + place).astype(str)),
            ),
            s.LATITUDE: coordinate(latitude),
            s.LONGITUDE: coordinate(longitude),
            s.GEO_PRECISION: geo_precision,
            s.KILLED_MIN: text(killed, killed_known),
            s.KILLED_MAX: text(killed + killed_extra, killed_known),
            s.INJURED_MIN: text(injured, injured_known),
            s.INJURED_MAX: text(injured, injured_known),
            s.SOURCE_NAME: SYNTHETIC_SOURCE,
            s.SOURCE_DATE: start.strftime("%Y-%m-%d"),
            s.SOURCE_LANGUAGE: "en",
            s.SOURCE_TEXT: "Synthetic benchmark event "
            + ids
            + ": not a real report. A strike was reported near the place named in this row, "
            "with the casualty figures given in its columns.",
        }
    )
    return frame.reindex(columns=list(s.CANONICAL_COLUMNS), fill_value="")


def write_synthetic_csv(path: Path, count: int, seed: int = 0) -> Path:
    """Write ``count`` synthetic events to ``path`` as a canonical events CSV."""
    synthetic_events(count, seed).to_csv(path, index=False)
    return path


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table; 0 when every run finished."""
    args = _parser().parse_args(argv)
    if args.child:
        print(json.dumps(_CHILDREN[args.child](Path(args.csv), Path(args.cache_dir))))
        return 0
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="strikemap-bench-") as scratch:
        out_dir = Path(args.out_dir) if args.out_dir else Path(scratch)
        out_dir.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in sizes:
            csv_path = out_dir / f"synthetic-events-{size}.csv"
            cache_dir = out_dir / f"cache-{size}"
            _run_child("generate", csv_path, cache_dir, size, args.seed)
            cold = _run_child("cold", csv_path, cache_dir)
            warm = _run_child("warm", csv_path, cache_dir)
            rows.append(_row(f"{size:,}", "view layer (this app)", csv_path, cold, warm))
            print(f"measured {size:,} events", file=sys.stderr)
            if size == args.naive_size:
                naive = _run_child("naive", csv_path, cache_dir)
                rows.append(_row(f"{size:,}", "one folium.Marker per event", csv_path, naive, None))
                print(f"measured the naive map at {size:,} events", file=sys.stderr)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"{os.cpu_count()} CPUs; load average before the table: {load}\n")
    print(_table(rows))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_SIZES))
    parser.add_argument("--out-dir", help="keep the synthetic files here (default: a temp dir)")
    parser.add_argument("--naive-size", type=int, default=NAIVE_SIZE, help="0 for none")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", choices=sorted(_CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    return parser


def _run_child(kind: str, csv_path: Path, cache_dir: Path, count: int = 0, seed: int = 0):
    """Run one measurement in a fresh Python process and return what it printed."""
    command = [sys.executable, "-m", "benchmarks.bench", "--child", kind, "--csv", str(csv_path)]
    command += ["--cache-dir", str(cache_dir), "--count", str(count), "--seed", str(seed)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step {kind} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- what each child process measures ---------------------------------------------------------


# Filter changes as the page makes them: each is followed by the counts, the timeline of the
# events the other filters keep, and the map layer of what is left.
def _filter_changes(events: pd.DataFrame) -> list[tuple[str, object]]:
    from components.view.filters import EventFilter, actors
    from components.view.timeline import preset_window

    first, last = preset_window(events, 365)
    some_actor = actors(events)[:1]
    return [
        ("killed at least 10", EventFilter(killed=(10, None))),
        ("last 365 days", EventFilter(date_from=first, date_to=last)),
        ("air/drone strikes", EventFilter(event_types=frozenset({"Air/drone strike"}))),
        ("one actor", EventFilter(actors=frozenset(some_actor))),
        ("exact places and dates", EventFilter(exact_only=True)),
        ("no filter", EventFilter()),
    ]


# A view into the densest synthetic area, as after clicking a cell: at 1M events a few
# thousand are in it, under the threshold, so it is the costliest view drawn event by event.
_ZOOMED_VIEW = (34.85, 38.3, 35.15, 38.7, 11)


def _generate(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    args = _parser().parse_args(sys.argv[1:])
    write_synthetic_csv(csv_path, args.count, args.seed)
    return {"bytes": csv_path.stat().st_size}


def _measure_cold(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    return _measure(csv_path, cache_dir, naive=False)


def _measure_warm(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    events, seconds = _load(csv_path, cache_dir)
    return {"load": seconds, "peak_mb": _peak_mb(), "events": len(events)}


def _measure_naive(csv_path: Path, cache_dir: Path) -> dict[str, object]:
    return _measure(csv_path, cache_dir, naive=True)


def _measure(csv_path: Path, cache_dir: Path, *, naive: bool) -> dict[str, object]:
    from components.map import layer as map_layer
    from components.view.filters import EventFilter, count_events, filter_events
    from components.view.timeline import bin_width, timeline_counts

    events, load_seconds = _load(csv_path, cache_dir, use_cache=not naive)
    colours = map_layer.colours_for(events[s.EVENT_TYPE])
    first, last = events[s.DATE_START].min(), events[s.DATE_START].max()
    period = bin_width(first, last)
    # The page opens with every event on the map: not a filter change, but it warms up what
    # later changes reuse (template compilation, the frame's memory layout).
    opened = filter_events(events, EventFilter())
    _sent_text(_naive_layer(opened[:100], colours) if naive else map_layer.view_layer(opened).layer)
    filter_seconds, layer_seconds, world_bytes = [], [], 0
    for _, event_filter in _filter_changes(events):
        started = time.perf_counter()
        shown = filter_events(events, event_filter)
        count_events(events, shown)
        timeline_counts(shown, period, first.date(), last.date())
        filtered = time.perf_counter()
        if naive:
            text = _sent_text(_naive_layer(shown, colours))
        else:
            text = _sent_text(map_layer.view_layer(shown, colours=colours).layer)
        filter_seconds.append(filtered - started)
        layer_seconds.append(time.perf_counter() - filtered)
        world_bytes = max(world_bytes, len(text.encode()))
    south, west, north, east, zoom = _ZOOMED_VIEW
    view = map_layer.Bounds(south, west, north, east)
    if naive:
        zoomed, zoomed_mode = world_bytes, "every event"
    else:
        started = time.perf_counter()
        layer = map_layer.view_layer(events, bounds=view, zoom=zoom, colours=colours)
        text = _sent_text(layer.layer)
        layer_seconds.append(time.perf_counter() - started)
        zoomed, zoomed_mode = len(text.encode()), f"{layer.features:,} {layer.mode}"
    return {
        "events": len(events),
        "load": load_seconds,
        "filter": max(filter_seconds),
        "layer": max(layer_seconds),
        # The worst case: the slowest filter, then the slowest view to draw.
        "total": max(filter_seconds) + max(layer_seconds),
        "world_bytes": world_bytes,
        "zoomed_bytes": zoomed,
        "zoomed_mode": zoomed_mode,
        "peak_mb": _peak_mb(),
    }


def _load(csv_path: Path, cache_dir: Path, *, use_cache: bool = True):
    """Load as the page does; the events cache goes to ``cache_dir``, the gazetteer is shared."""
    from components.geo.overrides import DEFAULT_PLACES_FILE
    from components.table import cache as event_cache
    from components.table import pipeline

    def fresh():
        return pipeline.load_placed_events(csv_path, DEFAULT_PLACES_FILE, use_cache=False)

    started = time.perf_counter()
    if use_cache:
        loaded = event_cache.cached_load(csv_path, DEFAULT_PLACES_FILE, fresh, cache_dir=cache_dir)
    else:
        loaded = fresh()
    return loaded.events, time.perf_counter() - started


def _naive_layer(events: pd.DataFrame, colours: dict[str, str]):
    """The usual approach: one folium.Marker with a tooltip per event."""
    import folium

    layer = folium.FeatureGroup(name="Events")
    placed = events[events[s.LATITUDE].notna() & events[s.LONGITUDE].notna()]
    for row in placed.itertuples(index=False):
        label = f"{getattr(row, s.EVENT_TYPE)} · {getattr(row, s.LOCATION)}"
        folium.Marker([getattr(row, s.LATITUDE), getattr(row, s.LONGITUDE)], tooltip=label).add_to(
            layer
        )
    return layer


def _sent_text(layer) -> str:
    """The JavaScript st_folium sends to the browser for a layer (its feature_group_to_add)."""
    from components.map import layer as map_layer

    fmap = map_layer.base_map((30.0, 40.0), 2)
    try:
        from streamlit_folium import _get_feature_group_string
    except ImportError:  # another streamlit-folium: the layer rendered in its map instead
        layer.add_to(fmap)
        return fmap.get_root().render()
    return _get_feature_group_string(layer, fmap)


def _peak_mb() -> float:
    """The peak resident memory of this process, in MB (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


_CHILDREN = {
    "generate": _generate,
    "cold": _measure_cold,
    "warm": _measure_warm,
    "naive": _measure_naive,
}


# --- the table --------------------------------------------------------------------------------


def _row(size: str, how: str, csv_path: Path, first: dict, warm: dict | None) -> list[str]:
    return [
        size,
        how,
        f"{csv_path.stat().st_size / 1e6:,.0f}",
        f"{first['load']:.1f}",
        f"{warm['load']:.1f}" if warm else "—",
        f"{first['filter']:.2f}",
        f"{first['layer']:.2f}",
        f"{first['total']:.2f}",
        _megabytes(first["world_bytes"]),
        f"{_megabytes(first['zoomed_bytes'])} ({first['zoomed_mode']})",
        f"{max(first['peak_mb'], warm['peak_mb'] if warm else 0):,.0f}",
    ]


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.2f} MB" if count >= 10_000 else f"{count / 1e3:.1f} kB"


_HEADER = (
    "events",
    "map",
    "CSV MB",
    "load cold s",
    "load warm s",
    "filter s (max)",
    "layer build s (max)",
    "filter + layer s (worst)",
    "sent, whole world (max)",
    "sent, zoomed in",
    "peak memory MB",
)


def _table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(_HEADER) + " |", "|" + "---|" * len(_HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
