"""The page tells the user how many places were learned from which files (headless AppTest)."""

from __future__ import annotations

import sys

import pandas as pd
from streamlit.testing.v1 import AppTest

from components.geo.gazetteer import CACHE_DIR_ENV
from components.geo.learned import learned_places
from components.table.schema import COUNTRY, EVENT_ID, GEO_PRECISION, LATITUDE, LOCATION, LONGITUDE
from tests.dashboard import PROJECT_ROOT, SHIPPED_EVENTS


def _sidebar_html(at: AppTest) -> str:
    return "\n".join(element.proto.body for element in at.sidebar.get("html"))


def test_the_sidebar_says_what_was_learned_from_which_file(tmp_path, gazetteer_dir, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    store = learned_places(cache, create=True)
    try:
        rows = pd.DataFrame(
            {EVENT_ID: ["s1", "s2"], LOCATION: ["Tall Ikhtibar", "Kafr Tajriba"],
             COUNTRY: ["Syria", "Syria"], LATITUDE: [36.0, 35.8], LONGITUDE: [37.0, 36.6],
             GEO_PRECISION: [1, 1]}
        )  # fmt: skip
        # A file name is the user's text: shown literally, never as markup.
        assert store.learn(rows, "<b>ged</b>.csv") == 2
    finally:
        store.close()
    monkeypatch.setattr(sys, "argv", ["app.py", "--events", str(SHIPPED_EVENTS)])
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    body = _sidebar_html(at)
    assert "Places learned from your files: 2 (2 from &lt;b&gt;ged&lt;/b&gt;.csv)" in body


def test_nothing_learned_says_nothing(tmp_path, gazetteer_dir, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    for index_file in gazetteer_dir.glob("gazetteer-*"):
        (cache / index_file.name).symlink_to(index_file)
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    monkeypatch.setattr(sys, "argv", ["app.py", "--events", str(SHIPPED_EVENTS)])
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "Places learned" not in _sidebar_html(at)
