"""The map snapshot's limit is said beside its button, not only on hover (components/ui/data.py)."""

from __future__ import annotations

import sys

import pytest
from streamlit.testing.v1 import AppTest

from components.ui import data
from tests.dashboard import PROJECT_ROOT, SHIPPED_EVENTS

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture(autouse=True)
def keep_argv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", list(sys.argv))


def test_no_reason_is_given_while_the_snapshot_can_be_downloaded():
    assert data.snapshot_unavailable(data.SNAPSHOT_LIMIT) is None


def test_the_reason_names_the_limit_and_the_count_shown():
    reason = data.snapshot_unavailable(data.SNAPSHOT_LIMIT + 1)

    assert f"{data.SNAPSHOT_LIMIT:,}" in reason
    assert f"{data.SNAPSHOT_LIMIT + 1:,} are shown" in reason
    assert "Narrow the filters" in reason


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_the_page_writes_the_reason_beside_the_greyed_button(monkeypatch):
    # Two shipped events against a limit of one: the same path as 20,001 against 20,000.
    monkeypatch.setattr(data, "SNAPSHOT_LIMIT", 1)
    sys.argv = ["app.py", "--events", str(SHIPPED_EVENTS)]
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception

    assert data.snapshot_unavailable(2) in captions(at)


def test_the_page_gives_no_reason_when_the_snapshot_is_there():
    sys.argv = ["app.py", "--events", str(SHIPPED_EVENTS)]
    at = AppTest.from_file(APP, default_timeout=60).run()

    assert not [c for c in captions(at) if "map file holds at most" in c]
