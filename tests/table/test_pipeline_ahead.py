"""The server builds a large file's query cache as it starts (components.ui.serve), with the
key the page asks: the page's own load then finds it built and does not read the file again;
a small file, or a database, is left to the page."""

from __future__ import annotations

import pytest

from components.table import cache as event_cache
from components.table import pipeline
from components.table import sources as src
from components.ui import serve
from tests.table.test_columnar_load import ROWS


def refuse(*_args, **_kwargs):
    raise AssertionError("the file was read again")


def test_a_large_file_is_built_ahead_with_the_key_the_page_asks(write_events, monkeypatch):
    path = write_events(ROWS)
    monkeypatch.setattr(pipeline, "QUERY_ROWS", 5)

    serve._build_ahead(path, path.with_name("places.csv"))

    parquet, _, _ = event_cache.columnar_paths(path)
    assert parquet.exists()
    monkeypatch.setattr(pipeline, "event_batches", refuse)
    # As the page's load asks (components.ui.dashboard._load_query).
    page = pipeline.load_columnar(path, path.with_name("places.csv"), src.empty_sources())
    assert page.parquet == parquet


@pytest.mark.parametrize("why", ["small file", "database"])
def test_a_small_file_or_a_database_is_left_to_the_page(write_events, monkeypatch, why):
    path = write_events(ROWS)
    if why == "database":
        monkeypatch.setattr(pipeline, "QUERY_ROWS", 5)
        monkeypatch.setenv("STRIKEMAP_DATABASE_URL", "postgresql://nowhere.invalid/none")
    built = []
    monkeypatch.setattr(pipeline, "load_columnar", lambda *args, **_: built.append(args))

    serve._build_ahead(path, path.with_name("places.csv"))

    assert built == []
