"""The EventQueries contract as checks: an engine answers as PandasQueries does on one table.

A synthetic table with every quirk the page meets (unplaced events, unknown and one-sided
figures, date ranges and coarse dates, empty places, coders' own grades, sources that widen the
figures) and checks any engine against the pandas specification. The PostgreSQL engine's tests
can build the same table into a database and call the same checks.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from pandas.testing import assert_frame_equal

from components.map.cell_source import keys_of
from components.storage.pandas_queries import PandasQueries
from components.storage.queries import CELL_COLUMNS, ORDERS, PART_COLUMNS, PERIODS, POINT_COLUMNS
from components.table import schema as s
from components.table import sources as src
from components.table.events import validate_events
from components.view.filters import EventFilter

TYPES = ["Air/drone strike", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED"]
ACTORS = ["Military Forces of Russia", "Islamic State (IS)", "Civilians (Syria)", ""]
GRADES = ["", "", "single source", "disputed", "coder's own grade", " several sources "]
PLACES = [("Deir ez-Zor", "Deir ez-Zor", "Syria"), ("", "Idlib", "Syria"), ("", "", "Iraq")]
PLACES += [("kharkiv", "Kharkivska", "Ukraine"), ("Kharkiv", "Kharkivska", "Ukraine"), ("", "", "")]
# A cell that looks like SQL: chosen values must travel bound, never written into the text.
HOSTILE = "Robert'); DROP TABLE events; --"


def synthetic_rows(count: int = 240, seed: int = 7) -> list[dict[str, str]]:
    """Rows of cells as a coder writes them (strings), varied by a seeded generator."""
    rng = np.random.default_rng(seed)
    first = dt.date(2021, 11, 20)
    rows = []
    for number in range(count):
        day = first + dt.timedelta(days=int(rng.integers(0, 500)))
        row = {
            s.EVENT_ID: f"ev-{number:04d}",
            s.DATE_START: day.isoformat(),
            s.EVENT_TYPE: TYPES[number % 3],
            s.ACTOR1: ACTORS[number % 4],
            s.ACTOR2: ACTORS[(number // 4) % 4],
            s.CONFIDENCE: GRADES[number % len(GRADES)],
            s.SOURCE_NAME: "Synthetic contract source" if number % 5 else "",
        }
        location, admin1, country = PLACES[number % len(PLACES)]
        row.update({s.LOCATION: location, s.ADMIN1: admin1, s.COUNTRY: country})
        if number % 9:  # one in nine without coordinates
            row[s.LATITUDE] = f"{30 + rng.random() * 20:.5f}"
            # Some on the far side of the date line, for world-copy views.
            row[s.LONGITUDE] = f"{(rng.random() * 60 + 20) * (-1 if number % 13 == 0 else 1):.5f}"
            row[s.GEO_PRECISION] = str(1 + number % 3)
        if number % 4 == 1:
            row[s.DATE_END] = (day + dt.timedelta(days=int(rng.integers(1, 20)))).isoformat()
        if number % 11 == 3:
            row[s.DATE_PRECISION] = "month"
        if number % 3:
            low = int(rng.integers(0, 40))
            row[s.KILLED_MIN] = str(low)
            if number % 7:
                row[s.KILLED_MAX] = str(low + int(rng.integers(0, 10)))
        elif number % 6 == 3:
            row[s.KILLED_MAX] = str(int(rng.integers(1, 9)))
        if number % 5 == 2:
            row[s.INJURED_MIN] = row[s.INJURED_MAX] = str(int(rng.integers(0, 30)))
        rows.append(row)
    rows[17][s.ACTOR1] = HOSTILE
    rows[18][s.DATE_START] = rows[19][s.DATE_START]  # a tie for the table's order
    return rows


def synthetic_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The loaded events (sources attached) and their sources table."""
    loaded = validate_events(pd.DataFrame(synthetic_rows(), dtype=object), source="contract")
    assert [str(p) for p in loaded.problems] == []
    more = pd.DataFrame(
        {
            s.EVENT_ID: ["ev-0001", "ev-0001", "ev-0002", "ev-0010"],
            s.SOURCE_NAME: ["Second report", "Third report", "Another", "Later count"],
            s.KILLED_MIN: pd.array([50, None, 2, 1], dtype="Int64"),
            s.KILLED_MAX: pd.array([60, None, None, 1], dtype="Int64"),
        }
    )
    sources = pd.concat([src.empty_sources(), more], ignore_index=True)
    for column in s.SOURCE_COLUMNS:
        if sources[column].dtype == object:
            sources[column] = sources[column].fillna("").astype(str)
    return src.attach_sources(loaded.events, sources), sources


FILTERS = [
    EventFilter(),
    EventFilter(date_from=dt.date(2022, 3, 1), date_to=dt.date(2022, 9, 30)),
    EventFilter(killed=(10, None)),
    EventFilter(killed=(0, 5), include_unknown_casualties=False),
    EventFilter(injured=(1, 20)),
    EventFilter(event_types=frozenset({TYPES[0]})),
    EventFilter(event_types=frozenset()),
    EventFilter(actors=frozenset({HOSTILE, ACTORS[1]})),
    EventFilter(exact_only=True),
    EventFilter(confidence=frozenset({"single source", "", "coder's own grade"})),
]
VIEWS = [None, (30.0, 20.0, 50.0, 80.0), (35.0, 380.0, 45.0, 420.0), (30.0, 150.0, 50.0, 230.0)]


def check_table(engine, reference: PandasQueries) -> None:
    """The whole-table answers."""
    assert engine.total() == reference.total()
    assert engine.date_span() == reference.date_span()
    assert engine.lists() == reference.lists()


def check_filter(engine, reference: PandasQueries, event_filter: EventFilter) -> None:
    """Every filtered answer for one filter."""
    assert engine.counts(event_filter) == reference.counts(event_filter)
    for period in PERIODS:
        ours = engine.period_counts(event_filter, period)
        assert_frame_equal(ours, reference.period_counts(event_filter, period))
    np.testing.assert_array_equal(
        engine.event_days(event_filter), reference.event_days(event_filter)
    )
    assert engine.extent(event_filter) == reference.extent(event_filter)
    assert _ids(engine.unplaced(event_filter, 5)) == _ids(reference.unplaced(event_filter, 5))
    ours, theirs = engine.summary(event_filter, 4), reference.summary(event_filter, 4)
    assert ours.totals == theirs.totals
    assert_frame_equal(ours.by_month, theirs.by_month, check_index_type=False)
    assert_frame_equal(ours.by_place, theirs.by_place)
    for bounds in VIEWS:
        assert engine.count(event_filter, bounds) == reference.count(event_filter, bounds)
        assert engine.count(event_filter, bounds, up_to=3) == reference.count(
            event_filter, bounds, up_to=3
        )
        points = engine.map_points(event_filter, bounds, 50)
        assert list(points.columns) == list(POINT_COLUMNS)
        assert_frame_equal(points, reference.map_points(event_filter, bounds, 50))
        ours, theirs = (
            engine.cells(event_filter, bounds, 0.02),
            reference.cells(event_filter, bounds, 0.02),
        )
        assert list(ours.columns) == list(theirs.columns)
        assert list(ours.columns) == list(CELL_COLUMNS)
        assert_frame_equal(ours, theirs, check_dtype=False)


def check_pages(engine, reference: PandasQueries, event_filter: EventFilter) -> None:
    """The events table in every order, both directions, with and without a view."""
    for order in ORDERS:
        for descending in (False, True):
            for bounds in (None, VIEWS[1]):
                for offset in (0, 7):
                    args = (event_filter, bounds, order, descending, offset, 9)
                    assert _ids(engine.page(*args)) == _ids(reference.page(*args)), args


def check_rows(engine, reference: PandasQueries, ids: list[str]) -> None:
    """The panel's lookups: whole rows by id and an event's sources."""
    ours, theirs = engine.events_by_id(ids), reference.events_by_id(ids)
    assert_frame_equal(ours[list(theirs.columns)], theirs, check_dtype=False)
    for column in theirs.columns:
        assert str(ours[column].dtype) == str(theirs[column].dtype), column
    for event_id in ids:
        assert_frame_equal(engine.sources_of(event_id), reference.sources_of(event_id))


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame[s.EVENT_ID].tolist()


# --- the map's crowded places: one table, the same features from every engine ---------------

# Spots of many events (a town centre a geocoder gives for every event there), clusters of a
# few kilometres and of a few metres, a scatter over a region, and events either side of the
# date line: every way the map's grid draws a place (one by one, fanned, spiral, counted).
CROWDED_SPOTS = [((36.2, 37.16), 64), ((33.5138, 36.2765), 30), ((15.35, 44.21), 9)]
CROWDED_CLUSTERS = [
    ((48.0, 37.8), 0.05, 45),
    ((31.5, 34.45), 0.0004, 16),
    ((50.45, 30.52), 0.3, 80),
]


def crowded_rows(seed: int = 11) -> list[dict[str, str]]:
    """Rows of cells as a coder writes them, crowded as real conflict data is."""
    rng = np.random.default_rng(seed)
    places: list[tuple[float, float]] = []
    for (lat, lng), count in CROWDED_SPOTS:
        places += [(lat, lng)] * count
    for (lat, lng), spread, count in CROWDED_CLUSTERS:
        places += [
            (lat + rng.uniform(-spread, spread), lng + rng.uniform(-spread, spread))
            for _ in range(count)
        ]
    places += [(rng.uniform(25, 55), rng.uniform(20, 60)) for _ in range(260)]
    places += [
        (rng.uniform(-20, -10), rng.choice([-1, 1]) * rng.uniform(179, 180)) for _ in range(30)
    ]
    order = rng.permutation(len(places))  # the table's order mixes places, as a file does
    rows = []
    for number, index in enumerate(order.tolist()):
        lat, lng = places[index]
        row = {
            s.EVENT_ID: f"cr-{number:04d}",
            s.DATE_START: (dt.date(2022, 1, 1) + dt.timedelta(days=number % 300)).isoformat(),
            s.EVENT_TYPE: TYPES[number % 3],
            s.LATITUDE: f"{lat:.5f}",
            s.LONGITUDE: f"{lng:.5f}",
            s.GEO_PRECISION: str(1 + number % 3),
            s.LOCATION: PLACES[number % len(PLACES)][0],
        }
        if number % 4:
            row[s.KILLED_MIN] = str(int(rng.integers(0, 60)))
        if number % 10 == 7:
            row[s.KILLED_MAX] = str(int(rng.integers(60, 90)))
        if number % 17 == 0:
            del row[s.LATITUDE], row[s.LONGITUDE]
        rows.append(row)
    return rows


def crowded_table() -> pd.DataFrame:
    """The loaded crowded events (no sources table)."""
    loaded = validate_events(pd.DataFrame(crowded_rows(), dtype=object), source="crowded")
    assert [str(p) for p in loaded.problems] == []
    return src.attach_sources(loaded.events, src.empty_sources())


# (south, west, north, east, zoom): the world, a region, a town, metres, world copies, deepest.
MAP_VIEWS = [
    (None, 2),
    ((20.0, 15.0, 58.0, 65.0), 4),
    ((35.9, 36.8, 36.5, 37.5), 9),
    ((31.49, 34.44, 31.51, 34.46), 16),
    ((-25.0, 170.0, -5.0, 190.0), 5),
    ((47.9, 37.7, 48.1, 37.9), 18),
]
# No filter, one the database's ready counts answer, one they cannot (read raw).
MAP_FILTERS = [
    EventFilter(),
    EventFilter(event_types=frozenset({TYPES[0], TYPES[1]})),
    EventFilter(killed=(1, None)),
]


def check_cell_questions(engine, reference: PandasQueries, event_filter: EventFilter) -> None:
    """The grid's questions beyond ``cells``: a list of squares' events, and their crowded
    parts, answered as the pandas table answers them."""
    for view, zoom in MAP_VIEWS:
        cell = 64 / (256 * 2.0**zoom)
        keys = _square_keys(reference, event_filter, view, cell)
        for chosen in (keys, keys[::3], []):
            assert_frame_equal(
                engine.cell_points(event_filter, view, cell, chosen, 10_000),
                reference.cell_points(event_filter, view, cell, chosen, 10_000),
            )
        # Asked again after the cells, as the map asks (an engine may answer from what it
        # learnt counting them), and cut short: the first events in the table's order.
        engine.cells(event_filter, view, cell)
        small = _small_keys(reference, event_filter, view, cell)
        for chosen, limit in ((keys, 10_000), (small, 10_000), (small, 7), (small[1::2], 3)):
            assert_frame_equal(
                engine.cell_points(event_filter, view, cell, chosen, limit),
                reference.cell_points(event_filter, view, cell, chosen, limit),
            )
        # Each square asked to its own depth: one, two or four halvings; and (as the map asks
        # most often) three at most.
        finest = [cell / 2 ** (1, 2, 4)[i % 3] for i in range(len(keys))]
        shallow = [cell / 2 ** (3, 1, 2)[i % 3] for i in range(len(keys))]
        for depths, least in ((finest, 0), (finest, 5), (shallow, 0), (shallow, 12)):
            ours = engine.crowded_parts(event_filter, view, cell, keys, depths, least)
            theirs = reference.crowded_parts(event_filter, view, cell, keys, depths, least)
            assert list(ours.columns) == list(theirs.columns) == list(PART_COLUMNS)
            assert_frame_equal(ours, theirs, check_dtype=False)
        assert len(reference.cells(event_filter, view, cell)) == len(keys)


def _small_keys(reference, event_filter, view, cell) -> list[tuple[int, int]]:
    """The squares of a few events (those the map draws one by one), by key."""
    placed = reference.map_points(event_filter, view, 1_000_000)
    lat = placed[s.LATITUDE].to_numpy(dtype="float64")
    lng = placed[s.LONGITUDE].to_numpy(dtype="float64")
    keys, count = np.unique(keys_of(lat, lng, cell), axis=0, return_counts=True)
    return [(int(a), int(b)) for a, b in keys[count <= 12]]


def _square_keys(reference, event_filter, view, cell) -> list[tuple[int, int]]:
    placed = reference.map_points(event_filter, view, 1_000_000)
    lat = placed[s.LATITUDE].to_numpy(dtype="float64")
    lng = placed[s.LONGITUDE].to_numpy(dtype="float64")
    keys = keys_of(lat, lng, cell)
    return sorted({(int(a), int(b)) for a, b in keys})


# How the embedded engine's tests open it: every question read from the Parquet file, or the
# filters' columns mapped from the file a first engine kept beside it (as a server restarted
# over a built cache holds them; their read from Parquet is checked in test_hot_columns).
ENGINE_WAYS = {"from the file": "never", "held in memory": "mapped"}


def columnar_engine(path, way: str, **options):
    """The embedded engine over ``path``, its hot columns held ``way`` (see ENGINE_WAYS)."""
    from components.storage.duckdb_engine import ColumnarEvents

    if way != "mapped":
        return ColumnarEvents(path, columns_in_memory=way, **options)
    ColumnarEvents(path, columns_in_memory="now", **options).close()  # reads them, keeps them
    engine = ColumnarEvents(path, columns_in_memory="now", **options)
    assert engine._hold.mapped
    return engine


def same_engine_answers(engine, reference) -> None:
    """Every question the hot columns answer, asked of two embedded engines over one file."""
    assert engine.total() == reference.total()
    narrow = EventFilter(
        killed=(1, None),
        event_types=frozenset(TYPES[:1]),
        actors=frozenset(ACTORS[:2]),
        confidence=frozenset(["", "disputed"]),
    )
    window = EventFilter(date_from=dt.date(2020, 1, 1), date_to=dt.date(2030, 1, 1))
    for event_filter in (None, window, narrow):
        assert engine.counts(event_filter) == reference.counts(event_filter)
        assert engine.extent(event_filter) == reference.extent(event_filter)
        assert (engine.event_days(event_filter) == reference.event_days(event_filter)).all()
        assert_frame_equal(
            engine.period_counts(event_filter, "M"), reference.period_counts(event_filter, "M")
        )
        for order in ("date_start", "killed", s.LOCATION, s.EVENT_TYPE):
            for descending in (True, False):
                assert_frame_equal(
                    engine.page(event_filter, None, order, descending, 2, 9),
                    reference.page(event_filter, None, order, descending, 2, 9),
                )
        assert_frame_equal(engine.unplaced(event_filter, 20), reference.unplaced(event_filter, 20))
        for cell in (1 / 64, 4.0):
            assert_frame_equal(
                engine.cells(event_filter, None, cell), reference.cells(event_filter, None, cell)
            )
