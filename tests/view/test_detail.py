"""What the detail panel says about one event (components/view/detail.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from components import PROJECT_ROOT
from components.table import schema as s
from components.table import sources as src
from components.table.events import read_events
from components.view import detail
from tests.frames import make_events

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"


# --- casualty ranges in words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (100, 100, "100"),
        (0, 0, "0"),
        (5, 7, "5\N{EN DASH}7"),
        (1000, 1500, "1,000\N{EN DASH}1,500"),
        (12, pd.NA, "at least 12"),
        (12, None, "at least 12"),
        (pd.NA, 3, "at most 3"),
        (math.nan, 3.0, "at most 3"),
        (pd.NA, pd.NA, "not reported"),
        (None, None, "not reported"),
        (math.nan, math.nan, "not reported"),
    ],
)
def test_format_range_says_the_reported_figures_in_words(low, high, words):
    assert detail.format_range(low, high) == words


def test_format_range_reads_the_nullable_integers_the_loader_produces():
    events = make_events(
        {s.EVENT_ID: "a", s.KILLED_MIN: "5", s.KILLED_MAX: "7"},
        {s.EVENT_ID: "b", s.KILLED_MIN: "12"},
        {s.EVENT_ID: "c"},
    )

    words = [detail.format_range(e[s.KILLED_MIN], e[s.KILLED_MAX]) for _, e in events.iterrows()]

    assert words == ["5\N{EN DASH}7", "at least 12", "not reported"]


def test_unknown_casualties_are_never_shown_as_zero_in_the_panel():
    shelling = read_events(SHIPPED_EVENTS).events.iloc[0]

    rows = dict(detail.detail_rows(shelling))

    assert rows["Killed"] == "not reported"
    assert rows["Injured"] == "not reported"
    assert rows["Civilians killed"] == "not reported"


def test_panel_shows_the_shipped_air_strike_figures():
    air_strike = read_events(SHIPPED_EVENTS).events.iloc[1]

    rows = dict(detail.detail_rows(air_strike))

    assert rows["Killed"] == "100"
    assert rows["Injured"] == "1"
    assert rows["Date"] == "7 February 2018 \N{EN DASH} 8 February 2018 (exact day)"
    assert rows["Event id"] == "seed-000-2"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "precision", "words"),
    [
        ("2018-02-07", None, "day", "7 February 2018 (exact day)"),
        ("2018-02-07", "2018-02-07", "day", "7 February 2018 (exact day)"),
        (
            "2018-02-07",
            "2018-02-08",
            "day",
            "7 February 2018 \N{EN DASH} 8 February 2018 (exact day)",
        ),
        ("2018-02-05", None, "week", "5 February 2018 (known to the week)"),
        ("2018-02-01", None, "month", "1 February 2018 (known to the month)"),
        ("2018-01-01", None, "year", "1 January 2018 (known to the year)"),
        (None, None, "day", "not recorded"),
    ],
    ids=["one day", "end on the same day", "two days", "week", "month", "year", "no date"],
)
def test_describe_dates_in_words(start, end, precision, words):
    start = pd.Timestamp(start) if start else pd.NaT
    end = pd.Timestamp(end) if end else pd.NaT

    assert detail.describe_dates(start, end, precision) == words


# --- where the coordinates came from ----------------------------------------------------------


@pytest.mark.parametrize(
    ("geocoder", "words"),
    [
        ("gazetteer:170063", "from the offline GeoNames gazetteer (geonameid 170063)"),
        ("manual", "placed by hand"),
        ("source", "as given by the source"),
        ("", "as given by the source"),
        (None, "as given by the source"),
        ("nominatim:W123456", "from nominatim (W123456)"),
        ("photon", "from photon"),
    ],
)
def test_describe_geocoder_says_where_coordinates_came_from(geocoder, words):
    assert detail.describe_geocoder(geocoder) == words


# --- source links: only http(s) with a host becomes a link ------------------------------------

LINKS = [
    "https://nos.nl/artikel/2216142-vs-doden-100-syrische-militairen",
    "http://example.org",
    "https://example.org/a?b=1&c=2#part",
    "HTTPS://EXAMPLE.ORG/Path",
    "https://example.org:8443/x",
    "https://user@example.org/x",
    "https://[2001:db8::1]/x",
    "https://xn--mgbh0fb.example/سوريا",
]


@pytest.mark.parametrize("url", LINKS)
def test_web_link_accepts_http_and_https_addresses_with_a_host(url):
    assert detail.web_link(url) == url


def test_web_link_trims_surrounding_spaces():
    assert detail.web_link("  https://example.org/x \n") == "https://example.org/x"


NOT_LINKS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript://example.org/%0aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/report.pdf",
    "mailto:desk@example.org",
    "/relative/path",
    "report.html",
    "example.org/page",
    "//example.org/protocol-relative",
    "https:example.org",
    "https:/example.org",
    "https:///path-only",
    "http://",
    "http://@/",
    "http://:80/",
    "https://user:pass@/x",
    "ht\ttp://example.org",
    "https://exa mple.org",
    "https://example.org/\u2028javascript:alert(1)",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/<script>",
    "https://example.org/`x`",
    "https://[::1",
    "",
    "   ",
    None,
]


@pytest.mark.parametrize("url", NOT_LINKS, ids=[repr(u) for u in NOT_LINKS])
def test_web_link_refuses_everything_that_is_not_an_http_address_with_a_host(url):
    assert detail.web_link(url) is None


# --- events one click cannot tell apart -------------------------------------------------------


def test_events_at_the_same_spot_are_the_others_at_exactly_those_coordinates():
    events = make_events(
        {s.EVENT_ID: "a", s.LATITUDE: "35.3333", s.LONGITUDE: "40.15"},
        {s.EVENT_ID: "b", s.LATITUDE: "35.3333", s.LONGITUDE: "40.15"},
        {s.EVENT_ID: "c", s.LATITUDE: "35.3333", s.LONGITUDE: "40.15"},
        {s.EVENT_ID: "near", s.LATITUDE: "35.3334", s.LONGITUDE: "40.15"},
        {s.EVENT_ID: "unplaced"},
    )
    a = events.iloc[0]

    assert detail.events_at_same_spot(events, a)[s.EVENT_ID].tolist() == ["b", "c"]


def test_an_event_alone_at_its_spot_has_no_others():
    events = make_events(
        {s.EVENT_ID: "a", s.LATITUDE: "35", s.LONGITUDE: "40"},
        {s.EVENT_ID: "b", s.LATITUDE: "36", s.LONGITUDE: "40"},
    )

    assert detail.events_at_same_spot(events, events.iloc[0]).empty


def test_an_event_without_coordinates_is_at_no_spot_shared_with_others():
    events = make_events({s.EVENT_ID: "x"}, {s.EVENT_ID: "y"})

    assert detail.events_at_same_spot(events, events.iloc[0]).empty


# --- place and headline -----------------------------------------------------------------------


def test_headline_names_type_place_and_country():
    event = read_events(SHIPPED_EVENTS).events.iloc[1]

    assert detail.headline(event) == "Air/drone strike · Deir ez-Zor, Syria"


def test_place_repeats_no_name_and_explains_the_precision_code():
    event = read_events(SHIPPED_EVENTS).events.iloc[0]

    assert detail.describe_place(event) == (
        "Deir ez-Zor, Syria (geo precision 2: near the place, or part of a region)"
    )


def test_event_without_coordinates_says_it_is_not_on_the_map():
    event = read_events(SHIPPED_EVENTS).events.iloc[0]

    assert dict(detail.detail_rows(event))["Coordinates"].startswith("not on the map")


# --- honest precision in words ----------------------------------------------------------------


def placed(**cells: str) -> dict[str, str]:
    return {s.EVENT_ID: "e", s.LATITUDE: "35.33", s.LONGITUDE: "40.14", **cells}


@pytest.mark.parametrize(
    ("cells", "notes"),
    [
        (
            placed(**{s.GEO_PRECISION: "3", s.ADMIN1: "Deir ez-Zor", s.LOCATION: "Khasham"}),
            ["Reports mention Deir ez-Zor; the point is its centre"],
        ),
        (
            placed(**{s.GEO_PRECISION: "3", s.LOCATION: "Idlib"}),
            ["Reports mention Idlib; the point is its centre"],
        ),
        (
            placed(**{s.GEO_PRECISION: "2", s.LOCATION: "Khasham", s.ADMIN1: "Deir ez-Zor"}),
            ["Reports say near Khasham; the point is that place, not the exact spot"],
        ),
        (placed(**{s.GEO_PRECISION: "1", s.LOCATION: "Khasham"}), []),
        (placed(), []),
        (placed(**{s.DATE_START: "2018-02"}), ["Dated only to February 2018"]),
        (placed(**{s.DATE_START: "2018"}), ["Dated only to 2018"]),
        (
            placed(**{s.DATE_START: "2018-02-05", s.DATE_PRECISION: "week"}),
            ["Dated only to the week of 5 February 2018"],
        ),
        (
            placed(**{s.DATE_START: "2018-02", s.GEO_PRECISION: "3", s.ADMIN1: "Raqqa"}),
            ["Reports mention Raqqa; the point is its centre", "Dated only to February 2018"],
        ),
        ({s.EVENT_ID: "unplaced", s.GEO_PRECISION: "3", s.ADMIN1: "Raqqa"}, []),
    ],
    ids=[
        "region centre",
        "region without admin1",
        "near a place",
        "the place itself",
        "no precision code",
        "month",
        "year",
        "week",
        "rough place and date",
        "not on the map",
    ],
)
def test_the_panel_says_in_words_how_rough_the_point_and_the_date_are(cells, notes):
    event = make_events(cells).iloc[0]

    assert detail.approximation_notes(event) == notes


def test_the_shipped_events_are_exact_in_date_and_near_deir_ez_zor_once_placed():
    event = read_events(SHIPPED_EVENTS).events.iloc[0].copy()
    assert detail.approximation_notes(event) == [], "not on the map yet: no point to explain"

    event[s.LATITUDE], event[s.LONGITUDE] = 35.33588, 40.14084

    assert detail.approximation_notes(event) == [
        "Reports say near Deir ez-Zor; the point is that place, not the exact spot"
    ]


# --- confidence ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "count", "words"),
    [
        (
            "several sources",
            3,
            "Several sources: two or more independent reports · 3 sources recorded",
        ),
        ("single source", 1, "Single source: one report only · 1 source recorded"),
        (
            "confirmed by the striking party",
            None,
            "Confirmed by the striking party: the party that struck says it did",
        ),
        ("likely", None, "likely (the coder's grade)"),
        ("", None, "Not graded"),
        ("", 0, "Not graded · 0 sources recorded"),
    ],
)
def test_confidence_is_said_with_what_the_grade_means(grade, count, words):
    event = make_events({s.EVENT_ID: "e", s.CONFIDENCE: grade}).iloc[0]
    if count is not None:
        event["source_count"] = count

    assert detail.confidence_words(event) == words


def test_every_grade_in_the_vocabulary_has_its_meaning():
    assert set(s.CONFIDENCE_GRADES) == set(s.CONFIDENCE_WORDS)


# --- every source of an event ---------------------------------------------------------------------


def test_source_rows_give_each_source_with_its_link_and_figures(tmp_path):
    events = make_events(
        {
            s.EVENT_ID: "a",
            s.SOURCE_NAME: "NOS",
            s.SOURCE_URL: "https://nos.nl/artikel/2216142",
            s.SOURCE_DATE: "2018-02-08",
            s.SOURCE_LANGUAGE: "nl",
            s.SOURCE_TEXT: "honderd doden",
            s.KILLED_MIN: "100",
            s.KILLED_MAX: "100",
        }
    )
    path = tmp_path / "sources.csv"
    path.write_text(
        "event_id,source_name,source_url,killed_min,notes\n"
        "a,SOHR,javascript:alert(1),45,merged from b\n",
        encoding="utf-8",
    )
    sources = src.read_sources(path).sources

    rows = detail.source_rows(src.sources_of("a", src.attach_sources(events, sources), sources))

    first, second = rows
    assert first.heading() == "Source 1 · NOS · 2018-02-08 · Dutch (nl)"
    assert (first.own, first.link, first.killed, first.injured) == (
        True,
        "https://nos.nl/artikel/2216142",
        "100",
        "not reported",
    )
    assert first.text == "honderd doden"
    assert second.heading() == "Source 2 · SOHR"
    assert (second.own, second.killed, second.notes) == (False, "at least 45", "merged from b")
    assert second.link is None, "only http(s) addresses become links"
    assert second.address == "javascript:alert(1)", "the address is still shown as text"
    assert second.date == "not recorded"


@pytest.mark.parametrize(
    ("code", "words"),
    [("nl", "Dutch (nl)"), ("AR", "Arabic (AR)"), ("ukr", "Ukrainian (ukr)"), ("", "")],
)
def test_a_language_code_is_shown_in_words(code, words):
    assert detail.language_name(code) == words


def test_a_language_written_in_words_is_kept():
    assert detail.language_name("Kurdish, Sorani") == "Kurdish, Sorani"
