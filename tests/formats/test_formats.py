"""The importer registry (components/formats/__init__.py): detection, forcing a format, files
that cannot be used at all, how rejected rows are named, and the docs table it writes.

Each format's own semantics are specified in tests/test_<format>.py.
"""

from __future__ import annotations

import pytest

from components import PROJECT_ROOT, formats
from components.table import schema as s
from components.table.errors import (
    EventFileError,
    ImportFileError,
    StrikemapError,
    UnknownFormatError,
)
from components.table.events import read_events
from tests import FIXTURES

SHIPPED_EVENTS = PROJECT_ROOT / "data" / "events.csv"

# Each fixture file and the format it is written in.
FIXTURE_FORMATS = [
    ("acled_syria_2018.csv", "acled"),
    ("ucdp_ged_syria_2018.csv", "ucdp"),
    ("gdelt_20180208.export.CSV", "gdelt"),
    ("strikes.geojson", "geojson"),
    ("canonical_excel_semicolon_cp1252.csv", "canonical"),
    ("canonical_utf8_bom.csv", "canonical"),
    ("acled_export_tool_text_inter.csv", "acled"),
    ("acled_2019_spreadsheet_two_digit_years.csv", "acled"),
    ("acled_pre2019_remote_violence.csv", "acled"),
    ("acled_curated_upper_case.csv", "acled"),
    ("acled_r_write_csv_no_coordinates.csv", "acled"),
    ("acled_reexport_id_and_times.csv", "acled"),
    ("acled_backslash_quotes.csv", "acled"),
    ("ucdp_ged_excel_cp1252.csv", "ucdp"),
    ("ucdp_ged_third_party.geojson", "geojson"),
    ("gdelt1_20130915.export.CSV", "gdelt"),
    ("gdelt1_backfile_57_columns.CSV", "gdelt"),
    ("gdelt1_database_dump.csv", "gdelt"),
    ("bellingcat_civharm.json", "bellingcat"),
    ("airwars_incidents.csv", "airwars"),
    ("placelist_strike_releases.csv", "placelist"),
]


# --- the registry ----------------------------------------------------------------------------


def test_format_choices_are_auto_then_every_importer_in_detection_order():
    assert formats.FORMAT_CHOICES == (
        "auto",
        "geojson",
        "bellingcat",
        "gdelt",
        "acled",
        "ucdp",
        "airwars",
        "canonical",
        "placelist",
    )
    assert set(formats.FORMATS) == {name for _, name in FIXTURE_FORMATS}


@pytest.mark.parametrize(("fixture", "expected"), FIXTURE_FORMATS)
def test_each_fixture_is_detected_as_its_format(fixture, expected):
    data = (FIXTURES / fixture).read_bytes()

    assert formats.detect(data, fixture) == expected
    assert formats.import_file(FIXTURES / fixture).format_name == expected


@pytest.mark.parametrize("importer", list(formats.FORMATS))
@pytest.mark.parametrize(("fixture", "owner"), FIXTURE_FORMATS)
def test_each_format_check_accepts_its_own_files_and_refuses_the_others(importer, fixture, owner):
    encoding = "cp1252" if "cp1252" in fixture else "utf-8-sig"
    head = (FIXTURES / fixture).read_bytes().decode(encoding)

    assert formats.FORMATS[importer].looks_like(head, fixture) == (importer == owner)


def test_shipped_events_file_imports_exactly_as_the_loader_reads_it():
    imported = formats.import_file(SHIPPED_EVENTS)
    loaded = read_events(SHIPPED_EVENTS)

    assert imported.format_name == "canonical"
    assert imported.problems == []
    assert imported.events.equals(loaded.events)


# --- forcing a format ------------------------------------------------------------------------


def test_forced_format_is_used_even_when_detection_would_choose_another():
    path = FIXTURES / "canonical_utf8_bom.csv"

    with pytest.raises(ImportFileError) as caught:
        formats.import_file(path, "acled")

    assert caught.value.format_name == "acled"
    assert "event_date" in caught.value.reason
    assert "--format" in caught.value.reason


def test_unknown_format_name_lists_the_valid_choices():
    with pytest.raises(UnknownFormatError) as caught:
        formats.import_file(SHIPPED_EVENTS, "excel")

    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, StrikemapError)
    for choice in formats.FORMAT_CHOICES:
        assert choice in str(caught.value)


# --- files that cannot be used at all: one-line reason, an EventFileError --------------------

UNUSABLE_FILES = [
    ("empty", b"", "empty"),
    ("only blank lines", b"\n\n  \n", "empty"),
    ("binary (a PNG)", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("zip archive", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "binary"),
    ("prose", b"The coalition struck on Wednesday night.\n", "no columns"),
    ("CSV with unknown columns", b"name,when,where\nx,2018-02-07,Hajin\n", "no columns"),
    ("JSON that is not GeoJSON", b'[{"event_id": "x"}]', "no columns"),
]


@pytest.mark.parametrize(
    ("data", "words"), [c[1:] for c in UNUSABLE_FILES], ids=[c[0] for c in UNUSABLE_FILES]
)
def test_unusable_file_is_refused_as_a_whole_with_a_one_line_reason(tmp_path, data, words):
    path = tmp_path / "upload.dat"
    path.write_bytes(data)

    with pytest.raises(ImportFileError) as caught:
        formats.import_file(path)

    assert isinstance(caught.value, EventFileError)
    assert words in caught.value.reason
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


UNUSABLE_IN_FORMAT = [
    ("geojson", b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
    ("geojson", b'{"type": "Topology", "objects": {}}', "FeatureCollection"),
    ("canonical", b"event_id;location\nx;Hajin\n", "date_start"),
    ("ucdp", b"id,where_prec,date_prec\n1,1,1\n", "date_start"),
    ("canonical", b'event_id,date_start\n"unclosed,2018-02-07\n', "quote"),
]


@pytest.mark.parametrize(("format_name", "data", "words"), UNUSABLE_IN_FORMAT)
def test_file_unusable_in_the_format_asked_for_names_the_format_and_the_reason(
    format_name, data, words
):
    with pytest.raises(ImportFileError) as caught:
        formats.import_bytes(data, "upload", format_name)

    assert caught.value.format_name == format_name
    assert words in caught.value.reason
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda tmp: tmp / "missing.csv", "no such file"),
        (lambda tmp: tmp, "folder"),
    ],
    ids=["missing file", "a folder"],
)
def test_path_that_is_not_a_readable_file_is_refused(tmp_path, make, words):
    with pytest.raises(ImportFileError) as caught:
        formats.import_file(make(tmp_path))

    assert words in caught.value.reason


# --- rejected rows: row number, id in the source, reason; the other rows load ---------------


def test_rejected_rows_are_named_by_row_number_and_source_id_and_the_rest_load():
    imported = formats.import_file(FIXTURES / "acled_syria_2018.csv")

    assert [(p.row, p.event_id, p.column) for p in imported.problems] == [
        (6, "SYR31005", s.DATE_START),
        (7, "SYR31006", s.KILLED_MIN),
    ]
    assert "row 6 (id SYR31005), column date_start" in str(imported.problems[0])
    assert len(imported.events) == 4


def test_summary_counts_imported_rejected_and_skipped_rows():
    imported = formats.import_file(FIXTURES / "gdelt_20180208.export.CSV")

    summary = imported.summary()

    assert summary.startswith("5 events imported from ")
    assert "(gdelt)" in summary
    assert "2 rows rejected" in summary
    assert "1 skipped: CAMEO event code not under 19 (not a fight event)" in summary


def test_import_bytes_names_the_upload_in_every_problem():
    data = (FIXTURES / "acled_syria_2018.csv").read_bytes()

    imported = formats.import_bytes(data, "my-upload.csv")

    assert imported.source == "my-upload.csv"
    assert all(str(p).startswith("my-upload.csv, row ") for p in imported.problems)


# --- the docs table is written from the registry ----------------------------------------------


def test_docs_formats_md_is_current_with_the_registry():
    documented = (PROJECT_ROOT / "docs" / "formats.md").read_text(encoding="utf-8")

    assert documented == formats.docs_markdown(), (
        "docs/formats.md is out of date; rewrite it with "
        "python -c 'from components import formats; "
        'open("docs/formats.md", "w").write(formats.docs_markdown())\''
    )


@pytest.mark.parametrize("name", list(formats.FORMATS))
def test_docs_give_every_format_a_mapping_table(name):
    documented = formats.docs_markdown()

    assert f"## `{name}`" in documented
    for source_column, canonical_column, _ in formats.FORMATS[name].mapping:
        assert f"| {source_column.replace('|', chr(92) + '|')} | {canonical_column} |" in (
            documented
        )
