"""End to end in a real Chromium: the dashboard on the shipped data, offline.

The browser is Debian's chromium (``make setup`` installs it), driven by Playwright.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import PROJECT_ROOT, SHIPPED_EVENTS

pytestmark = pytest.mark.browser

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
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
SEED_STRIKE = (35.33588, 40.14084)  # Deir ez-Zor, where the gazetteer places the seed events
SEED_TEXT = "De Amerikaanse luchtmacht heeft woensdagavond en donderdagochtend"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A running `streamlit run app.py` on the shipped events; yields its address."""
    port = _free_port()
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
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
        str(SHIPPED_EVENTS),
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


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: run `make setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, dashboard):
    """A fresh page on the dashboard that records every request it makes."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.requests = requests
    page.goto(dashboard)
    page.wait_for_selector(IDLE, timeout=90_000)
    _map(page).locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    yield page
    context.close()


def test_dashboard_shows_the_seed_events_on_an_offline_map(page) -> None:
    assert _status(page).startswith("2 events shown · 0 filtered out · 0 not on the map")
    assert _map(page).locator("path.leaflet-interactive").count() == 2
    outlines = _map_frame(page).evaluate(
        "() => document.querySelectorAll('.leaflet-outlines-pane path').length"
    )
    assert outlines > 100, "the offline country outlines are drawn"


def test_narrow_dates_then_click_the_strike_and_read_its_report_offline(page) -> None:
    frame = _map_frame(page)
    frame.evaluate("() => window.map.setView([35.0, 40.0], 7)")
    _wait_for(lambda: frame.evaluate("() => window.map.getZoom()") == 7)

    # Move the start of the date range from 7 to 8 February: the shelling of the 7th goes.
    start = page.locator("[data-testid='stSlider']").filter(has_text="Dates").get_by_role("slider")
    start.first.focus()
    page.keyboard.press("ArrowRight")
    _wait_for(lambda: _status(page).startswith("1 event shown · 1 filtered out"))
    _wait_for(lambda: _map(page).locator("path.leaflet-interactive").count() == 1)
    assert frame.evaluate("() => window.map.getZoom()") == 7, "a filter change keeps the zoom"
    centre = frame.evaluate("() => window.map.getCenter()")
    assert (round(centre["lat"], 3), round(centre["lng"], 3)) == (35.0, 40.0)

    _click_at(page, *SEED_STRIKE)
    panel = page.locator(".st-key-detail_panel")
    _wait_for(lambda: SEED_TEXT in panel.inner_text())
    text = panel.inner_text()
    assert "Air/drone strike · Deir ez-Zor, Syria" in text
    assert "Killed: 100" in text
    assert "Injured: 1" in text
    assert "7 February 2018 – 8 February 2018 (exact day)" in text
    assert "gazetteer" in text

    outside = sorted({u for u in page.requests if urlsplit(u).hostname not in LOCAL_HOSTS})
    assert [u for u in outside if not u.startswith(("data:", "blob:", "about:"))] == []


def _map(page):
    return page.frame_locator(MAP_FRAME)


def _map_frame(page):
    return next(f for f in page.frames if "streamlit_folium" in f.url)


def _status(page) -> str:
    return page.locator("[data-testid='stMarkdown']").filter(has_text="shown").first.inner_text()


def _click_at(page, latitude: float, longitude: float) -> None:
    """Click the map where a place is, as a person would with the mouse."""
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = _map_frame(page).evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [latitude, longitude],
    )
    page.mouse.click(box["x"] + x, box["y"] + y)


def _wait_for(condition, timeout: float = 30.0) -> None:
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
