"""Shared fixtures: the project's paths, event files written to disk, a separate cache, and the
browser tests' dashboard and page."""

from __future__ import annotations

import collections
import csv
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from components.geo.gazetteer import CACHE_DIR_ENV, DEFAULT_CACHE_DIR, Gazetteer
from components.table import schema as s
from tests import scheduling
from tests.dashboard import (
    CHROMIUM,
    CHROMIUM_ARGS,
    HEADLESS_SHELL,
    PLAY_INTERVAL_ENV,
    SHIPPED_EVENTS,
    TEST_PLAY_INTERVAL,
    new_context,
    open_page,
    running_dashboard,
)
from tests.storage import database_server

# More workers than this cost memory (a gazetteer, a Chromium and dashboards each) for little.
MAX_WORKERS = 4
# Each test's setup + call + teardown in this run, for the next run's order (tests/scheduling.py).
_durations: collections.Counter[str] = collections.Counter()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """With -n and no other --dist chosen: tests/scheduling.py."""
    if config.getvalue("dist") != "load":
        return None
    return scheduling.SharedSetUps(config, log, scheduling.known_durations(config))


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the main process, before any worker starts
        database_server.begin_test_run()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] += report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput"):  # every worker is done
        database_server.end_test_run()
        scheduling.record_durations(session.config, _durations)


@pytest.fixture(scope="session", autouse=True)
def gazetteer_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real gazetteer index built once per session in a temporary cache directory.

    Everything that uses the default cache (the app, the geocoder, a dashboard started by a
    browser test) reads this one, so tests never write into the project's .cache.
    """
    directory = tmp_path_factory.getbasetemp() / "strikemap-cache"
    _copy_index_built_by_setup(directory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_DIR_ENV, str(directory))
        Gazetteer.load(directory)
        yield directory


def _copy_index_built_by_setup(directory: Path) -> None:
    """Start from the index ``make setup`` built, if any; Gazetteer.load rebuilds a stale one."""
    directory.mkdir(parents=True, exist_ok=True)
    for built in DEFAULT_CACHE_DIR.glob("gazetteer-*"):
        shutil.copy2(built, directory / built.name)


@pytest.fixture(scope="session")
def gazetteer(gazetteer_dir: Path) -> Gazetteer:
    return Gazetteer.load(gazetteer_dir)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (its headless shell where installed) driven by Playwright, one for the
    whole session."""
    executable = HEADLESS_SHELL if Path(HEADLESS_SHELL).exists() else CHROMIUM
    if not Path(executable).exists():
        pytest.fail("Debian's chromium is not installed: run `make setup`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def dashboard_events() -> Path:
    """The events file a module's dashboard shows; a module overrides this for its own data."""
    return SHIPPED_EVENTS


@pytest.fixture(scope="module")
def dashboard(dashboard_events: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One dashboard server per test module, on ``dashboard_events``; yields its address."""
    log = tmp_path_factory.mktemp("dashboard") / "server.log"
    with running_dashboard(log, dashboard_events, {PLAY_INTERVAL_ENV: TEST_PLAY_INTERVAL}) as url:
        yield url


@pytest.fixture
def context(browser):
    """A fresh browser context (tests/dashboard.py's new_context), closed after the test."""
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context, dashboard: str):
    """A fresh page on the module's dashboard: the map drawn, the app quiet."""
    return open_page(context, dashboard)


@pytest.fixture
def write_events(tmp_path: Path) -> Callable[..., Path]:
    """Write canonical rows (missing columns left empty) to a CSV file and return its path."""

    def write(rows: Iterable[Mapping[str, object]], name: str = "events.csv") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=s.CANONICAL_COLUMNS, restval="")
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write
