"""The command line run inside the test process: ``main()`` with its output captured as a
subprocess's would be (UTF-8 bytes, no newline translation, not a terminal).

For tests about what a verb says and writes. It saves the ~1.5 s a fresh interpreter spends
importing the package; the process boundary itself (``python -m components``, its exit status,
the bytes that reach a terminal) keeps true subprocess tests in tests/cli/test_faults.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from components.cli.main import main

__all__ = ["run_cli", "run_process"]


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """``python -m components ARGS`` in this process; stdout and stderr as text."""
    argv = [str(arg) for arg in args]
    # As a process's pipes under a UTF-8 locale: stdout strict (text that cannot be encoded
    # fails here as it would there), stderr with backslash escapes.
    out, err = _stream("strict"), _stream("backslashreplace")
    # --database writes the environment; a verb must not leave it changed for the next test.
    redirected = contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)
    with mock.patch.dict(os.environ), redirected[0], redirected[1]:
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse: --help, or a usage error
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(["python", "-m", "components", *argv], code,
                                       _text(out), _text(err))  # fmt: skip


def run_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``python -m components ARGS`` as a real process; stdout and stderr as bytes."""
    return subprocess.run(
        [sys.executable, "-m", "components", *(str(arg) for arg in args)],
        cwd=cwd,
        capture_output=True,
        timeout=120,
    )


def _stream(errors: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors=errors, newline="")


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")
