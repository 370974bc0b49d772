"""The view in numbers (components/view/summary.py): totals that never count unknown as zero."""

from __future__ import annotations

import pandas as pd
import pytest

from components import PROJECT_ROOT
from components.table import schema as s
from components.table.events import read_events
from components.view import summary
from tests.frames import make_events

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"


def killed(low: str = "", high: str = "", **more: str) -> dict[str, str]:
    return {s.KILLED_MIN: low, s.KILLED_MAX: high, **more}


def with_ids(*rows: dict[str, str]) -> pd.DataFrame:
    return make_events(*({s.EVENT_ID: f"e{n}", **row} for n, row in enumerate(rows)))


# --- totals -----------------------------------------------------------------------------------


def test_killed_totals_add_the_lowest_and_the_highest_figures_and_leave_unknowns_out():
    events = with_ids(killed("10", "10"), killed("5", "20"), killed(), killed(), killed("0", "0"))

    total = summary.totals(events)

    assert total.events == 5
    assert (total.killed.lowest, total.killed.highest) == (15, 30)
    assert total.killed.reporting == 3
    assert total.killed.unknown == 2
    assert total.killed.describe() == (
        "Killed: 15–30 in 3 events; 2 events report no figure and are left out"
    )


def test_a_reported_zero_counts_as_reporting_and_unknown_never_becomes_zero():
    events = with_ids(killed("0", "0"), killed())

    total = summary.totals(events).killed

    assert (total.reporting, total.unknown) == (1, 1)
    assert total.describe() == "Killed: 0 in 1 event; 1 event reports no figure and is left out"


def test_an_event_with_only_a_lowest_figure_makes_the_total_open_ended():
    events = with_ids(killed("12"), killed("3", "4"))

    total = summary.totals(events).killed

    assert (total.lowest, total.highest) == (15, 16)
    assert total.describe() == (
        "Killed: 15–16 in 2 events (or more: 1 event gives only a lowest figure)"
    )


def test_an_event_with_only_a_highest_figure_counts_it_as_its_lowest_too():
    total = summary.totals(with_ids(killed("", "3"))).killed

    assert (total.lowest, total.highest, total.reporting) == (3, 3, 1)


def test_when_no_event_reports_a_figure_the_total_says_so_instead_of_zero():
    total = summary.totals(with_ids(killed(), killed()))

    assert total.killed.describe() == "Killed: no event reports a figure"
    assert "0" not in total.killed.describe()


def test_the_shipped_events_are_described_in_words():
    total = summary.totals(read_events(SHIPPED_EVENTS).events)

    assert total.describe() == [
        "Events: 2",
        "Killed: 100 in 1 event; 1 event reports no figure and is left out",
        "Injured: 1 in 1 event; 1 event reports no figure and is left out",
    ]


def test_large_totals_are_written_with_thousands_separators():
    events = with_ids(killed("1200", "1500"), killed("800", "900"))

    assert summary.totals(events).killed.describe() == "Killed: 2,000–2,400 in 2 events"


# --- by month ---------------------------------------------------------------------------------


def test_by_month_counts_events_and_adds_figures_with_empty_months_shown():
    events = with_ids(
        killed("1", "2", **{s.DATE_START: "2018-01-03"}),
        killed("", "", **{s.DATE_START: "2018-01-30"}),
        killed("10", "", **{s.DATE_START: "2018-03"}),
    )

    table = summary.summary_by_month(events)

    assert list(table.index.strftime("%Y-%m")) == ["2018-01", "2018-02", "2018-03"]
    assert table["events"].tolist() == [2, 0, 1]
    assert table[s.KILLED_MIN].tolist() == [1, 0, 10]
    assert table[s.KILLED_MAX].tolist() == [2, 0, 10]


def test_by_month_of_no_events_is_an_empty_table_with_the_columns():
    table = summary.summary_by_month(with_ids(killed()).iloc[0:0])

    assert table.empty
    assert "events" in table.columns


# --- by place ---------------------------------------------------------------------------------


def test_by_place_lists_the_places_with_most_events_first_and_keeps_the_top():
    place = {s.COUNTRY: "Syria"}
    events = with_ids(
        {**place, s.LOCATION: "Raqqa"},
        {**place, s.LOCATION: "Aleppo", **killed("3", "3")},
        {**place, s.LOCATION: "Aleppo"},
        {**place, s.ADMIN1: "Idlib"},
        {s.COUNTRY: "Iraq", s.LOCATION: "Mosul", **killed("50", "60")},
        {},
    )

    table = summary.summary_by_place(events, top=3)

    assert table.index.tolist() == ["Aleppo, Syria", "Mosul, Iraq", "(no place reported)"]
    assert table.loc["Aleppo, Syria", "events"] == 2
    assert table.loc["Mosul, Iraq", s.KILLED_MAX] == 60
    assert len(summary.summary_by_place(events, top=None)) == 5


@pytest.mark.parametrize(
    ("row", "name"),
    [
        ({s.LOCATION: "Khasham", s.ADMIN1: "Deir ez-Zor", s.COUNTRY: "Syria"}, "Khasham, Syria"),
        ({s.ADMIN1: "Deir ez-Zor", s.COUNTRY: "Syria"}, "Deir ez-Zor, Syria"),
        ({s.COUNTRY: "Syria"}, "Syria"),
        ({s.LOCATION: "Khasham"}, "Khasham"),
        ({}, "(no place reported)"),
    ],
)
def test_a_place_is_named_by_location_else_region_with_its_country(row, name):
    events = with_ids(row)

    assert summary.place_names(events).tolist() == [name]
