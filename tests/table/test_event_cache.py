"""The events cache (components/table/cache.py): a file is parsed once, and read again when it
changes or the cached copy is damaged."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from components.table import cache as event_cache
from components.table import pipeline
from components.table import schema as s
from components.table.errors import EventFileError

STRIKE = {
    s.EVENT_ID: "strike-1",
    s.DATE_START: "2018-02-07",
    s.EVENT_TYPE: "Air/drone strike",
    s.LATITUDE: "35.33",
    s.LONGITUDE: "40.14",
    s.KILLED_MIN: "100",
    s.KILLED_MAX: "100",
}
NAMED = {s.EVENT_ID: "named-1", s.DATE_START: "2018-02-08", s.LOCATION: "Aleppo"}
BAD = {s.EVENT_ID: "bad-1", s.DATE_START: "7 Feb"}


@pytest.fixture
def no_csv_reading(monkeypatch: pytest.MonkeyPatch):
    """Make any further read of a CSV fail, so a load that succeeds came from the cache."""

    def refuse(path):
        raise AssertionError(f"{path} was parsed again")

    def forbid() -> None:
        monkeypatch.setattr(pipeline, "read_events", refuse)

    return forbid


def load(path: Path, places: Path | None = None):
    return pipeline.load_placed_events(path, places)


def test_a_second_load_comes_from_the_cache_and_equals_the_first(write_events, no_csv_reading):
    path = write_events([STRIKE, NAMED, BAD])
    first = load(path)
    no_csv_reading()

    cached = load(path)

    pd.testing.assert_frame_equal(cached.events, first.events)
    assert cached.problems == first.problems
    assert cached.source == str(path)


def test_the_cached_copy_keeps_geocoded_places_and_the_rows_left_out(write_events, no_csv_reading):
    path = write_events([STRIKE, NAMED, BAD])
    load(path)
    no_csv_reading()

    cached = load(path)

    named = cached.events.set_index(s.EVENT_ID).loc["named-1"]
    assert named[s.GEOCODER].startswith("gazetteer:")
    assert round(named[s.LATITUDE]) == 36
    assert cached.rejected_rows == [4]
    assert "an ISO date like 2018-02-07" in str(cached.problems[0])


def test_an_edited_csv_is_read_again(write_events):
    path = write_events([STRIKE])
    load(path)

    write_events([STRIKE, {**STRIKE, s.EVENT_ID: "strike-2"}])

    assert list(load(path).events[s.EVENT_ID]) == ["strike-1", "strike-2"]


def test_an_edit_that_keeps_size_and_time_is_still_noticed(write_events):
    path = write_events([STRIKE])
    load(path)
    stat = path.stat()

    path.write_bytes(path.read_bytes().replace(b"strike-1", b"strike-9"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert list(load(path).events[s.EVENT_ID]) == ["strike-9"]


def test_a_new_place_placed_by_hand_is_used_at_once(write_events, tmp_path):
    path = write_events([{**NAMED, s.LOCATION: "Nowhere-on-any-map", s.COUNTRY: "Syria"}])
    places = tmp_path / "places.csv"
    places.write_text("name,country,latitude,longitude,geo_precision,note\n", encoding="utf-8")
    assert load(path, places).events[s.LATITUDE].isna().all()

    places.write_text(
        "name,country,latitude,longitude,geo_precision,note\n"
        "Nowhere-on-any-map,Syria,35.5,38.5,1,placed by hand\n",
        encoding="utf-8",
    )

    assert load(path, places).events[s.LATITUDE].tolist() == [35.5]


@pytest.mark.parametrize(
    "damage",
    [b"", b"not an arrow file", b"ARROW1\x00\x00" + bytes(200)],
    ids=["empty", "text", "truncated"],
)
def test_a_damaged_cache_is_rebuilt(write_events, damage):
    path = write_events([STRIKE])
    load(path)
    events_file, _ = event_cache.cache_paths(path)
    events_file.write_bytes(damage)

    assert list(load(path).events[s.EVENT_ID]) == ["strike-1"]
    assert event_cache.read_cached(path, None) is not None


def test_events_whose_problems_file_is_from_another_copy_are_not_used(write_events):
    path = write_events([STRIKE, BAD])
    load(path)
    _, problems_file = event_cache.cache_paths(path)
    kept = problems_file.read_bytes()
    write_events([STRIKE])
    load(path)
    problems_file.write_bytes(kept)

    assert event_cache.read_cached(path, None) is None
    assert load(path).problems == []


def test_a_file_that_cannot_be_used_is_refused_every_time_and_nothing_is_cached(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("id,when\n1,2\n", encoding="utf-8")

    for _ in range(2):
        with pytest.raises(EventFileError, match="the header has no event_id"):
            load(path)
    assert not event_cache.cache_paths(path)[0].exists()


def test_an_unusable_cache_folder_does_not_stop_the_file_from_opening(write_events, tmp_path):
    path = write_events([STRIKE])
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")

    loaded = event_cache.cached_load(
        path,
        None,
        lambda: pipeline.load_placed_events(path, None, use_cache=False),
        cache_dir=blocked,
    )

    assert list(loaded.events[s.EVENT_ID]) == ["strike-1"]


def test_without_the_cache_the_file_is_read_and_nothing_is_written(write_events):
    path = write_events([STRIKE])

    pipeline.load_placed_events(path, None, use_cache=False)

    assert not event_cache.cache_paths(path)[0].exists()
