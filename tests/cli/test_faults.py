"""The command line as a user runs it: an unusable file gives exactly one line 'strikemap VERB:
reason' and exit 2, bad rows give one line each, hostile text reaches the terminal escaped, and
no traceback is ever printed.

The matrix of files × verbs runs ``main()`` in this process (tests/cli/run.py); the tests that
are about the process itself (``python -m components``: exit status, bytes on the terminal)
run real subprocesses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from components import PROJECT_ROOT
from tests.cli.run import run_cli, run_process
from tests.table.test_faults_files import BY_NAME

ROOT = PROJECT_ROOT
FEW = ("empty", "nul_bytes", "utf16_broken", "unclosed_quote", "out_of_range_coordinates")
HOSTILE_ROWS = (
    "event_id,date_start\n"
    "ok,2018-02-07\n"
    '"\x1b[2J\x1b]0;pwned\x07",2018-02-30\x1b[31m\n'
    '"two\nlines\r",not a date\u202e\n'
).encode()
ARGS = {
    "import": ["import", "{in}", "--out", "{out}"],
    "export": ["export", "{in}", "--format", "csv", "--out", "{out}"],
    "geocode": ["geocode", "{in}", "--out", "{out}"],
}
RUNS = [
    *(("import", name) for name in BY_NAME),
    *((verb, name) for name in FEW for verb in ("export", "geocode")),
]


def _argv(directory: Path, verb: str, name: str, data: bytes) -> list[str]:
    source = directory / f"{name}.csv"
    source.write_bytes(data)
    out = directory / f"out-{verb}-{name}"
    return [a.format(**{"in": source, "out": out}) for a in ARGS[verb]]


def _stderr(text: str) -> str:
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize(("verb", "name"), RUNS, ids=lambda x: x)
def test_the_command_line_refuses_in_one_line_or_reports_each_row(tmp_path, verb, name):
    case = BY_NAME[name]
    done = run_cli(*_argv(tmp_path, verb, name, case.data))
    stderr = _stderr(done.stderr)
    if case.reason or (verb == "geocode" and case.geocode_reason):
        assert done.returncode == 2, stderr
        assert stderr.endswith("\n") and stderr.count("\n") == 1
        assert stderr.startswith(f"strikemap {verb}: ")
        return
    assert done.returncode == 0, stderr
    assert done.stdout.startswith(f"{verb}: ")
    if verb == "export" and case.imported is None:
        assert len(stderr.splitlines()) == len(case.rejected)
    if verb == "import" and case.imported is None:
        # One line per cause, naming its rows; the totals close the standard output.
        causes = [line for line in stderr.splitlines() if " rejected, " in line]
        assert len(causes) <= len(case.rejected)
        assert all(f"row {row}" in stderr for row, _ in case.rejected)
        rows_in = len(case.loaded) + len({row for row, _ in case.rejected})
        assert done.stdout.splitlines()[-1].startswith(
            f"imported {len(case.loaded)} of {rows_in} rows"
        )


def test_a_refused_file_ends_the_process_with_status_2_and_one_line(tmp_path):
    """The process boundary: ``python -m components`` exits with main()'s status."""
    done = run_process(*_argv(tmp_path, "import", "empty", BY_NAME["empty"].data), cwd=ROOT)
    stderr = _stderr(done.stderr.decode("utf-8"))
    assert done.returncode == 2, stderr
    assert stderr.startswith("strikemap import: ") and stderr.count("\n") == 1


@pytest.mark.parametrize("verb", ["import", "export"])
def test_hostile_text_in_problem_lines_reaches_the_terminal_escaped(tmp_path, verb):
    """A real process: these are the bytes a terminal would receive."""
    done = run_process(*_argv(tmp_path, verb, "hostile_rows", HOSTILE_ROWS), cwd=ROOT)
    stderr = _stderr(done.stderr.decode("utf-8"))
    assert done.returncode == 0, stderr
    assert done.stdout.decode("utf-8").startswith(f"{verb}: ")
    assert "\x1b" not in stderr and "\x07" not in stderr and "\r" not in stderr
    assert "\u202e" not in stderr
    lines = stderr.splitlines()
    if verb == "export":
        assert len(lines) == 2 and all(", row " in line for line in lines)
    else:  # both rows fail the same check: one line for the cause, naming both rows
        assert len(lines) == 1 and "row 3 " in lines[0] and ", row 4 " in lines[0]
    assert "\\x1b[31m" in stderr


# --- issue 18: values the rest of the app cannot hold, and names that could forge lines ------

ISSUE18 = (
    "event_id,date_start,killed_min,killed_max,extra,extra,_row,killed_min_own\n"
    "good,2018-02-07,1,2,a,b,9,x\n"
    "typo,1018-02-07,1,2,,,,\n"
    "big,2018-02-07,1e30,,,,,\n"
    "huge,2018-02-07,10000000000000000,,,,,\n"
)


def test_hostile_cells_and_headers_give_one_line_each_and_the_good_row_is_written(tmp_path):
    """A real process: hostile file names and cells, as the terminal receives them."""
    source = tmp_path / "in\x1b[2J.csv"
    source.write_text(ISSUE18)
    out = tmp_path / "out\x1b]0;pwned\x07.csv"
    done = run_process("export", source, "--format", "csv", "--out", out, cwd=ROOT)
    stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    lines = stderr.splitlines()
    assert sum("row 1" in line for line in lines) == 3  # extra, _row, killed_min_own renamed
    assert any("row 3" in line and "check the year" in line for line in lines)
    assert any("row 4" in line and "at most" in line for line in lines)
    assert any("row 5" in line and "at most" in line for line in lines)
    for stream in (stdout, stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "\\x1b]0;pwned\\x07" in stdout
    assert out.read_text().count("\n") == 2  # the header and the good row
