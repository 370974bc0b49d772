"""Filters on the event table (components/view/filters.py): pure functions that say what they do."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.table import schema as s
from components.table.events import validate_events
from components.view.filters import (
    EventFilter,
    FilterCounts,
    actors,
    count_events,
    event_end,
    filter_events,
    filter_mask,
    filter_positions,
)

AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
COALITION = "US-led coalition (CJTF-OIR)"
PRO_GOVERNMENT = "Pro-government forces (Syria)"
SDF = "Syrian Democratic Forces (SDF)"

# Cells as a coder writes them; they pass through the real validation gate.
EVENT_ROWS = [
    {  # the seed air strike: two days, 100 killed, 1 injured
        s.EVENT_ID: "air-7-8",
        s.DATE_START: "2018-02-07",
        s.DATE_END: "2018-02-08",
        s.EVENT_TYPE: AIR,
        s.ACTOR1: COALITION,
        s.ACTOR2: PRO_GOVERNMENT,
        s.LATITUDE: "35.33",
        s.LONGITUDE: "40.14",
        s.KILLED_MIN: "100",
        s.KILLED_MAX: "100",
        s.INJURED_MIN: "1",
        s.INJURED_MAX: "1",
    },
    {  # the seed shelling: no casualties reported, not geocoded
        s.EVENT_ID: "shell-7",
        s.DATE_START: "2018-02-07",
        s.EVENT_TYPE: SHELLING,
        s.ACTOR1: PRO_GOVERNMENT,
        s.ACTOR2: SDF,
    },
    {  # killed "between 5 and 20"
        s.EVENT_ID: "drone-10",
        s.DATE_START: "2018-02-10",
        s.EVENT_TYPE: AIR,
        s.ACTOR1: COALITION,
        s.ACTOR2: "Islamic State (IS)",
        s.LATITUDE: "34.45",
        s.LONGITUDE: "40.92",
        s.KILLED_MIN: "5",
        s.KILLED_MAX: "20",
    },
    {  # killed "at least 12", injured not reported
        s.EVENT_ID: "shell-12",
        s.DATE_START: "2018-02-12",
        s.EVENT_TYPE: SHELLING,
        s.ACTOR1: "Military Forces of Russia",
        s.ACTOR2: SDF,
        s.LATITUDE: "35.0",
        s.LONGITUDE: "40.5",
        s.KILLED_MIN: "12",
    },
    {  # killed "at most 3", injured 4 to 6
        s.EVENT_ID: "ied-15",
        s.DATE_START: "2018-02-15",
        s.EVENT_TYPE: IED,
        s.ACTOR1: "Islamic State (IS)",
        s.ACTOR2: "Civilians (Syria)",
        s.LATITUDE: "35.1",
        s.LONGITUDE: "40.6",
        s.KILLED_MAX: "3",
        s.INJURED_MIN: "4",
        s.INJURED_MAX: "6",
    },
    {  # nobody killed or injured: zero, which is not unknown
        s.EVENT_ID: "zero-20",
        s.DATE_START: "2018-02-20",
        s.EVENT_TYPE: SHELLING,
        s.ACTOR1: PRO_GOVERNMENT,
        s.LATITUDE: "35.2",
        s.LONGITUDE: "40.7",
        s.KILLED_MIN: "0",
        s.KILLED_MAX: "0",
        s.INJURED_MIN: "0",
        s.INJURED_MAX: "0",
    },
]
ALL_IDS = [row[s.EVENT_ID] for row in EVENT_ROWS]


@pytest.fixture
def events() -> pd.DataFrame:
    loaded = validate_events(pd.DataFrame(EVENT_ROWS, dtype=object), source="test events")
    assert [str(p) for p in loaded.problems] == []
    return loaded.events


def kept_ids(events: pd.DataFrame, event_filter: EventFilter) -> list[str]:
    return filter_events(events, event_filter)[s.EVENT_ID].tolist()


def test_empty_filter_keeps_every_event(events):
    assert kept_ids(events, EventFilter()) == ALL_IDS


def test_filtering_leaves_the_input_table_and_its_columns_alone(events):
    before = events.copy()

    kept = filter_events(events, EventFilter(event_types=frozenset({AIR})))

    pd.testing.assert_frame_equal(events, before)
    assert list(kept.columns) == list(events.columns)


# Filters of every kind, alone and together: the mask, the positions and the rows must agree,
# and so must any other engine that runs the same filters (tests/storage).
SAMPLE_FILTERS = [
    EventFilter(),
    EventFilter(date_from=dt.date(2018, 2, 8)),
    EventFilter(date_to=dt.date(2018, 2, 10)),
    EventFilter(date_from=dt.date(2018, 2, 9), date_to=dt.date(2018, 2, 28)),
    EventFilter(killed=(10, None)),
    EventFilter(killed=(0, 3), include_unknown_casualties=False),
    EventFilter(injured=(1, 5)),
    EventFilter(include_unknown_casualties=False),
    EventFilter(event_types=frozenset({AIR})),
    EventFilter(event_types=frozenset()),
    EventFilter(actors=frozenset({SDF, "Islamic State (IS)"})),
    EventFilter(exact_only=True),
    EventFilter(confidence=frozenset({"single source", ""})),
    EventFilter(date_to=dt.date(2018, 2, 15), killed=(1, None), actors=frozenset({COALITION})),
]


@pytest.mark.parametrize("event_filter", SAMPLE_FILTERS, ids=EventFilter.describe)
def test_the_mask_and_the_positions_say_which_rows_pass(events, event_filter):
    mask = filter_mask(events, event_filter)

    assert mask.dtype == bool and len(mask) == len(events)
    assert events[s.EVENT_ID][mask].tolist() == kept_ids(events, event_filter)
    assert filter_positions(events, event_filter).tolist() == [
        i for i, kept in enumerate(mask) if kept
    ]


def test_masks_of_parts_of_a_filter_combine_into_the_whole(events):
    dates = EventFilter(date_from=dt.date(2018, 2, 8), date_to=dt.date(2018, 2, 20))
    others = EventFilter(event_types=frozenset({AIR}), killed=(1, None))
    whole = EventFilter(
        date_from=dates.date_from,
        date_to=dates.date_to,
        event_types=others.event_types,
        killed=others.killed,
    )

    combined = filter_mask(events, dates) & filter_mask(events, others)

    assert combined.tolist() == filter_mask(events, whole).tolist()
    assert 0 < combined.sum() < len(events)


# --- dates: an event is kept when its days overlap the window ---------------------------------


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        (dt.date(2018, 2, 8), None, ["air-7-8", "drone-10", "shell-12", "ied-15", "zero-20"]),
        (None, dt.date(2018, 2, 7), ["air-7-8", "shell-7"]),
        (dt.date(2018, 2, 8), dt.date(2018, 2, 8), ["air-7-8"]),
        (dt.date(2018, 2, 9), dt.date(2018, 2, 11), ["drone-10"]),
        (dt.date(2018, 2, 1), dt.date(2018, 2, 6), []),
        (dt.date(2018, 2, 21), None, []),
        (dt.date(2018, 2, 7), dt.date(2018, 2, 20), ALL_IDS),
    ],
    ids=[
        "window starting on the 8th keeps the 7-8 Feb strike",
        "window ending on the 7th keeps both events that start then",
        "one-day window inside a two-day event",
        "window around one event",
        "window before every event",
        "window after every event",
        "window covering everything",
    ],
)
def test_date_window_keeps_events_whose_days_overlap_it(events, date_from, date_to, expected):
    event_filter = EventFilter(date_from=date_from, date_to=date_to)

    assert kept_ids(events, event_filter) == expected


def test_event_end_is_date_end_or_the_start_day_when_empty(events):
    ends = dict(zip(events[s.EVENT_ID], event_end(events), strict=True))

    assert ends["air-7-8"] == pd.Timestamp("2018-02-08")
    assert ends["shell-7"] == pd.Timestamp("2018-02-07")


# --- casualties: reported ranges meet the asked range; a missing end is open ------------------


@pytest.mark.parametrize(
    ("killed", "include_unknown", "expected"),
    [
        ((12, None), True, ["air-7-8", "shell-7", "drone-10", "shell-12"]),
        ((12, None), False, ["air-7-8", "drone-10", "shell-12"]),
        ((101, None), False, ["shell-12"]),
        ((0, 0), False, ["ied-15", "zero-20"]),
        ((1, 4), False, ["ied-15"]),
        ((21, 99), False, ["shell-12"]),
        ((100, 100), False, ["air-7-8", "shell-12"]),
        ((0, None), False, ["air-7-8", "drone-10", "shell-12", "ied-15", "zero-20"]),
    ],
    ids=[
        "at least 12, unknown included",
        "at least 12, unknown left out",
        "above 100 only meets the open-ended 'at least 12'",
        "exactly none killed meets 'at most 3' and zero",
        "1 to 4 meets 'at most 3' but not zero or 5-20",
        "21 to 99 meets only the open-ended 'at least 12'",
        "exactly 100",
        "any reported figure, zero included",
    ],
)
def test_killed_range_keeps_events_whose_reported_range_meets_it(
    events, killed, include_unknown, expected
):
    event_filter = EventFilter(killed=killed, include_unknown_casualties=include_unknown)

    assert kept_ids(events, event_filter) == expected


@pytest.mark.parametrize(
    ("injured", "include_unknown", "expected"),
    [
        ((5, None), False, ["ied-15"]),
        ((1, 1), False, ["air-7-8"]),
        ((5, None), True, ["shell-7", "drone-10", "shell-12", "ied-15"]),
    ],
    ids=["at least 5", "exactly 1", "at least 5 or not reported"],
)
def test_injured_range_keeps_events_whose_reported_range_meets_it(
    events, injured, include_unknown, expected
):
    event_filter = EventFilter(injured=injured, include_unknown_casualties=include_unknown)

    assert kept_ids(events, event_filter) == expected


def test_leaving_out_unknown_casualties_drops_only_events_that_report_no_figure(events):
    kept = kept_ids(events, EventFilter(include_unknown_casualties=False))

    assert kept == [i for i in ALL_IDS if i != "shell-7"]
    assert "zero-20" in kept, "zero killed is a reported figure, not unknown"


def test_including_unknown_casualties_keeps_them(events):
    assert "shell-7" in kept_ids(events, EventFilter(include_unknown_casualties=True))


# --- type and actor ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_types", "expected"),
    [
        (frozenset({AIR}), ["air-7-8", "drone-10"]),
        (frozenset({SHELLING, IED}), ["shell-7", "shell-12", "ied-15", "zero-20"]),
        (frozenset(), []),
        (frozenset({"Armed clash"}), []),
        (None, ALL_IDS),
    ],
    ids=["air strikes", "shelling and IEDs", "no type chosen", "type not in data", "no limit"],
)
def test_event_type_filter_keeps_the_chosen_types(events, event_types, expected):
    assert kept_ids(events, EventFilter(event_types=event_types)) == expected


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (frozenset({PRO_GOVERNMENT}), ["air-7-8", "shell-7", "zero-20"]),
        (frozenset({COALITION}), ["air-7-8", "drone-10"]),
        (frozenset({SDF}), ["shell-7", "shell-12"]),
        (frozenset({COALITION, SDF}), ["air-7-8", "shell-7", "drone-10", "shell-12"]),
        (frozenset({"Nobody"}), []),
    ],
    ids=[
        "striking in one event and struck in another",
        "striking only",
        "struck only",
        "either of two",
        "actor not in data",
    ],
)
def test_actor_filter_matches_the_striking_or_the_struck_side(events, chosen, expected):
    assert kept_ids(events, EventFilter(actors=chosen)) == expected


def test_actor_list_names_every_actor_once_sorted_without_blanks(events):
    names = actors(events)

    assert names == sorted(set(names))
    assert "" not in names
    assert {COALITION, PRO_GOVERNMENT, SDF, "Civilians (Syria)"} <= set(names)


def test_filters_combine(events):
    event_filter = EventFilter(
        date_from=dt.date(2018, 2, 8),
        killed=(10, None),
        include_unknown_casualties=False,
        event_types=frozenset({AIR}),
    )

    assert kept_ids(events, event_filter) == ["air-7-8", "drone-10"]


# --- describing a filter in words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_filter", "words"),
    [
        (EventFilter(), "all events"),
        (
            EventFilter(date_from=dt.date(2018, 2, 7), date_to=dt.date(2018, 2, 8)),
            "7 Feb 2018 \N{EN DASH} 8 Feb 2018",
        ),
        (EventFilter(date_from=dt.date(2018, 2, 8)), "8 Feb 2018 \N{EN DASH} …"),
        (EventFilter(date_to=dt.date(2018, 2, 8)), "… \N{EN DASH} 8 Feb 2018"),
        (EventFilter(killed=(10, None)), "killed ≥ 10 · events without that figure included"),
        (
            EventFilter(killed=(10, None), include_unknown_casualties=False),
            "killed ≥ 10 · casualties reported",
        ),
        (EventFilter(killed=(5, 5)), "killed = 5 · events without that figure included"),
        (
            EventFilter(killed=(1000, 2000), include_unknown_casualties=False),
            "killed 1,000\N{EN DASH}2,000 · casualties reported",
        ),
        (EventFilter(injured=(3, None)), "injured ≥ 3 · events without that figure included"),
        (EventFilter(include_unknown_casualties=False), "casualties reported"),
        (EventFilter(event_types=frozenset({SHELLING, AIR})), f"type: {AIR}, {SHELLING}"),
        (EventFilter(event_types=frozenset()), "type: none"),
        (EventFilter(actors=frozenset({SDF, COALITION})), f"actor: {SDF}, {COALITION}"),
        (
            EventFilter(
                date_from=dt.date(2018, 2, 7), date_to=dt.date(2018, 2, 8), killed=(10, None)
            ),
            "7 Feb 2018 \N{EN DASH} 8 Feb 2018 · killed ≥ 10 · events without that figure included",
        ),
    ],
)
def test_filter_describes_itself_in_words(event_filter, words):
    assert event_filter.describe() == words


# --- counts for the status line ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        (FilterCounts(2, 0, 0), "2 events shown · 0 filtered out · 0 not on the map"),
        (FilterCounts(1, 0, 0), "1 event shown · 0 filtered out · 0 not on the map"),
        (FilterCounts(0, 2, 0), "0 events shown · 2 filtered out · 0 not on the map"),
        (FilterCounts(1234, 10, 5), "1,234 events shown · 10 filtered out · 5 not on the map"),
    ],
    ids=["two", "one is singular", "none", "thousands separated"],
)
def test_status_line_counts_in_words(counts, line):
    assert counts.status_line() == line


def test_count_events_with_everything_placed_and_nothing_filtered(events):
    placed = events[events[s.LATITUDE].notna()].head(2)

    counts = count_events(placed, placed)

    assert counts == FilterCounts(shown=2, filtered_out=0, not_on_map=0)
    assert counts.status_line() == "2 events shown · 0 filtered out · 0 not on the map"


def test_events_without_coordinates_that_pass_are_counted_as_not_on_the_map(events):
    passed = filter_events(events, EventFilter(date_to=dt.date(2018, 2, 10)))

    counts = count_events(events, passed)

    assert counts == FilterCounts(shown=2, filtered_out=3, not_on_map=1)
    assert counts.status_line() == "2 events shown · 3 filtered out · 1 not on the map"


def test_every_event_is_shown_filtered_out_or_not_on_the_map(events):
    passed = filter_events(events, EventFilter(event_types=frozenset({SHELLING})))

    counts = count_events(events, passed)

    assert counts.shown + counts.filtered_out + counts.not_on_map == len(events)


def test_leaving_out_approximate_events_keeps_exact_places_and_days():
    events = validate_events(
        pd.DataFrame(
            [
                {s.EVENT_ID: "town", s.DATE_START: "2018-02-07", s.GEO_PRECISION: "1"},
                {s.EVENT_ID: "near", s.DATE_START: "2018-02-07", s.GEO_PRECISION: "2"},
                {s.EVENT_ID: "region", s.DATE_START: "2018-02-07", s.GEO_PRECISION: "3"},
                {s.EVENT_ID: "month", s.DATE_START: "2018-02"},
            ],
            dtype=object,
        ),
        source="test",
    ).events
    kept = filter_events(events, EventFilter(exact_only=True))
    assert list(kept[s.EVENT_ID]) == ["town", "near"]
    assert "approximate places and dates left out" in EventFilter(exact_only=True).describe()


def test_confidence_filter_keeps_the_chosen_grades_and_ungraded_when_asked() -> None:
    events = validate_events(
        pd.DataFrame(
            {
                s.EVENT_ID: ["a", "b", "c"],
                s.DATE_START: ["2018-02-07"] * 3,
                s.CONFIDENCE: ["several sources", "single source", ""],
            }
        ),
        source="t",
    ).events
    kept = filter_events(events, EventFilter(confidence=frozenset({"several sources", ""})))
    assert list(kept[s.EVENT_ID]) == ["a", "c"]
    assert (
        "confidence: not graded, several sources"
        in EventFilter(confidence=frozenset({"several sources", ""})).describe()
    )
