"""The embedded engine's SQL beyond the shared filter: the map's view box, its grid cells, the
table's orders and the summary's sums, and the frames they come back as.

Only fixed column names are written into this text; every value goes as a bound parameter.
The frames are shaped as the pandas modules shape theirs (components.view.summary), so the page
draws both the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from components.storage.parquet_events import LOADED_COLUMNS
from components.table import schema as s
from components.view.summary import FIGURES, NO_PLACE, FigureTotal, Totals

__all__ = [
    "LOADED",
    "MONTHS_SQL",
    "PERIOD_UNITS",
    "PLACED",
    "PLACES_SQL",
    "TOTALS_SQL",
    "bounds_sql",
    "fine_cells_sql",
    "ids_sql",
    "in_squares_sql",
    "month_frame",
    "order_key",
    "parts_sql",
    "period_frame",
    "place_frame",
    "totals_from",
]

PLACED = "latitude IS NOT NULL AND longitude IS NOT NULL"
LOADED = ", ".join(LOADED_COLUMNS)
PERIOD_UNITS = {"D": "day", "W": "week", "M": "month", "Y": "year"}
_SUM_COLUMNS = ["events", *(c for pair in FIGURES.values() for c in pair)]


def bounds_sql(bounds: Sequence[float]) -> tuple[str, list[float]]:
    """The placed events inside (south, west, north, east); Leaflet's world copies wrap."""
    south, west, north, east = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        raise ValueError("map bounds must be finite numbers")
    where, params = "latitude BETWEEN ? AND ?", [south, north]
    width = east - west
    if width >= 360:
        return where, params
    west = west if -180 <= west <= 180 else (west + 180) % 360 - 180
    east = west + width
    if east <= 180:
        return where + " AND longitude BETWEEN ? AND ?", [*params, west, east]
    return where + " AND (longitude >= ? OR longitude <= ?)", [*params, west, east - 360]


def ids_sql(ids: Sequence[str]) -> tuple[str, list[str]]:
    """``event_id IN (?, …)`` for a bounded list of ids: a plain list lets DuckDB skip the
    Parquet row groups that cannot hold them."""
    values = [str(i) for i in ids]
    if not values:
        return "FALSE", []
    return f"event_id IN ({', '.join(['?'] * len(values))})", values


def fine_cells_sql(where: str, source: str = "events") -> str:
    """The rows that pass ``where`` in grid squares of Web Mercator x and y (world units, 0 to
    1, stored in the file): per square its key (``fx``, ``fy``), count, killed total, events
    without a killed figure, sums of latitudes and longitudes, box, and its first row numbers
    (``first_rows``, a list). ``?`` twice for the width, then for how many rows to list.
    ``source``: the view of the events asked (the file's, or its columns held in memory)."""
    return f"""
        SELECT floor(mx / ?)::BIGINT AS fx, floor(my / ?)::BIGINT AS fy, count(*) AS events,
               COALESCE(sum(lowest_killed), 0) AS killed,
               count(*) FILTER (WHERE lowest_killed IS NULL) AS unknown,
               sum(latitude) AS lat_sum, sum(longitude) AS lng_sum,
               min(latitude) AS south, min(longitude) AS west,
               max(latitude) AS north, max(longitude) AS east,
               min(_row, ?) AS first_rows
        FROM {source} WHERE {where}
        GROUP BY 1, 2
    """


# A grid square's key as one number (column * 2**32 + row), as components.map.cell_source has it.
_KEY = "floor(mx / ?)::BIGINT * 4294967296 + floor(my / ?)::BIGINT"


def in_squares_sql(where: str) -> str:
    """``where`` and the rows in a list of grid squares: ``?`` for the size twice, then the
    list of their keys as numbers (a semi join, however many squares)."""
    return f"{where} AND {_KEY} IN (SELECT unnest(?::BIGINT[]))"


def parts_sql(where: str, source: str = "events") -> str:
    """Inside a list of grid squares, the squares of finer grids holding more than ``?`` of the
    rows that pass ``where``, every width in one pass; the columns of queries.PART_COLUMNS.
    ``?`` for the squares' size twice, ``where``'s values, then the squares' keys as numbers,
    the finest width asked in each, every width asked, and the least count.

    The rows are first grouped once at their square's finest width; the wider squares are
    sums of those (the grids nest exactly: every width is a power of two).
    """
    return f"""
        WITH fine AS (
            SELECT finest, floor(mx / finest)::BIGINT AS fx, floor(my / finest)::BIGINT AS fy,
                   count(*) AS n, min(latitude) AS south, min(longitude) AS west,
                   max(latitude) AS north, max(longitude) AS east
            FROM (SELECT latitude, longitude, mx, my, {_KEY} AS key FROM {source} WHERE {where})
                AS inside
            JOIN (SELECT unnest(?::BIGINT[]) AS key, unnest(?::DOUBLE[]) AS finest) AS asked
                USING (key)
            GROUP BY 1, 2, 3
        )
        SELECT part, cx, cy, sum(n)::BIGINT AS events, min(south) AS south, min(west) AS west,
               max(north) AS north, max(east) AS east
        FROM (
            SELECT part, fine.*, fx // CAST(round(part / finest) AS BIGINT) AS cx,
                   fy // CAST(round(part / finest) AS BIGINT) AS cy
            FROM fine JOIN (SELECT unnest(?::DOUBLE[]) AS part) AS widths ON part >= finest
        ) AS parts
        GROUP BY part, cx, cy HAVING sum(n) > ? ORDER BY part DESC, cx, cy
    """


_ORDER_KEYS = {
    s.DATE_START: "date_start",
    "killed": "lowest_killed",
    s.LOCATION: "NULLIF(lower(location), '')",
    s.EVENT_TYPE: "NULLIF(lower(event_type), '')",
}


def order_key(order: str, descending: bool) -> str:
    """ORDER BY text for one of the table's orders; missing values last either way."""
    if order not in _ORDER_KEYS:
        raise ValueError(f"unknown order {order!r}; one of {sorted(_ORDER_KEYS)}")
    return f"{_ORDER_KEYS[order]} {'DESC' if descending else 'ASC'} NULLS LAST"


def period_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Period counts typed as the protocol gives them."""
    return pd.DataFrame(
        {
            "period": pd.to_datetime(frame["period"]).astype("datetime64[ns]"),
            "events": frame["events"].astype("int64"),
            "killed": frame["killed"].astype("int64"),
        }
    )


def _sums(low: str, high: str) -> str:
    """Lowest and highest totals of one figure: unknown figures add nothing."""
    return (
        f"COALESCE(sum(coalesce({low}, {high})), 0) AS {low}, "
        f"COALESCE(sum(coalesce({high}, {low})), 0) AS {high}"
    )


_FIGURE_SUMS = ", ".join(_sums(low, high) for low, high in FIGURES.values())
_REPORTING = ", ".join(
    f"count(coalesce({low}, {high})) AS {word}_reporting, "
    f"count(*) FILTER (WHERE {low} IS NOT NULL AND {high} IS NULL) AS {word}_open"
    for word, (low, high) in FIGURES.items()
)
TOTALS_SQL = f"SELECT count(*) AS events, {_FIGURE_SUMS}, {_REPORTING} FROM events WHERE {{where}}"
MONTHS_SQL = (
    f"SELECT date_trunc('month', date_start) AS month, count(*) AS events, {_FIGURE_SUMS} "
    "FROM events WHERE {where} AND date_start IS NOT NULL GROUP BY 1"
)
# A place in words, as components.view.summary.place_names: location else admin1, ", country".
_PLACE = f"""
    CASE WHEN place <> '' AND country <> '' THEN place || ', ' || country
         WHEN place <> '' THEN place
         WHEN country <> '' THEN country
         ELSE '{NO_PLACE.replace("'", "''")}' END
"""
PLACES_SQL = f"""
    SELECT {_PLACE} AS place, count(*) AS events, {_FIGURE_SUMS}
    FROM (
        SELECT CASE WHEN trim(location) <> '' THEN trim(location) ELSE trim(admin1) END AS place,
               trim(country) AS country, killed_min, killed_max, injured_min, injured_max
        FROM events WHERE {{where}}
    ) AS named
    GROUP BY 1 ORDER BY events DESC, killed_min DESC, place ASC LIMIT ?
"""


def totals_from(frame: pd.DataFrame) -> Totals:
    """The summary's totals from TOTALS_SQL's one row."""
    row = frame.iloc[0]
    events = int(row["events"])
    figures = {}
    for word, (low, high) in FIGURES.items():
        reporting = int(row[f"{word}_reporting"])
        figures[word] = FigureTotal(
            word=word,
            lowest=int(row[low]),
            highest=int(row[high]),
            reporting=reporting,
            open_ended=int(row[f"{word}_open"]),
            unknown=events - reporting,
        )
    return Totals(events=events, **figures)


def month_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """MONTHS_SQL's rows with every month in between, as summary.summary_by_month gives them."""
    if frame.empty:
        empty = pd.DataFrame(columns=_SUM_COLUMNS, index=pd.DatetimeIndex([], name="month"))
        return empty.astype("int64")
    months = pd.to_datetime(frame["month"]).dt.to_period("M")
    table = frame[_SUM_COLUMNS].astype("int64").set_axis(months, axis=0)
    every = pd.period_range(months.min(), months.max(), freq="M")
    table = table.groupby(level=0).sum().reindex(every, fill_value=0)
    table.index = table.index.to_timestamp()
    table.index.name = "month"
    return table[_SUM_COLUMNS].astype("int64")


def place_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """PLACES_SQL's rows as summary.summary_by_place gives them (indexed by place)."""
    table = frame[["place", *_SUM_COLUMNS]].copy()
    table[_SUM_COLUMNS] = table[_SUM_COLUMNS].astype("int64")
    table["place"] = table["place"].astype(str)
    return table.set_index("place")
