"""Counts of events and killed over time for the histogram (components/view/timeline.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.table import schema as s
from components.table.events import validate_events
from components.view import timeline
from components.view.timeline import BIN_LABELS, bin_width, timeline_counts

EVENTS = "events"
KILLED = "killed (lowest reported)"
# The period codes, looked up by what the page calls them ("per week").
PERIOD = {label: code for code, label in BIN_LABELS.items()}
DAY, WEEK, MONTH, YEAR = PERIOD["day"], PERIOD["week"], PERIOD["month"], PERIOD["year"]


def make_events(*rows: dict[str, str]) -> pd.DataFrame:
    loaded = validate_events(pd.DataFrame(list(rows), dtype=object), source="test")
    assert [str(p) for p in loaded.problems] == []
    return loaded.events


@pytest.fixture
def events() -> pd.DataFrame:
    return make_events(
        # Wednesday 7 Feb 2018: a two-day strike with 3 to 5 killed, and one with no figure.
        {s.EVENT_ID: "a", s.DATE_START: "2018-02-07", s.DATE_END: "2018-02-08",
         s.KILLED_MIN: "3", s.KILLED_MAX: "5"},
        {s.EVENT_ID: "b", s.DATE_START: "2018-02-07"},
        # Saturday 10 Feb: "at least 12".
        {s.EVENT_ID: "c", s.DATE_START: "2018-02-10", s.KILLED_MIN: "12"},
        # Tuesday 20 Mar: none killed.
        {s.EVENT_ID: "d", s.DATE_START: "2018-03-20", s.KILLED_MIN: "0", s.KILLED_MAX: "0"},
    )  # fmt: skip


def row(counts: pd.DataFrame, label: str) -> tuple[int, int]:
    return int(counts.loc[label, EVENTS]), int(counts.loc[label, KILLED])


def test_counts_per_day_use_the_first_day_and_the_lowest_killed_figure(events):
    counts = timeline_counts(events, DAY)

    assert list(counts.columns) == [EVENTS, KILLED]
    assert row(counts, "2018-02-07") == (2, 3)
    assert row(counts, "2018-02-10") == (1, 12)
    assert row(counts, "2018-03-20") == (1, 0)


def test_days_without_events_are_filled_with_zero(events):
    counts = timeline_counts(events, DAY)

    assert row(counts, "2018-02-08") == (0, 0), "a multi-day event counts on its first day only"
    assert row(counts, "2018-02-09") == (0, 0)
    assert len(counts) == 42  # 7 Feb to 20 Mar 2018, every day
    assert list(counts.index) == sorted(counts.index)
    assert (counts.index[0], counts.index[-1]) == ("2018-02-07", "2018-03-20")


def test_counts_per_week_start_on_monday_and_fill_gaps(events):
    counts = timeline_counts(events, WEEK)

    assert row(counts, "2018-02-05") == (3, 15)
    assert row(counts, "2018-02-12") == (0, 0)
    assert row(counts, "2018-03-19") == (1, 0)
    assert len(counts) == 7


def test_counts_per_month(events):
    counts = timeline_counts(events, MONTH)

    assert list(counts.index) == ["2018-02", "2018-03"]
    assert row(counts, "2018-02") == (3, 15)
    assert row(counts, "2018-03") == (1, 0)


def test_counts_per_year_fill_years_between(events):
    later = make_events({s.EVENT_ID: "e", s.DATE_START: "2020-06-01", s.KILLED_MIN: "7"})

    counts = timeline_counts(pd.concat([events, later], ignore_index=True), YEAR)

    assert list(counts.index) == ["2018", "2019", "2020"]
    assert row(counts, "2019") == (0, 0)
    assert row(counts, "2020") == (1, 7)


def test_unknown_killed_adds_an_event_but_no_deaths():
    events = make_events({s.EVENT_ID: "unknown", s.DATE_START: "2018-02-07"})

    counts = timeline_counts(events, DAY)

    assert row(counts, "2018-02-07") == (1, 0)


def test_killed_counts_the_lowest_reported_figure_not_the_highest():
    events = make_events(
        {s.EVENT_ID: "a", s.DATE_START: "2018-02-07", s.KILLED_MIN: "10", s.KILLED_MAX: "100"},
        {s.EVENT_ID: "b", s.DATE_START: "2018-02-07", s.KILLED_MIN: "1", s.KILLED_MAX: "1"},
    )

    assert row(timeline_counts(events, DAY), "2018-02-07") == (2, 11)


def test_counts_are_whole_numbers():
    counts = timeline_counts(make_events({s.EVENT_ID: "a", s.DATE_START: "2018-02-07"}), DAY)

    assert all(dtype.kind == "i" for dtype in counts.dtypes)


def test_no_events_give_an_empty_table_with_both_series():
    events = make_events({s.EVENT_ID: "a", s.DATE_START: "2018-02-07"}).iloc[0:0]

    counts = timeline_counts(events, DAY)

    assert counts.empty
    assert list(counts.columns) == [EVENTS, KILLED]


@pytest.mark.parametrize(
    ("days", "label"),
    [(0, "day"), (120, "day"), (121, "week"), (3 * 365, "week"), (4 * 365, "month"),
     (50 * 365, "year")],
)  # fmt: skip
def test_bin_width_gives_a_readable_number_of_bars(days, label):
    first = pd.Timestamp("2000-01-01")

    assert BIN_LABELS[bin_width(first, first + pd.Timedelta(days=days))] == label


@pytest.mark.parametrize("label", ["day", "week", "month", "year"])
def test_every_bin_width_gives_counts(events, label):
    counts = timeline_counts(events, PERIOD[label])

    assert counts[EVENTS].sum() == 4
    assert counts[KILLED].sum() == 15


def test_every_period_of_the_asked_span_has_a_row_even_without_events(events):
    counts = timeline_counts(events, DAY, dt.date(2018, 2, 1), dt.date(2018, 3, 31))

    assert (counts.index[0], counts.index[-1]) == ("2018-02-01", "2018-03-31")
    assert len(counts) == 59
    assert row(counts, "2018-02-01") == (0, 0)
    assert row(counts, "2018-02-07") == (2, 3)


def test_no_events_in_an_asked_span_give_zero_rows_for_the_whole_span(events):
    counts = timeline_counts(events.iloc[0:0], MONTH, dt.date(2018, 1, 1), dt.date(2018, 3, 31))

    assert list(counts.index) == ["2018-01", "2018-02", "2018-03"]
    assert counts.to_numpy().sum() == 0


# --- presets and playback ---------------------------------------------------------------------


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_a_preset_of_seven_days_ends_on_the_last_day_of_the_data(events):
    # The data runs from 7 Feb to 20 Mar 2018.
    assert timeline.preset_window(events, 7) == (day("2018-03-14"), day("2018-03-20"))


def test_the_all_preset_spans_the_data_including_the_last_end_date():
    events = make_events(
        {s.EVENT_ID: "a", s.DATE_START: "2018-02-07", s.DATE_END: "2018-02-12"},
        {s.EVENT_ID: "b", s.DATE_START: "2018-02-09"},
    )

    assert timeline.preset_window(events, None) == (day("2018-02-07"), day("2018-02-12"))


def test_a_preset_longer_than_the_data_starts_on_its_first_day(events):
    assert timeline.preset_window(events, 365) == (day("2018-02-07"), day("2018-03-20"))


def test_playback_starts_from_the_chosen_window_and_moves_at_its_width():
    windows = timeline.playback_windows(
        (day("2018-01-03"), day("2018-01-05")), day("2018-01-10"), "1 day"
    )

    assert windows[0] == (day("2018-01-03"), day("2018-01-05"))
    assert windows[1] == (day("2018-01-04"), day("2018-01-06"))
    assert windows[-1][1] == day("2018-01-10")
    assert all((end - start).days == 2 for start, end in windows)


def test_a_growing_playback_keeps_the_chosen_start():
    windows = timeline.playback_windows(
        (day("2018-01-03"), day("2018-01-04")), day("2018-01-20"), "1 week", moving=False
    )

    assert windows == [
        (day("2018-01-03"), day("2018-01-04")),
        (day("2018-01-03"), day("2018-01-11")),
        (day("2018-01-03"), day("2018-01-18")),
        (day("2018-01-03"), day("2018-01-20")),
    ]


def test_a_monthly_step_follows_the_calendar_not_thirty_days():
    windows = timeline.playback_windows(
        (day("2018-01-01"), day("2018-01-31")), day("2018-05-31"), "1 month"
    )

    assert windows == [
        (day("2018-01-01"), day("2018-01-31")),
        (day("2018-02-01"), day("2018-02-28")),
        (day("2018-03-01"), day("2018-03-31")),
        (day("2018-04-01"), day("2018-04-30")),
        (day("2018-05-01"), day("2018-05-31")),
    ]


def test_empty_periods_are_skipped_when_asked():
    days = pd.to_datetime(["2018-01-02", "2020-06-10"]).to_numpy()
    every = timeline.playback_windows(
        (day("2018-01-01"), day("2018-01-31")), day("2020-12-31"), "1 month"
    )
    skipping = timeline.playback_windows(
        (day("2018-01-01"), day("2018-01-31")), day("2020-12-31"), "1 month", event_days=days
    )

    assert len(every) == 36
    # The first window, the one holding the later event, and the last, which ends playback.
    assert skipping == [
        (day("2018-01-01"), day("2018-01-31")),
        (day("2020-06-01"), day("2020-06-30")),
        (day("2020-12-01"), day("2020-12-31")),
    ]


def test_a_playback_of_a_window_already_at_the_end_is_that_window():
    window = (day("2018-01-01"), day("2018-01-10"))
    assert timeline.playback_windows(window, day("2018-01-10"), "1 week") == [window]


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="starts before it ends"):
        timeline.playback_windows(
            (day("2018-01-10"), day("2018-01-01")), day("2018-02-01"), "1 day"
        )
