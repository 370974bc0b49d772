"""The database back end alone: concurrent saves, a killed transaction, hostile values, the
change log, the grid, and the trip files → database → files."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import psycopg
import pytest

from components import PROJECT_ROOT
from components.formats.writers import to_csv
from components.storage import cells, transfer
from components.storage.postgres import PostgresStore
from components.storage.query import grid_query
from components.table import schema as s
from components.table.events import read_events
from components.view.filters import EventFilter
from tests.payloads import PAYLOADS, hostile_rows
from tests.storage.test_store import event, frame, varied_events


@pytest.fixture
def db(database_url: str):
    store = PostgresStore(database_url)
    yield store
    store.close()


def _save_many(url: str, worker: int, count: int) -> list[str]:
    store = PostgresStore(url)
    try:
        saved = []
        for n in range(count):
            row = event("same-id", notes=f"worker {worker} event {n}")
            saved += store.append_events(frame(row), who=f"analyst {worker}")
        return saved
    finally:
        store.close()


def test_several_processes_saving_at_once_lose_nothing(db, database_url):
    workers, each = 4, 6
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.starmap(_save_many, [(database_url, w, each) for w in range(workers)])
    saved = [i for ids in results for i in ids]
    events = db.load().events.events
    assert len(saved) == len(set(saved)) == workers * each
    assert sorted(events[s.EVENT_ID]) == sorted(saved)
    notes = set(events[s.NOTES])
    assert notes == {f"worker {w} event {n}" for w in range(workers) for n in range(each)}
    # Every save recounted the same grid cell and month: the ready counts hold all of them.
    with db.transaction() as conn:
        kept = conn.execute("SELECT level, events FROM event_cells ORDER BY level").fetchall()
    assert kept == [(level, workers * each) for level in cells.LEVELS]


def test_a_transaction_killed_half_way_leaves_nothing(db, database_url, tmp_path):
    child = textwrap.dedent(
        f"""
        import sys, time
        import pandas as pd
        from components.storage.postgres import PostgresStore
        from components.table.events import validate_events
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from tests.storage.test_store import varied_events
        store = PostgresStore({database_url!r})
        with store.transaction() as conn:
            given = validate_events(varied_events(), source="test").events
            store.insert_events(conn, given, None)
            print("inserted", flush=True)
            time.sleep(600)
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", child], stdout=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
    )
    try:
        assert process.stdout.readline().strip() == "inserted"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert db.load().events.events.empty
    with psycopg.connect(database_url) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_filter_values_are_values_not_sql(db, payload):
    db.append_events(varied_events())
    hostile = EventFilter(
        event_types=frozenset({payload, "x' OR '1'='1"}),
        actors=frozenset({payload, "'; DROP TABLE events; --"}),
        confidence=frozenset({payload}),
    )
    assert db.load_events(hostile).empty
    assert db.count(hostile) == 0
    assert len(db.load().events.events) == 40


def test_hostile_event_text_is_stored_and_read_back_exactly(db):
    rows = hostile_rows()
    rows.append(event("'; DROP TABLE events; --", notes="Robert'); DROP TABLE sources;--"))
    saved = db.append_events(pd.DataFrame(rows, dtype=object))
    events = db.load().events.events.set_index(s.EVENT_ID)
    assert list(events.index) == saved
    for row in rows:
        stored = events.loc[row[s.EVENT_ID]]
        for column in (s.NOTES, s.ACTOR1, s.SOURCE_TEXT, s.LOCATION):
            assert stored[column] == row[column]
    # And a filter on exactly that text finds exactly that event.
    chosen = db.load_events(EventFilter(actors=frozenset({rows[0][s.ACTOR1]})))
    assert list(chosen[s.EVENT_ID]) == [rows[0][s.EVENT_ID]]


def test_every_change_is_recorded_with_who_and_what(db):
    db.append_events(frame(event("a"), event("b", location="Qaryat", latitude="",
                                                  longitude="")), who="Amal")  # fmt: skip
    db.place_by_hand("Qaryat", "Syria", 35.0, 36.0, who="Bram")
    db.merge_duplicates("a", ["b"], who="Chen")
    history_a = [(c.who, c.action) for c in db.history("a")]
    assert history_a == [("Amal", "added"), ("Chen", "merged")]
    history_b = [(c.who, c.action) for c in db.history("b")]
    assert history_b == [("Amal", "added"), ("Bram", "placed by hand"), ("Chen", "merged into")]


def test_grid_cells_hold_every_event_in_view_and_their_killed_totals(db):
    db.append_events(varied_events())
    event_filter = EventFilter(event_types=frozenset({"Shelling"}))
    query = grid_query(event_filter, (31.0, 30.0, 40.0, 40.0), zoom=6)
    with db.transaction() as conn:
        cells = conn.execute(query.text, query.params).fetchall()
    shown = db.load_events(event_filter, (31.0, 30.0, 40.0, 40.0))
    killed = shown[s.KILLED_MIN].astype("Float64").fillna(shown[s.KILLED_MAX]).fillna(0)
    assert sum(c[0] for c in cells) == len(shown) > 0
    assert sum(c[1] for c in cells) == int(killed.sum())
    assert 1 < len(cells) < len(shown)


def test_files_go_into_the_database_and_come_back_the_same(db, tmp_path: Path, write_events):
    rows = [
        *hostile_rows(),
        event("quoted", notes='He said "two, maybe three"\nthen left', killed_min=2, killed_max=2),
        event("unplaced", location="Nowhere Town", latitude="", longitude=""),
        event("month", date_start="2023-07", date_precision="month", geo_precision=3),
        event("bad", date_start="yesterday"),
    ]
    events_file = write_events(rows)
    with events_file.open("a", encoding="utf-8") as handle:
        handle.write("")  # the file as the writer made it
    (tmp_path / "sources.csv").write_text(
        "event_id,source_name,killed_min,killed_max,notes\nquoted,Second report,4,6,\n",
        encoding="utf-8",
    )
    (tmp_path / "places.csv").write_text(
        "name,country,latitude,longitude,geo_precision,note\nNowhere Town,Syria,35.5,36.5,1,\n",
        encoding="utf-8",
    )
    report = transfer.load_files(db, events_file, tmp_path / "places.csv")
    assert report.events == len(rows) - 1 and [p.row for p in report.problems] == [len(rows) + 1]
    loaded = db.load().events.events.set_index(s.EVENT_ID)
    assert loaded.loc["unplaced", s.LATITUDE] == pytest.approx(35.5)
    assert (loaded.loc["quoted", s.KILLED_MIN], loaded.loc["quoted", s.KILLED_MAX]) == (2, 6)

    out = tmp_path / "out" / "events.csv"
    assert transfer.dump_files(db, out) == (len(rows) - 1, 1, 1)
    exported = to_csv(read_events(events_file).events, spreadsheet_safe=False)
    assert out.read_bytes() == exported
    assert (out.parent / "places.csv").read_text().splitlines()[1] == (
        "Nowhere Town,Syria,35.5,36.5,1,"
    )
    assert "quoted,Second report" in (out.parent / "sources.csv").read_text()
