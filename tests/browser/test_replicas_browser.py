"""Two app replicas (two `streamlit run` processes) on one PostgreSQL database, in Chromium:
a link made on one opens the same view there, and a report saved on one appears on the other."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from components.storage import transfer
from components.storage.postgres import PostgresStore
from tests.browser.test_report_browser import REPORT
from tests.dashboard import (
    IDLE,
    PLAY_INTERVAL_ENV,
    SHIPPED_EVENTS,
    TEST_PLAY_INTERVAL,
    TIMEOUT_MS,
    new_context,
    running_dashboard,
    settle,
    status_line,
    wait_for_address,
)
from tests.storage.conftest import module_database_url, server_url, template_db  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas(
    module_database_url: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, str]]:
    """The shipped events in a fresh database, and two dashboards reading it."""
    database_url = module_database_url
    tmp_path = tmp_path_factory.mktemp("replicas")
    store = PostgresStore(database_url)
    transfer.load_files(store, SHIPPED_EVENTS, SHIPPED_EVENTS.with_name("places.csv"))
    store.close()
    env = {"STRIKEMAP_DATABASE_URL": database_url, PLAY_INTERVAL_ENV: TEST_PLAY_INTERVAL}
    # The events file given on the command line is not read: the database is the store.
    absent = tmp_path / "not-read.csv"
    with (
        running_dashboard(tmp_path / "one.log", absent, env) as one,
        running_dashboard(tmp_path / "two.log", absent, env) as two,
    ):
        yield one, two


def opened(context, url: str):
    """A page at ``url`` once the app has counted its events (the map is not waited for)."""
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)  # Playwright's own 30 s is short on a loaded machine
    page.goto(url)
    page.wait_for_selector(IDLE)
    expect(status_line(page)).to_contain_text("shown")
    return page


def test_a_link_opens_the_same_view_and_a_saved_report_appears_on_the_other_replica(
    browser, replicas
) -> None:
    # One pair of pages for both (a page costs Chromium seconds of CPU): the link's pages are
    # those the report is saved from and counted on.
    one, two = replicas
    context = new_context(browser)
    first, second = a_link_made_on_one_replica_opens_the_same_view_on_the_other(context, one, two)
    a_report_saved_on_one_replica_appears_on_the_other(first, second, one, two)
    context.close()


def a_link_made_on_one_replica_opens_the_same_view_on_the_other(context, one: str, two: str):
    """The pages on each replica, at the link's view."""
    first = opened(context, f"{one}/?event=seed-000-2")
    wait_for_address(first, "event=seed-000-2")
    panel = first.locator(".st-key-detail_panel")
    expect(panel).to_contain_text("seed-000-2")
    link = first.evaluate("() => location.href")
    address = urlsplit(link)
    there = urlunsplit(address._replace(netloc=urlsplit(two).netloc))

    second = opened(context, there)
    expect(second.locator(".st-key-detail_panel")).to_contain_text("seed-000-2")
    expect(status_line(second)).to_have_text(status_line(first).inner_text())
    for part in address.query.split("&"):
        wait_for_address(second, part)
    return first, second


def a_report_saved_on_one_replica_appears_on_the_other(first, second, one: str, two: str):
    expect(status_line(second)).to_have_text(re.compile(r"^2 events shown · "))

    first.goto(f"{one}/add-report")
    first.wait_for_selector(IDLE)
    text_box = first.get_by_role("textbox", name="Report text")
    text_box.fill(REPORT)
    text_box.press("Control+Enter")
    settle(first)
    first.get_by_role("button", name="Code report").click()
    first.get_by_text("Draft event 1").wait_for()
    settle(first)
    first.get_by_role("button", name="Save checked events").click()
    first.get_by_text("now on the map").wait_for()

    # The next run of the other replica reads the database again (a fresh address: the old
    # one holds a date window that ends before the new event).
    second.goto(two)
    expect(status_line(second)).to_have_text(re.compile(r"^3 events shown · "))
