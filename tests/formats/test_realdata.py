"""Properties of every real file in ../shared/realdata (third-party data, never committed; the
tests skip when the folder is absent): every row is imported, rejected with a reason, or counted
as not an event; at least 99% of the event rows import; dates are the source's day; no Unknown,
NA or empty casualty becomes 0; coordinates are the source's; ids are unique and stable.

The source is read here independently of the importers (csv and json modules), and each row is
found again by its row number.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from components import PROJECT_ROOT, formats
from components.table import schema as s

REALDATA = PROJECT_ROOT.parent / "shared" / "realdata"
FOLDERS = ("acled", "ucdp", "gdelt", "incidents")
FILES = (
    sorted(p for folder in FOLDERS for p in (REALDATA / folder).glob("*") if p.is_file())
    if REALDATA.is_dir()
    else []
)
NOT_REPORTED = {"", "na", "n/a", "unknown", "null", "none"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

pytestmark = pytest.mark.skipif(not FILES, reason="../shared/realdata is not here")


@dataclass(frozen=True)
class Spec:
    """Where a producer's source columns are: date, casualty figures, coordinates."""

    date: str
    casualties: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(source column, the canonical columns it fills)."""
    latitude: str = ""
    longitude: str = ""


SPECS = {
    "acled": Spec("event_date", (("fatalities", (s.KILLED_MIN,)),), "latitude", "longitude"),
    "ucdp": Spec(
        "date_start",
        (("low", (s.KILLED_MIN,)), ("high", (s.KILLED_MAX,))),
        "latitude",
        "longitude",
    ),
    "gdelt": Spec("SQLDATE", (), "ActionGeo_Lat", "ActionGeo_Long"),
    "bellingcat": Spec("date", (), "latitude", "longitude"),
    "airwars": Spec(
        "incidence_date",
        (
            ("civilians reported killed", (s.CIVILIANS_KILLED_MIN, s.KILLED_MIN)),
            ("civilians reported injured", (s.INJURED_MIN, s.INJURED_MAX)),
        ),
        "lat",
        "long",
    ),
    "placelist": Spec("date"),
}


def _decoded(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def source_rows(path: Path, format_name: str) -> dict[int, dict[str, str]]:
    """Row number (as the importers number them) → the source's cells by lower-case name."""
    if format_name == "bellingcat":
        items = json.loads(_decoded(path))
        return {i: {k.lower(): str(v) for k, v in item.items()} for i, item in enumerate(items, 1)}
    text = _decoded(path)
    if format_name == "gdelt":
        from components.formats.gdelt import SCHEMAS

        rows = {}
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                cells = line.split("\t") if "\t" in line else next(csv.reader([line]))
                names = SCHEMAS.get(len(cells), ())
                rows[number] = {
                    n: ("" if c == "NULL" else c) for n, c in zip(names, cells, strict=False)
                }
        return rows
    records = list(csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline="")))
    header = [h.strip().lower() for h in records[0]]
    return {
        number: dict(zip(header, record, strict=False))
        for number, record in enumerate(records[1:], start=2)
        if any(c.strip() for c in record)
    }


@pytest.fixture(scope="module")
def imports():
    """Each file imported twice (for stable ids), with its source rows."""
    done = {}
    for path in FILES:
        first = formats.import_file(path)
        again = formats.import_file(path)
        done[path.name] = (first, again, source_rows(path, first.format_name))
    return done


def _events(imports, name):
    first, _, rows = imports[name]
    return first, rows, SPECS[first.format_name]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_row_is_imported_rejected_with_a_reason_or_not_an_event(imports, path):
    imported, _, rows = imports[path.name]

    assert len(imported.events) + len(imported.rejected_rows) + imported.skipped == len(rows)
    assert all(p.expected for p in imported.problems)
    assert imported.report()[-1].startswith(f"imported {len(imported.events):,} of {len(rows):,}")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_at_least_99_percent_of_the_event_rows_import(imports, path):
    imported, _, rows = imports[path.name]

    event_rows = len(rows) - imported.skipped
    assert len(imported.events) >= 0.99 * event_rows, imported.report()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_imported_date_is_the_day_the_source_wrote(imports, path):
    imported, rows, spec = _events(imports, path.name)

    for row, day in zip(imported.events["_row"], imported.events[s.DATE_START], strict=True):
        written = rows[int(row)][_key(spec.date)]
        assert _same_day(written, day), (row, written, day)


def _key(column: str) -> str:
    """CSV headers are compared lower-cased; GDELT's own names keep their case."""
    return column.lower() if column.islower() else column


def _same_day(written: str, day: pd.Timestamp) -> bool:
    """The year, month and day of ``day`` all appear in the text as written, in some form."""
    text = written.lower().split("t")[0] if re.match(r"^\d{4}-", written) else written.lower()
    if re.fullmatch(r"\d{8}", text.strip()):
        return text.strip() == day.strftime("%Y%m%d")
    text = re.sub(r"\s\d{1,2}:\d{2}.*$", "", text.strip())
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    years = {day.year, day.year % 100}
    month_named = MONTHS[day.month - 1] in text
    return (
        bool(years & set(numbers))
        and day.day in numbers
        and (month_named or numbers.count(day.month) >= (2 if day.month == day.day else 1))
    )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_unknown_na_or_empty_casualty_becomes_zero(imports, path):
    imported, rows, spec = _events(imports, path.name)
    figures = list(s.COUNT_COLUMNS)

    source = [rows[int(row)] for row in imported.events["_row"]]
    for column, filled in spec.casualties:
        unknown = pd.Series([r.get(column, "").strip().lower() in NOT_REPORTED for r in source])
        for canonical in filled:
            values = imported.events[canonical]
            assert values[unknown.to_numpy()].isna().all(), (column, canonical)
            known = values[~unknown.to_numpy()]
            assert known.notna().all(), (column, canonical)
    if not spec.casualties:
        assert imported.events[figures].isna().all().all()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_imported_coordinates_are_the_sources(imports, path):
    imported, rows, spec = _events(imports, path.name)
    if not spec.latitude:
        assert imported.events[s.LATITUDE].isna().all()
        return

    placed = imported.events[imported.events[s.LATITUDE].notna()]
    for row, latitude, longitude in zip(
        placed["_row"], placed[s.LATITUDE], placed[s.LONGITUDE], strict=True
    ):
        source = rows[int(row)]
        written = (source[_key(spec.latitude)], source[_key(spec.longitude)])
        assert (latitude, longitude) == (float(written[0]), float(written[1])), row


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_ids_are_unique_and_the_same_on_a_second_import(imports, path):
    first, again, _ = imports[path.name]

    ids = first.events[s.EVENT_ID].tolist()
    assert len(set(ids)) == len(ids)
    assert ids == again.events[s.EVENT_ID].tolist()


# --- day before month or month before day: checked against a second telling of the date -----

NOTE_DATE = re.compile(r"^On (?:or about )?(\d{1,2}) ([A-Z][a-z]+),? (\d{4})")


@pytest.mark.parametrize(
    "path", [p for p in FILES if p.parent.name == "acled"], ids=lambda p: p.name
)
def test_acled_dates_agree_with_the_date_in_the_events_own_notes(imports, path):
    imported, _, _ = imports[path.name]
    events = imported.events
    agree = []
    for text, day in zip(events[s.SOURCE_TEXT], events[s.DATE_START], strict=True):
        match = NOTE_DATE.match(text)
        if match and match.group(2).lower()[:3] in MONTHS:
            month = MONTHS.index(match.group(2).lower()[:3]) + 1
            agree.append(pd.Timestamp(int(match.group(3)), month, int(match.group(1))) == day)
    if len(agree) < 20:
        pytest.skip("too few notes open with their date")
    # ACLED's own notes now and then give another day than its date: most agree,
    # and a day/month swap would make most of them disagree.
    assert sum(agree) >= 0.9 * len(agree), (sum(agree), len(agree))


def test_ucdp_excel_resave_dates_equal_the_api_files_for_the_same_ids(imports):
    names = [p.name for p in FILES if p.parent.name == "ucdp"]
    excel = next((n for n in names if "excel" in n), None)
    api = next((n for n in names if "api" in n), None)
    if not (excel and api):
        pytest.skip("needs both UCDP files")
    by_id = {
        name: imports[name][0].events.set_index(s.EVENT_ID)[[s.DATE_START, s.DATE_END]]
        for name in (excel, api)
    }
    shared = by_id[excel].index.intersection(by_id[api].index)

    same = (by_id[excel].loc[shared] == by_id[api].loc[shared]).all(axis=1)

    # UCDP revises a few dates between releases; a day/month swap would change thousands.
    assert len(shared) > 1000
    assert same.mean() >= 0.995, by_id[excel].loc[shared][~same].head()
