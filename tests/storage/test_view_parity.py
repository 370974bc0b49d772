"""One map, whatever holds the table: the features a query engine's view sends (DuckDB over
Parquet, as a table of 200,000 rows or more is shown) are those the loaded table's map draws —
the same cells, events, fans, labels and landing zooms — on a crowded synthetic table."""

from __future__ import annotations

import pytest

from components.map import layer as ml
from components.map.bounds import Bounds
from components.storage.pandas_queries import PandasQueries
from components.storage.parquet_events import write_parquet
from components.storage.view import database_view
from components.table import schema as s
from components.view.filters import EventFilter, filter_events
from tests.storage import queries_contract as contract


@pytest.fixture(scope="module")
def events():
    return contract.crowded_table()


@pytest.fixture(
    scope="module", params=list(contract.ENGINE_WAYS.values()), ids=list(contract.ENGINE_WAYS)
)
def engine(events, tmp_path_factory, request):
    path = tmp_path_factory.mktemp("parity") / "events.parquet"
    write_parquet([events.iloc[:200], events.iloc[200:]], path)
    engine = contract.columnar_engine(path, request.param)
    yield engine
    engine.close()


def in_memory(events, event_filter, view, zoom, max_points=ml.MAX_POINTS):
    """The pandas page's features for a view."""
    colours = ml.colours_for(events[s.EVENT_TYPE], s.EVENT_TYPE)
    bounds = None if view is None else Bounds(*view)
    features, count, _ = ml.view_features(
        filter_events(events, event_filter),
        bounds=bounds,
        zoom=zoom,
        colours=colours,
        max_points=max_points,
    )
    return features, count


def from_engine(engine, events, event_filter, view, zoom, max_points=ml.MAX_POINTS):
    """Query mode's features for the same view."""
    colours = ml.colours_for(events[s.EVENT_TYPE], s.EVENT_TYPE)
    bounds = None if view is None else Bounds(*view)
    drawn = database_view(
        engine,
        event_filter,
        view,
        zoom,
        colours=colours,
        pixels=ml.screen_pixels(bounds, zoom),
        max_points=max_points,
    )
    return drawn.features, drawn.events_in_view


def assert_same(ours, theirs, where="features"):
    """Equal, numbers to 1e-6."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(theirs), where
        for key in theirs:
            assert_same(ours[key], theirs[key], f"{where}.{key}")
    elif isinstance(theirs, list | tuple):
        assert isinstance(ours, list | tuple) and len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    elif isinstance(theirs, float) and not isinstance(theirs, bool):
        assert ours == pytest.approx(theirs, abs=1e-6, nan_ok=True), where
    else:
        assert ours == theirs, where


@pytest.mark.parametrize("event_filter", contract.MAP_FILTERS, ids=EventFilter.describe)
@pytest.mark.parametrize(("view", "zoom"), contract.MAP_VIEWS, ids=str)
def test_query_mode_draws_every_view_as_the_loaded_table_does(
    events, engine, event_filter, view, zoom
):
    ours, in_view = from_engine(engine, events, event_filter, view, zoom)
    theirs, expected = in_memory(events, event_filter, view, zoom)
    assert in_view == expected
    assert_same(ours, theirs)


@pytest.mark.parametrize("max_points", [40, 150])
def test_with_too_many_to_draw_the_same_groups_are_counted(events, engine, max_points):
    for view, zoom in contract.MAP_VIEWS[:3]:
        ours, _ = from_engine(engine, events, EventFilter(), view, zoom, max_points)
        theirs, _ = in_memory(events, EventFilter(), view, zoom, max_points)
        assert_same(ours, theirs)


def test_the_views_compared_hold_every_way_a_place_is_drawn(events):
    """The table is crowded enough that the comparison covers counted cells landing deeper
    than one zoom in, a spot's spiral, fanned events and plain ones."""
    seen = {"counted": 0, "deep landing": 0, "spread": 0, "fanned": 0, "plain": 0}
    for view, zoom in contract.MAP_VIEWS:
        features, _ = in_memory(events, EventFilter(), view, zoom)
        for feature in features:
            properties = feature["properties"]
            if "count" in properties:
                seen["counted"] += 1
                seen["deep landing"] += properties["zoom"] > zoom + 2
            elif "spread" in properties:
                lng, lat = feature["geometry"]["coordinates"]
                at_spot = (properties["lat"], properties["lng"]) == (round(lat, 6), round(lng, 6))
                seen["spread" if at_spot else "fanned"] += 1
            else:
                seen["plain"] += 1
    assert all(seen.values()), seen


@pytest.mark.parametrize("event_filter", contract.MAP_FILTERS, ids=EventFilter.describe)
def test_the_engine_answers_the_grids_questions_as_the_loaded_table(events, engine, event_filter):
    contract.check_cell_questions(engine, PandasQueries(events), event_filter)
