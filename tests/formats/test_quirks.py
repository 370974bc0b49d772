"""One synthetic fixture per quirk of real exports (tests/fixtures, invented places and figures):
what each must import as, and what the import says about it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from components import formats
from components.formats import _dates
from components.table import schema as s
from components.table.errors import ImportFileError
from tests import FIXTURES
from tests.cli.run import run_cli


def imported(name: str, format_name: str = "auto") -> formats.ImportedEvents:
    return formats.import_file(FIXTURES / name, format_name)


def by_id(events: pd.DataFrame) -> pd.DataFrame:
    return events.set_index(s.EVENT_ID)


def day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- ACLED, every era and shape ----------------------------------------------------------------


def test_export_tool_with_text_interaction_labels():
    events = by_id(imported("acled_export_tool_text_inter.csv").events)

    assert events.loc["ZZL101", s.EVENT_TYPE] == "Air/drone strike"
    assert events.loc["ZZL101", "acled_event_type"] == "Explosions/Remote violence"
    assert events.loc["ZZL102", s.DATE_PRECISION] == "week"
    assert events.loc["ZZL101", s.KILLED_MIN] == 3


def test_spreadsheet_two_digit_years_are_read_day_first_and_the_choice_is_stated():
    result = imported("acled_2019_spreadsheet_two_digit_years.csv")
    events = by_id(result.events)

    assert events.loc["ZZL7", s.DATE_START] == day("2019-12-31")
    assert events.loc["ZZL8", s.DATE_START] == day("2004-01-04")
    assert events.loc["ZZL9", s.DATE_START] == day("2019-05-09")
    [note] = [n for n in result.notes if n.startswith("event_date")]
    assert "day first" in note and "two-digit years" in note
    assert any(line.startswith("note: event_date") for line in result.report())
    # The inserted and appended columns neither shift the others nor reject the rows.
    assert events.loc["ZZL7", s.ADMIN1] == "Coastmark"
    assert events.loc["ZZL7", "admin2"] == "Saltby"


def test_pre_2019_broad_type_is_the_event_type_and_kept_as_acled_event_type():
    events = by_id(imported("acled_pre2019_remote_violence.csv").events)

    assert events.loc["ZZL21", s.EVENT_TYPE] == "Remote violence"
    assert events.loc["ZZL21", "acled_event_type"] == "Remote violence"
    assert (events[s.EVENT_TYPE] != "").all()


def test_curated_upper_case_file_without_ids_gets_stable_content_ids():
    first = imported("acled_curated_upper_case.csv")
    again = imported("acled_curated_upper_case.csv")

    ids = first.events[s.EVENT_ID].tolist()
    assert ids == again.events[s.EVENT_ID].tolist()
    assert len(set(ids)) == 3 and all(i.startswith("acled-") for i in ids)
    # Two identical rows: both kept, told apart by their order.
    assert ids[2] == ids[1] + "-2"
    assert first.events[s.DATE_START].tolist() == [
        day("2022-01-05"),
        day("2020-05-09"),
        day("2020-05-09"),
    ]
    assert first.events[s.LATITUDE].iloc[0] == 31.425


def test_r_write_csv_row_numbers_are_dropped_and_rows_without_coordinates_wait_for_the_geocoder():
    result = imported("acled_r_write_csv_no_coordinates.csv")

    assert result.format_name == "acled" and len(result.events) == 2
    assert "_rownames" not in result.events
    assert result.events[[s.LATITUDE, s.LONGITUDE]].isna().all().all()
    assert (result.events[s.GEOCODER] == "").all()
    assert result.events[s.LOCATION].tolist() == ["Kettle Ford", "Pike Crossing"]
    assert result.events[s.ADMIN1].tolist() == ["Northmark", "Northmark"]


def test_reexport_with_id_and_times_reads_id_as_the_event_id_and_dates_day_first():
    result = imported("acled_reexport_id_and_times.csv")
    events = by_id(result.events)

    assert list(events.index) == ["700001", "700002"]
    assert events.loc["700001", s.DATE_START] == day("2024-02-01")
    assert events.loc["700002", s.DATE_START] == day("2020-08-14")


def test_backslash_quotes_are_quotes_and_an_unreadable_row_is_named_while_its_neighbours_load():
    result = imported("acled_backslash_quotes.csv")
    events = by_id(result.events)

    assert list(events.index) == ["ZZL31", "ZZL33", "ZZL34"]
    assert events.loc["ZZL31", s.SOURCE_TEXT] == (
        'Clashes left dead, "mostly fighters" said a source.'
    )
    assert events.loc["ZZL34", s.SOURCE_TEXT] == 'A plain "quoted" word.'
    [problem] = result.problems
    assert problem.row == 3 and "line 3" in problem.expected
    assert result.report()[-1] == "imported 3 of 4 rows (1 rejected, 0 not events)"


def test_backslash_escapes_in_unquoted_cells_as_the_csv_module_writes_them():
    data = (
        b"event_id_cnty,event_date,event_type,sub_event_type,notes,fatalities\n"
        b'ZZL41,2021-03-01,Battles,Armed clash,Police \\"attempted\\" to stop it.,0\n'
        b'ZZL42,2021-03-02,Battles,Armed clash,\\"Quoted\\" first\\, then a comma,1\n'
    )

    events = by_id(formats.import_bytes(data, "escaped.csv").events)

    assert events.loc["ZZL41", s.SOURCE_TEXT] == 'Police "attempted" to stop it.'
    assert events.loc["ZZL42", s.SOURCE_TEXT] == '"Quoted" first, then a comma'


def test_a_file_with_no_readable_row_is_refused_in_one_line():
    data = b'event_id_cnty,event_date,notes\n"ZZL1,2021-03-01,never closed\n'

    with pytest.raises(ImportFileError) as caught:
        formats.import_bytes(data, "x.csv", "acled")

    assert "no row can be split" in caught.value.reason and "\n" not in str(caught.value)


# --- dates: one order per column, stated -------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "prefer", "expected", "order"),
    [
        (["01/02/2024", "03/04/2024"], _dates.DAY_FIRST, ["2024-02-01", "2024-04-03"], "day"),
        (["01/02/2024", "03/04/2024"], _dates.MONTH_FIRST, ["2024-01-02", "2024-03-04"], "month"),
        (["01/02/2024", "13/04/2024"], _dates.MONTH_FIRST, ["2024-02-01", "2024-04-13"], "day"),
        (
            ["1/22/2014 12:00:00 AM", "05/02/2014 00:00"],
            _dates.DAY_FIRST,
            ["2014-01-22", "2014-05-02"],
            "month",
        ),
    ],
)
def test_a_numeric_date_column_is_read_in_one_order_and_the_order_is_stated(
    values, prefer, expected, order
):
    iso, note = _dates.read_dates(pd.Series(values), "d", prefer)

    assert iso.tolist() == expected
    assert f"read as {order} first" in note


def test_unambiguous_forms_need_no_note():
    written = ["2018-02-07", "07 February 2018", "october-7-2023", "2009-02-20T00:00:00"]
    epoch = ["1518000000", "1518000000000"]  # seconds and milliseconds since 1970, UTC

    iso, note = _dates.read_dates(pd.Series([*written, *epoch]), "d")

    expected = ["2018-02-07", "2018-02-07", "2023-10-07", "2009-02-20", "2018-02-07"]
    assert iso.tolist() == [*expected, "2018-02-07"]
    assert note == ""


# --- UCDP ----------------------------------------------------------------------------------------


def test_ucdp_excel_resave_cp1252_month_first_with_times_and_candidate_events():
    result = imported("ucdp_ged_excel_cp1252.csv")
    events = by_id(result.events)

    assert events.loc["910001", s.DATE_START] == day("2014-01-22")
    assert events.loc["910002", s.DATE_START] == day("2014-05-02")
    assert events.loc["910001", s.SOURCE_TEXT].endswith(
        "Zed Herald \u2019Kettle\u2019 report\nsecond line"
    )
    assert events.loc["910003", "code_status"] == "Check deaths"
    # A database's empty-date placeholder (1753-01-01) is passed over for the report's date.
    assert events.loc["910003", s.SOURCE_DATE] == "2023-03-04"
    assert any("date_start: read as month first" in n for n in result.notes)


def test_ucdp_high_below_low_is_kept_with_a_range_holding_all_three_and_a_warning():
    result = imported("ucdp_ged_excel_cp1252.csv")
    event = by_id(result.events).loc["910003"]

    assert (event[s.KILLED_MIN], event[s.KILLED_MAX]) == (3, 5)
    [warning] = result.warnings
    assert (warning.row, warning.event_id) == (4, "910003")
    assert result.problems == []


def test_third_party_geojson_with_ucdp_properties_is_read_by_ucdp_rules():
    result = imported("ucdp_ged_third_party.geojson")
    events = by_id(result.events)

    assert result.format_name == "geojson" and len(events) == 3
    assert events.loc["920001", s.DATE_START] == day("2009-02-20")
    assert (events.loc["920001", s.LATITUDE], events.loc["920001", s.LONGITUDE]) == (50.45, 30.52)
    # where_prec 6: the country only; no point on the map.
    assert pd.isna(events.loc["920002", s.LATITUDE])
    assert (events.loc["920003", s.KILLED_MIN], events.loc["920003", s.KILLED_MAX]) == (0, 2)


def test_ucdp_geojson_without_any_id_gets_stable_ids_from_its_content():
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [30.5, 50.4]},
        "properties": {"where_prec": 1, "date_prec": 1, "date_start": "2009-02-20T00:00:00",
                       "low": 1, "best": 2, "high": 3, "side_a": "Government of Zedland"},
    }  # fmt: skip
    data = json.dumps({"type": "FeatureCollection", "features": [feature, feature]}).encode()

    first = formats.import_bytes(data, "x.geojson")
    ids = first.events[s.EVENT_ID].tolist()

    assert len(ids) == 2 and ids[0].startswith("ucdp-") and ids[1] == ids[0] + "-2"
    assert ids == formats.import_bytes(data, "x.geojson").events[s.EVENT_ID].tolist()
    assert first.events[s.KILLED_MAX].tolist() == [3, 3]


def test_r_na_cells_are_not_reported_never_zero_and_never_reject_the_row():
    data = (
        b'"","event_date","event_type","sub_event_type","location","latitude","longitude",'
        b'"fatalities"\n"1","2022-09-23","Battles","Armed clash","Kettle Ford",NA,NA,NA\n'
        b'"2","2022-09-22","Battles","Armed clash","Pike Crossing",10.2,45.7,0\n'
    )

    result = formats.import_bytes(data, "r.csv")

    assert result.problems == [] and len(result.events) == 2
    assert pd.isna(result.events[s.KILLED_MIN].iloc[0]) and result.events[s.KILLED_MIN].iloc[1] == 0
    assert pd.isna(result.events[s.LATITUDE].iloc[0])


def test_semicolon_export_with_decimal_commas_and_a_pasted_copy_of_a_row():
    data = (
        "event_id_cnty;event_date;event_type;sub_event_type;latitude;longitude;fatalities\n"
        "ZZL1;2021-03-01;Battles;Armed clash;36,5;37,25;1\n"
        "ZZL2;2021-03-02;Battles;Armed clash;36,6;37,3;0\n"
        "ZZL1;2021-03-01;Battles;Armed clash;36,5;37,25;1\n"
    ).encode("cp1252")

    result = formats.import_bytes(data, "semicolons.csv")

    assert result.events[s.EVENT_ID].tolist() == ["ZZL1", "ZZL2"]
    assert result.events[s.LATITUDE].tolist() == [36.5, 36.6]
    assert result.skipped == 1 and "copy of an earlier row" in result.skipped_reason
    assert result.report()[-1] == "imported 2 of 3 rows (0 rejected, 1 not events)"


# --- GDELT 1.0 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gdelt1_20130915.export.CSV", "gdelt1_backfile_57_columns.CSV"])
def test_gdelt_1_tab_separated_keeps_the_strikes(name):
    result = imported(name)

    assert result.format_name == "gdelt"
    assert result.events[s.EVENT_ID].tolist() == ["5001", "5002"]
    assert result.events[s.DATE_START].tolist() == [day("2013-09-15")] * 2
    assert result.skipped == 1
    assert result.events[list(s.COUNT_COLUMNS)].isna().all().all()


def test_gdelt_with_the_codebooks_header_added_is_still_gdelt():
    from components.formats.gdelt import COLUMNS_V1

    lines = (FIXTURES / "gdelt1_20130915.export.CSV").read_text().splitlines()
    data = "\n".join(["\t".join(COLUMNS_V1), *lines]).encode()

    result = formats.import_bytes(data, "with-header.csv")

    assert result.format_name == "gdelt"
    assert result.events[s.EVENT_ID].tolist() == ["5001", "5002"]
    assert result.events["_row"].tolist() == [2, 3]


def test_gdelt_1_database_dump_reads_null_and_puts_lost_cameo_zeros_back():
    result = imported("gdelt1_database_dump.csv")

    assert result.events[s.EVENT_ID].tolist() == ["6001", "6003"]
    assert result.events["cameo_code"].tolist() == ["194", "190"]
    assert result.skipped == 1
    assert any("leading zero" in n for n in result.notes)
    with_080 = formats.import_file(
        FIXTURES / "gdelt1_database_dump.csv", options=formats.ImportOptions(event_codes=("08",))
    )
    assert with_080.events["cameo_code"].tolist() == ["080"]


# --- Bellingcat, Airwars, place lists ------------------------------------------------------------


def test_bellingcat_sources_weapon_and_string_coordinates():
    result = imported("bellingcat_civharm.json")
    events = by_id(result.events)

    assert result.format_name == "bellingcat"
    assert events.loc["CIV9001", s.EVENT_TYPE] == "HE rocket artillery"
    assert events.loc["CIV9001", "area_affected"] == "Educational"
    assert events.loc["CIV9001", s.LATITUDE] == 49.212119
    assert events.loc["CIV9001", s.DATE_START] == day("2022-02-24")
    assert events.loc["CIV9001", s.SOURCE_URL] == "https://t.me/example_channel/1"
    assert result.sources[s.EVENT_ID].tolist() == ["CIV9001"]
    assert result.sources[s.SOURCE_URL].tolist() == ["https://twitter.com/example/status/2"]
    # Two different incidents under one id: both kept, the second renamed with a warning.
    assert "CIV9002-2" in events.index and len(result.warnings) == 1
    assert events[list(s.COUNT_COLUMNS)].isna().all().all()


def test_airwars_slug_dates_ranges_unknown_and_grading():
    events = by_id(imported("airwars_incidents.csv").events)

    assert events.loc["zz0001", s.DATE_START] == day("2023-10-07")
    first = events.loc["zz0001"]
    assert (first[s.CIVILIANS_KILLED_MIN], first[s.CIVILIANS_KILLED_MAX]) == (1, 2)
    assert first[s.CONFIDENCE] == "several sources" and first["airwars_grading"] == "Fair"
    assert first[s.SOURCE_TEXT].startswith("On the morning of 7 October")
    second = events.loc["zz0002"]
    assert second[[s.CIVILIANS_KILLED_MIN, s.KILLED_MIN]].isna().all()  # Unknown: never 0
    assert (second[s.INJURED_MIN], second[s.INJURED_MAX]) == (12, 24)
    assert pd.isna(second[s.LATITUDE])  # NA
    third = events.loc["zz0003"]
    assert third[s.INJURED_MIN] == 0  # a written 0 stays 0
    assert third[s.CONFIDENCE] == "confirmed by the striking party"
    assert third[s.ACTOR1] == "Zedland Military"


def test_place_list_rows_wait_for_the_geocoder_with_stable_ids():
    result = imported("placelist_strike_releases.csv")
    events = result.events

    assert result.format_name == "placelist" and len(events) == 4
    assert events[s.LATITUDE].isna().all()
    assert events[s.COUNTRY].tolist() == ["Zedland", "", "", "Zedland"]
    assert events[s.DATE_START].tolist()[-1] == day("2015-09-03")
    assert events["strike_count"].tolist() == ["1", "2", "2", "1"]
    assert events[s.SOURCE_TEXT].iloc[0].startswith("- Near Kettle Ford")
    assert (
        events[s.EVENT_ID].tolist()
        == imported("placelist_strike_releases.csv").events[s.EVENT_ID].tolist()
    )


def test_format_is_detected_by_content_and_forced_by_name():
    data = (FIXTURES / "placelist_strike_releases.csv").read_bytes()

    assert formats.detect(data, "anything.txt") == "placelist"
    with pytest.raises(ImportFileError):
        formats.import_bytes(data, "x.csv", "acled")


# --- the command line's report ---------------------------------------------------------------


_cli = run_cli  # in this process: tests/cli/test_faults.py runs the real process


def test_cli_summarises_causes_writes_rejects_and_ends_with_the_totals(tmp_path):
    rejects = tmp_path / "rejects.csv"
    out = tmp_path / "out.csv"

    done = _cli("import", str(FIXTURES / "acled_syria_2018.csv"), "--out", str(out),
                "--rejects", str(rejects))  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "imported 4 of 6 rows (2 rejected, 0 not events)"
    causes = [line for line in done.stderr.splitlines() if " rejected, " in line]
    assert len(causes) == 2 and any("row 6 (id SYR31005)" in line for line in causes)
    listed = pd.read_csv(rejects, dtype=str)
    assert listed["row"].tolist() == ["6", "7"] and listed["event_id"].tolist()[0] == "SYR31005"


def test_cli_exits_non_zero_when_nothing_is_imported(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("event_id_cnty,event_date,fatalities\nA,not a date,1\nB,also not,2\n")
    out = tmp_path / "out.csv"

    done = _cli("import", str(source), "--out", str(out))

    assert done.returncode == 1
    assert "imported 0 of 2 rows (2 rejected, 0 not events)" in done.stderr
    assert not out.exists()


def test_a_note_on_the_header_row_is_a_note_not_a_rejected_row():
    data = b"event_id,date_start,source_count\nA,2020-01-01,3\n"

    report = formats.import_bytes(data, "x.csv").report()

    assert report[-1] == "imported 1 of 1 rows (0 rejected, 0 not events)"
    assert not any(" rejected, " in line for line in report[:-1])
