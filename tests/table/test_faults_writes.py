"""Writes under faults: concurrent writers lose nothing, a killed writer leaves the previous
file, a damaged cache is set aside and rebuilt, a damaged places file is named by row and
column, and a geocoding server that is down costs a bounded number of attempts."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
from pathlib import Path

import pytest

from components.geo.geocoder import CACHE_FILE, GazetteerGeocoder, GeocodeAnswer, GeocodeCache
from components.geo.geocoders.online import ResilientGeocoder, online_geocoder
from components.geo.overrides import add_override, read_overrides, read_places
from components.geo.table import geocode_file
from components.table.files import replace_atomically, write_text_atomically

FORK = multiprocessing.get_context("fork")


def _run_all(target, args_list, timeout=60):
    processes = [FORK.Process(target=target, args=args) for args in args_list]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout)
        assert process.exitcode == 0


# ---------------------------------------------------------------------------------------
# Concurrent writers


def _add_overrides(path: str, writer: int, count: int) -> None:
    for i in range(count):
        add_override(path, f"Village {writer}-{i}", "", 30 + writer, 40 + i / 100, 1, f"w{writer}")


def test_concurrent_place_overrides_from_four_processes_lose_nothing(tmp_path):
    path = tmp_path / "places.csv"
    _run_all(_add_overrides, [(str(path), writer, 10) for writer in range(4)])
    overrides = read_overrides(path)
    assert len(overrides) == 40
    assert {o.note for o in overrides.values()} == {"w0", "w1", "w2", "w3"}


def _answer(i: int) -> GeocodeAnswer:
    return GeocodeAnswer(
        latitude=i / 10,
        longitude=i / 10,
        geocoder=f"test:{i}",
        matched_name=f"P{i}",
        geo_precision=1,
    )


def _fill_cache(path: str, writer: int, count: int) -> None:
    cache = GeocodeCache(path, autosave_every=5)
    for i in range(count):
        cache.put("test", f"place {writer}-{i}", "SY", _answer(i))
    cache.save()


def test_concurrent_cache_saves_never_corrupt_the_file(tmp_path):
    path = tmp_path / CACHE_FILE
    _run_all(_fill_cache, [(str(path), writer, 40) for writer in range(2)])
    assert not path.with_name(path.name + ".corrupt").exists()
    assert 40 <= len(GeocodeCache(path)) <= 80


# ---------------------------------------------------------------------------------------
# A writer killed half-way


def _write_half_then_hang(path: str, ready) -> None:
    def write(temp: Path) -> None:
        with open(temp, "w", encoding="utf-8") as handle:
            handle.write("event_id,date_start\nhalf,")
            handle.flush()
            ready.send(str(temp))
            signal.pause()

    replace_atomically(Path(path), write)


def test_a_writer_killed_mid_write_leaves_the_previous_file(tmp_path):
    path = tmp_path / "events.csv"
    previous = "event_id,date_start\nold,2018-02-07\n"
    write_text_atomically(path, previous)
    receive, send = FORK.Pipe(duplex=False)
    process = FORK.Process(target=_write_half_then_hang, args=(str(path), send))
    process.start()
    assert receive.poll(30)
    temp = Path(receive.recv())
    os.kill(process.pid, signal.SIGKILL)
    process.join(30)
    assert process.exitcode == -signal.SIGKILL
    assert path.read_text(encoding="utf-8") == previous
    # The orphan is hidden beside the file, never read, and the next write still succeeds.
    assert temp.exists() and temp.name.startswith(".") and temp.suffix == ".tmp"
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == ["events.csv"]
    write_text_atomically(path, previous + "new,2018-02-08\n")
    assert path.read_text(encoding="utf-8").endswith("new,2018-02-08\n")


# ---------------------------------------------------------------------------------------
# Damaged files

DAMAGED_CACHES = {
    "garbage": b"\x89PNG not json",
    "truncated": b'{"format": "strikemap-geocode-cache", "version": 1, "answers": [{"prov',
    "empty": b"",
    "a list": b"[]",
    "other version": b'{"format": "strikemap-geocode-cache", "version": 99, "answers": []}',
    "nan coordinate": json.dumps(
        {
            "format": "strikemap-geocode-cache",
            "version": 1,
            "answers": [
                {
                    "provider": "p",
                    "query": "q",
                    "country_code": "",
                    "found": True,
                    "latitude": float("nan"),
                    "longitude": 1,
                    "geocoder": "g",
                    "matched_name": "m",
                    "geo_precision": 1,
                }
            ],
        }
    ).encode(),
    "answers not a list": b'{"format": "strikemap-geocode-cache", "version": 1, "answers": 5}',
    "not utf-8": b'{"format": "strikemap-geocode-cache", "\xff\xfe": 1}',
}


@pytest.mark.parametrize("name", list(DAMAGED_CACHES))
def test_a_damaged_geocode_cache_is_set_aside_and_rebuilt(name, tmp_path):
    path = tmp_path / CACHE_FILE
    path.write_bytes(DAMAGED_CACHES[name])
    cache = GeocodeCache(path)
    assert len(cache) == 0
    if DAMAGED_CACHES[name]:  # an empty file is an empty SQLite database: nothing to set aside
        assert path.with_name(path.name + ".corrupt").read_bytes() == DAMAGED_CACHES[name]
    cache.put("test", "Aleppo", "SY", _answer(3))
    cache.save()
    assert GeocodeCache(path).get("test", "Aleppo", "SY") == _answer(3)


HEADER = "name,country,latitude,longitude,geo_precision,note\n"
DAMAGED_PLACES = [
    (
        "latitude not a number",
        HEADER + "A,SY,36.2,37,1,\nB,SY,north,37,1,\n",
        "row 3, column latitude",
    ),
    ("longitude off the globe", HEADER + "A,SY,36.2,181,1,\n", "row 2, column longitude"),
    ("nan latitude", HEADER + "A,SY,nan,37,1,\n", "row 2, column latitude"),
    ("inf longitude", HEADER + "A,SY,36,-inf,1,\n", "row 2, column longitude"),
    ("precision 4", HEADER + "A,SY,36,37,4,\n", "row 2, column geo_precision"),
    ("empty name", HEADER + " ,SY,36,37,1,\n", "row 2, column name"),
    ("missing column", "name,country,latitude\nA,SY,36\n", "row 1: the header has no longitude"),
    ("short row", HEADER + "A,SY\n", "row 2, column latitude"),
    # As in the events file: an unclosed quote swallows the rest, so the file is not used.
    ("unclosed quote", HEADER + 'A,SY,36,37,1,ok\n"B,SY,36,37,1,\n', "row 1: is not readable"),
]


@pytest.mark.parametrize(
    ("content", "reason"), [c[1:] for c in DAMAGED_PLACES], ids=[c[0] for c in DAMAGED_PLACES]
)
def test_a_damaged_places_file_names_the_row_and_column(content, reason, tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(content, encoding="utf-8")
    loaded = read_places(path)
    shown = [str(p) for p in loaded.problems]
    assert any(reason in line for line in shown), shown
    assert all("\n" not in line for line in shown)
    # The good rows still count: only the bad one is skipped.
    if content.startswith(HEADER + "A,SY,36.2,37,"):
        assert len(loaded.overrides) == 1


def test_a_places_file_in_cp1252_with_semicolons_and_a_bom_reads_like_an_events_file(tmp_path):
    path = tmp_path / "places.csv"
    text = HEADER.replace(",", ";") + "Caf\u00e9;SY;36;37;1;\nBad;SY;x;37;1;\nB;;1;2;1;\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    loaded = read_places(path)
    assert set(loaded.overrides) == {("cafe", "SY"), ("b", "")}
    assert loaded.rejected_rows == [3]
    path.write_bytes(text.encode("cp1252"))
    assert len(read_places(path).overrides) == 2
    add_override(path, "C", "", 1, 2)
    assert len(read_places(path).overrides) == 3


def test_a_note_with_a_carriage_return_stays_in_its_row(tmp_path):
    path = tmp_path / "places.csv"
    add_override(path, "A", "", 1, 2, 1, "first\rsecond")
    add_override(path, "B", "", 3, 4)
    overrides = read_overrides(path)
    assert len(overrides) == 2


# ---------------------------------------------------------------------------------------
# A geocoding server that is down


@pytest.fixture
def dead_port():
    """A port on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_port():
    """A port on 127.0.0.1 that accepts connections and never answers: requests time out."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


@pytest.fixture
def cache_dir(tmp_path, gazetteer_dir):
    """A cache directory of its own that shares the session's gazetteer index (linked)."""
    directory = tmp_path / "cache"
    directory.mkdir()
    for index in gazetteer_dir.glob("gazetteer-*"):
        (directory / index.name).symlink_to(index)
    return directory


@pytest.mark.parametrize("port_fixture", ["dead_port", "silent_port"])
def test_a_down_geocoder_falls_back_offline_within_bounded_attempts(
    port_fixture, request, tmp_path, cache_dir
):
    port = request.getfixturevalue(port_fixture)
    table = tmp_path / "in.csv"
    places = ["Aleppo", "Raqqa", "Idlib", "Homs", "Hama", "Daraa"]
    table.write_text(
        "location,country\n" + "".join(f"{p},Syria\n" for p in places), encoding="utf-8"
    )
    online = online_geocoder("nominatim", domain=f"http://127.0.0.1:{port}", timeout=0.2)
    sleeps: list[float] = []
    resilient = ResilientGeocoder(
        online,
        fallback=GazetteerGeocoder(cache_dir=cache_dir, places_file=None),
        sleep=sleeps.append,
    )
    summary = geocode_file(
        table,
        tmp_path / "out.csv",
        provider="nominatim",
        cache_dir=cache_dir,
        places_file=None,
        geocoder=resilient,
    )
    assert summary.rows == len(places) and summary.found == len(places)
    assert summary.fallbacks == len(places)
    assert resilient.is_down
    # With the default retries and backoff, a dead server is given up on within a bounded
    # wait of its own, not asked five times for each of the first three places.
    assert resilient.attempts <= resilient.max_retries + 1
    assert sum(sleeps) <= resilient.max_wait_in_a_row_seconds
