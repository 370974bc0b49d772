"""GDELT event exports, no header: 2.0 (61 tab-separated columns) and 1.0 (58 columns, or 57
in the files before April 2013 that have no SOURCEURL; 1.0 has no ADM2 codes). Also read: a 1.0
table dumped from a database, comma-separated with every value quoted and ``NULL`` for empty,
where the CAMEO codes lost their leading zeros (``"80"`` for 080, root ``"1"`` for 01); those
zeros are put back.

GDELT codes every kind of event; the "fight" class (CAMEO root 19) is kept by default and the
rest counted as not events. Strikes get ACLED's types: 194 "fight with artillery and tanks" and
195 "employ aerial weapons" with its children 1951 (precision-guided) and 1952 (remotely
piloted); the other fight codes are named by their CAMEO description, so the type filter can
leave them out. ``ImportOptions.event_codes`` (``--cameo``) chooses others.
GDELT reports no casualties, so every casualty column stays empty: unknown, never 0.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from components.formats import _tabular as t
from components.formats.gdelt_codebook import (
    CAMEO_NAMES,
    COLUMNS,
    COLUMNS_V1,
    GEO_TYPE,
    SCHEMAS,
    STRIKE_TYPES,
)
from components.table import schema as s
from components.table.errors import ImportFileError

__all__ = [
    "COLUMNS",
    "COLUMNS_V1",
    "DESCRIPTION",
    "MAPPING",
    "NAME",
    "SCHEMAS",
    "looks_like",
    "read",
]

NAME = "gdelt"
DESCRIPTION = (
    "GDELT 2.0 or 1.0 event export (no header; 61, 58 or 57 columns, tab-separated, or a "
    "database dump, comma-separated and quoted with NULL)"
)
DETECTED_BY = (
    "the first line has 61, 58 or 57 tab- or comma-separated cells, the first a numeric id "
    "and the second a YYYYMMDD date (or they are the codebook's column names)"
)

MAPPING = (
    ("GLOBALEVENTID", s.EVENT_ID, "as is"),
    ("SQLDATE", s.DATE_START, "`YYYYMMDD` → ISO; `date_precision` = `day`"),
    (
        "EventCode",
        s.EVENT_TYPE,
        "rows kept when the code is in root 19, fight (others by `--cameo`, the rest are "
        "skipped and counted); 194 → `Shelling/artillery/missile attack`, 195/1951/1952 → "
        "`Air/drone strike`; other codes → `CAMEO <code>: <description>`. "
        "Also kept as `cameo_code`",
    ),
    ("Actor1Name, Actor2Name", f"{s.ACTOR1}, {s.ACTOR2}", "as is"),
    (
        "ActionGeo_FullName",
        f"{s.LOCATION}, {s.ADMIN1}, {s.COUNTRY}",
        "`place, province, country` split at commas: the last part is the country, the first "
        "the location (city or province), a middle part the province",
    ),
    (
        "ActionGeo_Lat, ActionGeo_Long",
        f"{s.LATITUDE}, {s.LONGITUDE}",
        "as is, `geocoder` = `source`; left empty for country-level places (type 1)",
    ),
    (
        "ActionGeo_Type",
        s.GEO_PRECISION,
        "3 US city, 4 world city → 1; 2 US state, 5 world province → 3; 1 country → empty, "
        "and no coordinates. Also kept as `gdelt_geo_type`",
    ),
    ("SOURCEURL", s.SOURCE_URL, "as is; `source_name` = the address's host"),
    ("DATEADDED", s.SOURCE_DATE, "`YYYYMMDDHHMMSS` → the ISO date"),
    (
        "—",
        "`killed_*`, `injured_*`, `civilians_killed_*`",
        "empty: GDELT reports no casualties (unknown, never 0)",
    ),
    (
        "EventRootCode, EventBaseCode, EventCode (1.0 database dumps)",
        "—",
        "a root code of one digit lost its leading zero: `0` is put back on the root and on "
        "the codes under it (`1` → `01`, `80` → `080`); `NULL` cells are empty",
    ),
    ("the other columns", "—", "dropped (`event_id` leads back to the GDELT record)"),
)


def looks_like(head: str, name: str) -> bool:
    """The first line is 61, 58 or 57 cells: a numeric event id then a date, or the codebook's
    column names (a header someone added)."""
    cells = _first_cells(head)
    return _is_header(cells) or (
        len(cells) in SCHEMAS
        and cells[0].strip().isdigit()
        and len(cells[1].strip()) == 8
        and cells[1].strip().isdigit()
    )


def _is_header(cells: list[str]) -> bool:
    names = SCHEMAS.get(len(cells), ())
    return bool(names) and [c.strip().lower() for c in cells] == [n.lower() for n in names]


def read(data: bytes, source: str, options: t.ImportOptions) -> t.RawEvents:
    """Keep the strike events of a GDELT export and turn them into canonical cells."""
    text = t.decode(data)
    delimiter = "\t" if "\t" in text.split("\n", 1)[0] else ","
    width = len(_first_cells(text)) if len(_first_cells(text)) in SCHEMAS else len(COLUMNS)
    columns = SCHEMAS[width]
    notes = [] if width == 61 else [f"read as GDELT 1.0 ({width} columns)"]
    headed = _is_header(_first_cells(text))
    fast = _arrow_frame(data, columns, headed) if delimiter == "\t" else None
    if fast is not None:
        return _kept(fast, [], options, notes)
    rows, numbers, problems = [], [], []
    for number, cells in _lines(text, delimiter):
        if headed and number == 1:
            continue
        if len(cells) != width:
            problems.append(
                t.ImportProblem(
                    source,
                    number,
                    None,
                    delimiter.join(cells),
                    f"{width} {'tab' if delimiter == chr(9) else 'comma'}-separated cells "
                    f"(a GDELT {'2.0' if width == 61 else '1.0'} event line, as the first line "
                    f"has), not {len(cells)}",
                    event_id=cells[0].strip() if cells and cells[0].strip().isdigit() else "",
                )
            )
            continue
        rows.append(cells)
        numbers.append(number)
    if not rows and problems:
        raise ImportFileError(
            source,
            f"is read as gdelt but no line has the {width} cells of a GDELT event line; "
            "check the export, or choose another --format",
            format_name=NAME,
        )
    raw = pd.DataFrame(rows, columns=list(columns), dtype=object)
    if delimiter == ",":  # a database dump writes NULL for an empty cell
        raw = raw.mask(raw == "NULL", "")
    raw.insert(0, t.ROW, pd.Series(numbers, dtype=int))
    return _kept(raw, problems, options, notes)


def _kept(
    raw: pd.DataFrame, problems: list, options: t.ImportOptions, notes: list[str]
) -> t.RawEvents:
    """The rows whose CAMEO code is kept, as canonical cells; the others counted."""
    restored = _restore_cameo_zeros(raw)
    if restored:
        notes.append(f"CAMEO codes without their leading zero put back in {restored:,} rows")
    code = t.cells(raw, "EventCode")
    wanted = code.str.startswith(tuple(options.event_codes)).fillna(False).astype(bool)
    skipped = int((~wanted).sum())
    raw, code = raw[wanted], code[wanted]
    frame = _canonical(raw, code)
    written = {
        s.DATE_START: t.as_written(raw[t.ROW], t.cells(raw, "SQLDATE"), frame[s.DATE_START]),
        s.SOURCE_DATE: t.as_written(raw[t.ROW], t.cells(raw, "DATEADDED"), frame[s.SOURCE_DATE]),
    }
    return t.RawEvents(
        frame,
        as_written=written,
        problems=problems,
        skipped=skipped,
        skipped_reason=(
            f"CAMEO event code not under {', '.join(options.event_codes)} (not a fight event)"
        ),
        notes=notes,
    )


def _arrow_frame(data: bytes, columns: tuple[str, ...], headed: bool) -> pd.DataFrame | None:
    """A tab-separated export read by Arrow (no quoting in GDELT's cells), rows numbered by
    line; None when a line is blank or has another width, so that the line-by-line reader
    names it."""
    body = data.rstrip(b"\r\n")
    if b"\n\n" in body or b"\r" in body:
        return None
    bad: list[int] = []
    keys = [f"c{i}" for i in range(len(columns))]
    try:
        table = pa_csv.read_csv(
            pa.py_buffer(data),
            read_options=pa_csv.ReadOptions(
                column_names=keys, block_size=1 << 22, skip_rows=int(headed)
            ),
            parse_options=pa_csv.ParseOptions(
                delimiter="\t",
                quote_char=False,
                invalid_row_handler=lambda row: bad.append(1) or "skip",
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(keys, pa.string()),
                null_values=[],
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if bad:
        return None
    raw = table.combine_chunks().to_pandas()
    raw.columns = list(columns)
    first = 2 if headed else 1
    raw.insert(0, t.ROW, np.arange(first, len(raw) + first))
    return raw


def _first_cells(text: str) -> list[str]:
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    if "\t" in first:
        return first.split("\t")
    return next(csv.reader([first]), [])


def _lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank line; a GDELT cell never holds a line end."""
    lines = text.split("\n")
    if delimiter == "\t":
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield number, line.split("\t")
        return
    for number, line in enumerate(lines, start=1):
        if line.strip():
            try:
                yield number, next(csv.reader([line]))
            except csv.Error:
                yield number, [line]


def _restore_cameo_zeros(raw: pd.DataFrame) -> int:
    """Put back the leading zero that a database's number columns took from CAMEO codes
    (root ``1`` → ``01``, ``80`` → ``080``); returns how many rows changed."""
    root = t.cells(raw, "EventRootCode")
    lost = (root.str.len() == 1) & root.str.isdigit()
    if not lost.any():
        return 0
    raw.loc[lost, "EventRootCode"] = "0" + root[lost]
    for column in ("EventBaseCode", "EventCode"):
        code = t.cells(raw, column)
        short = lost & (code != "") & ~code.str.startswith("0")
        raw.loc[short, column] = "0" + code[short]
    return int(lost.sum())


def _canonical(raw: pd.DataFrame, code: pd.Series) -> pd.DataFrame:
    geo_type = t.cells(raw, "ActionGeo_Type")
    coded = geo_type.map(lambda v: GEO_TYPE.get(v, ("", False)))
    keep_place = coded.map(lambda pair: pair[1]).astype(bool)
    latitude = t.cells(raw, "ActionGeo_Lat").where(keep_place, "")
    longitude = t.cells(raw, "ActionGeo_Long").where(keep_place, "")
    full_name = t.cells(raw, "ActionGeo_FullName")
    country_only = geo_type == "1"
    url = t.cells(raw, "SOURCEURL")
    columns = {
        s.EVENT_ID: t.cells(raw, "GLOBALEVENTID"),
        s.DATE_START: t.cells(raw, "SQLDATE").map(_iso),
        s.DATE_PRECISION: pd.Series("day", index=raw.index),
        s.EVENT_TYPE: code.map(_event_type),
        s.ACTOR1: t.cells(raw, "Actor1Name"),
        s.ACTOR2: t.cells(raw, "Actor2Name"),
        s.COUNTRY: t.map_distinct(full_name, lambda n: _part(n, "country")),
        s.ADMIN1: t.map_distinct(full_name, lambda n: _part(n, "admin1")),
        s.LOCATION: t.map_distinct(full_name, lambda n: _part(n, "location")).where(
            ~country_only, ""
        ),
        s.LATITUDE: latitude,
        s.LONGITUDE: longitude,
        s.GEO_PRECISION: coded.map(lambda pair: pair[0]).where(latitude != "", ""),
        s.GEOCODER: ((latitude != "") & (longitude != "")).map({True: "source", False: ""}),
        s.SOURCE_NAME: url.map(_host),
        s.SOURCE_URL: url,
        s.SOURCE_DATE: t.cells(raw, "DATEADDED").map(lambda v: _iso(v[:8]) if v else ""),
        "cameo_code": code,
        "gdelt_geo_type": geo_type,
    }
    return t.canonical_frame(raw[t.ROW], columns)


def _part(full_name: str, which: str) -> str:
    """``place, province, country``: the last part is the country, the first the location,
    a middle part the province (a two-part name is a province and its country)."""
    parts = [p.strip() for p in full_name.split(",") if p.strip()]
    if which == "country":
        return parts[-1] if parts else ""
    if which == "admin1":
        return parts[-2] if len(parts) >= 3 else (parts[0] if len(parts) == 2 else "")
    return parts[0] if len(parts) >= 2 else ""


def _event_type(code: str) -> str:
    if code in STRIKE_TYPES:
        return STRIKE_TYPES[code]
    name = CAMEO_NAMES.get(code)
    return f"CAMEO {code}: {name}" if name else f"CAMEO {code}"


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _is_yyyymmdd(value: str) -> bool:
    return len(value) == 8 and value.isdigit()


def _iso(value: str) -> str:
    """``20180207`` → ``2018-02-07``; anything else passes unchanged so the gate reports it."""
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if _is_yyyymmdd(value) else value
