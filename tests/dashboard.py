"""A dashboard in a real browser: start `streamlit run`, drive Debian's chromium with Playwright.

Shared by the browser tests and scripts/screenshot.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from components import PROJECT_ROOT

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"
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
SEED_STRIKE = (35.33588, 40.14084)  # Deir ez-Zor, where the gazetteer places the seed events


@contextlib.contextmanager
def running_dashboard(log: Path, events: Path = SHIPPED_EVENTS) -> Iterator[str]:
    """`streamlit run app.py` on ``events`` at a free local port; yields its address."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--",
        "--events",
        str(events),
    ]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT, env=os.environ
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def map_frame_locator(page):
    return page.frame_locator(MAP_FRAME)


def map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


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


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


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
