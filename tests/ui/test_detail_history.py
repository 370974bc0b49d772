"""The event panel shows the event's history from the team database (who, when, what, newest
first, paged); in the file mode it says nothing of a history. Against a real PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from components import storage
from components.storage.postgres import PostgresStore
from components.ui.detail_panel import HISTORY_PAGE, history_rows
from tests.payloads import PAYLOADS
from tests.storage.conftest import database_url, server_url, template_db  # noqa: F401
from tests.storage.test_store import event, frame


def _panel(selected: str) -> AppTest:
    def script(chosen: str) -> None:
        from components import storage
        from components.ui import detail_panel

        contents = storage.open_store().load()
        events = contents.events.events
        detail_panel.detail_panel(events, events, contents.sources.sources, chosen)

    return AppTest.from_function(script, args=(selected,), default_timeout=60)


def _history_texts(app: AppTest) -> list[str]:
    expanders = [e for e in app.expander if e.label.startswith("History of this event")]
    assert len(expanders) == 1, [e.label for e in app.expander]
    return [block.proto.body for block in expanders[0].get("html")]


@pytest.fixture
def shared(database_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv(storage.DATABASE_URL_ENV, database_url)
    store = PostgresStore(database_url)
    yield store
    store.close()


def test_the_panel_shows_who_changed_the_event_newest_first(shared):
    shared.append_events(frame(event("a"), event("b")), who="Amal")
    shared.merge_duplicates("a", ["b"], who="Chen")

    app = _panel("a").run()

    assert not app.exception
    texts = _history_texts(app)
    assert len(texts) == 2
    assert "Chen" in texts[0] and "merged" in texts[0] and "events b" in texts[0]
    assert "Amal" in texts[1] and "added" in texts[1] and "Air/drone strike" in texts[1]


def test_a_long_history_is_paged(shared):
    # One save for every event (each save places its events and recounts the map's cells): the
    # history of "a" is its own save and the merges into it.
    duplicates = [f"dup{n}" for n in range(HISTORY_PAGE + 2)]
    shared.append_events(frame(event("a"), *map(event, duplicates)), who="Amal")
    for n, duplicate in enumerate(duplicates):
        shared.merge_duplicates("a", [duplicate], who=f"Analyst {n}")

    app = _panel("a").run()
    assert len(_history_texts(app)) == HISTORY_PAGE
    assert f"Analyst {HISTORY_PAGE + 1}" in _history_texts(app)[0], "newest first"
    more = [b for b in app.button if b.label.startswith("Show 3 older changes")]
    assert more, [b.label for b in app.button]
    more[0].click().run()
    assert len(_history_texts(app)) == HISTORY_PAGE + 3


def test_hostile_names_in_the_history_are_shown_as_text(shared):
    payload = next(p for p in PAYLOADS if "<script" in p.lower())
    shared.append_events(frame(event("a", location=payload)), who=payload)

    app = _panel("a").run()

    texts = _history_texts(app)
    assert "<script" not in " ".join(texts).lower()
    assert "&lt;script" in " ".join(texts).lower()


def test_the_file_mode_says_nothing_of_a_history(monkeypatch, tmp_path):
    monkeypatch.delenv(storage.DATABASE_URL_ENV, raising=False)
    path = tmp_path / "events.csv"
    frame(event("a")).to_csv(path, index=False)

    def script(events_path: str) -> None:
        from components import storage
        from components.ui import detail_panel

        contents = storage.open_store(events_path).load()
        events = contents.events.events
        detail_panel.detail_panel(events, events, contents.sources.sources, "a")

    app = AppTest.from_function(script, args=(str(path),), default_timeout=60).run()

    assert not app.exception
    assert app.expander, "the panel is drawn"
    assert not [e for e in app.expander if e.label.startswith("History")]


def test_a_change_reads_in_words():
    change = storage.Change(
        dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC), "Bram", "placed by hand", "Qaryat at 1, 2"
    )
    assert history_rows(change) == [
        ("When", "2026-01-02 03:04 UTC"),
        ("Who", "Bram"),
        ("What", "placed by hand"),
        ("Details", "Qaryat at 1, 2"),
    ]
