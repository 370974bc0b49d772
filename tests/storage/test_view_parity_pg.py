"""One map in the team-database mode too: PostgreSQL's view of the crowded synthetic table sends
the features the loaded table's map draws (tests/storage/test_view_parity.py for DuckDB)."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from psycopg import sql

from components.storage import transfer
from components.storage.pandas_queries import PandasQueries
from components.storage.postgres import PostgresStore
from components.table import schema as s
from components.view.filters import EventFilter
from tests.storage import queries_contract as contract
from tests.storage.conftest import _admin, _with_database
from tests.storage.test_view_parity import assert_same, from_engine, in_memory


@pytest.fixture(scope="module")
def store(server_url, template_db, tmp_path_factory):
    name = f"strikemap_parity_{uuid.uuid4().hex[:8]}"
    _admin(server_url, sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template_db)))  # fmt: skip
    folder = tmp_path_factory.mktemp("parity")
    rows = pd.DataFrame(contract.crowded_rows(), dtype=object)
    rows = rows.reindex(columns=list(s.CANONICAL_COLUMNS)).astype(object).fillna("")
    rows.to_csv(folder / "events.csv", index=False)
    opened = PostgresStore(_with_database(server_url, name))
    report = transfer.load_files(opened, folder / "events.csv")
    assert report.events == len(rows) and not report.problems
    yield opened
    opened.close()
    _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)))  # fmt: skip


@pytest.fixture(scope="module")
def engine(store):
    return store.queries()


@pytest.fixture(scope="module")
def events(store) -> pd.DataFrame:
    """The table as the database holds it (placed as the database placed it)."""
    return store.load().events.events


@pytest.mark.parametrize("event_filter", contract.MAP_FILTERS, ids=EventFilter.describe)
@pytest.mark.parametrize(("view", "zoom"), contract.MAP_VIEWS, ids=str)
def test_the_database_draws_every_view_as_the_loaded_table_does(
    events, engine, event_filter, view, zoom
):
    ours, in_view = from_engine(engine, events, event_filter, view, zoom)
    theirs, expected = in_memory(events, event_filter, view, zoom)
    assert in_view == expected
    assert_same(ours, theirs)


def test_with_too_many_to_draw_the_same_groups_are_counted(events, engine):
    for view, zoom in contract.MAP_VIEWS[:3]:
        ours, _ = from_engine(engine, events, EventFilter(), view, zoom, 40)
        theirs, _ = in_memory(events, EventFilter(), view, zoom, 40)
        assert_same(ours, theirs)


@pytest.mark.parametrize("event_filter", contract.MAP_FILTERS, ids=EventFilter.describe)
def test_the_database_answers_the_grids_questions_as_the_loaded_table(events, engine, event_filter):
    contract.check_cell_questions(engine, PandasQueries(events), event_filter)


def test_coarse_parts_come_from_the_ready_counts_and_fine_ones_from_the_asked_squares(store):
    """At the world view, the parts down to zoom 6 are read from the ready grid counts and
    only the finer ones from the raw events, inside the asked squares."""
    from components.storage.cells_read import read_parts

    texts: list[str] = []

    def run(query):
        with store.transaction() as conn:
            texts.append(query.text.as_string(conn))
            return conn.execute(query.text, query.params).fetchall()

    cell = 64 / (256 * 2.0**2)
    keys = [(9, 6), (9, 5), (10, 6)]  # the squares of the table's spots and clusters
    finest = [64 / (256 * 2.0**9)] * 3
    parts = read_parts(run, EventFilter(), None, cell, keys, finest, 12)
    assert sum("event_cells" in t for t in texts) == 4  # zooms 3, 4, 5 and 6
    assert sum("ST_MakeEnvelope(asked.west" in t for t in texts) == 1  # zooms 7 to 9 at once
    assert set(parts["part"]) <= {cell / 2**i for i in range(1, 8)}
    assert parts["part"].min() < cell / 2**4  # the town spots stay crowded past zoom 6
