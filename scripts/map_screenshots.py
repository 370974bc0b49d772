"""Screenshots of the map's points and cells for docs/screenshots (small PNGs, palette-quantised).

Run inside the venv: ``python scripts/map_screenshots.py [OUT_DIR]`` (needs Debian's chromium and
the offline base map built by ``make setup``). The events are synthetic, written here: crowded
clusters in Syria, Gaza and eastern Ukraine, and scattered events around them.

- ``aggregates-after.png``: the map as it opens, crowded places counted in cells, the others
  drawn one by one (fanned apart where they would hide each other);
- ``points-after.png``: after one click on the Deir ez-Zor cell, where it lands.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.table import schema as s  # noqa: E402
from tests.dashboard import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    VIEWPORT,
    click_map_at,
    map_frame,
    open_page,
    running_dashboard,
    settle,
)

# (name, latitude, longitude, events, spread in degrees)
CLUSTERS = [
    ("Deir ez-Zor", 35.336, 40.141, 160, 0.06),
    ("Aleppo", 36.20, 37.16, 120, 0.05),
    ("Gaza", 31.50, 34.46, 200, 0.03),
    ("Kharkiv", 49.99, 36.23, 90, 0.08),
    ("Bakhmut", 48.59, 38.00, 140, 0.05),
]
SCATTERED = 60
LIMIT_BYTES = 150_000


def write_events(path: Path) -> None:
    rng = np.random.default_rng(16)
    rows = []
    for name, lat, lng, count, spread in CLUSTERS:
        for n in range(count):
            killed = "" if n % 4 == 0 else str(int(rng.pareto(1.5) * 2))
            rows.append(
                {
                    s.EVENT_ID: f"synthetic-{name.lower().replace(' ', '-')}-{n}",
                    s.DATE_START: f"2023-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    s.EVENT_TYPE: ("Air/drone strike", "Shelling/artillery/missile attack")[n % 2],
                    s.LOCATION: f"Synthetic place near {name}",
                    s.LATITUDE: f"{lat + rng.normal(0, spread):.5f}",
                    s.LONGITUDE: f"{lng + rng.normal(0, spread):.5f}",
                    s.KILLED_MIN: killed,
                    s.KILLED_MAX: killed,
                }
            )
    for n in range(SCATTERED):
        rows.append(
            {
                s.EVENT_ID: f"synthetic-scattered-{n}",
                s.DATE_START: f"2023-{1 + n % 12:02d}-15",
                s.EVENT_TYPE: "Remote explosive/landmine/IED",
                s.LOCATION: "Synthetic scattered place",
                s.LATITUDE: f"{rng.uniform(31, 50):.5f}",
                s.LONGITUDE: f"{rng.uniform(34, 42):.5f}",
            }
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerows(rows)


def shoot(page, out: Path) -> None:
    """The map's frame as a palette PNG under LIMIT_BYTES."""
    settle(page)
    raw = out.with_suffix(".raw.png")
    page.locator(MAP_FRAME).screenshot(path=str(raw))
    image = Image.open(raw).convert("RGB")
    for colours in (128, 64, 32):
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(out, optimize=True)
        if out.stat().st_size <= LIMIT_BYTES:
            break
    raw.unlink()
    print(f"{out}: {out.stat().st_size:,} bytes")


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder) / "events.csv"
        write_events(events)
        log = Path(folder) / "server.log"
        with running_dashboard(log, events) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_page(browser.new_context(viewport=VIEWPORT), url)
            frame = map_frame(page)
            frame.wait_for_function("() => window.map.getContainer().dataset.basemapDrawn")
            shoot(page, out_dir / "aggregates-after.png")
            before = frame.evaluate("() => window.map.getZoom()")
            click_map_at(page, CLUSTERS[0][1], CLUSTERS[0][2])
            frame.wait_for_function("(z) => window.map.getZoom() > z", arg=before)
            frame.wait_for_function(
                "(z) => window.map.getContainer().dataset.basemapDrawn === String(z)",
                arg=frame.evaluate("() => window.map.getZoom()"),
            )
            shoot(page, out_dir / "points-after.png")
            browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
