"""One bad cell never takes the table down, and no merge loses a row (issue 18).

Each case is a small file written here; the good rows load, the bad one is named with its row
and column, and no value outside what the rest of the app can hold gets through.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from components import formats
from components.formats import writers
from components.table import merge as merge_module
from components.table import schema as s
from components.table import sources as src
from components.table.errors import EventFileError, MergeError, shown_path
from components.table.events import read_events
from components.table.store import append_events

HEADER = "event_id,date_start,event_type,location,latitude,longitude,killed_min,killed_max"
GOOD = "good,2018-02-07,Air/drone strike,Aleppo,36.2,37.15,1,2"


def events_file(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def problems_at(loaded) -> set[tuple[int, str | None]]:
    return {(p.row, p.column) for p in loaded.problems}


# --- dates and figures the rest of the app can hold -------------------------------------------


@pytest.mark.parametrize("typo", ["1018-02-07", "3018-02-08", "0001-01-01", "9999-12-31"])
def test_a_year_typo_is_a_row_problem_and_the_good_rows_load(tmp_path, typo):
    path = events_file(tmp_path, GOOD, f"typo,{typo},Air/drone strike,Aleppo,36.2,37.15,1,2")
    loaded = read_events(path)
    assert loaded.events[s.EVENT_ID].tolist() == ["good"]
    (problem,) = loaded.problems
    assert (problem.row, problem.column) == (3, s.DATE_START)
    assert "check the year" in str(problem)
    # What loads, the timeline can hold: nanosecond timestamps never overflow.
    assert loaded.events[s.DATE_START].astype("datetime64[ns]").notna().all()


@pytest.mark.parametrize("column", [s.DATE_END, s.SOURCE_DATE])
def test_a_year_typo_in_the_other_dates_is_refused_too(tmp_path, column):
    path = events_file(
        tmp_path, "good,2018-02-07,,", "typo,2018-02-07,,3018-02-08", header=f"event_id,"
        f"date_start,notes,{column}"
    )  # fmt: skip
    loaded = read_events(path)
    assert loaded.events[s.EVENT_ID].tolist() == ["good"]
    assert problems_at(loaded) == {(3, column)}


@pytest.mark.parametrize("figure", ["10000000000000000", "1e30", "9" * 40, "inf", "-1"])
def test_a_casualty_figure_out_of_bounds_is_a_row_problem(tmp_path, figure):
    path = events_file(tmp_path, GOOD, f"big,2018-02-07,Air/drone strike,Aleppo,36,37,{figure},")
    loaded = read_events(path)
    assert loaded.events[s.EVENT_ID].tolist() == ["good"]
    assert problems_at(loaded) == {(3, s.KILLED_MIN)}
    assert loaded.events[s.KILLED_MIN].max() <= s.MAX_FIGURE


def test_figures_out_of_bounds_in_sources_cost_only_their_rows(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text(
        "event_id,source_name,killed_min,killed_max\n"
        "a,AFP,1,2\nb,SANA,1e30,\nc,SOHR,,10000000000000000\n"
        "d,NOS,3,4\n",
        encoding="utf-8",
    )
    loaded = src.read_sources(path)
    assert loaded.sources[s.EVENT_ID].tolist() == ["a", "d"]
    assert loaded.rejected_rows == [3, 4]


# --- header names: repeated, reserved, internal ----------------------------------------------


@pytest.mark.parametrize(
    ("header", "row", "renamed"),
    [
        (HEADER + ",extra,extra", GOOD + ",x,y", "extra (column 10)"),
        (HEADER + ",event_id", GOOD + ",other", "event_id (column 9)"),
        (HEADER + ",_row", GOOD + ",5000", "row (column 9)"),
        (HEADER + ",killed_min_own", GOOD + ",lots", "killed_min_own (column 9)"),
        (HEADER + ",source_count", GOOD + ",", "source_count (column 9)"),
        (HEADER + ",matched_name", GOOD + ",Paris", "matched_name (column 9)"),
    ],
)
def test_a_repeated_or_reserved_header_name_is_renamed_with_a_note(tmp_path, header, row, renamed):
    loaded = read_events(events_file(tmp_path, row, header=header))
    assert loaded.events[s.EVENT_ID].tolist() == ["good"]
    assert loaded.rejected_rows == []
    (note,) = loaded.problems
    assert note.row == 1 and renamed in str(note)
    assert renamed in loaded.events.columns
    assert loaded.events["_row"].tolist() == [2]


def test_a_numeric_row_column_does_not_let_a_bad_date_through(tmp_path):
    path = events_file(
        tmp_path, "good,2018-02-07,1", "bad,not a date,2", header="event_id,date_start,_row"
    )
    loaded = read_events(path)
    assert loaded.events[s.EVENT_ID].tolist() == ["good"]
    assert (3, s.DATE_START) in problems_at(loaded)


def test_own_figures_in_a_file_never_override_the_checked_figures(tmp_path):
    path = events_file(
        tmp_path,
        "a,2018-02-07,1,2,5000,-3",
        header="event_id,date_start,killed_min,killed_max,killed_min_own,killed_max_own",
    )
    events = read_events(path).events
    shown = src.attach_sources(events, src.empty_sources()).iloc[0]
    assert (shown[s.KILLED_MIN], shown[s.KILLED_MAX]) == (1, 2)


# --- every file the app writes, it reads back -------------------------------------------------


def _view(tmp_path: Path) -> pd.DataFrame:
    path = events_file(tmp_path, GOOD, "two,2018-02-08,Shelling,Idlib,,,3,")
    (tmp_path / "sources.csv").write_text("event_id,source_name,killed_min\ngood,AFP,4\n")
    events = read_events(path).events
    events[s.MATCHED_NAME] = ["Aleppo", ""]
    return src.attach_sources(events, src.read_sources(tmp_path / "sources.csv").sources)


@pytest.mark.parametrize("format_name", ["csv", "geojson"])
def test_the_downloaded_view_opens_again_as_an_events_file(tmp_path, format_name):
    view = _view(tmp_path)
    data = writers.EXPORT_FORMATS[format_name](view)
    exported = tmp_path / f"download.{format_name}"
    exported.write_bytes(data)
    if format_name == "csv":
        header = data.decode().split("\n", 1)[0].split(",")
        assert not set(header) & {*s.INTERNAL_COLUMNS, "_row"}
        back = read_events(exported)
    else:
        document = json.loads(data)
        properties = document["features"][0]["properties"]
        assert not set(properties) & {*s.INTERNAL_COLUMNS, "_row"}
        back = formats.import_file(exported, "geojson")
    assert back.problems == []
    assert back.events[s.EVENT_ID].tolist() == ["good", "two"]
    assert back.events[s.KILLED_MIN].tolist()[1] == 3


def test_a_figure_corrected_in_the_downloaded_csv_is_the_one_read(tmp_path):
    view = _view(tmp_path)
    text = writers.to_csv(view).decode().replace("two,2018-02-08", "two,2018-02-09")
    text = text.replace(",3,,", ",7,,", 1)
    path = tmp_path / "corrected.csv"
    path.write_text(text)
    back = read_events(path)
    assert back.problems == []
    assert back.events.set_index(s.EVENT_ID).loc["two", s.KILLED_MIN] == 7


# --- merges are transactions -----------------------------------------------------------------

MERGE_HEADER = "event_id,date_start,event_type,location,source_name,killed_min,killed_max"


def merge_files(tmp_path: Path, *rows: str, line_end: str = "\n") -> tuple[Path, Path]:
    path = tmp_path / "events.csv"
    path.write_bytes(line_end.join([MERGE_HEADER, *rows, ""]).encode())
    return path, src.sources_path(path)


def test_a_merge_removes_only_the_validated_row_and_keeps_a_row_left_out_at_load(tmp_path):
    events, sources = merge_files(
        tmp_path,
        "keep,2018-02-07,Air,Aleppo,NOS,1,1",
        "dup,2018-02-07,Air,Aleppo,SOHR,2,2",
        "dup,2018-02-08,Air,Idlib,AFP,9,9",  # left out at load: its id repeats
    )
    assert src.merge_events(events, sources, "keep", ["dup"]) == 1
    lines = events.read_text().splitlines()
    assert lines == [MERGE_HEADER, "keep,2018-02-07,Air,Aleppo,NOS,1,1",
                     "dup,2018-02-08,Air,Idlib,AFP,9,9"]  # fmt: skip
    merged = src.read_sources(sources).sources
    assert merged[s.SOURCE_NAME].tolist() == ["SOHR"]
    # The second strike is still somewhere: in the events file, reported as a repeated id.
    assert read_events(events).rejected_rows == []


@pytest.mark.parametrize("line_end", ["\r", "\r\n"])
def test_a_merge_reads_any_line_end(tmp_path, line_end):
    events, sources = merge_files(
        tmp_path,
        "keep,2018-02-07,Air,A,NOS,1,1",
        "dup,2018-02-07,Air,A,SOHR,2,2",
        line_end=line_end,
    )
    assert src.merge_events(events, sources, "keep", ["dup"]) == 1
    assert read_events(events).events[s.EVENT_ID].tolist() == ["keep"]


def test_a_merge_that_fails_half_way_changes_neither_file_and_a_retry_adds_once(
    tmp_path, monkeypatch
):
    events, sources = merge_files(
        tmp_path, "keep,2018-02-07,Air,A,NOS,1,1", "dup,2018-02-07,Air,A,SOHR,2,2"
    )
    sources.write_text("event_id,source_name\nkeep,AFP\n")
    before = (events.read_bytes(), sources.read_bytes())
    real_replace = os.replace

    def fail_on_the_events_file(temp, target):
        if Path(target).name == "events.csv":
            raise OSError(28, "No space left on device")
        real_replace(temp, target)

    monkeypatch.setattr(merge_module.os, "replace", fail_on_the_events_file)
    with pytest.raises(MergeError, match="the merge was not made; nothing changed"):
        src.merge_events(events, sources, "keep", ["dup"])
    assert (events.read_bytes(), sources.read_bytes()) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]

    monkeypatch.setattr(merge_module.os, "replace", real_replace)
    assert src.merge_events(events, sources, "keep", ["dup"]) == 1
    assert src.read_sources(sources).sources[s.SOURCE_NAME].tolist() == ["AFP", "SOHR"]


def test_a_retry_after_a_crash_between_the_two_writes_does_not_duplicate(tmp_path):
    events, sources = merge_files(
        tmp_path, "keep,2018-02-07,Air,A,NOS,1,1", "dup,2018-02-07,Air,A,SOHR,2,2"
    )
    before = events.read_bytes()
    src.merge_events(events, sources, "keep", ["dup"])
    events.write_bytes(before)  # as if the process died after writing the sources only
    src.merge_events(events, sources, "keep", ["dup"])
    assert src.read_sources(sources).sources[s.SOURCE_NAME].tolist() == ["SOHR"]
    assert read_events(events).events[s.EVENT_ID].tolist() == ["keep"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_merge_in_a_read_only_folder_says_nothing_changed(tmp_path):
    events, sources = merge_files(
        tmp_path, "keep,2018-02-07,Air,A,NOS,1,1", "dup,2018-02-07,Air,A,SOHR,2,2"
    )
    before = events.read_bytes()
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(MergeError, match="nothing changed"):
            src.merge_events(events, sources, "keep", ["dup"])
    finally:
        tmp_path.chmod(0o755)
    assert events.read_bytes() == before and not sources.exists()


# --- files behind links, and names in messages -------------------------------------------------


def test_a_symlinked_events_file_is_written_and_locked_at_its_target(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "events.csv"
    target.write_text("event_id,date_start\nold,2018-02-07\n")
    data = tmp_path / "data"
    data.mkdir()
    link = data / "events.csv"
    link.symlink_to(target)
    append_events(link, pd.DataFrame([{s.EVENT_ID: "new", s.DATE_START: "2018-02-08"}]))
    assert link.is_symlink()
    assert read_events(target).events[s.EVENT_ID].tolist() == ["old", "new"]
    assert (shared / "events.csv.lock").exists() and not (data / "events.csv.lock").exists()


def test_messages_name_files_inside_the_project_relative_to_it():
    from components import PROJECT_ROOT

    assert shown_path(PROJECT_ROOT / "data" / "events.csv") == "data/events.csv"
    assert shown_path("events\x1b[2J.csv") == "events\\x1b[2J.csv"


# --- a property: mutations of a valid file never stop the untouched rows --------------------

HOSTILE = [
    "1018-02-07", "9999-12-31", "1e30", "10000000000000000", "-1", "nan", "inf", "", '"',
    "\x00", "\r", "=1+1", "_row", "killed_min_own", "event_id", "x" * 1000, "2018-13-45",
    "\ufeff", ";", "\t", "0001-01-01", "99999999999999999999999",
]  # fmt: skip


TRIALS, CHUNKS, ROWS = 150, 5, 12


def _mutations(trials: int) -> list[tuple[str, set[int]]]:
    """Each trial's file (1–3 random cell, header or truncation changes of a valid file) and
    the rows it touched; one seeded sequence, so every run tries the same files."""
    rng = random.Random(18)
    header = HEADER.split(",")
    mutated = []
    for _ in range(trials):
        rows = [
            [f"r{i}", f"2018-02-{1 + i % 28:02d}", "Air/drone strike", "Aleppo", "36.2", "37.15",
             str(i), str(i + 1)]
            for i in range(ROWS)
        ]  # fmt: skip
        cells = [list(header), *rows]
        touched = set()
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["cell", "header", "truncate"])
            if kind == "cell":
                r = rng.randrange(1, len(cells))
                cells[r][rng.randrange(len(header))] = rng.choice(HOSTILE)
                touched.add(r)
            elif kind == "header":
                cells[0].append(rng.choice([*header, "_row", "source_count"]))
            else:
                r = rng.randrange(1, len(cells))
                cells[r] = cells[r][: rng.randrange(1, len(header))]
                touched.add(r)
        mutated.append(("\n".join(",".join(row) for row in cells) + "\n", touched))
    return mutated


# The trials in a few chunks, so that parallel workers share them (same files, same checks).
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_random_mutations_never_stop_the_untouched_rows_from_loading(tmp_path, chunk):
    trials = _mutations(TRIALS)
    for trial in range(chunk, TRIALS, CHUNKS):
        text, touched = trials[trial]
        path = tmp_path / f"mutated{trial}.csv"
        path.write_bytes(text.encode("utf-8", errors="replace"))
        try:
            loaded = read_events(path)
        except Exception as error:  # a whole-file refusal must be an EventFileError in one line
            assert isinstance(error, EventFileError), (text, error)
            assert "\n" not in str(error)
            # Only a broken quote or a NUL byte may refuse a file whose header survived.
            assert any(c in text for c in ('"', "\x00", "\r")), (text, error)
            continue
        untouched = {f"r{r - 1}" for r in range(1, ROWS + 1) if r not in touched}
        assert untouched <= set(loaded.events[s.EVENT_ID]), (text, loaded.problems)
        for problem in loaded.problems:
            assert "\n" not in str(problem)


def test_a_sources_file_with_semicolons_and_a_bom_reads_like_an_events_file(tmp_path):
    path = tmp_path / "sources.csv"
    text = "event_id;source_name;killed_min\na;AFP;1\nb;SANA;lots\nc;SOHR;\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    loaded = src.read_sources(path)
    assert loaded.sources[s.EVENT_ID].tolist() == ["a", "c"]
    assert loaded.rejected_rows == [3]
    path.write_bytes(text.replace("AFP", "Agence Fran\u00e7aise").encode("cp1252"))
    assert src.read_sources(path).sources[s.SOURCE_NAME].tolist()[0] == "Agence Fran\u00e7aise"
