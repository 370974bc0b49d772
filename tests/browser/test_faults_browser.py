"""Issue 18 in a real Chromium: a file with year typos, figures past 2**63, repeated and
reserved header names, and a places file with a bad row keeps the dashboard up; the good rows
are on the map and the bad ones are named, with no error box."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.dashboard import (
    MAP_POINTS,
    map_frame_locator,
    new_context,
    open_page,
    settle,
    status_line,
)

pytestmark = pytest.mark.browser

HEADER = (
    "event_id,date_start,event_type,location,latitude,longitude,killed_min,killed_max,"
    "extra,extra,_row,killed_min_own"
)
ROWS = [
    "good-1,2018-02-07,Air/drone strike,Aleppo,36.2,37.15,1,2,a,b,9999,lots",
    "typo-1018,1018-02-07,Air/drone strike,Aleppo,36.2,37.16,1,2,,,,",
    "typo-9999,9999-12-31,Air/drone strike,Aleppo,36.2,37.17,1,2,,,,",
    "big-2-53,2018-02-08,Air/drone strike,Idlib,35.9,36.6,10000000000000000,,,,,",
    "big-1e30,2018-02-08,Air/drone strike,Idlib,35.9,36.7,1e30,,,,,",
    "good-2,2018-02-09,Shelling/artillery/missile attack,Idlib,35.93,36.63,4,5,,,,",
]


@pytest.fixture(scope="module")
def dashboard_events(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("faults")
    events = folder / "events.csv"
    events.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    (folder / "sources.csv").write_text(
        "event_id,source_name,killed_min\ngood-1,AFP,1e30\ngood-1,SANA,3\n", encoding="utf-8"
    )
    return events


@pytest.fixture(scope="module")
def page(browser, dashboard: str) -> Iterator:
    """One page for the module (a page costs Chromium seconds of CPU): the tests read it and
    download from it; none changes what it shows but for opening the list of problems."""
    context = new_context(browser)
    yield open_page(context, dashboard)
    context.close()


def test_the_good_rows_show_and_each_bad_one_is_named_without_an_error_box(page) -> None:
    expect(status_line(page)).to_contain_text("2 events shown")
    expect(map_frame_locator(page).locator(MAP_POINTS)).to_have_count(2)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.get_by_text("4 rows of the events file were left out")).to_be_visible()
    page.get_by_text("What was wrong in the events file, row by row").click()
    problems = page.locator("[data-testid='stText']").filter(has_text="check the year").first
    expect(problems).to_contain_text("row 3, column date_start")
    expect(problems).to_contain_text("row 5, column killed_min: at most 10,000,000")
    expect(problems).to_contain_text("row 1, column _row")
    expect(page.get_by_text("1 row of the sources file was left out")).to_be_visible()


@pytest.mark.parametrize(("button", "format_name"), [("CSV", "canonical"), ("GeoJSON", "geojson")])
def test_the_views_download_opens_again_as_an_events_file(page, tmp_path, button, format_name):
    from components import formats

    expect(status_line(page)).to_contain_text("2 events shown")
    # The page is shared: a download before this one reran the app, and a click made while
    # that run redraws the buttons is lost.
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=button, exact=True).click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    back = formats.import_file(saved, format_name)
    assert back.problems == []
    assert sorted(back.events["event_id"]) == ["good-1", "good-2"]
    assert not {"killed_min_own", "source_count", "matched_name"} & set(back.events.columns)
