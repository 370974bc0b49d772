"""End to end in a real Chromium: paste a report, save its draft, see it on the dashboard."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.dashboard import IDLE, SHIPPED_EVENTS, settle, status_line

pytestmark = pytest.mark.browser

REPORT = (
    "date 2016-10-09\nAir strikes by the Saudi-led coalition on a crowded funeral hall in "
    "Sanaa killed more than 140 people and wounded over 525 on Saturday, the United Nations "
    "said."
)


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped events: saving a report writes into it."""
    copy = tmp_path_factory.mktemp("report") / "events.csv"
    shutil.copy(SHIPPED_EVENTS, copy)
    return copy


def test_a_saved_report_is_counted_on_the_dashboard(page, dashboard) -> None:
    expect(status_line(page)).to_have_text(re.compile(r"^2 events shown · "))

    page.goto(f"{dashboard}/add-report")
    page.wait_for_selector(IDLE)
    text_box = page.get_by_role("textbox", name="Report text")
    text_box.fill(REPORT)
    text_box.press("Control+Enter")
    settle(page)
    page.get_by_role("button", name="Code report").click()
    page.get_by_text("Draft event 1").wait_for()
    settle(page)
    page.get_by_role("button", name="Save checked events").click()
    page.get_by_text("now on the map").wait_for()

    page.get_by_role("link", name="Dashboard").click()
    expect(status_line(page)).to_have_text(re.compile(r"^3 events shown · "))
