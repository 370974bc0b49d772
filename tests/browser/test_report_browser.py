"""End to end in a real Chromium: paste a report, save its draft, see it on the dashboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.dashboard import IDLE, SHIPPED_EVENTS, running_dashboard

pytestmark = pytest.mark.browser

REPORT = (
    "date 2016-10-09\nAir strikes by the Saudi-led coalition on a crowded funeral hall in "
    "Sanaa killed more than 140 people and wounded over 525 on Saturday, the United Nations "
    "said."
)


@pytest.fixture
def events(tmp_path: Path) -> Path:
    copy = tmp_path / "events.csv"
    shutil.copy(SHIPPED_EVENTS, copy)
    return copy


def test_a_saved_report_is_counted_on_the_dashboard(events, browser, tmp_path):
    with running_dashboard(tmp_path / "server.log", events=events) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=90_000)
        page.get_by_text("2 events shown · ").wait_for(timeout=60_000)

        page.goto(f"{url}/add-report")
        page.wait_for_selector(IDLE, timeout=90_000)
        text_box = page.get_by_role("textbox", name="Report text")
        text_box.fill(REPORT)
        text_box.press("Control+Enter")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Code report").click()
        page.get_by_text("Draft event 1").wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Save checked events").click()
        page.get_by_text("now on the map").wait_for(timeout=60_000)

        page.get_by_role("link", name="Dashboard").click()
        page.wait_for_selector(IDLE, timeout=90_000)
        page.get_by_text("3 events shown · ").wait_for(timeout=60_000)
        page.close()
