"""The PostgreSQL engine keeps the EventQueries contract: on the contract's synthetic table,
loaded into a real database, it answers every question as the pandas page does on the table
the database holds (tests/storage/queries_contract.py, as the DuckDB engine's tests do)."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from psycopg import sql

from components.storage import transfer
from components.storage.pandas_queries import PandasQueries
from components.storage.pg_queries import PostgresQueries
from components.storage.postgres import PostgresStore
from components.storage.queries import EventQueries
from components.table import schema as s
from components.view.filters import EventFilter
from tests.payloads import PAYLOADS
from tests.storage import queries_contract as contract
from tests.storage.conftest import _admin, _with_database


@pytest.fixture(scope="module")
def store(server_url, template_db, tmp_path_factory):
    name = f"strikemap_contract_{uuid.uuid4().hex[:8]}"
    _admin(server_url, sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(name), sql.Identifier(template_db)))  # fmt: skip
    folder = tmp_path_factory.mktemp("contract")
    events = pd.DataFrame(contract.synthetic_rows(), dtype=object)
    events = events.reindex(columns=list(s.CANONICAL_COLUMNS)).astype(object).fillna("")
    events.to_csv(folder / "events.csv", index=False)
    (folder / "sources.csv").write_text(
        "event_id,source_name,killed_min,killed_max\n"
        "ev-0001,Second report,50,60\nev-0001,Third report,,\nev-0002,Another,2,\n"
        "ev-0010,Later count,1,1\n",
        encoding="utf-8",
    )
    opened = PostgresStore(_with_database(server_url, name))
    report = transfer.load_files(opened, folder / "events.csv")
    assert report.events == len(events) and not report.problems
    yield opened
    opened.close()
    _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)))  # fmt: skip


@pytest.fixture(scope="module")
def engine(store) -> PostgresQueries:
    return store.queries()


@pytest.fixture(scope="module")
def reference(store) -> PandasQueries:
    """The pandas page over the table the database holds (placed as the database placed it)."""
    contents = store.load()
    return PandasQueries(contents.events.events, contents.sources.sources)


def test_it_is_an_event_queries(engine):
    assert isinstance(engine, EventQueries)


def test_the_whole_table_answers_agree(engine, reference):
    contract.check_table(engine, reference)


@pytest.mark.parametrize("event_filter", contract.FILTERS, ids=EventFilter.describe)
def test_every_filtered_answer_agrees(engine, reference, event_filter):
    contract.check_filter(engine, reference, event_filter)


@pytest.mark.parametrize("event_filter", contract.FILTERS[:3], ids=EventFilter.describe)
def test_table_pages_agree_in_every_order(engine, reference, event_filter):
    contract.check_pages(engine, reference, event_filter)


def test_rows_by_id_carry_every_column_and_their_sources(engine, reference):
    contract.check_rows(engine, reference, ["ev-0001", "ev-0009", "ev-0010", "ev-0017"])
    assert engine.events_by_id(["no-such-event"]).empty


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_hostile_values_are_bound_in_every_question(engine, payload):
    chosen = EventFilter(
        actors=frozenset({payload}),
        event_types=frozenset({payload, contract.HOSTILE}),
        confidence=frozenset({payload}),
    )
    assert engine.counts(chosen).shown == 0
    assert engine.page(chosen, None, s.LOCATION, False, 0, 5).empty
    assert engine.summary(chosen).totals.events == 0
    assert engine.events_by_id([payload]).empty
    assert engine.total() == len(contract.synthetic_rows()), "the table is still there"


def test_the_hostile_actor_is_found_as_a_value(engine):
    chosen = EventFilter(actors=frozenset({contract.HOSTILE}))
    counts = engine.counts(chosen)
    assert counts.shown + counts.not_on_map == 1


def test_an_unknown_period_or_order_is_refused(engine):
    with pytest.raises(ValueError, match="period"):
        engine.period_counts(None, "fortnight")
    with pytest.raises(ValueError, match="order"):
        engine.page(None, None, "killed; DROP TABLE events", False, 0, 10)


def test_a_save_is_seen_by_the_next_question(store, engine):
    before = engine.total()
    version = engine.version()
    row = contract.synthetic_rows()[5] | {s.EVENT_ID: "ev-late"}
    frame = pd.DataFrame([row], dtype=object).reindex(columns=list(s.CANONICAL_COLUMNS))
    store.append_events(frame.astype(object).fillna(""))
    assert engine.version() != version
    assert engine.total() == before + 1
    assert list(engine.events_by_id(["ev-late"])[s.EVENT_ID]) == ["ev-late"]
