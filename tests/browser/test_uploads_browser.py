"""An upload shown and not saved: the page says so, and a reload asks first (the browser's own
beforeunload question), in a real Chromium. Saving it leaves the note in sources.csv."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from components.table import schema as s
from tests.dashboard import IDLE, SHIPPED_EVENTS, TIMEOUT_MS, new_context, settle

pytestmark = pytest.mark.browser

UNSAVED = "Showing events uploaded in this session and not saved"


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A copy: the save test writes into it.
    folder = tmp_path_factory.mktemp("uploads")
    return Path(shutil.copy(SHIPPED_EVENTS, folder / "events.csv"))


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "synthetic-upload.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
        writer.writeheader()
        writer.writerow(
            {
                s.EVENT_ID: "uploaded-1",
                s.DATE_START: "2018-02-09",
                s.EVENT_TYPE: "Air/drone strike",
                s.COUNTRY: "Syria",
                s.LOCATION: "Synthetic place",
                s.LATITUDE: "35.2",
                s.LONGITUDE: "40.3",
                s.SOURCE_NAME: "Synthetic outlet",
            }
        )
    return path


@pytest.fixture
def dialogs_page(browser, dashboard: str):
    """A page whose dialogs are recorded and accepted (a reload asked about goes ahead)."""
    context = new_context(browser)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.dialogs = []

    def answer(dialog) -> None:
        page.dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(dashboard)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("events shown").first).to_be_visible()
    yield page
    context.close()


def show_upload(page, upload: Path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Show with the current events").click()
    expect(page.get_by_text(UNSAVED)).to_be_visible()
    settle(page)


def test_a_reload_after_an_unsaved_upload_asks_first_then_saving_one_keeps_its_note(
    dialogs_page, upload, dashboard_events
) -> None:
    # One page for both (a page costs Chromium seconds of CPU): the reload accepted leaves a
    # fresh session, as a new page would.
    a_reload_after_an_unsaved_upload_asks_first(dialogs_page, upload)
    saving_the_upload_writes_its_note_into_sources_csv(dialogs_page, upload, dashboard_events)


def a_reload_after_an_unsaved_upload_asks_first(page, upload: Path) -> None:
    page.reload()  # before any upload: nothing to lose, no question
    page.wait_for_selector(IDLE)
    assert page.dialogs == []

    show_upload(page, upload)
    page.reload()

    assert page.dialogs == ["beforeunload"]
    # Accepted: the page reloads without the upload.
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("events shown").first).to_be_visible()
    expect(page.get_by_text(UNSAVED)).to_have_count(0)


def saving_the_upload_writes_its_note_into_sources_csv(
    page, upload: Path, dashboard_events: Path
) -> None:
    show_upload(page, upload)
    page.get_by_role("button", name="Save the 1 uploaded events into the events file").click()

    expect(page.get_by_text("1 events from synthetic-upload.csv saved.")).to_be_visible()
    expect(page.get_by_text(UNSAVED)).to_have_count(0)
    with (dashboard_events.parent / "sources.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r[s.EVENT_ID] for r in rows] == ["uploaded-1"]
    assert rows[0][s.NOTES].startswith("imported from synthetic-upload.csv, an upload saved on ")
    assert "uploaded-1" in dashboard_events.read_text(encoding="utf-8")
