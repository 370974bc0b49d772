"""The browser benchmark: the dashboard on synthetic events, as the analyst meets it in Chromium.

Per size: opening the page on a server with no cache (the CSV parsed on the way) and on one
whose cache is built, each until the status line and until the map is drawn; a second browser
on a server that already holds the table; one step of the date slider, a preset, a click on a
grid cell and a click on an event, each until the page is idle and the map redrawn (or the
panel shows the event); the bytes the page received over the websocket (Chrome DevTools
Protocol, ``Network.webSocketFrameReceived``); the peak resident memory of the server's process
tree (psutil). A naive page, one ``folium.Marker`` per event, is opened in the same run.
"""

from __future__ import annotations

import base64
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.browser_report import Memory, Row, table
from benchmarks.page import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP_FRAME,
    MAP_POINTS,
    VIEWPORT,
    dashboard_server,
    map_frame,
    map_frame_locator,
    settle,
    status_line,
    wait_for_zoom,
)
from components import PROJECT_ROOT
from components.geo.gazetteer import CACHE_DIR_ENV, DEFAULT_CACHE_DIR

__all__ = ["measure", "table"]

# A large table may take minutes to open with no cache on a shared machine.
BENCH_TIMEOUT_MS = 900_000
# One step (not an opening) that takes longer than this is noted as not done.
STEP_TIMEOUT_MS = 180_000
# The page is idle and the map unchanged for this long: the step is over.
QUIET_MS = 700
AGGREGATE_FILL = "#2f4b7c"
# A dense spot of the synthetic data, at a zoom where single events are drawn.
DENSE_VIEW = (35.0, 38.5, 11)
SYNTHETIC_TEXT = "Synthetic benchmark event"
GROUPED_TEXT = "click a cell or zoom in to see single events"
MAX_ZOOM = 18
NAIVE_APP = Path(__file__).with_name("naive_app.py")

# Installed before an action: counts the app's runs and notes when the app or the map last
# changed (Date.now(), one clock for the page and its map frame).
_WATCH = """(frameSelector) => {
    const app = document.querySelector("[data-testid='stApp']");
    window.__bench = {runs: 0, changed: 0, drawn: 0, started: Date.now()};
    if (!window.__benchApp) {
        window.__benchApp = new MutationObserver(() => {
            if (app.getAttribute('data-test-script-state') === 'running') window.__bench.runs++;
            window.__bench.changed = Date.now();
        });
        window.__benchApp.observe(app, {attributes: true,
                                        attributeFilter: ['data-test-script-state']});
    }
    const frame = document.querySelector(frameSelector);
    const doc = frame && frame.contentDocument;
    if (doc && window.__benchDoc !== doc) {
        window.__benchDoc = doc;
        new MutationObserver(() => { window.__bench.drawn = Date.now(); })
            .observe(doc.body, {subtree: true, childList: true, attributes: true});
    }
    return Date.now();
}"""
_DONE = """([quiet, patience]) => {
    const b = window.__bench;
    const app = document.querySelector("[data-testid='stApp']");
    const idle = app.getAttribute('data-test-script-state') === 'notRunning';
    const now = Date.now();
    // Nothing happened at all: the action changed nothing on the page.
    if (b.runs === 0 && b.drawn === 0 && now - b.started > patience) return true;
    return (b.runs > 0 || b.drawn > 0) && idle && now - Math.max(b.changed, b.drawn) >= quiet;
}"""
# How long an action may take to start a run or change the map before it counts as lost.
PATIENCE_MS = 30_000


def measure(csv_files: dict[int, Path], out_dir: Path, *, naive_size: int) -> list[Row]:
    """Every size's figures, and the naive page's at ``naive_size``."""
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for size, csv_path in csv_files.items():
                try:
                    rows.append(_measure_size(browser, size, csv_path, out_dir))
                except PlaywrightTimeout as error:
                    # One size that cannot be measured leaves the others' figures standing.
                    _say(f"{size:,}: not measured: {str(error).splitlines()[0]}")
                    rows.append(
                        Row(size, "this app (not measured: timed out)", {}, _load_average())
                    )
                print(f"measured {size:,} events in the browser", file=sys.stderr)
                if size == naive_size:
                    rows.append(_measure_naive(browser, size, csv_path, out_dir))
        finally:
            browser.close()
    return rows


def _measure_size(browser, size: int, csv_path: Path, out_dir: Path) -> Row:
    from components.table.pipeline import QUERY_ROWS

    row = Row(size, "this app (query mode)" if size >= QUERY_ROWS else "this app")
    cache_dir = _fresh_cache_dir(out_dir, size)
    try:
        # The server's log outlives its cache directory, named after it: runs side by side
        # each keep their own.
        env, log = {CACHE_DIR_ENV: str(cache_dir)}, cache_dir.with_suffix(".log")
        return _measure_with_cache(browser, row, csv_path, env, log)
    finally:
        shutil.rmtree(cache_dir, ignore_errors=True)


def _measure_with_cache(browser, row: Row, csv_path: Path, env: dict, log: Path) -> Row:
    """Every figure of one size, with a server whose cache directory is ``env``'s."""
    size = row.size
    _say(f"{size:,}: open with no cache")
    with dashboard_server(log, csv_path, env) as (url, server), Memory(server) as memory:
        opened = _open(browser, url)
        row.figures["cold status"], row.figures["cold map"] = opened.status, opened.map
        opened.close()
        cold_memory = memory.peak_mb()
    # The cache is built: a new server reads it, as after a restart.
    _say(f"{size:,}: open with the cache built")
    with dashboard_server(log, csv_path, env) as (url, server), Memory(server) as memory:
        first = _open(browser, url)
        row.figures["warm status"], row.figures["warm map"] = first.status, first.map
        row.figures["sent on open"] = first.received()
        first.close()
        again = _open(browser, url)
        row.figures["second map"] = again.map
        page = again.page
        steps = {
            "slider step": lambda: _slider_step(page),
            "preset": lambda: _preset(page, "Last 30 days"),
            "preset all": lambda: _preset(page, "All"),
            "cell click": lambda: _click_a_cell(page),
        }
        sent = []
        for name, action in steps.items():
            again.received()
            _say(f"{size:,}: {name}")
            row.figures[name] = _timed_step(page, action)
            sent.append(again.received())
        _say(f"{size:,}: event click")
        try:
            row.figures["event click"] = _click_an_event(page)
        except PlaywrightTimeout:
            row.figures["event click"] = None  # the other figures stand
        sent.append(again.received())
        row.figures["sent per step"] = max(sent)
        again.close()
        row.figures["memory"] = max(cold_memory, memory.peak_mb())
    row.load = _load_average()
    return row


def _measure_naive(browser, size: int, csv_path: Path, out_dir: Path) -> Row:
    """The usual approach: one folium.Marker per event, in a page of its own."""
    row = Row(size, "one folium.Marker per event")
    folder = Path(tempfile.mkdtemp(prefix="naive-", dir=out_dir))
    shutil.copy(NAIVE_APP, folder / "app.py")
    # Streamlit serves static/ beside the page's script: the same offline Leaflet files.
    (folder / "static").symlink_to(PROJECT_ROOT / "static")
    env = {"STRIKEMAP_EVENTS": str(csv_path)}
    log = out_dir / f"naive-{size}.log"
    server_run = dashboard_server(log, csv_path, env, app=folder / "app.py")
    with server_run as (url, server), Memory(server) as memory:
        opened = _open(browser, url, points=".leaflet-marker-icon")
        row.figures["warm status"], row.figures["warm map"] = opened.status, opened.map
        row.figures["sent on open"] = opened.received()
        opened.close()
        row.figures["memory"] = memory.peak_mb()
    row.load = _load_average()
    return row


@dataclass
class _Opened:
    page: object
    status: float
    map: float
    bytes_box: list[int]

    def received(self) -> int:
        """Bytes received over the websocket since the last call."""
        count, self.bytes_box[0] = self.bytes_box[0], 0
        return count

    def close(self) -> None:
        self.page.context.close()


def _open(browser, url: str, points: str = MAP_POINTS) -> _Opened:
    """Open a new browser context at ``url``; seconds to the status line and to the map."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(BENCH_TIMEOUT_MS)
    received = [0]
    cdp = context.new_cdp_session(page)
    cdp.on("Network.webSocketFrameReceived", lambda event: _count(received, event))
    cdp.send("Network.enable")
    started = time.perf_counter()
    page.goto(url)
    status_line(page).wait_for()
    status = time.perf_counter() - started
    map_frame_locator(page).locator(f"{points} >> visible=true").first.wait_for()
    drawn = time.perf_counter() - started
    page.wait_for_selector(IDLE)
    settle(page)
    return _Opened(page, status, drawn, received)


def _count(received: list[int], event: dict) -> None:
    response = event.get("response", {})
    data = response.get("payloadData", "")
    # Binary frames (Streamlit's protobuf messages) arrive base64-encoded.
    received[0] += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data)


def _timed_step(page, action) -> float | None:
    """Seconds from the action to the app idle with the map no longer changing."""
    started = page.evaluate(_WATCH, MAP_FRAME)
    if action() is False:
        return None
    try:
        page.wait_for_function(
            _DONE, arg=[QUIET_MS, PATIENCE_MS], polling=50, timeout=STEP_TIMEOUT_MS
        )
    except PlaywrightTimeout:
        return None
    last = page.evaluate("() => Math.max(window.__bench.changed, window.__bench.drawn)")
    settle(page)
    return (last - started) / 1000 if last else None


def _slider_step(page) -> None:
    start = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    start.first.focus()
    page.keyboard.press("ArrowRight")


def _preset(page, name: str) -> None:
    page.locator("[data-testid='stButtonGroup']").get_by_text(name, exact=True).click()


def _click_a_cell(page) -> bool:
    """Click the largest grid cell in view, where a person would; False when there is none."""
    frame = map_frame(page)
    spot = frame.evaluate(
        """(fill) => {
            const cells = Array.from(document.querySelectorAll('path.leaflet-interactive'))
                .filter(p => p.getAttribute('fill') === fill)
                .map(p => p.getBoundingClientRect())
                .sort((a, b) => b.width - a.width);
            if (!cells.length) return null;
            return [cells[0].x + cells[0].width / 2, cells[0].y + cells[0].height / 2];
        }""",
        AGGREGATE_FILL,
    )
    if spot is None:
        return False
    box = _map_box(page)
    page.mouse.click(box["x"] + spot[0], box["y"] + spot[1])
    return True


def _click_an_event(page) -> float | None:
    """Seconds from a click on a single event to its report in the panel."""
    lat, lng, zoom = DENSE_VIEW
    frame = map_frame(page)
    # A larger table is denser: zoom in further until the view shows single events.
    for step in range(0, MAX_ZOOM - zoom + 1, 2):
        frame.evaluate(
            "([lat, lng, zoom]) => { window.map.setView([lat, lng], zoom, { animate: false }); }",
            [lat, lng, zoom + step],
        )
        wait_for_zoom(frame, zoom + step)
        settle(page)
        if not page.get_by_text(GROUPED_TEXT).count():
            break
    else:
        return None
    spot = frame.evaluate(
        """(fill) => {
            const box = document.querySelector('.leaflet-container').getBoundingClientRect();
            const points = Array.from(document.querySelectorAll('path.leaflet-interactive'))
                .filter(p => p.getAttribute('fill') !== fill)
                .map(p => p.getBoundingClientRect())
                .filter(r => r.x > box.x + 20 && r.right < box.right - 20 &&
                             r.y > box.y + 20 && r.bottom < box.bottom - 20);
            if (!points.length) return null;
            return [points[0].x + points[0].width / 2, points[0].y + points[0].height / 2];
        }""",
        AGGREGATE_FILL,
    )
    if spot is None:
        return None
    box = _map_box(page)
    started = time.perf_counter()
    page.mouse.click(box["x"] + spot[0], box["y"] + spot[1])
    try:
        panel = page.locator(".st-key-detail_panel").get_by_text(SYNTHETIC_TEXT).first
        panel.wait_for(timeout=STEP_TIMEOUT_MS)
    except PlaywrightTimeout:
        return None
    return time.perf_counter() - started


def _map_box(page) -> dict:
    """Where the map is on screen, scrolled into view first: a preset clicked lower down may
    have scrolled the page, and a click outside the window reaches nothing."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    return page.locator(MAP_FRAME).bounding_box()


def _fresh_cache_dir(out_dir: Path, size: int) -> Path:
    """A cache directory of this run's own, with the gazetteer index but no events cache: a
    run beside another one on the same ``out_dir`` never deletes the other's files."""
    directory = Path(tempfile.mkdtemp(prefix=f"browser-cache-{size}-", dir=out_dir))
    source = Path(os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)
    for built in source.glob("gazetteer-*"):
        shutil.copy2(built, directory / built.name)
    return directory


def _say(text: str) -> None:
    print(f"browser benchmark: {text}", file=sys.stderr, flush=True)


def _load_average() -> str:
    return "/".join(f"{n:.1f}" for n in os.getloadavg())
