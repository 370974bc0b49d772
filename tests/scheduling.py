"""How `make test` hands the tests to pytest-xdist's workers (hooks in tests/conftest.py).

Every test goes to whichever worker is free, except that a module whose tests share a costly
set-up runs whole on one worker, so that the set-up is paid once: a browser module (its
dashboard) and a module that defines a module-scoped fixture. (xdist's own --dist loadgroup
marks do not group under pytest 9, whose node ids xdist cannot rename.)

The longest units go first, so that no long unit starts near the end while the other workers
sit idle: a unit's cost is the sum of its tests' durations in the last run (pytest's cache),
or an estimate for tests not seen yet (a fresh clone): a browser test costs far more than
any other.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from xdist.scheduler import LoadScopeScheduling

BROWSER_TESTS = "tests/browser/"
MODULE_FIXTURE = re.compile(r"""@pytest\.fixture\(\s*scope=["']module["']""")
DURATIONS_KEY = "strikemap/durations"
# Seconds, for tests without a duration from the last run: a browser test opens pages in
# Chromium on a dashboard its module starts; most other tests take a fraction of a second.
BROWSER_TEST_S = 6.0
OTHER_TEST_S = 0.3


class SharedSetUps(LoadScopeScheduling):
    """A module with a shared set-up is one unit of work, any other test a unit of its own;
    the costliest units are handed out first."""

    def __init__(self, config: pytest.Config, log, known: Mapping[str, float]) -> None:
        super().__init__(config, log)
        self._known = known
        self._ordered = False

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return module if shares_a_set_up(self.config.rootpath, module) else nodeid

    def _assign_work_unit(self, node) -> None:
        if not self._ordered:  # once, when the queue is complete and nothing is handed out yet
            self._ordered = True
            units = sorted(self.workqueue.items(), key=lambda unit: -self._cost(unit[1]))
            self.workqueue.clear()
            self.workqueue.update(units)
        super()._assign_work_unit(node)

    def _cost(self, nodeids: Mapping[str, bool]) -> float:
        return sum(self._known.get(nodeid, estimate(nodeid)) for nodeid in nodeids)


def estimate(nodeid: str) -> float:
    return BROWSER_TEST_S if nodeid.startswith(BROWSER_TESTS) else OTHER_TEST_S


@functools.cache
def shares_a_set_up(root: Path, module: str) -> bool:
    if module.startswith(BROWSER_TESTS):
        return True
    path = root / module
    return path.suffix == ".py" and bool(MODULE_FIXTURE.search(path.read_text("utf-8")))


def known_durations(config: pytest.Config) -> dict[str, float]:
    """Each test's duration in the last run that recorded it (empty without pytest's cache)."""
    cache = getattr(config, "cache", None)
    return dict(cache.get(DURATIONS_KEY, {})) if cache is not None else {}


def record_durations(config: pytest.Config, durations: Mapping[str, float]) -> None:
    cache = getattr(config, "cache", None)
    if cache is not None and durations:
        cache.set(DURATIONS_KEY, {**known_durations(config), **durations})
