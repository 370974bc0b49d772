"""The grid counts kept ready (components/storage/cells.py) answer exactly as the raw scan does,
for every filter, view and cell size, and stay current through every kind of write."""

from __future__ import annotations

import datetime as dt
import math
import uuid

import numpy as np
import pandas as pd
import pytest
from psycopg import sql

from components.storage import cells, cells_read, transfer
from components.storage.postgres import PostgresStore
from components.storage.query import grid_query
from components.table import schema as s
from components.view.filters import EventFilter
from tests.storage.conftest import _admin, _with_database
from tests.storage.test_store import event, frame

TYPES = ("Air/drone strike", "Shelling", "Suicide bomb")
GRADES = ("", "single source", " disputed ", "several sources")


def world_rows(count: int = 1500, seed: int = 3) -> list[dict[str, object]]:
    """Events over the whole world (poles and the date line too), dates across month ends,
    ranges and coarse dates, unknown figures and graded confidence."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in range(count):
        day = dt.date(2022, 11, 1) + dt.timedelta(days=int(rng.integers(0, 800)))
        latitude = float(np.clip(rng.normal(20, 35), -89.9, 89.9))
        longitude = float(rng.uniform(-180, 180)) if n % 10 else 179.999 * (-1) ** n
        cells_ = {
            s.DATE_START: day.isoformat(),
            s.EVENT_TYPE: TYPES[n % 3],
            s.ACTOR1: f"Group {n % 7}",
            s.LATITUDE: f"{latitude:.5f}",
            s.LONGITUDE: f"{longitude:.5f}",
            s.GEO_PRECISION: str(1 + n % 3),
            s.CONFIDENCE: GRADES[n % 4],
            s.KILLED_MIN: "" if n % 5 == 0 else str(int(rng.integers(0, 30))),
            s.KILLED_MAX: "",
            s.INJURED_MIN: "" if n % 2 else str(int(rng.integers(0, 9))),
        }
        if n % 6 == 1:
            cells_[s.DATE_END] = (day + dt.timedelta(days=int(rng.integers(1, 45)))).isoformat()
        if n % 17 == 2:
            cells_[s.DATE_PRECISION] = "month"
            cells_[s.DATE_START] = day.replace(day=1).isoformat()
        rows.append(event(f"w{n:05d}", **cells_))
    return rows


@pytest.fixture(scope="module")
def world(server_url, template_db, tmp_path_factory):
    """One database of the world's events, loaded as ``db load`` loads a file."""
    name = f"strikemap_cells_{uuid.uuid4().hex[:8]}"
    _admin(server_url, sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template_db)))  # fmt: skip
    folder = tmp_path_factory.mktemp("world")
    path = folder / "events.csv"
    frame(*world_rows()).to_csv(path, index=False)
    store = PostgresStore(_with_database(server_url, name))
    report = transfer.load_files(store, path)
    assert report.events == 1500 and not report.problems
    yield store
    store.close()
    _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)))  # fmt: skip


FILTERS = [
    EventFilter(),
    EventFilter(date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31)),
    EventFilter(date_from=dt.date(2023, 1, 15), date_to=dt.date(2023, 11, 10)),
    EventFilter(date_from=dt.date(2023, 3, 5), date_to=dt.date(2023, 3, 20)),
    EventFilter(date_to=dt.date(2023, 6, 30), event_types=frozenset({TYPES[0], "x' OR 1=1"})),
    EventFilter(exact_only=True, include_unknown_casualties=False),
    EventFilter(confidence=frozenset({"", "disputed"}), date_from=dt.date(2023, 2, 2)),
    EventFilter(actors=frozenset({"Group 1"})),
    EventFilter(killed=(3, None)),
]
VIEWS = [
    None,
    (-60.0, -30.0, 60.0, 90.0),
    (-90.0, 150.0, 90.0, 250.0),
    (20.0, -200.0, 70.0, -100.0),
    (80.0, -180.0, 90.0, 180.0),
]
SIZES = [1 / 32, 1 / 8, 1 / 256, 1 / 64]


def _run(store: PostgresStore, query) -> pd.DataFrame:
    with store.transaction() as conn:
        rows = conn.execute(query.text, query.params).fetchall()
    columns = ["events", "killed", "unknown", "latitude", "longitude"]
    columns += ["south", "west", "north", "east"]
    return pd.DataFrame(rows, columns=columns)


def _same_grid(ours: pd.DataFrame, raw: pd.DataFrame) -> None:
    assert len(ours) == len(raw)
    for column in ("events", "killed", "unknown"):
        assert ours[column].tolist() == raw[column].tolist(), column
    for column in ("latitude", "longitude", "south", "west", "north", "east"):
        assert np.allclose(ours[column].astype(float), raw[column].astype(float), atol=1e-9)


@pytest.mark.parametrize("event_filter", FILTERS, ids=EventFilter.describe)
def test_ready_counts_answer_as_the_raw_scan(world, event_filter):
    for bounds in VIEWS:
        for size in SIZES:
            ours = _run(world, cells_read.cells_query(event_filter, bounds, size))
            raw = _run(world, grid_query(event_filter, bounds, 0, size))
            assert raw["events"].sum() > 0 or bounds == VIEWS[4]
            _same_grid(ours, raw)


def test_the_common_views_read_the_ready_counts(world):
    """Not a fallback in disguise: the world, a year and a continent read event_cells; only
    actors and casualty ranges scan every event."""
    with world.transaction() as conn:
        for event_filter in FILTERS[:3]:
            for bounds in VIEWS[:2]:
                text = cells_read.cells_query(event_filter, bounds, 1 / 16).text.as_string(conn)
                assert "event_cells" in text
        for event_filter in FILTERS[7:]:
            text = cells_read.cells_query(event_filter, None, 1 / 16).text.as_string(conn)
            assert "event_cells" not in text
        # Cells finer than the finest level kept ready: the raw scan.
        finest = 1 / cells.across(max(cells.LEVELS)) / 2
        assert "event_cells" not in cells_read.cells_query(None, None, finest).text.as_string(conn)


def _ready_rows(conn) -> list[tuple]:
    rows = conn.execute("SELECT * FROM event_cells").fetchall()
    rounded = [tuple(round(v, 6) if isinstance(v, float) else v for v in row) for row in rows]
    return sorted(rounded, key=repr)


def test_saves_merges_and_hand_places_keep_the_counts_current(database_url):
    store = PostgresStore(database_url)
    try:
        store.append_events(frame(*world_rows(300, seed=5)))
        store.append_events(
            frame(
                event("new", date_start="2023-05-31", latitude="50.1", longitude="30.2"),
                event("far", location="Qaryat", latitude="", longitude="", date_start="2024-02-01"),
                event("dup", date_start="2023-05-30", killed_min=7, latitude="-10.0",
                      longitude="-70.0"),
            )
        )  # fmt: skip
        store.merge_duplicates("new", ["dup", "w00004"])
        store.place_by_hand("Qaryat", "Syria", 35.0, 36.0)
        with store.transaction() as conn:
            kept = _ready_rows(conn)
            cells.rebuild(conn)
            assert _ready_rows(conn) == kept
        grid = store.queries().cells(None, None, 1 / 32)
        assert int(grid["events"].sum()) == 300 + 3 - 2
        raw = _run(store, grid_query(None, None, 0, 1 / 32))
        _same_grid(grid, raw)
    finally:
        store.close()


def test_a_database_without_the_counts_gets_them_when_opened(database_url):
    store = PostgresStore(database_url)
    try:
        store.append_events(frame(*world_rows(50, seed=9)))
        with store.transaction() as conn:
            conn.execute("TRUNCATE event_cells")
            conn.execute("DELETE FROM strikemap_meta WHERE key = 'cell_levels'")
        store.init()
        grid = store.queries().cells(None, None, 1 / 8)
        assert int(grid["events"].sum()) == 50
    finally:
        store.close()


def test_month_edges_of_a_window_are_exact():
    """A window's partial first and last months go to the raw scan; whole months do not."""
    window = EventFilter(date_from=dt.date(2023, 1, 15), date_to=dt.date(2023, 3, 9))
    cover = cells_read._cover(window, None, 3)
    assert (cover.first, cover.last) == (dt.date(2023, 2, 1), dt.date(2023, 2, 28))
    window = EventFilter(date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 2, 29))
    cover = cells_read._cover(window, None, 3)
    assert (cover.first, cover.last) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    window = EventFilter(date_from=dt.date(2023, 3, 2), date_to=dt.date(2023, 3, 30))
    assert cells_read._cover(window, None, 3) is None


def test_whole_cells_stay_inside_the_view():
    n = cells.across(3)
    cover = cells_read._cover(EventFilter(), cells_read.Bounds.of((-60.0, -30.0, 60.0, 90.0)), 3)
    ((low, high),) = cover.columns
    assert (low / n * 360 - 180) >= -30 and ((high + 1) / n * 360 - 180) <= 90
    top, bottom = cover.rows
    assert cells_read._latitude(top / n) <= 60 and cells_read._latitude((bottom + 1) / n) >= -60
    assert math.isclose(cells_read._latitude(0.5), 0.0, abs_tol=1e-12)
