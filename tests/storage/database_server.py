"""The one local PostgreSQL server of a test run, shared by every pytest-xdist worker.

Each run has a server of its own, in its own folder and on a free port: a server another run,
another checkout or ``make db`` has on the usual port is never used, so no other run can stop
it under this one, nor this one under them. The first worker that needs it starts it with
scripts/db.sh (as ``make db`` does), under a file lock so that two workers never start it at
once; the main process stops it after every worker is done (a worker that stopped it at its own
end would pull it from under the others) and removes its folder.
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
PORT_ENV = "STRIKEMAP_PG_PORT"  # read by scripts/db.sh
FOLDER_ENV = "STRIKEMAP_PG_DIR"  # read by scripts/db.sh


class ServerError(RuntimeError):
    """The server did not start; the message holds db.sh's last words."""


def begin_test_run() -> None:
    """Name this run, choose its server's port and folder (workers inherit the environment)."""
    os.environ.setdefault(RUN_ENV, uuid.uuid4().hex[:12])
    folder = _run_folder()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[PORT_ENV] = str(_free_port())
    os.environ[FOLDER_ENV] = str(folder / "pg")


def server_url() -> str:
    """The maintenance URL of this run's server, started if need be."""
    folder = _run_folder()
    with FileLock(folder / "start.lock"):
        (folder / "started").touch()  # before starting: a start that fails half-way is stopped
        done = subprocess.run(
            ["bash", str(DB_SCRIPT), "start"], capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise ServerError(
                f"the PostgreSQL server for the database tests did not start ({DB_SCRIPT}):\n"
                f"{done.stderr[-3000:]}"
            )
    return done.stdout.strip().splitlines()[-1]


def end_test_run() -> None:
    """Stop this run's server if it was started; remove the run's folder."""
    folder = _run_folder()
    if (folder / "started").exists():
        subprocess.run(["bash", str(DB_SCRIPT), "stop"], capture_output=True, timeout=120)
    shutil.rmtree(folder, ignore_errors=True)


def _run_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"strikemap-tests-{os.environ.get(RUN_ENV, 'none')}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
