"""`python -m components code FILE_OR_DIR ... --out OUT.csv`."""

from __future__ import annotations

import pytest

from components import PROJECT_ROOT
from components.table import schema as s
from components.table.events import read_events
from tests import REPORT_SETS
from tests.cli.run import run_cli

SEEDS = PROJECT_ROOT / "seeds"
REPORTS = REPORT_SETS / "reports"


run = run_cli  # in this process: these tests are about what the verb says and writes


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


ACLED_ROWS = (
    "event_id_cnty,event_date,sub_event_type,actor1,actor2,country,admin1,location,latitude,"
    "longitude,geo_precision,notes,fatalities\n"
    "X1,2024-03-05,Shelling/artillery/missile attack,Military Forces of Russia,,Ukraine,Kharkiv,"
    'Kharkiv,49.98,36.25,1,"On 5 March 2024, Russian forces shelled Kharkiv. Two civilians were '
    'killed.",2\n'
)


def test_code_check_prints_the_strict_accuracy_of_each_field(tmp_path):
    table = tmp_path / "acled.csv"
    table.write_text(ACLED_ROWS, encoding="utf-8")
    result = run("code-check", str(table))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("code-check: acled.csv, all split")
    for field in ("date", "place", "killed", "type", "actor1"):
        assert f"\n{field}" in result.stdout
    assert "cases: 1" in result.stdout


def test_code_check_of_a_table_without_truth_is_one_line_and_exit_2(tmp_path):
    table = tmp_path / "plain.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("code-check", str(table))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "notes and event_date" in result.stderr


REAL_ACLED = PROJECT_ROOT.parent / "shared" / "realdata" / "acled"


def test_code_check_reads_real_acled_notes_of_both_splits():
    table = REAL_ACLED / "ukraine_sample-1000_2018-2024.csv"
    if not table.exists():
        pytest.skip("no real ACLED data beside the project")
    for split in ("dev", "test"):
        result = run("code-check", str(table), "--split", split, "--limit", "15", "--worst", "0")
        assert result.returncode == 0, result.stderr
        assert f"{split} split" in result.stdout and "cases: 15" in result.stdout
