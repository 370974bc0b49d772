"""The HTML snapshot of a view (components/formats/snapshot.py): standalone, offline, and inert."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from components.formats.snapshot import script_json, snapshot_html
from components.map.layer import type_colours
from components.table import schema as s
from tests.dashboard import wait_for
from tests.frames import make_events
from tests.payloads import PAYLOADS, hostile_rows

MADE = dt.datetime(2026, 11, 23, 22, 30, tzinfo=dt.UTC)


def view() -> pd.DataFrame:
    return make_events(
        {
            s.EVENT_ID: "a",
            s.DATE_START: "2018-02-07",
            s.EVENT_TYPE: "Air/drone strike",
            s.LOCATION: "Khasham",
            s.LATITUDE: "35.29",
            s.LONGITUDE: "40.29",
            s.KILLED_MIN: "45",
            s.KILLED_MAX: "100",
        },
        {
            s.EVENT_ID: "b",
            s.DATE_START: "2018-02",
            s.EVENT_TYPE: "Shelling/artillery/missile attack",
            s.LOCATION: "Deir ez-Zor",
            s.LATITUDE: "35.34",
            s.LONGITUDE: "40.14",
            s.GEO_PRECISION: "3",
        },
        {s.EVENT_ID: "c", s.DATE_START: "2018-02-09", s.EVENT_TYPE: "Air/drone strike"},
    )


def hostile_view() -> pd.DataFrame:
    return make_events(*hostile_rows())


def page_text(document: str) -> str:
    """The visible text outside scripts and styles, unescaped."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", document, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


# --- the page ---------------------------------------------------------------------------------


def test_the_snapshot_states_title_filters_counts_totals_and_when_it_was_made():
    events = view()

    document = snapshot_html(
        events,
        filters_text="7 Feb 2018 – 9 Feb 2018 · killed ≥ 10",
        colours=type_colours(events[s.EVENT_TYPE]),
        title="Deir ez-Zor, February 2018",
        made=MADE,
    )

    text = " ".join(page_text(document).split())
    assert "Deir ez-Zor, February 2018" in text
    assert "Filters: 7 Feb 2018 – 9 Feb 2018 · killed ≥ 10" in text
    assert "2 events on the map · 1 not on the map (no coordinates)" in text
    assert "Killed: 45–100 in 1 event; 2 events report no figure and are left out" in text
    assert "Made 23 November 2026, 22:30 UTC" in text
    for legend in ("Air/drone strike", "Shelling/artillery/missile attack", "approximate"):
        assert legend in text


def test_the_snapshot_carries_the_map_layers_features_and_every_file_it_needs():
    events = view()
    document = snapshot_html(events, filters_text="all events", made=MADE)

    data = re.search(
        r'<script type="application/json" id="events-data">(.*?)</script>', document, re.DOTALL
    )
    features = json.loads(data.group(1))["features"]
    assert sorted(f["properties"]["event_id"] for f in features) == ["a", "b"]
    assert next(f for f in features if f["properties"]["event_id"] == "b")["properties"][
        "approximate"
    ]
    assert "L.circleMarker" in document
    assert "topojson" in document
    markup = re.sub(r"<(script|style)\b([^>]*)>.*?</\1>", r"<\1\2>", document, flags=re.DOTALL)
    assert not re.search(r"\b(src|href)\s*=", markup), "no file is loaded from elsewhere"
    assert "url(images/" not in document, "Leaflet's images are inlined"


def test_an_empty_view_still_makes_a_page():
    document = snapshot_html(view().iloc[0:0], filters_text="killed ≥ 5000", made=MADE)

    assert "0 events on the map" in page_text(document)


def test_without_the_maps_files_the_error_says_to_run_make_setup(tmp_path):
    with pytest.raises(FileNotFoundError, match="make setup"):
        snapshot_html(view(), filters_text="", static_vendor=tmp_path)


# --- untrusted text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "</script><script>alert(1)</script>",
        "<!-- <script>",
        "\u2028\u2029",
        "a & b > c",
        "${x} `y` \\z",
    ],
)
def test_script_json_cannot_end_its_script_element_and_reads_back_the_same(text):
    written = script_json({"label": text})

    assert not re.search(r"[<>&\u2028\u2029]", written)
    assert json.loads(written) == {"label": text}


def test_hostile_title_and_filters_are_escaped_in_the_page():
    payload = "<script>window.__pwned = 1</script>"

    document = snapshot_html(view(), filters_text=payload, title=payload, made=MADE)

    assert payload not in document
    assert page_text(document).count(payload) == 3, "title element, heading and filters"


def test_hostile_report_text_never_appears_unescaped_in_the_page():
    events = hostile_view()

    document = snapshot_html(events, filters_text="all events", made=MADE)

    for payload in PAYLOADS:
        if re.search(r"[<>&]", payload):
            assert payload not in document


def test_a_colour_that_is_not_a_colour_is_not_written_into_the_legend():
    events = view()
    colours = {"Air/drone strike": 'red" onmouseover="window.__pwned = 1'}

    document = snapshot_html(events, filters_text="", colours=colours, made=MADE)

    legend = re.search(r'<section class="legend".*?</section>', document, re.DOTALL).group()
    assert "onmouseover" not in legend


# --- in a real browser, opened from disk ------------------------------------------------------


def open_snapshot(browser, path: Path):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.requests, page.dialogs, page.errors = [], [], []
    context.on("request", lambda request: page.requests.append(request.url))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(path.as_uri())
    return page


@pytest.mark.browser
def test_the_snapshot_opens_from_disk_with_its_map_and_makes_no_network_request(browser, tmp_path):
    events = view()
    path = tmp_path / "snapshot.html"
    path.write_text(snapshot_html(events, filters_text="all events", made=MADE), "utf-8")

    page = open_snapshot(browser, path)
    markers = page.locator("#map path.leaflet-interactive")
    wait_for(lambda: markers.count() == 2)
    outlines = page.locator(".leaflet-outlines-pane path")
    wait_for(lambda: outlines.count() > 100)

    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(("file://", "data:"))] == []
    assert page.locator(".legend").inner_text().count("Air/drone strike") == 1
    page.context.close()


@pytest.mark.browser
def test_hostile_text_in_a_snapshot_runs_nothing_and_reads_literally(browser, tmp_path):
    events = hostile_view()
    path = tmp_path / "hostile.html"
    path.write_text(
        snapshot_html(events, filters_text=PAYLOADS[0], title=PAYLOADS[6], made=MADE), "utf-8"
    )

    page = open_snapshot(browser, path)
    markers = page.locator("#map path.leaflet-interactive")
    wait_for(lambda: markers.count() == len(PAYLOADS))
    assert PAYLOADS[0] in page.locator(".filters").inner_text()
    assert page.title() == PAYLOADS[6]
    tooltip = page.locator(".leaflet-tooltip")
    for number in (0, 1, 4, 5, 6):
        markers.nth(number).hover(force=True)
        expected = events[s.EVENT_TYPE].iloc[number]
        wait_for(lambda: tooltip.count() > 0 and expected in tooltip.last.inner_text())  # noqa: B023

    assert page.evaluate("() => window.__pwned === undefined")
    assert page.dialogs == []
    assert page.errors == []
    assert [u for u in page.requests if not u.startswith(("file://", "data:"))] == []
    page.context.close()
