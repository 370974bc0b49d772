"""`python -m components code FILE_OR_DIR ... --out OUT.csv`."""

from __future__ import annotations

import subprocess
import sys

from components.table import schema as s
from components.table.events import read_events
from tests import REPORT_SETS
from tests.dashboard import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
REPORTS = REPORT_SETS / "reports"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "components", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_coding_the_seeds_writes_canonical_rows_with_the_report_body(tmp_path):
    out = tmp_path / "coded.csv"
    result = run("code", str(SEEDS), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"code: 2 draft events from 1 reports written to {out}"
    loaded = read_events(out)
    assert loaded.problems == []
    body = (SEEDS / "000_06b4a840bbb81acb.txt").read_text(encoding="utf-8")
    assert loaded.events[s.SOURCE_TEXT].iloc[0] == body.split("2018-02", 1)[1].strip()


def test_files_and_folders_can_be_mixed(tmp_path):
    out = tmp_path / "coded.csv"
    result = run("code", str(REPORTS), str(SEEDS / "000_06b4a840bbb81acb.txt"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "from 13 reports" in result.stdout


def test_a_missing_file_is_one_line_and_exit_2(tmp_path):
    result = run("code", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "nope.txt" in result.stderr and "no such file" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_folder_without_reports_says_so(tmp_path):
    result = run("code", str(tmp_path), "--out", str(tmp_path / "out.csv"))
    assert result.returncode == 2
    assert "no .txt reports" in result.stderr


def test_the_verb_is_documented_in_help():
    result = run("--help")
    assert "code" in result.stdout and "news reports" in result.stdout
