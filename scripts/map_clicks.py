"""How many clicks from the map's opening view to one single event, clicked open.

A simulated analyst, for a sample of target events: on the map the page would draw (the
``view_layer`` of the code on ``sys.path``), if the target is a point that shows, one click
opens it; if it is a point hidden under others, one zoom-in
centred on it (a double click or "+"): a point "shows" when at least half of it lies
outside every marker drawn above it; if it is inside a counted cell, one click on that cell,
which moves the map where the cell asks. Each action counts one click.

    python scripts/map_clicks.py prepare OUT_DIR        # the two event sets, as pickles
    python scripts/map_clicks.py measure OUT_DIR [--targets 200]

``prepare`` builds (1) 281 events mixed from the real ACLED Middle East file and the UCDP
Ukraine file in ../shared/realdata (never committed), and (2) 200,000 synthetic events
(benchmarks.synthetic, geocoded like the page does). ``measure`` reads them with whatever
``components`` is importable, so the same sets are measured with older code by putting an
older tree first on PYTHONPATH (``git archive <commit> components | tar -x -C DIR``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
MAP_SIZE = (1000, 560)  # the map's size at a 1400 × 1000 window with the sidebar open
MIXED = 281


def prepare(out: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import synthetic_events
    from components import formats
    from components.geo.geocoder import GeocodeCache, geocode_events
    from components.table.events import validate_events

    real = ROOT.parent / "shared" / "realdata"
    parts = [
        formats.import_file(real / "acled" / "middle-east_2022-01-02_curated-uppercase.csv"),
        formats.import_file(real / "ucdp" / "ged-ukraine_2014-2022_api-utf8.csv"),
    ]
    mixed = pd.concat([p.events for p in parts], ignore_index=True)
    mixed = mixed[mixed["latitude"].notna()].sample(MIXED, random_state=16)
    out.mkdir(parents=True, exist_ok=True)
    mixed.reset_index(drop=True).to_pickle(out / "mixed-281.pkl")
    synthetic = validate_events(synthetic_events(200_000, seed=0), source="synthetic").events
    placed = geocode_events(synthetic, cache=GeocodeCache(out / "geocode"))
    placed[placed["latitude"].notna()].reset_index(drop=True).to_pickle(out / "synthetic-200k.pkl")


def measure(out: Path, targets: int) -> None:
    from components.map import layer as ml

    print(f"code: {Path(ml.__file__).resolve().parent.parent.parent}")
    print(f"map {MAP_SIZE[0]}×{MAP_SIZE[1]} px; opening view = the data's extent (initial_view)")
    print(
        "| events | targets | opening zoom | mean clicks | median | 90th pct | most |"
        " within 3 | s per view |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("mixed-281", "synthetic-200k"):
        events = pd.read_pickle(out / f"{name}.pkl")
        rng = np.random.default_rng(7)
        chosen = rng.choice(len(events), min(targets, len(events)), replace=False)
        centre, zoom = ml.initial_view(events, MAP_SIZE)
        counts, views, started = [], 0, time.perf_counter()
        for row in chosen.tolist():
            clicks, steps = clicks_to(ml, events, row, centre, zoom)
            counts.append(clicks)
            views += steps
        per_view = (time.perf_counter() - started) / max(views, 1)
        c = np.array(counts)
        print(
            f"| {name} | {len(c)} | {zoom} | {c.mean():.2f} | {np.median(c):.0f} | "
            f"{np.percentile(c, 90):.0f} | {c.max()} | {(c <= 3).mean():.0%} | {per_view:.3f} |"
        )


def clicks_to(ml, events, row, centre, zoom, limit: int = 30) -> tuple[int, int]:
    """Clicks until the event at ``row`` is clicked open, and how many views were drawn."""
    target = str(events["event_id"].iloc[row])
    spot = (float(events["latitude"].iloc[row]), float(events["longitude"].iloc[row]))
    for step in range(limit):
        view = view_at(ml, centre, zoom)
        features = layer_features(ml.view_layer(events, bounds=view, zoom=zoom))
        at = {f["properties"].get("event_id"): n for n, f in enumerate(features)}
        if target in at:
            if clickable(features, at[target], zoom):
                return step + 1, step + 1
            centre, zoom = spot, zoom + 1  # hidden: zoom in on it
            continue
        cell = containing_cell(features, spot, zoom)
        if cell is None:  # off the map's view (should not happen): zoom in on it
            centre, zoom = spot, zoom + 1
            continue
        south, west, north, east = cell["properties"]["zoom_to"]
        centre, zoom = ((south + north) / 2, (west + east) / 2), cell["properties"]["zoom"]
    return limit, limit


def layer_features(view) -> list[dict]:
    (geojson,) = list(view.layer._children.values())
    return geojson.data["features"]


def pixel(lat: float, lng: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    y = 0.5 - np.log(np.tan(np.pi / 4 + np.radians(np.clip(lat, -85.05, 85.05)) / 2)) / (2 * np.pi)
    return (lng + 180) / 360 * scale, float(y) * scale


def drawn_at(feature: dict, zoom: int) -> tuple[float, float]:
    """Where the map draws a feature: its coordinates, or its fan's centre plus its offset."""
    p = feature["properties"]
    if "spread" in p:
        x, y = pixel(p["lat"], p["lng"], zoom)
        return x + p["spread"][0], y + p["spread"][1]
    lng, lat = feature["geometry"]["coordinates"]
    return pixel(lat, lng, zoom)


def clickable(features: list[dict], index: int, zoom: int) -> bool:
    """Whether at least half of a marker shows: of points spread over its disc, half or more
    lie outside every marker drawn after it (on top of it). A dot under a pile of others
    cannot be told apart, let alone aimed at."""
    x, y = drawn_at(features[index], zoom)
    r = features[index]["properties"]["radius"]
    angle = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    px = np.concatenate([[x], x + 0.5 * r * np.cos(angle), x + 0.9 * r * np.cos(angle)])
    py = np.concatenate([[y], y + 0.5 * r * np.sin(angle), y + 0.9 * r * np.sin(angle)])
    free = np.ones(len(px), dtype=bool)
    for other in features[index + 1 :]:
        ox, oy = drawn_at(other, zoom)
        if abs(ox - x) > r + 40 or abs(oy - y) > r + 40:
            continue
        free &= np.hypot(px - ox, py - oy) >= other["properties"]["radius"]
    return bool(free.mean() >= 0.5)


def containing_cell(features: list[dict], spot: tuple[float, float], zoom: int) -> dict | None:
    """The counted cell whose events' box holds ``spot``, the nearest on screen if several."""
    holding = [
        f
        for f in features
        if "count" in f["properties"]
        and f["properties"]["zoom_to"][0] <= spot[0] <= f["properties"]["zoom_to"][2]
        and f["properties"]["zoom_to"][1] <= spot[1] <= f["properties"]["zoom_to"][3]
    ]
    if not holding:
        return None
    x, y = pixel(*spot, zoom)
    return min(holding, key=lambda f: np.hypot(*np.subtract(drawn_at(f, zoom), (x, y))))


def view_at(ml, centre: tuple[float, float], zoom: int):
    """The box a map of MAP_SIZE shows around ``centre`` at ``zoom``."""
    x, y = pixel(*centre, zoom)
    scale = 256 * 2**zoom

    def latitude(py: float) -> float:
        return float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * py / scale)))))

    west = (x - MAP_SIZE[0] / 2) / scale * 360 - 180
    east = (x + MAP_SIZE[0] / 2) / scale * 360 - 180
    south, north = latitude(y + MAP_SIZE[1] / 2), latitude(y - MAP_SIZE[1] / 2)
    return ml.Bounds(max(south, -85), west, min(north, 85), east, zoom)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=("prepare", "measure"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--targets", type=int, default=200)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare(args.out)
    else:
        measure(args.out, args.targets)


if __name__ == "__main__":
    main()
