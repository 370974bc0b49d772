"""Events and sources between pandas frames and the database's rows.

In: a typed frame (what ``validate_events`` returns, then placed and with sources attached)
becomes CSV text for ``COPY``. Out: ``COPY ... TO STDOUT`` text becomes a frame of strings
that goes through ``validate_events`` again, so a frame read from the database is typed
exactly as one read from a file.
"""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from components.geo.gazetteer import normalize_name
from components.storage.schema import COUNT_COLUMNS, EVENT_TEXT_COLUMNS, SOURCE_TEXT_COLUMNS
from components.table import schema as s
from components.table.sources import OWN_FIGURES, SOURCE_COUNT
from components.view.filters import event_end, lowest_killed

__all__ = [
    "EVENT_COPY_COLUMNS",
    "EVENT_TEXT_COLUMNS",
    "GIVEN_COLUMNS",
    "POINT_COPY_COLUMNS",
    "POINT_TEXT_COLUMNS",
    "SOURCE_COPY_COLUMNS",
    "SOURCE_TEXT_COLUMNS",
    "events_copy_text",
    "extra_columns",
    "read_copy_text",
    "sources_copy_text",
]

# The canonical columns as the database stores them (as written in the file).
GIVEN_COLUMNS: tuple[str, ...] = (
    s.EVENT_ID,
    s.DATE_START,
    s.DATE_END,
    s.DATE_PRECISION,
    s.LATITUDE,
    s.LONGITUDE,
    s.GEO_PRECISION,
    *EVENT_TEXT_COLUMNS,
    *COUNT_COLUMNS,
)
_SHOWN = {
    "shown_killed_min": s.KILLED_MIN,
    "shown_killed_max": s.KILLED_MAX,
    "shown_injured_min": s.INJURED_MIN,
    "shown_injured_max": s.INJURED_MAX,
}
EVENT_COPY_COLUMNS: tuple[str, ...] = (
    *GIVEN_COLUMNS,
    "extra",
    "date_last",
    "place_latitude",
    "place_longitude",
    "place_precision",
    "place_geocoder",
    "matched_name",
    "location_key",
    "country_code",
    *_SHOWN,
    "shown_confidence",
    "source_count",
    "lowest_killed",
    "created_change",
)
POINT_COPY_COLUMNS: tuple[str, ...] = (
    s.EVENT_ID,
    s.DATE_START,
    "date_last",
    s.DATE_PRECISION,
    s.EVENT_TYPE,
    s.ACTOR1,
    s.ACTOR2,
    *_SHOWN,
    "shown_confidence",
    "place_precision",
    "lowest_killed",
    s.LATITUDE,
    s.LONGITUDE,
    "mx",
    "my",
)
POINT_TEXT_COLUMNS: tuple[str, ...] = (
    s.EVENT_ID,
    s.DATE_PRECISION,
    s.EVENT_TYPE,
    s.ACTOR1,
    s.ACTOR2,
    "shown_confidence",
)
SOURCE_COPY_COLUMNS: tuple[str, ...] = (
    s.EVENT_ID,
    *SOURCE_TEXT_COLUMNS,
    s.KILLED_MIN,
    s.KILLED_MAX,
    s.INJURED_MIN,
    s.INJURED_MAX,
    "extra",
)
# The unit pandas gives dates read from text, as the loader reads them.
_LOADER_DATE = pd.to_datetime(pd.Series(["2000-01-01"]), format="%Y-%m-%d").dtype
# Columns a frame gains on its way that are not the file's own.
_HELPERS = {s.MATCHED_NAME, SOURCE_COUNT, "own", *OWN_FIGURES.values()}


def extra_columns(frame: pd.DataFrame, known: tuple[str, ...]) -> list[str]:
    """The file's own columns beyond ``known`` (not the ones the app adds)."""
    return [
        c for c in frame.columns if c not in known and c not in _HELPERS and not c.startswith("_")
    ]


def mercator(latitude: object, longitude: object) -> tuple[object, object]:
    """A point in Web Mercator world units (0 to 1 across, 0 at the top), as the map's grid
    counts; latitudes are held within ±85.05, the map's edge."""
    clamped = np.radians(np.clip(latitude, -85.05, 85.05))
    x = (np.asarray(longitude, dtype="float64") + 180) / 360
    y = 0.5 - np.log(np.tan(np.pi / 4 + clamped / 2)) / (2 * np.pi)
    return x, y


def events_copy_text(
    given: pd.DataFrame,
    shown: pd.DataFrame,
    country_codes: dict[str, str],
    created_change: int | None,
) -> tuple[str, str]:
    """CSV for ``COPY events`` and ``COPY event_points`` from the rows as written
    (``given``) and as shown."""
    out = pd.DataFrame(index=given.index)
    for column in GIVEN_COLUMNS:
        out[column] = given[column]
    out["extra"] = _extra_json(given, extra_columns(given, s.CANONICAL_COLUMNS))
    out["date_last"] = event_end(given)
    latitude, longitude = shown[s.LATITUDE], shown[s.LONGITUDE]
    placed = latitude.notna() & longitude.notna()
    out["place_latitude"] = latitude.where(placed)
    out["place_longitude"] = longitude.where(placed)
    out["place_precision"] = shown[s.GEO_PRECISION].where(placed)
    out["place_geocoder"] = shown[s.GEOCODER].fillna("").where(placed, "")
    out["matched_name"] = shown.get(s.MATCHED_NAME, pd.Series("", index=shown.index)).fillna("")
    out["location_key"] = _each_distinct(given[s.LOCATION], normalize_name)
    out["country_code"] = _each_distinct(given[s.COUNTRY], lambda c: country_codes.get(c, ""))
    for column, source in _SHOWN.items():
        out[column] = shown[source]
    out["shown_confidence"] = shown[s.CONFIDENCE].fillna("")
    out["source_count"] = shown[SOURCE_COUNT]
    out["lowest_killed"] = lowest_killed(shown).astype("Int64")
    out["created_change"] = created_change
    points = out[[c for c in POINT_COPY_COLUMNS if c in out]].copy()
    points[s.LATITUDE] = latitude.where(placed)
    points[s.LONGITUDE] = longitude.where(placed)
    x, y = mercator(latitude.to_numpy(dtype="float64"), longitude.to_numpy(dtype="float64"))
    points["mx"] = pd.Series(x, index=out.index).where(placed)
    points["my"] = pd.Series(y, index=out.index).where(placed)
    for column in (s.EVENT_TYPE, s.ACTOR1, s.ACTOR2):
        points[column] = given[column]
    return _csv(out), _csv(points[list(POINT_COPY_COLUMNS)])


def sources_copy_text(sources: pd.DataFrame) -> str:
    """CSV for ``COPY sources`` from a typed sources table."""
    out = pd.DataFrame(index=sources.index)
    for column in SOURCE_COPY_COLUMNS[:-1]:
        out[column] = sources[column]
    out["extra"] = _extra_json(sources, extra_columns(sources, s.SOURCE_COLUMNS))
    return _csv(out)


def read_copy_text(data: bytes, columns: list[str]) -> pd.DataFrame:
    """``COPY ... TO STDOUT (FORMAT csv)`` output as a frame of strings ("" for NULL)."""
    if not data:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    table = pa_csv.read_csv(
        pa.py_buffer(data),
        read_options=pa_csv.ReadOptions(column_names=columns, block_size=1 << 22),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.combine_chunks().to_pandas()


def with_extra_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its ``extra`` JSON cells spread into columns (first-seen order)."""
    texts = frame.pop("extra")
    given = texts[texts != "{}"]
    if given.empty:
        return frame
    parsed = given.map(json.loads)
    names = list(dict.fromkeys(name for cells in parsed for name in cells))
    for name in names:
        frame[name] = ""
        frame.loc[parsed.index, name] = parsed.map(lambda cells, n=name: cells.get(n, ""))
    return frame


def _extra_json(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series("{}", index=frame.index)
    cells = frame[columns].astype(object).where(frame[columns].notna(), "").astype(str)
    return pd.Series(
        [json.dumps(dict(zip(columns, row, strict=True))) for row in cells.to_numpy()],
        index=frame.index,
    )


def _csv(frame: pd.DataFrame) -> str:
    """CSV text PostgreSQL's COPY reads: ISO dates, whole numbers, shortest exact decimals,
    quoted text ("" is empty text), and nothing for NULL. Written by Arrow, column by column."""
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            columns[name] = pa.array(values, from_pandas=True).cast(pa.date32())
        elif isinstance(values.dtype, pd.Int64Dtype) or pd.api.types.is_integer_dtype(values):
            columns[name] = pa.array(values.astype("Int64"), type=pa.int64(), from_pandas=True)
        elif pd.api.types.is_float_dtype(values):
            columns[name] = pa.array(values, type=pa.float64(), from_pandas=True)
        elif values.isna().all() and len(values):
            columns[name] = pa.nulls(len(values), pa.int64())
        else:
            text = values.astype(object).where(values.notna(), None)
            array = pa.array(text, type=pa.string(), from_pandas=True)
            # PostgreSQL text cannot hold NUL; it is the one character that changes on the way.
            if pc.any(pc.match_substring(array, "\x00")).as_py():
                array = pc.replace_substring(array, "\x00", "\ufffd")
            columns[name] = array
    buffer = io.BytesIO()
    pa_csv.write_csv(
        pa.table(columns),
        buffer,
        pa_csv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return buffer.getvalue().decode("utf-8")


def _each_distinct(values: pd.Series, work) -> pd.Series:
    """``work`` of each value, worked out once per distinct value."""
    codes, distinct = pd.factorize(values.astype(object).where(values.notna(), ""))
    done = np.array([work(v) for v in distinct], dtype=object)
    return pd.Series(done[codes] if len(done) else [], index=values.index, dtype=object)


def points_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows of :meth:`PostgresStore.map_points` as a frame with the loader's column types."""
    names = [
        s.EVENT_ID, s.DATE_START, s.DATE_PRECISION, s.EVENT_TYPE, s.ACTOR1, s.ACTOR2,
        s.LATITUDE, s.LONGITUDE, s.GEO_PRECISION, s.KILLED_MIN, s.KILLED_MAX, s.INJURED_MIN,
        s.INJURED_MAX, s.CONFIDENCE, s.LOCATION,
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=names)
    frame[s.DATE_START] = pd.to_datetime(frame[s.DATE_START]).astype(_LOADER_DATE)
    for column in (s.LATITUDE, s.LONGITUDE):
        frame[column] = frame[column].astype("float64")
    for column in (s.GEO_PRECISION, *COUNT_COLUMNS[:4]):
        frame[column] = frame[column].astype("Int64")
    for column in (s.EVENT_ID, s.DATE_PRECISION, s.EVENT_TYPE, s.ACTOR1, s.ACTOR2):
        frame[column] = frame[column].astype(str)
    frame[s.CONFIDENCE] = frame[s.CONFIDENCE].astype(str)
    frame[s.LOCATION] = frame[s.LOCATION].astype(str)
    return frame
