"""The storage tests' stores: one fixture, two back ends (the files and a real PostgreSQL).

The database server is started once per test run by scripts/db.sh (as ``make db`` does; it
installs Debian's postgresql and postgis when missing); each test gets an empty database of
its own, made from a template that already has the tables. Nothing is mocked and nothing is
skipped: when the server cannot start, the tests fail and say why.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from components.storage.files import FileStore
from components.storage.postgres import PostgresStore
from tests.storage import database_server


@pytest.fixture(scope="session")
def server_url() -> str:
    """The URL of the local server's maintenance database, the server started if need be.

    Shared by every worker of the run; a server the run started is stopped at its end
    (tests/storage/database_server.py).
    """
    try:
        return database_server.server_url()
    except database_server.ServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    """A database with the tables, copied for each test (much faster than creating them)."""
    name = f"strikemap_template_{uuid.uuid4().hex[:8]}"
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = _with_database(server_url, name)
    store = PostgresStore(url)
    store.init()
    store.close()
    yield name
    _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)))  # fmt: skip


@pytest.fixture
def database_url(server_url: str, template_db: str) -> Iterator[str]:
    """An empty database of this test's own."""
    with _empty_database(server_url, template_db) as url:
        yield url


@pytest.fixture(scope="module")
def module_database_url(server_url: str, template_db: str) -> Iterator[str]:
    """An empty database that one module's tests share (behind servers started once)."""
    with _empty_database(server_url, template_db) as url:
        yield url


@contextlib.contextmanager
def _empty_database(server_url: str, template_db: str) -> Iterator[str]:
    name = f"strikemap_test_{uuid.uuid4().hex[:10]}"
    _admin(
        server_url,
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template_db)
        ),
    )
    try:
        yield _with_database(server_url, name)
    finally:
        _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))  # fmt: skip


@pytest.fixture(params=["files", "database"])
def store(request: pytest.FixtureRequest, tmp_path: Path):
    """The same tests against both back ends."""
    if request.param == "files":
        yield FileStore(tmp_path / "events.csv", tmp_path / "places.csv")
        return
    url = request.getfixturevalue("database_url")
    opened = PostgresStore(url)
    yield opened
    opened.close()


def _admin(server_url: str, statement: sql.Composable) -> None:
    with psycopg.connect(_with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(statement)


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name
