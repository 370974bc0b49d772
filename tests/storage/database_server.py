"""The one local PostgreSQL server of a test run, shared by every pytest-xdist worker.

The first worker that needs it starts it with scripts/db.sh (as ``make db`` does), under a
file lock so that two workers never start it at once. A server this run started is stopped
once, by the main process after every worker is done (a worker that stopped it at its own end
would pull it from under the others); one that was already running is left alone.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

from filelock import FileLock

from components import PROJECT_ROOT

DB_SCRIPT = PROJECT_ROOT / "scripts" / "db.sh"
RUN_ENV = "STRIKEMAP_TEST_RUN"


class ServerError(RuntimeError):
    """The server did not start; the message holds db.sh's last words."""


def port() -> int:
    return int(os.environ.get("STRIKEMAP_PG_PORT", "54329"))


def begin_test_run() -> None:
    """Name this run (workers inherit the environment) and give it a folder of its own."""
    os.environ.setdefault(RUN_ENV, uuid.uuid4().hex[:12])
    _run_folder().mkdir(parents=True, exist_ok=True)


def server_url() -> str:
    """The maintenance URL of the server, started if no server listens on the port."""
    folder = _run_folder()
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(folder / "start.lock"):
        started_here = not _listening(port())
        done = subprocess.run(
            ["bash", str(DB_SCRIPT), "start"], capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise ServerError(
                f"the PostgreSQL server for the database tests did not start ({DB_SCRIPT}):\n"
                f"{done.stderr[-3000:]}"
            )
        if started_here:
            (folder / "started").touch()
    return done.stdout.strip().splitlines()[-1]


def end_test_run() -> None:
    """Stop the server if this run started it; remove the run's folder."""
    folder = _run_folder()
    if (folder / "started").exists():
        subprocess.run(["bash", str(DB_SCRIPT), "stop"], capture_output=True, timeout=120)
    shutil.rmtree(folder, ignore_errors=True)


def _run_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"strikemap-tests-{os.environ.get(RUN_ENV, 'none')}"


def _listening(number: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", number)) == 0
