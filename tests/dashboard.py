"""A dashboard in a real browser for the tests: the helpers of benchmarks/page.py, and what only
the tests need (the seed strike's spot, a faster playback, a lighter browser, a Python-side
wait)."""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks.page import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    MAP_FRAME,
    MAP_POINTS,
    PLAY_INTERVAL_ENV,
    QUIET_MS,
    SHIPPED_EVENTS,
    TIMEOUT_MS,
    VIEWPORT,
    click_map_at,
    dashboard_server,
    hover_map_at,
    map_frame,
    map_frame_locator,
    map_point,
    open_page,
    running_dashboard,
    settle,
    status_line,
    wait_for_address,
    wait_for_points,
    wait_for_zoom,
)
from components import PROJECT_ROOT

__all__ = [
    "CHROMIUM",
    "CHROMIUM_ARGS",
    "HEADLESS_SHELL",
    "IDLE",
    "MAP_FRAME",
    "MAP_POINTS",
    "PLAY_INTERVAL_ENV",
    "PROJECT_ROOT",
    "QUIET_MS",
    "SEED_STRIKE",
    "SHIPPED_EVENTS",
    "TEST_PLAY_INTERVAL",
    "TIMEOUT_MS",
    "VIEWPORT",
    "click_map_at",
    "dashboard_server",
    "hover_map_at",
    "map_frame",
    "map_frame_locator",
    "map_point",
    "new_context",
    "open_page",
    "running_dashboard",
    "settle",
    "status_line",
    "wait_for",
    "wait_for_address",
    "wait_for_points",
    "wait_for_zoom",
]

SEED_STRIKE = (35.33588, 40.14084)  # Deir ez-Zor, where the gazetteer places the seed events
# Seconds between two playback steps on test servers; the app's default is slower.
TEST_PLAY_INTERVAL = "0.5"
# The tests' browser: Debian's old headless shell, the same Blink as its chromium without the
# browser's own interface; a page costs it about a fifth less CPU. The benchmark keeps chromium.
HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell"
# No CSS animation or transition is drawn: frames no test reads, yet about a sixth of the
# browser's CPU for a page opened and worked (Leaflet ends a zoom on its own timer without them).
NO_MOTION = """(() => {
    const css = "*, ::before, ::after {animation: none !important; transition: none !important}";
    const add = () => {
        const style = document.createElement("style");
        style.textContent = css;
        document.documentElement.appendChild(style);
    };
    if (document.documentElement) add();
    else document.addEventListener("DOMContentLoaded", add);
})();"""


def new_context(browser, viewport: dict[str, int] = VIEWPORT):
    """A fresh browser context for a test (no cookies, storage or cache from another test)."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport=viewport)
    context.add_init_script(NO_MOTION)
    return context


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll a condition evaluated in Python; prefer the page-side waits of benchmarks/page.py."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)
