"""The command line as a user runs it (real subprocesses, cwd = the project): an unusable file
gives exactly one line 'strikemap VERB: reason' and exit 2, bad rows give one line each,
hostile text reaches the terminal escaped, and no traceback is ever printed."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from components import PROJECT_ROOT
from tests.table.test_faults_files import BY_NAME, MALFORMED

ROOT = PROJECT_ROOT
FEW = ("empty", "nul_bytes", "utf16_broken", "unclosed_quote", "out_of_range_coordinates")
HOSTILE_ROWS = (
    "event_id,date_start\n"
    "ok,2018-02-07\n"
    '"\x1b[2J\x1b]0;pwned\x07",2018-02-30\x1b[31m\n'
    '"two\nlines\r",not a date\u202e\n'
).encode()


def _runs(directory: Path) -> list[tuple[str, str, list[str]]]:
    runs = [("import", name, ["import", "{in}", "--out", "{out}"]) for name in BY_NAME]
    for name in FEW:
        runs.append(("export", name, ["export", "{in}", "--format", "csv", "--out", "{out}"]))
        runs.append(("geocode", name, ["geocode", "{in}", "--out", "{out}"]))
    runs.append(("import", "hostile_rows", ["import", "{in}", "--out", "{out}"]))
    runs.append(("export", "hostile_rows", ["export", "{in}", "--format", "csv", "--out", "{out}"]))
    return runs


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory):
    """Every run at once (in parallel), so that each process's start-up is paid only once."""
    directory = tmp_path_factory.mktemp("cli")
    for case in MALFORMED:
        (directory / f"{case.name}.csv").write_bytes(case.data)
    (directory / "hostile_rows.csv").write_bytes(HOSTILE_ROWS)

    def run(spec):
        verb, name, args = spec
        out = directory / f"out-{verb}-{name}"
        argv = [a.format(**{"in": directory / f"{name}.csv", "out": out}) for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "components", *argv],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        )
        return (verb, name), done

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(run, _runs(directory)))


def _stderr(done: subprocess.CompletedProcess) -> str:
    text = done.stderr.decode("utf-8")
    assert "Traceback" not in text
    return text


@pytest.mark.parametrize(("verb", "name"), [(v, n) for v, n, _ in _runs(Path())], ids=lambda x: x)
def test_the_command_line_refuses_in_one_line_or_reports_each_row(results, verb, name):
    done = results[(verb, name)]
    stderr = _stderr(done)
    case = BY_NAME.get(name)
    refused = case is not None and bool(case.reason or (verb == "geocode" and case.geocode_reason))
    if refused:
        assert done.returncode == 2, stderr
        assert stderr.endswith("\n") and stderr.count("\n") == 1
        assert stderr.startswith(f"strikemap {verb}: ")
        return
    assert done.returncode == 0, stderr
    assert done.stdout.decode("utf-8").startswith(f"{verb}: ")
    if case is not None and verb == "export" and case.imported is None:
        assert len(stderr.splitlines()) == len(case.rejected)
    if case is not None and verb == "import" and case.imported is None:
        # One line per cause, naming its rows; the totals close the standard output.
        causes = [line for line in stderr.splitlines() if " rejected, " in line]
        assert len(causes) <= len(case.rejected)
        assert all(f"row {row}" in stderr for row, _ in case.rejected)
        rows_in = len(case.loaded) + len({row for row, _ in case.rejected})
        assert (
            done.stdout.decode()
            .splitlines()[-1]
            .startswith(f"imported {len(case.loaded)} of {rows_in} rows")
        )


@pytest.mark.parametrize("verb", ["import", "export"])
def test_hostile_text_in_problem_lines_reaches_the_terminal_escaped(results, verb):
    stderr = _stderr(results[(verb, "hostile_rows")])
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
    source = tmp_path / "in\x1b[2J.csv"
    source.write_text(ISSUE18)
    out = tmp_path / "out\x1b]0;pwned\x07.csv"
    done = subprocess.run(
        [sys.executable, "-m", "components", "export", str(source), "--format", "csv",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr
    lines = done.stderr.splitlines()
    assert sum("row 1" in line for line in lines) == 3  # extra, _row, killed_min_own renamed
    assert any("row 3" in line and "check the year" in line for line in lines)
    assert any("row 4" in line and "at most" in line for line in lines)
    assert any("row 5" in line and "at most" in line for line in lines)
    for stream in (done.stdout, done.stderr):
        assert "\x1b" not in stream and "\x07" not in stream
    assert "\\x1b]0;pwned\\x07" in done.stdout
    assert out.read_text().count("\n") == 2  # the header and the good row
