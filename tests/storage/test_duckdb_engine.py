"""The embedded columnar engine (components/storage/duckdb_engine.py) agrees with the pandas
filters on every kind of filter, and keeps chosen values out of the SQL text."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from components.map.cell_source import keys_of
from components.storage.duckdb_engine import ColumnarEvents, filter_sql, write_parquet
from components.storage.pandas_queries import PandasQueries
from components.storage.view import MAX_CELLS, grid_cells
from components.table import schema as s
from components.table.events import validate_events
from components.view.filters import EventFilter, count_events, filter_events
from tests.storage import queries_contract as contract
from tests.view.test_filters import EVENT_ROWS, SAMPLE_FILTERS

HOSTILE_ACTOR = "Robert'); DROP TABLE events; --"


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    rows = [*EVENT_ROWS, {**EVENT_ROWS[0], s.EVENT_ID: "hostile", s.ACTOR1: HOSTILE_ACTOR}]
    loaded = validate_events(pd.DataFrame(rows, dtype=object), source="test events")
    assert [str(p) for p in loaded.problems] == []
    return loaded.events


@pytest.fixture(
    scope="module", params=list(contract.ENGINE_WAYS.values()), ids=list(contract.ENGINE_WAYS)
)
def engine(events, tmp_path_factory, request) -> ColumnarEvents:
    path = tmp_path_factory.mktemp("engine") / "events.parquet"
    # Two batches, as a large table is written.
    write_parquet([events.iloc[:3], events.iloc[3:]], path)
    engine = contract.columnar_engine(path, request.param)
    yield engine
    engine.close()


@pytest.mark.parametrize("event_filter", SAMPLE_FILTERS, ids=EventFilter.describe)
def test_the_engine_counts_what_the_pandas_filter_keeps(events, engine, event_filter):
    assert engine.counts(event_filter) == count_events(events, filter_events(events, event_filter))


@pytest.mark.parametrize("event_filter", SAMPLE_FILTERS, ids=EventFilter.describe)
def test_the_engine_returns_the_placed_events_the_pandas_filter_keeps(events, engine, event_filter):
    kept = filter_events(events, event_filter)
    placed = kept[kept[s.LATITUDE].notna() & kept[s.LONGITUDE].notna()]

    rows = engine.map_points(event_filter, None, limit=1000)

    assert rows["event_id"].tolist() == placed[s.EVENT_ID].tolist()


def test_a_chosen_value_is_bound_never_written_into_the_sql(engine):
    chosen = EventFilter(actors=frozenset({HOSTILE_ACTOR}))

    text, params = filter_sql(chosen)

    assert HOSTILE_ACTOR not in text
    assert [HOSTILE_ACTOR] in params
    assert engine.counts(chosen).shown == 1
    assert (
        engine.counts(EventFilter()).shown + engine.counts(EventFilter()).not_on_map
        == len(EVENT_ROWS) + 1
    ), "the table is still there"


def test_grid_cells_hold_every_event_in_view_once(events, engine):
    bounds = (30.0, 35.0, 40.0, 45.0)
    in_view = engine.count(EventFilter(), bounds)

    cells, _ = grid_cells(engine, EventFilter(), bounds, zoom=2)

    assert 0 < in_view == int(cells["events"].sum())
    assert (cells["south"] <= cells["latitude"]).all()
    assert (cells["latitude"] <= cells["north"]).all()
    # A killed total counts the lowest reported figure of each event, unknown ones apart.
    placed = events[events[s.LATITUDE].between(30, 40) & events[s.LONGITUDE].between(35, 45)]
    lowest = placed[s.KILLED_MIN].astype("float64").fillna(placed[s.KILLED_MAX].astype("float64"))
    assert int(cells["killed"].sum()) == int(lowest.fillna(0).sum())
    assert int(cells["unknown"].sum()) == int(lowest.isna().sum())


def test_cells_grow_until_few_enough(engine):
    fine, fine_cell = grid_cells(engine, EventFilter(), None, zoom=12)
    coarse, coarse_cell = grid_cells(engine, EventFilter(), None, zoom=12, max_cells=1)

    assert 1 < len(fine) <= MAX_CELLS
    assert len(coarse) == 1 and coarse_cell > fine_cell


def test_bounds_past_the_date_line_wrap_round(engine):
    # Leaflet reports a view two world copies east as longitudes 360° higher.
    assert engine.count(EventFilter(), (30.0, 395.0, 40.0, 405.0)) == engine.count(
        EventFilter(), (30.0, 35.0, 40.0, 45.0)
    )


def test_the_events_of_small_cells_are_read_by_number_after_the_cells(events, engine, monkeypatch):
    """After counting the cells, the events of the cells drawn one by one are known by row
    number: asking for them makes no second pass over the filtered rows."""
    cell = 64 / (256 * 2.0**6)
    keys = sorted(
        {tuple(k) for k in keys_of(*_placed_points(engine), cell).tolist()}  # every square
    )
    engine.cells(EventFilter(), None, cell)

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the squares' events were looked for again")

    monkeypatch.setattr(engine, "_in_squares", no_second_pass)
    points = engine.cell_points(EventFilter(), None, cell, keys, 5)

    assert_frame_equal(
        points, PandasQueries(events).cell_points(EventFilter(), None, cell, keys, 5)
    )
    assert len(points) == 5


def test_crowded_parts_a_few_halvings_deep_come_from_the_cells_pass(events, engine, monkeypatch):
    """The cells' pass groups the rows finer than the cells: the crowded parts to that depth
    need no second pass; deeper ones are still counted from the rows."""
    cell = 64 / (256 * 2.0**3)
    keys = sorted({tuple(k) for k in keys_of(*_placed_points(engine), cell).tolist()})
    reference = PandasQueries(events)
    deep = [cell / 16] * len(keys)
    expected_deep = reference.crowded_parts(EventFilter(), None, cell, keys, deep, 0)
    engine.cells(EventFilter(), None, cell)
    assert_frame_equal(
        engine.crowded_parts(EventFilter(), None, cell, keys, deep, 0),
        expected_deep,
        check_dtype=False,
    )

    def no_second_pass(*args, **kwargs):
        raise AssertionError("the rows were grouped again")

    monkeypatch.setattr(engine, "_frame", no_second_pass)
    for depth in (1, 2, 3):
        finest = [cell / 2**depth] * len(keys)
        ours = engine.crowded_parts(EventFilter(), None, cell, keys, finest, 0)
        theirs = reference.crowded_parts(EventFilter(), None, cell, keys, finest, 0)
        assert len(theirs) > len(keys) / 2
        assert_frame_equal(ours, theirs, check_dtype=False)


def _placed_points(engine) -> tuple:
    placed = engine.map_points(EventFilter(), None, 1_000)
    return (
        placed[s.LATITUDE].to_numpy(dtype="float64"),
        placed[s.LONGITUDE].to_numpy(dtype="float64"),
    )
