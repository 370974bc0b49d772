"""Malformed files and hostile text through every reader and writer: a clear one-line reason
per rejected file or row, every good row kept, hostile text kept verbatim and never a formula.

MALFORMED is the table the command-line tests (test_faults_cli.py) run as well.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

import pandas as pd
import pytest

from components import formats
from components.formats import writers
from components.geo.table import geocode_file
from components.table import schema as s
from components.table.errors import EventFileError, GeocodeInputError, ImportFileError
from components.table.events import read_events, validate_events
from tests.payloads import PAYLOADS

HEADER = "event_id,date_start,location,country,latitude,longitude,killed_min,killed_max,notes\n"
GOOD = "ok,2018-02-07,Aleppo,Syria,36.2,37.15,1,2,fine\n"


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("events.csv", HEADER + GOOD)
    return buffer.getvalue()


@dataclass(frozen=True)
class Malformed:
    """A file and what each reader must make of it.

    ``reason``: the whole file is refused with this text in the one-line reason (None: it loads).
    ``loaded``: the ids read_events keeps; ``rejected``: (row, column) of each reported cell.
    ``imported``: the ids the canonical importer keeps, when they differ from ``loaded``.
    """

    name: str
    data: bytes
    reason: str | None = None
    loaded: frozenset[str] = frozenset()
    rejected: frozenset[tuple[int, str | None]] = frozenset()
    imported: frozenset[str] | None = None
    checks: dict[str, str] = field(default_factory=dict)  # column -> value of the first event
    geocode_reason: str | None = None  # geocode refuses the file although the loader reads it


def _ids(*ids: str) -> frozenset[str]:
    return frozenset(ids)


MALFORMED: tuple[Malformed, ...] = (
    Malformed("empty", b"", reason="empty"),
    Malformed("whitespace", b"  \n\t\r\n   \n", reason="empty"),
    Malformed("nul_bytes", b"event_id,date_start\nok,2018\x00-02-07\n", reason="binary"),
    Malformed("zip", _zip(), reason="binary"),
    Malformed("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", reason="binary"),
    Malformed("unknown_columns", b"foo,bar\n1,2\n", reason="column"),
    Malformed("header_only", HEADER.encode()),
    Malformed(
        "cp1252",
        (HEADER + "ok,2018-02-07,Caf\u00e9 \u2013 Idlib,Syria,,,,,\u201cquoted\u201d\n").encode(
            "cp1252"
        ),
        loaded=_ids("ok"),
        checks={s.LOCATION: "Caf\u00e9 \u2013 Idlib", s.NOTES: "\u201cquoted\u201d"},
    ),
    Malformed(
        "latin1",
        (HEADER + "ok,2018-02-07,S\u00e3o Tom\u00e9,Syria,,,,,\u00ff\u00fc\n").encode("latin-1"),
        loaded=_ids("ok"),
        checks={s.LOCATION: "S\u00e3o Tom\u00e9", s.NOTES: "\u00ff\u00fc"},
    ),
    Malformed(
        "utf16_bom",
        (HEADER + "ok,2018-02-07,\u062f\u064a\u0631 \u0627\u0644\u0632\u0648\u0631,Syria,,,,,\n")
        .encode("utf-16")
        .replace(b"\n\x00", b"\r\x00\n\x00"),
        loaded=_ids("ok"),
        checks={s.LOCATION: "\u062f\u064a\u0631 \u0627\u0644\u0632\u0648\u0631"},
    ),
    Malformed("utf16_broken", b"\xff\xfee\x00v\x00\x00\xd8,\x00e", reason="UTF-16"),
    Malformed(
        "semicolon_decimal_comma",
        (
            "event_id;date_start;location;country;latitude;longitude\n"
            "ok;2018-02-07;Aleppo;Syria;36,2;37,15\n"
        ).encode("cp1252"),
        # The loader names the cells; the canonical importer reads spreadsheet decimals.
        rejected=frozenset({(2, "latitude"), (2, "longitude")}),
        imported=_ids("ok"),
    ),
    Malformed(
        "text_field_5mb",
        (HEADER + "ok,2018-02-07,Aleppo,Syria,,,,," + "x" * 5_000_000 + "\n").encode(),
        loaded=_ids("ok"),
    ),
    Malformed(
        "out_of_range_coordinates",
        (
            HEADER + GOOD + "a,2018-02-07,A,Syria,95,37,,,\nb,2018-02-07,B,Syria,36,-181,,,\n"
            "c,2018-02-07,C,Syria,36,,,,\n"
        ).encode(),
        loaded=_ids("ok"),
        rejected=frozenset({(3, "latitude"), (4, "longitude"), (5, "longitude")}),
    ),
    Malformed(
        "nan_inf_coordinates",
        (
            HEADER + GOOD + "a,2018-02-07,A,Syria,nan,37,,,\nb,2018-02-07,B,Syria,36,inf,,,\n"
            "c,2018-02-07,C,Syria,-inf,1e999,,,\n"
        ).encode(),
        loaded=_ids("ok"),
        rejected=frozenset({(3, "latitude"), (4, "longitude"), (5, "latitude"), (5, "longitude")}),
    ),
    Malformed(
        "minimum_above_maximum",
        (HEADER + GOOD + "a,2018-02-07,A,Syria,,,5,2,\nb,2018-02-07,B,Syria,,,-1,2,\n").encode(),
        loaded=_ids("ok"),
        rejected=frozenset({(3, "killed_max"), (4, "killed_min")}),
    ),
    Malformed(
        "impossible_dates",
        (
            b"event_id,date_start,date_end\nok,2018-02-07,\na,2018-02-30,\nb,0000-00-00,\n"
            b"c,2018-13-01,\nd,2018-02-07,2018-02-06\n"
        ),
        loaded=_ids("ok"),
        geocode_reason="no column 'location'",
        rejected=frozenset(
            {(3, "date_start"), (4, "date_start"), (5, "date_start"), (6, "date_end")}
        ),
    ),
    Malformed(
        "unclosed_quote",
        (HEADER + GOOD + 'a,2018-02-07,"Aleppo,Syria,,,,,\nb,2018-02-07,B,Syria,,,,,\n').encode(),
        # The row whose quote never closes is named; the rows around it load. The geocode
        # verb writes every row back, so it refuses instead of dropping one.
        loaded=frozenset({"ok", "b"}),
        rejected=frozenset({(3, None)}),
        geocode_reason="not readable as CSV",
    ),
    Malformed(
        "very_many_columns",
        (
            HEADER.rstrip("\n")
            + "".join(f",c{i}" for i in range(3000))
            + "\n"
            + GOOD.rstrip("\n")
            + ",v" * 3000
            + "\n"
        ).encode(),
        loaded=_ids("ok"),
        checks={"c2999": "v"},
    ),
    Malformed(
        "more_cells_than_header",
        (HEADER + GOOD + "a,2018-02-07,A,Syria,,,,,,surplus\n").encode(),
        loaded=_ids("ok"),
        rejected=frozenset({(3, None)}),
        geocode_reason="line 3",
    ),
)
BY_NAME = {case.name: case for case in MALFORMED}


@pytest.fixture(scope="module")
def malformed_dir(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("malformed")
    for case in MALFORMED:
        (directory / f"{case.name}.csv").write_bytes(case.data)
    return directory


def _one_line(error: BaseException, path) -> str:
    text = str(error)
    assert "\n" not in text and "\r" not in text
    assert text.startswith(str(path))
    return text


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_read_events_refuses_a_file_or_names_each_bad_row(case, malformed_dir):
    path = malformed_dir / f"{case.name}.csv"
    if case.reason:
        with pytest.raises(EventFileError) as raised:
            read_events(path)
        assert case.reason.lower() in _one_line(raised.value, path).lower()
        return
    loaded = read_events(path)
    assert set(loaded.events[s.EVENT_ID]) == case.loaded
    assert {(p.row, p.column) for p in loaded.problems} == case.rejected
    for problem in loaded.problems:
        line = str(problem)
        assert "\n" not in line and f"row {problem.row}" in line and str(path) in line
        if problem.column:
            assert f"column {problem.column}" in line
    for column, value in case.checks.items():
        assert loaded.events[column].iloc[0] == value
    if case.name == "text_field_5mb":
        assert len(loaded.events[s.NOTES].iloc[0]) == 5_000_000


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_import_auto_and_canonical_agree_with_the_loader(case, malformed_dir):
    path = malformed_dir / f"{case.name}.csv"
    for format_name in ("auto", "canonical"):
        if case.reason:
            with pytest.raises(ImportFileError) as raised:
                formats.import_file(path, format_name)
            text = _one_line(raised.value, path).lower()
            if format_name == "canonical" or case.reason != "column":
                assert case.reason.lower() in text
            continue
        imported = formats.import_file(path, format_name)
        expected = case.imported if case.imported is not None else case.loaded
        assert set(imported.events[s.EVENT_ID]) == expected
        if case.imported is None:
            assert {(p.row, p.column) for p in imported.problems} == case.rejected
        for column, value in case.checks.items():
            assert imported.events[column].iloc[0] == value


@pytest.mark.parametrize("format_name", list(formats.FORMATS))
@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_a_forced_format_loads_or_gives_one_line_never_a_crash(case, format_name, malformed_dir):
    path = malformed_dir / f"{case.name}.csv"
    try:
        imported = formats.import_file(path, format_name)
    except ImportFileError as error:
        _one_line(error, path)
    else:
        assert all("\n" not in str(p) for p in imported.problems)


@pytest.mark.parametrize("case", MALFORMED, ids=lambda c: c.name)
def test_geocode_file_keeps_every_row_or_gives_one_line(case, malformed_dir, tmp_path):
    path = malformed_dir / f"{case.name}.csv"
    out = tmp_path / "out.csv"
    if case.reason or case.geocode_reason:
        with pytest.raises(GeocodeInputError) as raised:
            geocode_file(path, out, places_file=None)
        assert (case.geocode_reason or "") in _one_line(raised.value, path)
        assert not out.exists()
        return
    summary = geocode_file(path, out, places_file=None)
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert summary.rows == len(written)
    for column, value in case.checks.items():
        assert written[column].iloc[0] == value


def test_geocode_treats_coordinates_off_the_globe_as_missing(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        "location,country,latitude,longitude\nAleppo,Syria,95,200\nAleppo,Syria,nan,inf\n"
        "Aleppo,Syria,-inf,37\nNowhere-xyz,Syria,1e999,1\n",
        encoding="utf-8",
    )
    geocode_file(path, tmp_path / "out.csv", places_file=None)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert list(out["geocoder"][:3]) == ["gazetteer:170063"] * 3
    assert out["latitude"][3] == "" and out["geocoder"][3] == ""


def test_geocode_names_hostile_header_cells_printably(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('id,"\x1b[31mred\x1b[0m","two\nlines"\n1,a,b\n', encoding="utf-8")
    with pytest.raises(GeocodeInputError) as raised:
        geocode_file(path, tmp_path / "out.csv", places_file=None)
    text = _one_line(raised.value, path)
    assert "\x1b" not in text and "\\x1b[31mred" in text


# ---------------------------------------------------------------------------------------
# Hostile text: kept verbatim through export and import, formulas neutralised

FORMULAS = ("=1+1", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x")')
NUMBERS = ("-5", "+5", "-3.5", "1e5", "-.5")
CONTROL = ("\x1b[31mred\x1b[0m", "bell\x07", "line\nbreak", "cr\rlf\r\n", "\u202eevil", "tab\tin")
HOSTILE = (*PAYLOADS, *FORMULAS, *NUMBERS, *CONTROL, "' already quoted", '"quoted" ""twice""')
TEXT = [c for c in s.TEXT_COLUMNS if c not in (s.EVENT_ID, s.DATE_PRECISION, s.SOURCE_DATE)]


@pytest.fixture(scope="module")
def hostile_events() -> pd.DataFrame:
    rows = []
    for i, payload in enumerate(HOSTILE):
        row = {c: payload for c in TEXT}
        row[s.EVENT_ID] = f"{i}:{payload}" if payload == payload.strip() else str(i)
        row[s.DATE_START] = "2018-02-07"
        rows.append(row)
    loaded = validate_events(pd.DataFrame(rows, dtype=object), source="hostile")
    assert loaded.problems == []
    return loaded.events


def _assert_same_text(before: pd.DataFrame, after: pd.DataFrame, mapping=lambda v: v) -> None:
    assert len(after) == len(before)
    for column in (s.EVENT_ID, *TEXT):
        assert list(after[column]) == [mapping(v) for v in before[column]], column


def test_hostile_text_survives_plain_csv_export_and_read_verbatim(hostile_events, tmp_path):
    path = writers.export_file(hostile_events, tmp_path / "x.csv", "csv", spreadsheet_safe=False)
    _assert_same_text(hostile_events, read_events(path).events)
    _assert_same_text(hostile_events, formats.import_file(path).events)


def test_spreadsheet_csv_neutralises_formulas_and_only_formulas(hostile_events, tmp_path):
    path = writers.export_file(hostile_events, tmp_path / "x.csv", "csv")
    after = read_events(path).events

    def expected(value: str) -> str:
        starts = value.startswith(("=", "+", "-", "@", "\t", "\r"))
        return "'" + value if starts and value not in NUMBERS else value

    _assert_same_text(hostile_events, after, expected)
    for formula in FORMULAS:
        assert expected(formula) == "'" + formula
    for number in NUMBERS:
        assert writers.neutralise_formula(number) == number


def test_hostile_text_survives_geojson_export_and_import(hostile_events, tmp_path):
    data = writers.to_geojson(hostile_events)
    document = json.loads(data.decode("utf-8"))
    assert len(document["features"]) == len(HOSTILE)
    imported = formats.import_bytes(data, "x.geojson")
    assert imported.format_name == "geojson" and imported.problems == []
    _assert_same_text(hostile_events, imported.events)


def test_problem_lines_show_control_characters_as_escapes():
    raw = pd.DataFrame(
        {s.EVENT_ID: ["\x1b[2J\x1b]0;pwn\x07"], s.DATE_START: ["2018-02-30\x1b[31m\n"]}
    )
    text = formats.import_bytes(writers.to_csv(raw, spreadsheet_safe=False), "x\x1b.csv")
    [problem] = text.problems
    line = str(problem)
    assert "\n" not in line and "\x1b" not in line and "\x07" not in line
    assert "\\x1b[2J" in line
