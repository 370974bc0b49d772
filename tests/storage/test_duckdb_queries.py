"""The DuckDB engine keeps the EventQueries contract: on one synthetic table it answers every
question as the pandas page does (tests/storage/queries_contract.py)."""

from __future__ import annotations

import pytest

from components.storage.duckdb_engine import filter_sql
from components.storage.pandas_queries import PandasQueries
from components.storage.parquet_events import write_parquet
from components.storage.queries import EventQueries
from components.view.filters import EventFilter
from tests.storage import queries_contract as contract


@pytest.fixture(scope="module")
def table():
    return contract.synthetic_table()


@pytest.fixture(scope="module")
def reference(table) -> PandasQueries:
    events, sources = table
    return PandasQueries(events, sources)


@pytest.fixture(
    scope="module", params=list(contract.ENGINE_WAYS.values()), ids=list(contract.ENGINE_WAYS)
)
def engine(table, tmp_path_factory, request):
    events, sources = table
    path = tmp_path_factory.mktemp("engine") / "events.parquet"
    # Three batches, as a large table is written.
    assert write_parquet([events.iloc[:100], events.iloc[100:101], events.iloc[101:]], path) == len(
        events
    )
    engine = contract.columnar_engine(path, request.param, sources=sources)
    yield engine
    engine.close()


def test_both_are_event_queries(engine, reference):
    assert isinstance(engine, EventQueries)
    assert isinstance(reference, EventQueries)


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


def test_a_chosen_value_is_bound_never_written_into_the_sql(engine):
    chosen = EventFilter(actors=frozenset({contract.HOSTILE}))

    text, params = filter_sql(chosen)

    assert contract.HOSTILE not in text
    assert [contract.HOSTILE] in params
    assert engine.counts(chosen).shown + engine.counts(chosen).not_on_map == 1
    assert engine.total() == len(contract.synthetic_rows()), "the table is still there"


def test_an_unknown_period_or_order_is_refused(engine):
    with pytest.raises(ValueError, match="period"):
        engine.period_counts(None, "fortnight")
    with pytest.raises(ValueError, match="order"):
        engine.page(None, None, "killed; DROP TABLE events", False, 0, 10)
