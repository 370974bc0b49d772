"""One set of behaviour tests, run against the file store and the PostgreSQL store alike."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.geo.geocoder import GeocodeAnswer
from components.geo.overrides import Override
from components.table import schema as s
from components.table.errors import EventFileError
from components.table.sources import MergeError
from components.view.filters import EventFilter, filter_events


def event(event_id: str, **cells: object) -> dict[str, object]:
    row: dict[str, object] = {c: "" for c in s.CANONICAL_COLUMNS}
    row.update(
        {
            s.EVENT_ID: event_id,
            s.DATE_START: "2024-03-01",
            s.EVENT_TYPE: "Air/drone strike",
            s.ACTOR1: "Air force",
            s.COUNTRY: "Syria",
            s.LOCATION: "Idlib",
            s.LATITUDE: "35.93",
            s.LONGITUDE: "36.63",
            s.SOURCE_NAME: f"Report on {event_id}",
        }
    )
    row.update({k: str(v) for k, v in cells.items()})
    return row


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(s.CANONICAL_COLUMNS), dtype=object)


def ids(store) -> list[str]:
    return list(store.load().events.events[s.EVENT_ID])


def test_saved_events_load_back_with_their_values(store):
    saved = store.append_events(frame(event("a", killed_min=3, killed_max=5), event("b")))
    assert saved == ["a", "b"]
    events = store.load().events.events.set_index(s.EVENT_ID)
    assert list(events.index) == ["a", "b"]
    assert events.loc["a", s.KILLED_MIN] == 3 and events.loc["a", s.KILLED_MAX] == 5
    assert events.loc["a", s.DATE_START] == pd.Timestamp("2024-03-01")
    assert events.loc["b", s.LATITUDE] == pytest.approx(35.93)


def test_an_id_already_taken_gets_a_suffix(store):
    store.append_events(frame(event("a")))
    assert store.append_events(frame(event("a"), event("a"))) == ["a-2", "a-3"]
    assert ids(store) == ["a", "a-2", "a-3"]


def test_a_bad_row_saves_nothing(store):
    store.append_events(frame(event("kept")))
    with pytest.raises(EventFileError, match="date_start"):
        store.append_events(frame(event("good"), event("bad", date_start="not a date")))
    assert ids(store) == ["kept"]


def test_the_version_changes_with_every_save(store):
    before = store.version()
    store.append_events(frame(event("a")))
    assert store.version() != before


def test_merging_moves_the_reports_into_the_kept_event(store):
    store.append_events(
        frame(event("keep", killed_min=2, killed_max=2), event("dup", killed_min=4, killed_max=9))
    )
    written = store.merge_duplicates("keep", ["dup"])
    assert written == 1
    contents = store.load()
    events = contents.events.events.set_index(s.EVENT_ID)
    assert list(events.index) == ["keep"]
    # The kept event's range now spans both reports, and two sources make "several sources".
    assert (events.loc["keep", s.KILLED_MIN], events.loc["keep", s.KILLED_MAX]) == (2, 9)
    assert events.loc["keep", s.CONFIDENCE] == "several sources"
    more = contents.sources.sources
    assert list(more[s.EVENT_ID]) == ["keep"]
    assert more.iloc[0][s.NOTES].startswith("merged from dup")
    assert more.iloc[0][s.SOURCE_NAME] == "Report on dup"


def test_a_merge_of_an_event_already_gone_is_refused_and_changes_nothing(store):
    store.append_events(frame(event("a"), event("b"), event("c")))
    store.merge_duplicates("a", ["b"])
    with pytest.raises(MergeError, match="'b'"):
        store.merge_duplicates("c", ["b"])
    assert ids(store) == ["a", "c"]


def test_a_merge_after_a_concurrent_edit_of_its_events_is_refused(store):
    store.append_events(frame(event("a"), event("b", location="Nowhere Town", latitude="",
                                                  longitude="")))  # fmt: skip
    seen = store.version()
    store.place_by_hand("Nowhere Town", "Syria", 35.0, 36.0, 1, "by a colleague")
    with pytest.raises(MergeError, match="reload"):
        store.merge_duplicates("a", ["b"], seen_version=seen)
    assert ids(store) == ["a", "b"]


def test_placing_by_hand_moves_every_event_that_names_the_place(store):
    unplaced = {"location": "Qaryat al-Test", "latitude": "", "longitude": ""}
    store.append_events(frame(event("x", **unplaced), event("y", **unplaced), event("z")))
    store.place_by_hand("Qaryat al-Test", "Syria", 34.5, 38.25, 2, "the analyst's map")
    events = store.load().events.events.set_index(s.EVENT_ID)
    for event_id in ("x", "y"):
        assert events.loc[event_id, s.LATITUDE] == pytest.approx(34.5)
        assert events.loc[event_id, s.LONGITUDE] == pytest.approx(38.25)
        assert events.loc[event_id, s.GEOCODER] == "manual"
    assert events.loc["z", s.LATITUDE] == pytest.approx(35.93)
    assert [p.name for p in store.hand_places()] == ["Qaryat al-Test"]
    # An event saved later that names the place lands there too.
    store.append_events(frame(event("later", **unplaced)))
    later = store.load().events.events.set_index(s.EVENT_ID).loc["later"]
    assert later[s.LATITUDE] == pytest.approx(34.5)


def test_learned_places_are_kept_apart_from_hand_places(store):
    store.learn_place(Override("Tall Test", "Syria", 36.1, 37.2, 1, "learned"))
    assert [(p.name, p.latitude) for p in store.learned_places()] == [("Tall Test", 36.1)]
    assert store.hand_places() == []


def test_geocode_answers_are_shared_through_the_store(store):
    cache = store.geocode_cache()
    answer = GeocodeAnswer(33.5, 36.3, "gazetteer:1", "Damascus", 1)
    cache.put("gazetteer", "Dimashq", "SY", answer)
    cache.put("gazetteer", "Nowhere", "SY", None)
    cache.save()
    again = store.geocode_cache()
    assert again.get("gazetteer", "Dimashq", "SY") == answer
    assert (
        again.has("gazetteer", "Nowhere", "SY") and again.get("gazetteer", "Nowhere", "SY") is None
    )


FILTERS = [
    EventFilter(),
    EventFilter(date_from=dt.date(2024, 3, 5), date_to=dt.date(2024, 3, 20)),
    EventFilter(killed=(3, None)),
    EventFilter(killed=(1, 4), include_unknown_casualties=False),
    EventFilter(injured=(0, 2)),
    EventFilter(event_types=frozenset({"Shelling"})),
    EventFilter(actors=frozenset({"Army", "Militia"})),
    EventFilter(exact_only=True),
    EventFilter(confidence=frozenset({"single source", ""})),
    EventFilter(include_unknown_casualties=False, event_types=frozenset({"Air/drone strike"})),
]


def varied_events() -> pd.DataFrame:
    rows = []
    for n in range(40):
        cells: dict[str, object] = {
            s.DATE_START: f"2024-03-{1 + n % 28:02d}",
            s.EVENT_TYPE: ("Air/drone strike", "Shelling")[n % 2],
            s.ACTOR1: ("Army", "Air force", "Militia", "")[n % 4],
            s.ACTOR2: ("", "Militia", "Civilians")[n % 3],
            s.LATITUDE: f"{30 + n * 0.25:.2f}",
            s.LONGITUDE: f"{35 + n * 0.1:.2f}",
            s.GEO_PRECISION: str(1 + n % 3),
        }
        if n % 5:
            cells[s.KILLED_MIN] = n % 7
            cells[s.KILLED_MAX] = n % 7 + n % 3
        if n % 4 == 1:
            cells[s.INJURED_MIN] = n % 5
        if n % 9 == 0:
            cells[s.DATE_START] = "2024-03"
            cells[s.DATE_PRECISION] = "month"
        if n % 6 == 0:
            cells[s.SOURCE_NAME] = ""
        rows.append(event(f"e{n:02d}", **cells))
    return frame(*rows)


@pytest.mark.parametrize("event_filter", FILTERS, ids=lambda f: f.describe())
def test_the_store_filters_as_the_page_does(store, event_filter):
    store.append_events(varied_events())
    everything = store.load().events.events
    expected = list(filter_events(everything, event_filter)[s.EVENT_ID])
    assert list(store.load_events(event_filter)[s.EVENT_ID]) == expected


def test_the_store_keeps_the_events_inside_the_map_bounds(store):
    store.append_events(varied_events())
    chosen = store.load_events(EventFilter(), bounds=(32.0, 35.0, 35.0, 40.0))
    # Latitudes run 30.00, 30.25, ...: events e08 to e20 lie inside, the edges included.
    assert list(chosen[s.EVENT_ID]) == [f"e{n:02d}" for n in range(8, 21)]
