"""Likely duplicates for the analyst to merge (components/view/duplicates.py)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from components.table import schema as s
from components.table.events import validate_events
from components.view.duplicates import duplicate_groups, likely_duplicates

AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"


def make_events(*rows: dict[str, str]) -> pd.DataFrame:
    loaded = validate_events(pd.DataFrame(list(rows), dtype=object), source="test")
    assert [str(p) for p in loaded.problems] == []
    return loaded.events


def strike(event_id: str, date: str, lat: float | None, lon: float | None, kind: str = AIR):
    row = {s.EVENT_ID: event_id, s.DATE_START: date, s.EVENT_TYPE: kind, s.LOCATION: event_id}
    if lat is not None:
        row.update({s.LATITUDE: f"{lat:.6f}", s.LONGITUDE: f"{lon:.6f}"})
    return row


def pairs_of(result: pd.DataFrame) -> set[frozenset[str]]:
    return {frozenset(p) for p in zip(result["event_id"], result["other_id"], strict=True)}


def km_east(lat: float, km: float) -> float:
    """Degrees of longitude that make ``km`` at latitude ``lat``."""
    return km / (111.195 * math.cos(math.radians(lat)))


def test_two_reports_of_one_strike_a_day_apart_and_two_km_apart_are_suggested():
    events = make_events(
        strike("afp", "2018-02-07", 35.3359, 40.1408),
        strike("sohr", "2018-02-08", 35.3359, 40.1408 + km_east(35.3359, 2)),
    )

    result = likely_duplicates(events)

    assert pairs_of(result) == {frozenset({"afp", "sohr"})}
    row = result.iloc[0]
    assert row["distance_km"] == pytest.approx(2, abs=0.05)
    assert row["day_gap"] == 1
    assert row[s.EVENT_TYPE] == AIR


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (strike("b", "2018-02-09", 35.0, 40.0), "two days later"),
        (strike("b", "2018-02-05", 35.0, 40.0), "two days earlier"),
        (strike("b", "2018-02-07", 35.0, 40.0 + km_east(35.0, 5.5)), "5.5 km away"),
        (strike("b", "2018-02-07", 35.0, 40.0, kind=SHELLING), "another type"),
        (strike("b", "2018-02-07", None, None), "not on the map"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_these_are_not_suggested(other, why):
    events = make_events(strike("a", "2018-02-07", 35.0, 40.0), other)

    assert likely_duplicates(events).empty, why


def test_the_day_and_distance_limits_can_be_widened():
    events = make_events(
        strike("a", "2018-02-07", 35.0, 40.0),
        strike("b", "2018-02-10", 35.0, 40.0 + km_east(35.0, 9)),
    )

    assert likely_duplicates(events).empty
    assert len(likely_duplicates(events, days=3, km=10)) == 1


def test_neighbours_across_the_date_line_and_at_the_pole_are_found():
    events = make_events(
        strike("west", "2020-01-01", -17.0, 179.99),
        strike("east", "2020-01-01", -17.0, -179.99),
        strike("pole a", "2020-01-01", 89.99, 0.0),
        strike("pole b", "2020-01-01", 89.99, 180.0),
    )

    assert pairs_of(likely_duplicates(events)) == {
        frozenset({"west", "east"}),
        frozenset({"pole a", "pole b"}),
    }


def test_three_reports_of_one_strike_make_one_group():
    events = make_events(
        strike("a", "2018-02-07", 35.0, 40.0),
        strike("far", "2018-02-07", 20.0, 40.0),
        strike("b", "2018-02-07", 35.0, 40.0 + km_east(35.0, 3)),
        strike("c", "2018-02-08", 35.0, 40.0 + km_east(35.0, 6)),
        strike("x", "2018-05-01", 20.0, 40.0),
        strike("y", "2018-05-01", 20.0, 40.0),
    )

    result = likely_duplicates(events)

    assert duplicate_groups(result) == [["a", "b", "c"], ["x", "y"]]
    assert sorted(result["group"].unique()) == [1, 2]


def test_no_placed_events_gives_an_empty_table_with_the_columns():
    events = make_events(strike("a", "2018-02-07", None, None))

    result = likely_duplicates(events)

    assert result.empty
    assert {"event_id", "other_id", "distance_km", "day_gap", "group"} <= set(result.columns)
    assert duplicate_groups(result) == []


@pytest.mark.parametrize(("days", "km"), [(-1, 5.0), (1, 0.0)])
def test_limits_that_make_no_sense_are_refused(days, km):
    with pytest.raises(ValueError, match="days must be 0 or more"):
        likely_duplicates(make_events(strike("a", "2018-02-07", 1, 1)), days=days, km=km)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_binned_search_finds_exactly_what_comparing_every_pair_finds(seed):
    """Crowded random strikes around a few towns: the bins miss no pair and invent none."""
    rng = np.random.default_rng(seed)
    count = 400
    towns = rng.uniform([33.0, 36.0], [36.0, 41.0], size=(4, 2))
    town = rng.integers(0, len(towns), count)
    latitude = towns[town, 0] + rng.normal(0, 0.04, count)
    longitude = towns[town, 1] + rng.normal(0, 0.04, count)
    dates = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 20, count), "D")
    kinds = rng.choice([AIR, SHELLING], count)
    events = make_events(
        *(
            strike(f"e{n}", d.strftime("%Y-%m-%d"), la, lo, k)
            for n, (d, la, lo, k) in enumerate(zip(dates, latitude, longitude, kinds, strict=True))
        )
    )

    latitude, longitude = events[s.LATITUDE].to_numpy(), events[s.LONGITUDE].to_numpy()
    expected = set()
    for a, b in itertools.combinations(range(count), 2):
        if kinds[a] != kinds[b] or abs((dates[a] - dates[b]).days) > 1:
            continue
        if _haversine(latitude[a], longitude[a], latitude[b], longitude[b]) <= 5.0:
            expected.add(frozenset({f"e{a}", f"e{b}"}))

    found = pairs_of(likely_duplicates(events))
    assert len(expected) > 20, "the test needs crowded data to mean anything"
    assert found == expected


def _haversine(lat1, lon1, lat2, lon2) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_thousands_of_events_at_one_spot_make_one_group_without_every_pair():
    # ACLED and GDELT place events at a town's centre: 3,000 at one spot and day would be
    # 4.5 million pairs. The search compares each with a bounded number and says so.
    from components.view.duplicates import MAX_NEIGHBOURS, MAX_PAIRS

    events = make_events(*(strike(f"e{i}", "2018-02-07", 36.2, 37.15) for i in range(3000)))
    result = likely_duplicates(events)
    groups = duplicate_groups(result)
    assert len(groups) == 1
    assert len(result) <= MAX_PAIRS
    assert f"more than {MAX_NEIGHBOURS} others" in result.attrs["note"]
    assert "pairs are listed" in result.attrs["note"]
    # Every event is still found: the cap bounds the work, not what is grouped.
    candidates = likely_duplicates(events.iloc[:200])
    assert set(duplicate_groups(candidates)[0]) == set(events[s.EVENT_ID].iloc[:200])
