"""A dashboard in a real browser: start `streamlit run`, drive Debian's chromium with Playwright.

Used by the browser benchmark and, through tests/dashboard.py, by the browser tests and
scripts/screenshot.py. Waits end on what the page shows (Playwright's auto-waiting), never
after a fixed time: the generous timeouts only bound how long a broken page is waited for on a
loaded machine.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

from components import PROJECT_ROOT, SHIPPED_EVENTS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
MAP_POINTS = "path.leaflet-interactive"
# How long a wait may last before the test fails: long, because two cores may be shared with
# other work, yet a wait that is met ends at once.
TIMEOUT_MS = 120_000
# The app has been idle this long since the map was drawn: the rerun the map's first report
# starts (its position and bounds) is over, so a click or key press is not lost in it.
QUIET_MS = 600
PLAY_INTERVAL_ENV = "STRIKEMAP_PLAY_INTERVAL"
PROFILE_ENV = "STRIKEMAP_PROFILE"
VIEWPORT = {"width": 1400, "height": 1000}


@contextlib.contextmanager
def running_dashboard(
    log: Path, events: Path = SHIPPED_EVENTS, env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run app.py` on ``events`` at a free local port; yields its address.

    ``env`` adds to this process's environment (e.g. the playback interval).
    """
    with dashboard_server(log, events, env) as (url, _):
        yield url


@contextlib.contextmanager
def dashboard_server(
    log: Path,
    events: Path = SHIPPED_EVENTS,
    env: Mapping[str, str] | None = None,
    app: Path | str = "app.py",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """As :func:`running_dashboard`, and the server's process too (to measure its memory).

    ``app`` is the page's script (the benchmark's naive page runs this way).
    """
    port = _free_port()
    # STRIKEMAP_PROFILE=FILE: the server samples its script threads (benchmarks.profile_server).
    profile = (env or {}).get(PROFILE_ENV) or os.environ.get(PROFILE_ENV)
    address = ["--port", str(port), "--address", "127.0.0.1"]
    if app == "app.py":  # the dashboard, as `make run` starts it: the events read ahead
        page = ["components", "serve", *address, "--events", str(events)]
    else:
        page = ["streamlit", "run", str(app), "--server.port", str(port)]
        page += ["--server.address", "127.0.0.1", "--", "--events", str(events)]
    profiled = ["benchmarks.profile_server", profile] if profile else []
    command = [sys.executable, "-m", *profiled, *page]
    with log.open("w") as output:
        server = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, server, log)
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=20)


def open_page(context, url: str):
    """A new page in ``context`` at ``url``, once the map is drawn and the app is quiet.

    The page records the addresses it requests (``page.requests``) and the dialogs it opened
    (``page.dialogs``, dismissed).
    """
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.requests, page.dialogs = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_selector(IDLE)
    map_frame_locator(page).locator(f"{MAP_POINTS} >> visible=true").first.wait_for()
    settle(page)
    return page


def settle(page) -> None:
    """Wait until the app has run no script for QUIET_MS: every rerun already started is over."""
    page.evaluate("() => { window.__strikemapBusy = undefined; }")
    page.wait_for_function(
        """(quiet) => {
            const app = document.querySelector("[data-testid='stApp']");
            const now = performance.now();
            if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') {
                window.__strikemapBusy = now;
                return false;
            }
            if (window.__strikemapBusy === undefined) window.__strikemapBusy = now;
            return now - window.__strikemapBusy >= quiet;
        }""",
        arg=QUIET_MS,
        polling=50,
    )


def status_line(page):
    """The line that counts the events shown, filtered out and not on the map."""
    return page.locator("[data-testid='stMarkdown']").filter(has_text="shown").first


def wait_for_zoom(frame, zoom: int) -> None:
    frame.wait_for_function("(zoom) => window.map && window.map.getZoom() === zoom", arg=zoom)


def wait_for_points(frame, condition: str) -> None:
    """Wait until the number of points drawn, ``n``, meets ``condition`` (e.g. 'n === 1')."""
    frame.wait_for_function(
        f"() => {{ const n = document.querySelectorAll('{MAP_POINTS}').length; "
        f"return {condition}; }}"
    )


def wait_for_address(page, part: str) -> None:
    """Wait until the address bar holds ``part`` (Playwright's page.url lags replaceState)."""
    page.wait_for_function("(part) => location.href.includes(part)", arg=part)


def map_frame_locator(page):
    return page.frame_locator(MAP_FRAME)


def map_frame(page):
    """The map's frame; a clear error when the page has none (the app failed: see its log)."""
    frame = next((f for f in page.frames if "streamlit_folium" in f.url), None)
    if frame is None:
        raise RuntimeError(
            f"no map frame on the page at {page.url}: the app may have failed, see the server's log"
        )
    return frame


def click_map_at(page, latitude: float, longitude: float) -> None:
    """Click the map where a place is, as a person would with the mouse."""
    page.mouse.click(*map_point(page, latitude, longitude))


def hover_map_at(page, latitude: float, longitude: float) -> None:
    """Move the mouse over the map where a place is."""
    page.mouse.move(*map_point(page, latitude, longitude))


def map_point(page, latitude: float, longitude: float) -> tuple[float, float]:
    """Where on the page a place is drawn on the map, scrolled into view as a person would."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = map_frame(page).evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [latitude, longitude],
    )
    return box["x"] + x, box["y"] + y


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")
